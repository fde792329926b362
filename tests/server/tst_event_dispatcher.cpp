// EpollEventDispatcher, messengerd's event loop, against Qt's own semantics: it drives this test's
// main thread (installed before the QCoreApplication, see main() below), so every QTRY_*,
// QSignalSpy::wait and nested loop here runs on it; one test runs it on a QThread as well.
#include "core/EpollEventDispatcher.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QEventLoop>
#include <QPointer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

using namespace Server;

namespace {

EpollEventDispatcher *mainDispatcher()
{
    return qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
}

//! A non-blocking AF_UNIX stream socketpair; end 0 is watched, end 1 is the peer.
struct SocketPair
{
    int fds[2] = {-1, -1};

    SocketPair()
    {
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
            fds[0] = fds[1] = -1;
    }
    ~SocketPair()
    {
        for (const int fd : fds) {
            if (fd >= 0)
                ::close(fd);
        }
    }
    SocketPair(const SocketPair &) = delete;
    SocketPair &operator=(const SocketPair &) = delete;

    bool isValid() const { return fds[0] >= 0; }
    void send(int end = 1) const
    {
        const char byte = 'x';
        [[maybe_unused]] const auto written = ::write(fds[end], &byte, 1);
    }
    void drain(int end = 0) const
    {
        char buffer[4096];
        while (::read(fds[end], buffer, sizeof buffer) > 0) { }
    }
};

//! Counts its QTimerEvents (from any thread) and hands them to onTimer.
class TimerCounter : public QObject
{
public:
    std::atomic<int> fired = 0;
    std::function<void(int)> onTimer;

protected:
    void timerEvent(QTimerEvent *event) override
    {
        ++fired;
        if (onTimer)
            onTimer(event->timerId());
    }
};

//! Counts the dispatcher's passes (awake() is emitted once at the start of each).
struct PassCounter
{
    QObject context;
    int passes = 0;
    PassCounter()
    {
        QObject::connect(mainDispatcher(), &QAbstractEventDispatcher::awake, &context,
                         [this] { ++passes; });
    }
};

//! One non-blocking pass, n times.
void passes(int n)
{
    for (int i = 0; i < n; ++i)
        QCoreApplication::processEvents();
}

} // namespace

class TestEventDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void timerFires_data();
    void timerFires();
    void singleShotStatic();
    void zeroTimerFiresOncePerPassWithoutStarvingSockets();
    void timerRestartedInItsOwnEventFiresOncePerPass();
    void timerStoppedByAnEarlierTimerDoesNotFire();
    void preciseTimerDoesNotCatchUpWithABurst();
    void remainingTimeAndRegisteredTimers();
    void timersGoAwayWithTheirObject();
    void postedEventsFromAnotherThreadWakeABlockedLoop();
    void deleteLaterRuns();
    void readNotifier();
    void writeNotifierFollowsEnabledAndBufferSpace();
    void notifierDeletedDuringAnotherFdsActivation();
    void fdReusedDuringActivationIsNotActivated();
    void onlyTheActiveOfManyFdsIsDispatched();
    void regularFileIsAlwaysReady();
    void excludeFlags();
    void tcpEcho();
    void nestedEventLoopInsideASlot();
    void timerIsNotReenteredFromANestedLoop();
    void interruptAndQuit();
    void runsOnAQThread();
};

void TestEventDispatcher::initTestCase()
{
    QVERIFY2(mainDispatcher(), "main() installs EpollEventDispatcher before the QCoreApplication");
    QVERIFY(mainDispatcher()->isValid());
}

void TestEventDispatcher::timerFires_data()
{
    QTest::addColumn<int>("interval");
    QTest::addColumn<Qt::TimerType>("type");
    QTest::newRow("precise 1 ms") << 1 << Qt::PreciseTimer;
    QTest::newRow("coarse 0 ms") << 0 << Qt::CoarseTimer;
    QTest::newRow("coarse 30 ms") << 30 << Qt::CoarseTimer;
    QTest::newRow("very coarse 1 s") << 1000 << Qt::VeryCoarseTimer;
}

