#pragma once

#include <QAbstractEventDispatcher>
#include <QAtomicInt>
#include <QHash>
#include <QMultiHash>
#include <QSet>

#include <sys/epoll.h>

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

class QSocketNotifier;

namespace Server {

//! A Linux event dispatcher on epoll, for a thread that serves tens of thousands of sockets.
//!
//! Qt's own dispatchers (glib, and QEventDispatcherUNIX with QT_NO_GLIB=1) hand the kernel an
//! array of every registered socket on each loop iteration. Here the kernel keeps the interest
//! list: enabling or disabling a QSocketNotifier is one epoll_ctl() and an iteration costs
//! O(ready sockets + due timers), whatever the number of connections.
//!
//! Semantics follow QEventDispatcherUNIX: level-triggered notifiers, a timer fires at most once
//! per processEvents() pass, a timer is not re-entered while its own event is being delivered,
//! and Coarse timers of 20 s and more are whole-second VeryCoarse timers (shorter ones are
//! treated as Precise).
//!
//! Install it before the QCoreApplication is constructed, or on a QThread before start():
//! \code
//! QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
//! QCoreApplication app(argc, argv);
//! \endcode
class EpollEventDispatcher : public QAbstractEventDispatcher
{
    Q_OBJECT

public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    //! False when the epoll instance or the eventfd could not be created (already logged):
    //! such a dispatcher cannot wait or be woken up, so do not install it.
    bool isValid() const { return m_epollFd >= 0 && m_wakeFd >= 0; }

    //! One pass: posted events, ready sockets, due timers; blocks with WaitForMoreEvents until
    //! one of them, wakeUp() or interrupt(). True when anything was delivered.
    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    //! O(1): one epoll_ctl() when the fd's set of enabled notifiers changes.
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    //! O(1); a notifier unregistered while ready sockets are being delivered is not activated.
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    //! O(log timers).
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    //! O(log timers).
    bool unregisterTimer(int timerId) override;
    //! O(timers of object · log timers).
    bool unregisterTimers(QObject *object) override;
    //! The timers of object with the interval and type they were registered with.
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    //! Milliseconds until timerId is due, 0 when overdue, -1 when there is no such timer.
    int remainingTime(int timerId) override;

    //! Thread-safe; several calls before the loop wakes cost one eventfd write.
    void wakeUp() override;
    //! Thread-safe: makes a blocking processEvents() return promptly.
    void interrupt() override;

private:
    static constexpr int TypeCount = 3; // QSocketNotifier::Read, Write, Exception
    static constexpr int MaxEventsPerWait = 256;

    //! The notifiers of one fd and the interest registered with epoll for them.
    struct FdRecord
    {
        QSocketNotifier *notifiers[TypeCount] = {};
        //! Index in m_pending while that notifier waits for delivery, else -1: unregistering
        //! clears the entry in O(1) instead of searching the list.
        qsizetype pending[TypeCount] = {-1, -1, -1};
        uint32_t events = 0;
        //! epoll refuses regular files (EPERM); poll() calls them always ready, so do we.
        bool pollable = true;
    };
    struct PendingNotifier
    {
        QSocketNotifier *notifier; //!< nullptr once unregistered
        int fd;
        int type;
    };

    //! Due time in CLOCK_MONOTONIC nanoseconds, then a sequence number: ties fire in the order
    //! they were queued, and an entry queued during a pass sorts after every entry due in it.
    using TimerKey = std::pair<qint64, quint64>;
    struct Timer
    {
        QObject *object = nullptr;
        qint64 interval = 0; //!< milliseconds, as registered
        Qt::TimerType type = Qt::CoarseTimer; //!< as registered
        bool wholeSeconds = false; //!< VeryCoarse: due on whole seconds
        bool delivering = false; //!< its QTimerEvent is being sent (maybe into a nested loop)
        TimerKey key;
    };

    void updateInterest(QHash<int, FdRecord>::iterator it);
    void markPending(int fd, uint32_t revents);
    int activateSocketNotifiers();
    bool consumeWakeUp();

    qint64 nextDeadline(const Timer &timer, qint64 now) const;
    void queueTimer(int timerId, Timer &timer, qint64 deadline);
    void removeTimer(QHash<int, Timer>::iterator it);
    int timerWaitMs() const;
    int activateTimers();

    int m_epollFd = -1;
    int m_wakeFd = -1;
    QAtomicInt m_wakeUpPending;
    QAtomicInt m_interrupted;
    epoll_event m_ready[MaxEventsPerWait];

    QHash<int, FdRecord> m_fds;
    QSet<int> m_unpollableFds;
    //! Notifiers made ready by epoll, delivered in order; shared by nested loops as in Qt.
    std::vector<PendingNotifier> m_pending;
    size_t m_pendingHead = 0;

    QHash<int, Timer> m_timers;
    QMultiHash<QObject *, int> m_timersByObject;
    std::map<TimerKey, int> m_timerQueue; //!< → timer id
    quint64 m_timerSequence = 0;
};

} // namespace Server
