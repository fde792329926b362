#include "EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QThread>
#include <QTimerEvent>

#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace Server {

Q_LOGGING_CATEGORY(lcEventLoop, "messengerd.eventloop")

namespace {

constexpr qint64 NsPerMs = 1'000'000;
constexpr qint64 NsPerSecond = 1'000'000'000;

// What each notifier type reacts to, as QEventDispatcherUNIX maps poll()'s revents: a hang-up or
// an error wakes every notifier of the fd, so the owner reads the error instead of waiting.
constexpr uint32_t TriggeredBy[3] = {
    EPOLLIN | EPOLLHUP | EPOLLERR, // Read
    EPOLLOUT | EPOLLHUP | EPOLLERR, // Write
    EPOLLPRI | EPOLLHUP | EPOLLERR, // Exception
};
constexpr uint32_t Interest[3] = {EPOLLIN, EPOLLOUT, EPOLLPRI};

qint64 monotonicNs()
{
    timespec now {};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * NsPerSecond + now.tv_nsec;
}

qint64 floorToSecond(qint64 ns)
{
    return ns - ns % NsPerSecond;
}

// Rounded up: waking a little late fires the timer, waking early would cost another pass.
int ceilToMs(qint64 ns)
{
    return int(qMin<qint64>((ns + NsPerMs - 1) / NsPerMs, INT_MAX));
}

const char *typeName(int type)
{
    static const char *const names[] = {"Read", "Write", "Exception"};
    return names[type];
}

bool onThisThread(const QObject *dispatcher, const QObject *object)
{
    return object->thread() == dispatcher->thread()
        && dispatcher->thread() == QThread::currentThread();
}

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
    m_epollFd = epoll_create1(EPOLL_CLOEXEC);
    if (m_epollFd < 0) {
        qCCritical(lcEventLoop, "epoll_create1 failed: %s; the epoll event loop cannot run",
                   strerror(errno));
        return;
    }
    m_wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_wakeFd < 0) {
        qCCritical(lcEventLoop, "eventfd failed: %s; the epoll event loop cannot be woken up",
                   strerror(errno));
        return;
    }
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.fd = m_wakeFd;
    if (epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_wakeFd, &event) != 0) {
        qCCritical(lcEventLoop, "cannot add the eventfd to epoll: %s", strerror(errno));
        ::close(m_wakeFd);
        m_wakeFd = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epollFd >= 0)
        ::close(m_epollFd);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.storeRelaxed(0);
    emit awake();
    QCoreApplication::sendPostedEvents();

    const bool includeTimers = !(flags & QEventLoop::X11ExcludeTimers);
    const bool includeNotifiers = !(flags & QEventLoop::ExcludeSocketNotifiers);
    const bool canWait = (flags & QEventLoop::WaitForMoreEvents) && !m_interrupted.loadRelaxed();
    if (canWait)
        emit aboutToBlock();
    // A slot run by sendPostedEvents() (or by aboutToBlock) quit the loop: leave before waiting.
    if (m_interrupted.loadRelaxed())
        return false;

    int timeout = 0;
    if (canWait)
        timeout = includeTimers ? timerWaitMs() : -1;
    if (includeNotifiers && !m_unpollableFds.isEmpty())
        timeout = 0;

    int processed = 0;
    if (includeNotifiers) {
        const int count = epoll_wait(m_epollFd, m_ready, MaxEventsPerWait, timeout);
        if (count < 0 && errno != EINTR)
            qCWarning(lcEventLoop, "epoll_wait failed: %s", strerror(errno));
        // Only collect here: no event is sent until the whole ready list is in m_pending, so a
        // slot that deletes another fd's notifier finds it there and clears it.
        for (int i = 0; i < count; ++i) {
            if (m_ready[i].data.fd == m_wakeFd)
                processed += consumeWakeUp();
            else
                markPending(m_ready[i].data.fd, m_ready[i].events);
        }
        for (const int fd : std::as_const(m_unpollableFds))
            markPending(fd, EPOLLIN | EPOLLOUT);
        processed += activateSocketNotifiers();
    } else {
        // Sockets are excluded but the loop must still wake for posted events: wait on the
        // eventfd alone (epoll would return at once for every ready socket, a busy loop).
        pollfd wake {m_wakeFd, POLLIN, 0};
        if (::poll(&wake, 1, timeout) > 0 && (wake.revents & POLLIN))
            processed += consumeWakeUp();
    }
    if (includeTimers)
        processed += activateTimers();
    return processed > 0;
}

bool EpollEventDispatcher::consumeWakeUp()
{
    eventfd_t value = 0;
    eventfd_read(m_wakeFd, &value);
    // Cleared after the read: a wakeUp() between the two is not lost, because the next pass
    // starts with sendPostedEvents() anyway.
    m_wakeUpPending.storeRelease(0);
    return true;
}

void EpollEventDispatcher::wakeUp()
{
    if (!m_wakeUpPending.testAndSetAcquire(0, 1))
        return; // a write is already on its way; the loop reads the posted events all at once
    int result;
    do {
        result = eventfd_write(m_wakeFd, 1);
    } while (result != 0 && errno == EINTR);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.storeRelaxed(1);
    wakeUp();
}