void TestEventDispatcher::timerFires()
{
    QFETCH(int, interval);
    QFETCH(Qt::TimerType, type);

    QTimer once;
    once.setSingleShot(true);
    once.setTimerType(type);
    QSignalSpy onceSpy(&once, &QTimer::timeout);
    once.start(interval);
    QTRY_COMPARE_WITH_TIMEOUT(onceSpy.count(), 1, 20000);
    QVERIFY(!once.isActive());

    QTimer repeating;
    repeating.setTimerType(type);
    QSignalSpy repeatingSpy(&repeating, &QTimer::timeout);
    repeating.start(interval);
    QTRY_VERIFY_WITH_TIMEOUT(repeatingSpy.count() >= 3, 30000);
    repeating.stop();
    QCOMPARE(onceSpy.count(), 1); // a single shot stays fired once
}

void TestEventDispatcher::singleShotStatic()
{
    QObject context;
    bool zero = false;
    bool later = false;
    bool precise = false;
    QTimer::singleShot(0, &context, [&] { zero = true; });
    QTimer::singleShot(5, &context, [&] { later = true; });
    QTimer::singleShot(std::chrono::milliseconds(2), Qt::PreciseTimer, &context,
                       [&] { precise = true; });
    QTRY_VERIFY(zero && later && precise);
}

void TestEventDispatcher::zeroTimerFiresOncePerPassWithoutStarvingSockets()
{
    PassCounter counter;
    QTimer zero;
    QSignalSpy zeroSpy(&zero, &QTimer::timeout);
    zero.start(0);

    SocketPair pair;
    QVERIFY(pair.isValid());
    QSocketNotifier readable(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy readSpy(&readable, &QSocketNotifier::activated);
    connect(&readable, &QSocketNotifier::activated, this, [&] { pair.drain(); });
    pair.send();
    QTRY_VERIFY(readSpy.count() == 1 && zeroSpy.count() >= 10);
    QVERIFY2(zeroSpy.count() <= counter.passes,
             qPrintable(
                 QStringLiteral("%1 fires in %2 passes").arg(zeroSpy.count()).arg(counter.passes)));
    pair.send();
    QTRY_COMPARE(readSpy.count(), 2);
}

void TestEventDispatcher::timerRestartedInItsOwnEventFiresOncePerPass()
{
    PassCounter counter;
    QTimer timer;
    timer.setSingleShot(true);
    int fires = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        ++fires;
        timer.start(0); // same QTimer, often the same timer id again
    });
    timer.start(0);

    TimerCounter raw; // killTimer + startTimer by hand inside the event
    raw.onTimer = [&raw](int id) {
        raw.killTimer(id);
        raw.startTimer(0);
    };
    raw.startTimer(0);

    QTRY_VERIFY(fires >= 20 && raw.fired >= 20);
    timer.stop();
    QVERIFY(fires <= counter.passes);
    QVERIFY(raw.fired <= counter.passes);
}

void TestEventDispatcher::timerStoppedByAnEarlierTimerDoesNotFire()
{
    // Zero intervals: all three are due in the same pass, in the order they were started.
    QTimer first;
    QTimer second;
    first.setSingleShot(true);
    second.setSingleShot(true);
    QSignalSpy secondSpy(&second, &QTimer::timeout);
    auto *victim = new TimerCounter; // deleted with a due timer: must not receive it
    QPointer<QObject> victimAlive = victim;
    bool firstFired = false;
    connect(&first, &QTimer::timeout, this, [&] {
        firstFired = true;
        second.stop();
        delete victim;
    });
    first.start(0);
    second.start(0);
    victim->startTimer(0);

    QTRY_VERIFY(firstFired);
    passes(5);
    QCOMPARE(secondSpy.count(), 0);
    QVERIFY(victimAlive.isNull());
}

void TestEventDispatcher::preciseTimerDoesNotCatchUpWithABurst()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    QSignalSpy spy(&timer, &QTimer::timeout);
    timer.start(500);
    QThread::msleep(1600); // a slot blocking the loop for more than three intervals
    passes(3);
    QCOMPARE(spy.count(), 1); // once, and the next one a full interval later
    QTRY_VERIFY_WITH_TIMEOUT(spy.count() >= 2, 10000);
}

