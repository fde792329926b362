#include "SystemdNotify.h"

#include "Logging.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace Server {

SystemdNotify::SystemdNotify(QObject *parent)
    : QObject(parent)
{
    // WATCHDOG_PID, when set, names the process the watchdog is meant for (not our children).
    bool ok = false;
    const qint64 usec = qEnvironmentVariable("WATCHDOG_USEC").toLongLong(&ok);
    const QByteArray pid = qgetenv("WATCHDOG_PID");
    if (!ok || usec <= 0 || (!pid.isEmpty() && pid.toLongLong() != qint64(::getpid())))
        return;
    m_watchdog.setTimerType(Qt::CoarseTimer);
    m_watchdog.setInterval(int(std::clamp<qint64>(usec / 2000, 1, 3600'000)));
    connect(&m_watchdog, &QTimer::timeout, this, [] { notify("WATCHDOG=1"); });
    m_watchdog.start();
    qCInfo(lcOps) << "systemd watchdog: a ping every" << m_watchdog.interval() << "ms";
}

bool SystemdNotify::notify(const QByteArray &state)
{
    QByteArray path = qgetenv("NOTIFY_SOCKET");
    if (path.isEmpty())
        return false;
    sockaddr_un address {};
    address.sun_family = AF_UNIX;
    if ((path.front() != '/' && path.front() != '@')
        || std::size_t(path.size()) >= sizeof(address.sun_path)) {
        qCWarning(lcOps) << "NOTIFY_SOCKET is neither a path nor an abstract socket; ignored";
        return false;
    }
    std::memcpy(address.sun_path, path.constData(), std::size_t(path.size()));
    if (path.front() == '@')
        address.sun_path[0] = '\0'; // abstract namespace: the name is not NUL-terminated
    const auto length = socklen_t(offsetof(sockaddr_un, sun_path) + std::size_t(path.size())
                                  + (path.front() == '@' ? 0 : 1));
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const ssize_t sent = ::sendto(fd, state.constData(), std::size_t(state.size()), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr *>(&address), length);
    const int sendError = errno;
    ::close(fd);
    if (sent != state.size()) {
        qCWarning(lcOps) << "cannot notify systemd:" << std::strerror(sendError);
        return false;
    }
    return true;
}

namespace {
QByteArray statusLine(const QString &status)
{
    // One line: a newline would start another assignment.
    QString line = status;
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return "STATUS=" + line.toUtf8();
}
} // namespace

void SystemdNotify::ready(const QString &status)
{
    notify("READY=1\n" + statusLine(status) + "\nMAINPID=" + QByteArray::number(::getpid()));
}

void SystemdNotify::stopping(const QString &status)
{
    notify("STOPPING=1\n" + statusLine(status));
}

void SystemdNotify::reloading()
{
    notify("RELOADING=1");
}

void SystemdNotify::status(const QString &status)
{
    notify(statusLine(status));
}

} // namespace Server