// --- socket notifiers -----------------------------------------------------------------------

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    Q_ASSERT(notifier);
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (!onThisThread(this, notifier)) {
        qCWarning(lcEventLoop, "QSocketNotifier (fd %d) cannot be enabled from another thread", fd);
        return;
    }
    auto it = m_fds.find(fd);
    if (it == m_fds.end())
        it = m_fds.insert(fd, FdRecord());
    QSocketNotifier *&slot = it->notifiers[type];
    if (slot == notifier)
        return;
    if (slot) {
        qCWarning(lcEventLoop, "multiple socket notifiers for socket %d and type %s", fd,
                  typeName(type));
        // The displaced notifier will never be unregistered from this slot: drop its delivery.
        if (it->pending[type] >= 0)
            m_pending[size_t(it->pending[type])].notifier = nullptr;
        it->pending[type] = -1;
    }
    slot = notifier;
    updateInterest(it);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    Q_ASSERT(notifier);
    const int fd = int(notifier->socket());
    const int type = int(notifier->type());
    if (!onThisThread(this, notifier)) {
        qCWarning(lcEventLoop, "QSocketNotifier (fd %d) cannot be disabled from another thread",
                  fd);
        return;
    }
    const auto it = m_fds.find(fd);
    if (it == m_fds.end() || !it->notifiers[type])
        return;
    if (it->notifiers[type] != notifier) {
        qCWarning(lcEventLoop, "multiple socket notifiers for socket %d and type %s", fd,
                  typeName(type));
        return;
    }
    it->notifiers[type] = nullptr;
    if (it->pending[type] >= 0) {
        m_pending[size_t(it->pending[type])].notifier = nullptr;
        it->pending[type] = -1;
    }
    updateInterest(it);
}