void TestEventDispatcher::remainingTimeAndRegisteredTimers()
{
    EpollEventDispatcher *dispatcher = mainDispatcher();
    TimerCounter object;
    const int longId = object.startTimer(10000, Qt::PreciseTimer);
    const int zeroId = object.startTimer(0, Qt::CoarseTimer);
    const int coarseId = object.startTimer(60000, Qt::CoarseTimer);
    QVERIFY(longId > 0 && zeroId > 0 && coarseId > 0);

    const int left = dispatcher->remainingTime(longId);
    QVERIFY2(left > 0 && left <= 10000, qPrintable(QString::number(left)));
    QCOMPARE(dispatcher->remainingTime(zeroId), 0);
    const int coarseLeft = dispatcher->remainingTime(coarseId);
    QVERIFY2(coarseLeft > 0 && coarseLeft <= 61000, qPrintable(QString::number(coarseLeft)));

    QTimer timer;
    timer.start(5000);
    QVERIFY(timer.remainingTime() > 0 && timer.remainingTime() <= 5000);

    const QList<QAbstractEventDispatcher::TimerInfo> infos = dispatcher->registeredTimers(&object);
    QCOMPARE(infos.size(), 3);
    for (const QAbstractEventDispatcher::TimerInfo &info : infos) {
        if (info.timerId == longId) {
            QCOMPARE(info.interval, 10000);
            QCOMPARE(info.timerType, Qt::PreciseTimer);
        } else if (info.timerId == zeroId) {
            QCOMPARE(info.interval, 0);
        } else {
            QCOMPARE(info.timerId, coarseId);
            QCOMPARE(info.interval, 60000);
        }
    }

    object.killTimer(longId);
    QCOMPARE(dispatcher->remainingTime(longId), -1);
    QCOMPARE(dispatcher->registeredTimers(&object).size(), 2);
    QTRY_VERIFY(object.fired >= 1); // the zero one
}

void TestEventDispatcher::timersGoAwayWithTheirObject()
{
    // Our own storage: after the destructor its address is still ours to pass as a hash key.
    alignas(TimerCounter) unsigned char storage[sizeof(TimerCounter)];
    auto *object = new (storage) TimerCounter;
    object->startTimer(0);
    object->startTimer(1, Qt::PreciseTimer);
    object->startTimer(60000, Qt::VeryCoarseTimer);
    QCOMPARE(mainDispatcher()->registeredTimers(object).size(), 3);
    object->~TimerCounter(); // ~QObject calls unregisterTimers(this)
    QVERIFY(mainDispatcher()->registeredTimers(reinterpret_cast<QObject *>(storage)).isEmpty());
    QObject context;
    bool later = false;
    QTimer::singleShot(5, &context, [&] { later = true; });
    QTRY_VERIFY(later); // the loop goes on without delivering to the dead object
}

void TestEventDispatcher::postedEventsFromAnotherThreadWakeABlockedLoop()
{
    // The poster waits until the loop is about to block in epoll_wait(): no timer is due for
    // 60 s, so only wakeUp() can bring the loop back in time for the test.
    QEventLoop loop;
    QObject context;
    QSemaphore aboutToBlock;
    connect(
        mainDispatcher(), &QAbstractEventDispatcher::aboutToBlock, &context,
        [&] { aboutToBlock.release(); }, Qt::DirectConnection);
    bool timedOut = false;
    QTimer::singleShot(60000, &context, [&] {
        timedOut = true;
        loop.quit();
    });

    constexpr int Posts = 10000;
    int received = 0;
    std::thread poster([&] {
        aboutToBlock.acquire();
        for (int i = 0; i < Posts; ++i)
            QMetaObject::invokeMethod(
                &context, [&] { ++received; }, Qt::QueuedConnection);
        QMetaObject::invokeMethod(&loop, "quit", Qt::QueuedConnection);
    });
    loop.exec();
    poster.join();
    QVERIFY(!timedOut);
    QTRY_COMPARE(received, Posts);

    // The same from a QThread, into a loop blocked in QSignalSpy::wait.
    while (aboutToBlock.tryAcquire()) { }
    QSignalSpy wokenSpy(&context, &QObject::objectNameChanged);
    QThread *thread = QThread::create([&] {
        aboutToBlock.acquire();
        QMetaObject::invokeMethod(
            &context, [&] { context.setObjectName(QStringLiteral("woken")); },
            Qt::QueuedConnection);
    });
    thread->start();
    QVERIFY(wokenSpy.wait(60000));
    QVERIFY(thread->wait(60000));
    delete thread;
}

