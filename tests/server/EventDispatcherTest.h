// The fixture of tst_event_dispatcher (tst_event_dispatcher.cpp: timers and posted events;
// tst_event_dispatcher_fds.cpp: socket notifiers, nested loops, threads).
#pragma once

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

namespace EventDispatcherTest {

inline Server::EpollEventDispatcher *mainDispatcher()
{
    return qobject_cast<Server::EpollEventDispatcher *>(QAbstractEventDispatcher::instance());
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
inline void passes(int n)
{
    for (int i = 0; i < n; ++i)
        QCoreApplication::processEvents();
}

} // namespace EventDispatcherTest

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
