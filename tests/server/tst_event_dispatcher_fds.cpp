// EpollEventDispatcher with file descriptors: socket notifiers, nested event loops, interrupts and
// a QThread (the fixture and the timer cases: tst_event_dispatcher.cpp).
#include "EventDispatcherTest.h"

using namespace Server;
using namespace EventDispatcherTest;

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