void TestEventDispatcher::deleteLaterRuns()
{
    QEventLoop loop;
    QPointer<QObject> object = new QObject;
    connect(object.data(), &QObject::destroyed, &loop, &QEventLoop::quit);
    QTimer::singleShot(0, object.data(), [&] { object->deleteLater(); });
    QObject context;
    bool timedOut = false;
    QTimer::singleShot(60000, &context, [&] {
        timedOut = true;
        loop.quit();
    });
    loop.exec();
    QVERIFY(!timedOut);
    QVERIFY(object.isNull());
}

void TestEventDispatcher::readNotifier()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    QSocketNotifier readable(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy spy(&readable, &QSocketNotifier::activated);
    passes(3);
    QCOMPARE(spy.count(), 0);

    pair.send();
    QTRY_VERIFY(spy.count() >= 3); // level-triggered: again and again while unread
    pair.drain();
    passes(1); // may still deliver one collected before the drain
    const auto count = spy.count();
    passes(5);
    QCOMPARE(spy.count(), count);

    ::close(pair.fds[1]); // a hang-up wakes the reader
    pair.fds[1] = -1;
    QTRY_VERIFY(spy.count() > count);
}

void TestEventDispatcher::writeNotifierFollowsEnabledAndBufferSpace()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    QSocketNotifier writable(pair.fds[0], QSocketNotifier::Write);
    QSignalSpy spy(&writable, &QSocketNotifier::activated);
    QTRY_VERIFY(spy.count() >= 1);

    writable.setEnabled(false);
    auto count = spy.count();
    passes(5);
    QCOMPARE(spy.count(), count);
    writable.setEnabled(true);
    QTRY_VERIFY(spy.count() > count);

    const QByteArray chunk(4096, 'w');
    while (::write(pair.fds[0], chunk.constData(), size_t(chunk.size())) > 0) { }
    passes(1);
    count = spy.count();
    passes(5);
    QCOMPARE(spy.count(), count); // full: not writable
    pair.drain(1);
    QTRY_VERIFY(spy.count() > count);
}

void TestEventDispatcher::notifierDeletedDuringAnotherFdsActivation()
{
    SocketPair pairs[2];
    QSocketNotifier *notifiers[2] = {};
    int counts[2] = {};
    for (int i = 0; i < 2; ++i) {
        QVERIFY(pairs[i].isValid());
        notifiers[i] = new QSocketNotifier(pairs[i].fds[0], QSocketNotifier::Read);
    }
    for (int i = 0; i < 2; ++i) {
        connect(notifiers[i], &QSocketNotifier::activated, this, [&, i] {
            ++counts[i];
            pairs[i].drain();
            delete notifiers[1 - i]; // in the same ready list: must not be touched afterwards
            notifiers[1 - i] = nullptr;
        });
    }
    pairs[0].send();
    pairs[1].send();
    QCoreApplication::processEvents(); // one pass, both fds ready in it
    QCOMPARE(counts[0] + counts[1], 1);
    delete notifiers[0];
    delete notifiers[1];
}

