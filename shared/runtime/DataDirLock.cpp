#include "DataDirLock.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace Runtime {

namespace {

QByteArray readAll(int fd)
{
    QByteArray data;
    char buffer[512];
    if (::lseek(fd, 0, SEEK_SET) < 0)
        return data;
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0 || data.size() > 4096)
            break;
        data.append(buffer, n);
    }
    return data;
}

//! "pid\nurl\n" as publish() writes it; a file still empty (lock taken, not yet listening) or cut
//! short gives a pid of 0 and no url.
DataDirLock::Holder parse(const QByteArray &data)
{
    DataDirLock::Holder holder;
    const QList<QByteArray> lines = data.split('\n');
    holder.pid = lines.value(0).trimmed().toLongLong();
    holder.url = QUrl(QString::fromUtf8(lines.value(1).trimmed()));
    return holder;
}

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

DataDirLock::~DataDirLock()
{
    if (m_fd < 0)
        return;
    // Emptied before the lock goes: a stale file then reads as "nobody".
    if (::ftruncate(m_fd, 0) != 0) {
        // Nothing to do: the lock is what counts, and it goes with the descriptor.
    }
    ::close(m_fd);
}

QString DataDirLock::filePath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("messengerd.pid"));
}

bool DataDirLock::acquire(const QString &dataDir, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    if (m_fd >= 0)
        return true;
    if (!QDir().mkpath(dataDir))
        return fail(QStringLiteral("cannot create the data folder %1").arg(dataDir));
    m_path = filePath(dataDir);
    const QByteArray path = QFile::encodeName(m_path);
    const int fd = ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return fail(QStringLiteral("cannot open %1: %2").arg(m_path, systemError()));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const bool busy = errno == EWOULDBLOCK;
        const Holder other = parse(readAll(fd));
        ::close(fd);
        if (!busy)
            return fail(QStringLiteral("cannot lock %1: %2").arg(m_path, systemError()));
        return fail(other.pid > 0
                        ? QStringLiteral("the data folder %1 is already served by messengerd "
                                         "(process %2%3)")
                              .arg(dataDir)
                              .arg(other.pid)
                              .arg(other.url.isValid() ? QStringLiteral(", ") + other.url.toString()
                                                       : QString())
                        : QStringLiteral("the data folder %1 is already served by another "
                                         "messengerd")
                              .arg(dataDir));
    }
    if (::ftruncate(fd, 0) != 0) {
        ::close(fd);
        return fail(QStringLiteral("cannot write %1: %2").arg(m_path, systemError()));
    }
    m_fd = fd;
    return true;
}

bool DataDirLock::publish(const QUrl &url)
{
    if (m_fd < 0)
        return false;
    const QByteArray content =
        QByteArray::number(qint64(::getpid())) + '\n' + url.toString().toUtf8() + '\n';
    if (::ftruncate(m_fd, 0) != 0 || ::lseek(m_fd, 0, SEEK_SET) < 0)
        return false;
    return ::write(m_fd, content.constData(), size_t(content.size())) == content.size();
}

std::optional<DataDirLock::Holder> DataDirLock::holder(const QString &dataDir)
{
    const QByteArray path = QFile::encodeName(filePath(dataDir));
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    // A shared lock succeeds only when no server holds the exclusive one.
    if (::flock(fd, LOCK_SH | LOCK_NB) == 0 || errno != EWOULDBLOCK) {
        ::close(fd); // (closing drops the shared lock)
        return std::nullopt;
    }
    const Holder holder = parse(readAll(fd));
    ::close(fd);
    return holder;
}

} // namespace Runtime
