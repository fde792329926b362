#include "ProcessStats.h"

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QList>

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

namespace Server {

namespace {

// When this file's statics were initialised: the start of the process to within milliseconds.
// Used when /proc/stat (boot time) is hidden, as systemd's ProcSubset=pid hides it.
const qint64 staticStartMs = QDateTime::currentMSecsSinceEpoch();

QByteArray readProcFile(const char *path)
{
    // QFile::readAll works on /proc files (their size reads as 0; Qt reads until the end).
    QFile file(QString::fromLatin1(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

qint64 bootTimeSeconds()
{
    const QByteArray stat = readProcFile("/proc/stat");
    for (const QByteArray &line : stat.split('\n')) {
        if (line.startsWith("btime ")) {
            bool ok = false;
            const qint64 value = line.sliced(6).trimmed().toLongLong(&ok);
            return ok ? value : -1;
        }
    }
    return -1;
}

qint64 countOpenFds()
{
    DIR *dir = ::opendir("/proc/self/fd");
    if (!dir)
        return -1;
    qint64 count = 0;
    while (const dirent *entry = ::readdir(dir)) {
        if (entry->d_name[0] != '.')
            ++count;
    }
    ::closedir(dir);
    return count - 1; // the descriptor opendir itself holds
}

} // namespace

ProcessStats ProcessStats::read()
{
    ProcessStats stats;
    const long pageSize = ::sysconf(_SC_PAGESIZE);
    const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);

    // statm: size resident shared text lib data dt, in pages.
    const QList<QByteArray> statm = readProcFile("/proc/self/statm").split(' ');
    if (statm.size() >= 2 && pageSize > 0) {
        stats.virtualBytes = statm.at(0).toLongLong() * pageSize;
        stats.residentBytes = statm.at(1).toLongLong() * pageSize;
    }

    stats.openFds = countOpenFds();
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0)
        stats.maxFds = limit.rlim_cur == RLIM_INFINITY ? -1 : qint64(limit.rlim_cur);

    // stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so count the fields
    // after the last ')'. There, field 3 (state) is index 0: utime (14) is 11, stime 12,
    // starttime (22) 19.
    const QByteArray stat = readProcFile("/proc/self/stat");
    const qsizetype close = stat.lastIndexOf(')');
    if (close > 0 && ticksPerSecond > 0) {
        const QList<QByteArray> fields = stat.sliced(close + 2).split(' ');
        if (fields.size() > 19) {
            stats.cpuSeconds = double(fields.at(11).toLongLong() + fields.at(12).toLongLong())
                / double(ticksPerSecond);
            const qint64 boot = bootTimeSeconds();
            if (boot > 0)
                stats.startTimeSeconds =
                    double(boot) + double(fields.at(19).toLongLong()) / double(ticksPerSecond);
        }
    }
    if (stats.startTimeSeconds < 0)
        stats.startTimeSeconds = double(staticStartMs) / 1000.0;
    return stats;
}

} // namespace Server