void EpollEventDispatcher::updateInterest(QHash<int, FdRecord>::iterator it)
{
    const int fd = it.key();
    FdRecord &record = *it;
    uint32_t wanted = 0;
    for (int type = 0; type < TypeCount; ++type) {
        if (record.notifiers[type])
            wanted |= Interest[type];
    }
    if (wanted == record.events)
        return;

    if (wanted == 0) {
        // ENOENT / EBADF: the fd was closed before its notifier went away; epoll already forgot it.
        if (record.pollable && epoll_ctl(m_epollFd, EPOLL_CTL_DEL, fd, nullptr) != 0
            && errno != ENOENT && errno != EBADF)
            qCWarning(lcEventLoop, "epoll_ctl(DEL, %d) failed: %s", fd, strerror(errno));
        m_unpollableFds.remove(fd);
        m_fds.erase(it);
        return;
    }
    const bool added = record.events != 0;
    record.events = wanted;
    if (!record.pollable)
        return;

    epoll_event event {};
    event.events = wanted;
    event.data.fd = fd;
    int result = epoll_ctl(m_epollFd, added ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event);
    // A closed fd leaves epoll by itself, and its number may come back as a new socket before
    // the old notifier is gone: so MOD may find nothing, and ADD may find something.
    if (result != 0 && (errno == ENOENT || errno == EEXIST))
        result = epoll_ctl(m_epollFd, errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
    if (result == 0)
        return;
    if (errno == EPERM) {
        record.pollable = false;
        m_unpollableFds.insert(fd);
        return;
    }
    qCWarning(lcEventLoop, "QSocketNotifier: cannot watch fd %d: %s", fd, strerror(errno));
}

void EpollEventDispatcher::markPending(int fd, uint32_t revents)
{
    const auto it = m_fds.find(fd);
    if (it == m_fds.end())
        return;
    FdRecord &record = *it;
    for (int type = 0; type < TypeCount; ++type) {
        // Already pending: a nested loop saw the fd again before the outer one delivered it.
        if (record.notifiers[type] && (revents & TriggeredBy[type]) && record.pending[type] < 0) {
            record.pending[type] = qsizetype(m_pending.size());
            m_pending.push_back({record.notifiers[type], fd, type});
        }
    }
}

int EpollEventDispatcher::activateSocketNotifiers()
{
    int activated = 0;
    QEvent event(QEvent::SockAct);
    // Indexes, never iterators: slots register and unregister notifiers, and a nested loop in a
    // slot delivers (and then clears) the rest of this list itself.
    while (m_pendingHead < m_pending.size()) {
        const PendingNotifier entry = m_pending[m_pendingHead++];
        if (!entry.notifier)
            continue;
        const auto it = m_fds.find(entry.fd);
        Q_ASSERT(it != m_fds.end() && it->notifiers[entry.type] == entry.notifier);
        it->pending[entry.type] = -1;
        QCoreApplication::sendEvent(entry.notifier, &event);
        ++activated;
    }
    m_pending.clear();
    m_pendingHead = 0;
    return activated;
}

// --- timers ---------------------------------------------------------------------------------

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    if (timerId < 1 || interval < 0 || !object) {
        qCWarning(lcEventLoop, "registerTimer: invalid arguments");
        return;
    }
    if (!onThisThread(this, object)) {
        qCWarning(lcEventLoop, "timers cannot be started from another thread");
        return;
    }
    if (const auto old = m_timers.find(timerId); old != m_timers.end())
        removeTimer(old); // an id is never registered twice by Qt; do not leak its queue entry
    Timer &timer = m_timers[timerId];
    timer.object = object;
    timer.interval = interval;
    timer.type = timerType;
    // As Qt: 5 % of 20 s is a second, so long coarse timers may as well share whole seconds
    // (fewer wake-ups); shorter coarse timers are kept precise.
    timer.wholeSeconds =
        timerType == Qt::VeryCoarseTimer || (timerType == Qt::CoarseTimer && interval >= 20'000);
    timer.delivering = false;
    m_timersByObject.insert(object, timerId);

    const qint64 now = monotonicNs();
    qint64 deadline = now + interval * NsPerMs;
    if (timer.wholeSeconds) {
        const qint64 seconds = (interval + 500) / 1000;
        deadline = floorToSecond(now) + seconds * NsPerSecond;
        if (now % NsPerSecond > NsPerSecond / 2)
            deadline += NsPerSecond;
    }
    queueTimer(timerId, timer, deadline);
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    if (thread() != QThread::currentThread()) {
        qCWarning(lcEventLoop, "timers cannot be stopped from another thread");
        return false;
    }
    const auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    removeTimer(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    if (!object || !onThisThread(this, object)) {
        qCWarning(lcEventLoop, "unregisterTimers: no object, or called from another thread");
        return false;
    }
    const QList<int> ids = m_timersByObject.values(object);
    for (const int id : ids) {
        const auto it = m_timers.find(id);
        if (it != m_timers.end())
            removeTimer(it);
    }
    return !ids.isEmpty();
}

QList<QAbstractEventDispatcher::TimerInfo>
EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (auto it = m_timersByObject.constFind(object);
         it != m_timersByObject.cend() && it.key() == object; ++it) {
        const Timer &timer = *m_timers.constFind(*it);
        timers.append(TimerInfo(*it, int(timer.interval), timer.type));
    }
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto it = m_timers.constFind(timerId);
    if (it == m_timers.cend())
        return -1;
    const qint64 left = it->key.first - monotonicNs();
    return left <= 0 ? 0 : ceilToMs(left);
}

void EpollEventDispatcher::queueTimer(int timerId, Timer &timer, qint64 deadline)
{
    timer.key = {deadline, m_timerSequence++};
    m_timerQueue.emplace(timer.key, timerId);
}

void EpollEventDispatcher::removeTimer(QHash<int, Timer>::iterator it)
{
    m_timerQueue.erase(it->key);
    m_timersByObject.remove(it->object, it.key());
    m_timers.erase(it);
}

qint64 EpollEventDispatcher::nextDeadline(const Timer &timer, qint64 now) const
{
    if (timer.wholeSeconds) {
        const qint64 step = (timer.interval + 500) / 1000 * NsPerSecond;
        const qint64 next = timer.key.first + step;
        return next <= floorToSecond(now) ? floorToSecond(now) + step : next;
    }
    // Behind schedule (the loop was blocked): one event now and the next a full interval
    // later, not a burst catching up with the missed ones.
    const qint64 next = timer.key.first + timer.interval * NsPerMs;
    return next < now ? now + timer.interval * NsPerMs : next;
}

int EpollEventDispatcher::timerWaitMs() const
{
    // A timer whose event is being delivered (into a nested loop) is not due for that loop.
    for (const auto &[key, id] : m_timerQueue) {
        if (m_timers.constFind(id)->delivering)
            continue;
        const qint64 left = key.first - monotonicNs();
        return left <= 0 ? 0 : ceilToMs(left);
    }
    return -1;
}

int EpollEventDispatcher::activateTimers()
{
    if (m_timerQueue.empty())
        return 0;
    const qint64 now = monotonicNs();
    // Everything queued from here on (rescheduled by this pass or registered by a slot) sorts
    // after the entries due now, so each timer fires at most once per pass: a zero-interval
    // timer, or one restarted in its own slot, waits for the next pass.
    const quint64 passSequence = m_timerSequence;
    int activated = 0;
    while (!m_timerQueue.empty()) {
        auto first = m_timerQueue.begin();
        if (first->first.first > now || first->first.second >= passSequence)
            break;
        const int id = first->second;
        Timer &timer = m_timers[id];
        auto node = m_timerQueue.extract(first); // reuses the node: no allocation per fire
        timer.key = {nextDeadline(timer, now), m_timerSequence++};
        node.key() = timer.key;
        m_timerQueue.insert(std::move(node));
        if (timer.delivering)
            continue; // as Qt: no recursion into a timer from a loop nested in its own event
        if (timer.interval > 0)
            ++activated; // as Qt: zero timers alone do not make a pass count as "processed"
        timer.delivering = true;
        QObject *object = timer.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        // The slot may have killed the timer (or killed it and got the same id back for a new
        // one, which is not being delivered either): look it up again.
        const auto again = m_timers.find(id);
        if (again != m_timers.end())
            again->delivering = false;
    }
    return activated;
}

} // namespace Server