void TestEventDispatcher::fdReusedDuringActivationIsNotActivated()
{
    // The first slot deletes the other notifier, closes its fd and puts a fresh, idle socket
    // on the same fd number with a new notifier: the stale readiness must not reach it.
    SocketPair pairs[2];
    SocketPair replacement;
    QVERIFY(pairs[0].isValid() && pairs[1].isValid() && replacement.isValid());
    QSocketNotifier *notifiers[2] = {new QSocketNotifier(pairs[0].fds[0], QSocketNotifier::Read),
                                     new QSocketNotifier(pairs[1].fds[0], QSocketNotifier::Read)};
    std::unique_ptr<QSocketNotifier> newcomer;
    int newcomerCount = 0;
    int activations = 0;
    for (int i = 0; i < 2; ++i) {
        connect(notifiers[i], &QSocketNotifier::activated, this, [&, i] {
            ++activations;
            pairs[i].drain();
            if (newcomer)
                return;
            const int other = 1 - i;
            const int fd = pairs[other].fds[0];
            delete notifiers[other];
            notifiers[other] = nullptr;
            QCOMPARE(::dup2(replacement.fds[0], fd), fd); // closes the old socket, same number
            newcomer = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
            connect(newcomer.get(), &QSocketNotifier::activated, this, [&] { ++newcomerCount; });
        });
    }
    pairs[0].send();
    pairs[1].send();
    QCoreApplication::processEvents();
    QCOMPARE(activations, 1);
    QVERIFY(newcomer);
    passes(3);
    QCOMPARE(newcomerCount, 0);
    replacement.send(); // the newcomer does work for its own socket
    QTRY_VERIFY(newcomerCount >= 1);
    delete notifiers[0];
    delete notifiers[1];
}

void TestEventDispatcher::onlyTheActiveOfManyFdsIsDispatched()
{
    constexpr int Pairs = 1000; // 2,000 fds, every one with a read notifier
    rlimit limit {};
    QCOMPARE(getrlimit(RLIMIT_NOFILE, &limit), 0);
    const rlim_t needed = 2 * Pairs + 256;
    if (limit.rlim_cur < needed) {
        limit.rlim_cur = qMin(limit.rlim_max, needed);
        setrlimit(RLIMIT_NOFILE, &limit);
        if (limit.rlim_cur < needed)
            QSKIP("RLIMIT_NOFILE is too low for 2,000 sockets");
    }

    std::vector<std::unique_ptr<SocketPair>> pairs;
    std::vector<std::unique_ptr<QSocketNotifier>> notifiers;
    std::vector<int> counts(2 * Pairs);
    for (int i = 0; i < Pairs; ++i) {
        pairs.push_back(std::make_unique<SocketPair>());
        QVERIFY(pairs.back()->isValid());
        for (int end = 0; end < 2; ++end) {
            const int index = 2 * i + end;
            notifiers.push_back(
                std::make_unique<QSocketNotifier>(pairs.back()->fds[end], QSocketNotifier::Read));
            SocketPair *pair = pairs.back().get();
            connect(notifiers.back().get(), &QSocketNotifier::activated, this,
                    [&counts, pair, index, end] {
                        ++counts[size_t(index)];
                        pair->drain(end);
                    });
        }
    }
    const auto activeOnes = [&] {
        QList<int> active;
        for (int i = 0; i < 2 * Pairs; ++i) {
            if (counts[size_t(i)] > 0)
                active.append(i);
        }
        return active;
    };

    pairs[537]->send(1); // readable: end 0 of pair 537, notifier 1074
    QTRY_VERIFY(counts[1074] >= 1);
    passes(3);
    QCOMPARE(activeOnes(), QList<int>({1074}));

    // Disabled notifiers are out of the interest list; enabling puts them back.
    std::fill(counts.begin(), counts.end(), 0);
    for (auto &notifier : notifiers)
        notifier->setEnabled(false);
    pairs[3]->send(1);
    pairs[999]->send(0);
    passes(3);
    QCOMPARE(activeOnes(), QList<int>());
    for (auto &notifier : notifiers)
        notifier->setEnabled(true);
    QTRY_COMPARE(activeOnes(), QList<int>({6, 1999}));
}

void TestEventDispatcher::regularFileIsAlwaysReady()
{
    // epoll refuses regular files; poll() calls them always readable, so must we.
    QTemporaryFile file;
    QVERIFY(file.open());
    QSocketNotifier readable(file.handle(), QSocketNotifier::Read);
    QSignalSpy spy(&readable, &QSocketNotifier::activated);
    QTRY_VERIFY(spy.count() >= 2);
    readable.setEnabled(false);
    const auto count = spy.count();
    passes(3);
    QCOMPARE(spy.count(), count);
}

