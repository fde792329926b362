// EpollEventDispatcher, messengerd's event loop, against Qt's own semantics: it drives this test's
// main thread (installed before the QCoreApplication, see main() below), so every QTRY_*,
// QSignalSpy::wait and nested loop here runs on it; one test runs it on a QThread as well.
#include "EventDispatcherTest.h"

using namespace Server;
using namespace EventDispatcherTest;

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
