#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>

namespace Server {

//! systemd's readiness protocol (sd_notify(3)) without libsystemd: one datagram per state change
//! to $NOTIFY_SOCKET, a path or an abstract socket ("@name"). Without NOTIFY_SOCKET (not started
//! by systemd, or Type=simple) every call does nothing.
//!
//! With $WATCHDOG_USEC set (WatchdogSec= in the unit, for this process) it sends WATCHDOG=1 at half
//! that interval from a timer of the thread it lives on: should that event loop stall, systemd
//! sees the pings stop and restarts the service.
class SystemdNotify : public QObject
{
    Q_OBJECT
public:
    explicit SystemdNotify(QObject *parent = nullptr);

    //! Sends "KEY=value\n…" as one datagram. False when there is no socket or sending failed.
    static bool notify(const QByteArray &state);

    void ready(const QString &status);
    void stopping(const QString &status);
    void reloading();
    void status(const QString &status);
    bool isWatchdogEnabled() const { return m_watchdog.isActive(); }

private:
    QTimer m_watchdog;
};

} // namespace Server