void TestEventDispatcher::excludeFlags()
{
    EpollEventDispatcher *dispatcher = mainDispatcher();
    SocketPair pair;
    QVERIFY(pair.isValid());
    QSocketNotifier readable(pair.fds[0], QSocketNotifier::Read);
    QSignalSpy readSpy(&readable, &QSocketNotifier::activated);
    connect(&readable, &QSocketNotifier::activated, this, [&] { pair.drain(); });
    TimerCounter zero;
    zero.startTimer(0);
    QObject context;
    bool posted = false;
    QMetaObject::invokeMethod(
        &context, [&] { posted = true; }, Qt::QueuedConnection);
    pair.send();

    dispatcher->processEvents(QEventLoop::ExcludeSocketNotifiers | QEventLoop::X11ExcludeTimers);
    QVERIFY(posted);
    QCOMPARE(readSpy.count(), 0);
    QCOMPARE(zero.fired.load(), 0);

    // Sockets excluded, waiting: still woken by a posted event from another thread.
    QSemaphore aboutToBlock;
    connect(
        dispatcher, &QAbstractEventDispatcher::aboutToBlock, &context,
        [&] { aboutToBlock.release(); }, Qt::DirectConnection);
    std::thread poster([&] {
        aboutToBlock.acquire();
        QMetaObject::invokeMethod(
            &context, [] {}, Qt::QueuedConnection);
    });
    dispatcher->processEvents(QEventLoop::ExcludeSocketNotifiers | QEventLoop::X11ExcludeTimers
                              | QEventLoop::WaitForMoreEvents);
    poster.join();
    QCOMPARE(readSpy.count(), 0);
    QCOMPARE(zero.fired.load(), 0);

    dispatcher->processEvents(QEventLoop::AllEvents);
    QCOMPARE(readSpy.count(), 1);
    QCOMPARE(zero.fired.load(), 1);
}

void TestEventDispatcher::tcpEcho()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    connect(&server, &QTcpServer::newConnection, this, [&server] {
        while (QTcpSocket *peer = server.nextPendingConnection()) {
            connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
            connect(peer, &QTcpSocket::disconnected, peer, &QObject::deleteLater);
        }
    });

    QTcpSocket client;
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });
    client.connectToHost(server.serverAddress(), server.serverPort());
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState);

    // 4 MiB: more than the socket buffers hold, so write notifiers go on and off on both sides.
    QByteArray payload(4 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char(i * 7 + i / 4096);
    client.write(payload);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), payload.size(), 60000);
    QVERIFY(received == payload);

    client.disconnectFromHost();
    QTRY_COMPARE(client.state(), QAbstractSocket::UnconnectedState);
}

void TestEventDispatcher::nestedEventLoopInsideASlot()
{
    SocketPair pair;
    QVERIFY(pair.isValid());
    QObject context;
    bool nestedDone = false;
    bool outerTimerAfterwards = false;
    QTimer::singleShot(0, &context, [&] {
        QEventLoop nested;
        QSocketNotifier readable(pair.fds[0], QSocketNotifier::Read);
        connect(&readable, &QSocketNotifier::activated, &nested, [&] {
            pair.drain();
            nested.quit();
        });
        QTimer::singleShot(1, &context, [&] { pair.send(); }); // runs inside the nested loop
        nested.exec();
        nestedDone = true;
        QTimer::singleShot(0, &context, [&] { outerTimerAfterwards = true; });
    });
    QTRY_VERIFY(nestedDone && outerTimerAfterwards);
}

void TestEventDispatcher::timerIsNotReenteredFromANestedLoop()
{
    QTimer outer;
    int depth = 0;
    int maxDepth = 0;
    int fires = 0;
    int innerFires = 0;
    connect(&outer, &QTimer::timeout, this, [&] {
        ++fires;
        maxDepth = qMax(maxDepth, ++depth);
        if (fires <= 3) {
            QEventLoop nested;
            QTimer inner;
            connect(&inner, &QTimer::timeout, &nested, [&] {
                if (++innerFires % 5 == 0)
                    nested.quit();
            });
            inner.start(0);
            nested.exec(); // the outer zero timer stays due all along: it must not recurse
        }
        --depth;
    });
    outer.start(0);
    QTRY_VERIFY(fires >= 6);
    outer.stop();
    QCOMPARE(maxDepth, 1);
    QCOMPARE(innerFires, 15);
}

void TestEventDispatcher::interruptAndQuit()
{
    EpollEventDispatcher *dispatcher = mainDispatcher();
    QObject context;
    QSemaphore aboutToBlock;
    connect(
        dispatcher, &QAbstractEventDispatcher::aboutToBlock, &context,
        [&] { aboutToBlock.release(); }, Qt::DirectConnection);
    bool timedOut = false;
    QTimer safety;
    safety.setSingleShot(true);
    connect(&safety, &QTimer::timeout, &context, [&] { timedOut = true; });
    safety.start(60000);

    // interrupt() from another thread ends a blocking processEvents().
    std::atomic<bool> interrupted = false;
    std::thread interrupter([&] {
        aboutToBlock.acquire();
        interrupted = true;
        dispatcher->interrupt();
    });
    while (!interrupted && !timedOut)
        dispatcher->processEvents(QEventLoop::WaitForMoreEvents);
    interrupter.join();
    QVERIFY(!timedOut);

    // QEventLoop::quit() from a socket notifier's slot (it interrupts the dispatcher).
    SocketPair pair;
    QVERIFY(pair.isValid());
    QEventLoop loop;
    QSocketNotifier readable(pair.fds[0], QSocketNotifier::Read);
    connect(&readable, &QSocketNotifier::activated, &loop, &QEventLoop::quit);
    connect(&safety, &QTimer::timeout, &loop, &QEventLoop::quit);
    pair.send();
    loop.exec();
    QVERIFY(!timedOut);

    // quit() before exec(): exec() returns at once.
    QEventLoop quitEarly;
    QTimer::singleShot(0, &quitEarly, [&] { quitEarly.quit(); });
    quitEarly.exec();
    QVERIFY(!timedOut);
}

void TestEventDispatcher::runsOnAQThread()
{
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher);
    thread.start();

    auto *worker = new QObject;
    worker->moveToThread(&thread);
    QSemaphore ticked;
    QSemaphore read;
    std::atomic<bool> onEpoll = false;
    std::atomic<int> ticks = 0;
    auto pair = std::make_shared<SocketPair>();
    QVERIFY(pair->isValid());
    QMetaObject::invokeMethod(worker, [&, pair, worker] {
        onEpoll =
            qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()) != nullptr;
        auto *timer = new QTimer(worker);
        connect(timer, &QTimer::timeout, worker, [&, timer] {
            if (++ticks == 3) {
                timer->stop();
                ticked.release();
            }
        });
        timer->start(1);
        auto *readable = new QSocketNotifier(pair->fds[0], QSocketNotifier::Read, worker);
        connect(readable, &QSocketNotifier::activated, worker, [&, pair] {
            pair->drain();
            read.release();
        });
    });
    pair->send(); // from the main thread, whenever the worker gets to it
    QVERIFY(ticked.tryAcquire(1, 60000));
    QVERIFY(read.tryAcquire(1, 60000));
    QVERIFY(onEpoll);
    QCOMPARE(ticks.load(), 3);

    // An object with a running timer moves to the thread: registeredTimers() + unregisterTimers()
    // here, registerTimer() there.
    QSemaphore moved;
    auto *mover = new TimerCounter;
    mover->onTimer = [&moved, mover](int id) {
        mover->killTimer(id);
        moved.release();
    };
    mover->startTimer(1);
    mover->moveToThread(&thread);
    QVERIFY(moved.tryAcquire(1, 60000));
    QCOMPARE(mover->fired.load(), 1);

    // Blocking: a plain queued call could still be pending when quit() ends the loop.
    QMetaObject::invokeMethod(
        worker,
        [worker, mover] {
            delete mover;
            delete worker;
        },
        Qt::BlockingQueuedConnection);
    thread.quit(); // interrupts the thread's blocking epoll_wait
    QVERIFY(thread.wait(60000));
}

// QTEST_GUILESS_MAIN constructs the application first; the dispatcher must come before it.
int main(int argc, char *argv[])
{
    auto *dispatcher = new EpollEventDispatcher;
    if (!dispatcher->isValid())
        return 1;
    QCoreApplication::setEventDispatcher(dispatcher);
    QCoreApplication app(argc, argv);
    TestEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_event_dispatcher.moc"
