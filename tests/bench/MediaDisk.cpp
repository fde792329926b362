#include "MediaDisk.h"

#include "ClientLoop.h"

#include <QFile>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace Bench {

namespace {

QString systemError(const QString &what)
{
    return what + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(errno));
}

//! The share of the file's pages in the page cache (mincore over a read-only mapping).
double residentShare(int fd, std::int64_t size)
{
    if (size <= 0)
        return 0;
    void *map = ::mmap(nullptr, std::size_t(size), PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED)
        return -1;
    const long page = ::sysconf(_SC_PAGESIZE);
    const std::size_t pages = std::size_t((size + page - 1) / page);
    std::vector<unsigned char> vector(pages);
    double share = -1;
    if (::mincore(map, std::size_t(size), vector.data()) == 0) {
        std::size_t resident = 0;
        for (unsigned char v : vector)
            resident += v & 1;
        share = double(resident) / double(pages);
    }
    ::munmap(map, std::size_t(size));
    return share;
}

double dropAndMeasure(int fd, std::int64_t size)
{
    // The pages are clean after the fsync (the server fdatasyncs a blob before it is complete),
    // so DONTNEED can evict them; mincore says whether it did.
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    return residentShare(fd, size);
}

} // namespace

QString DiskRates::readCondition() const
{
    if (residentBeforeRead < 0)
        return QStringLiteral("page cache state unknown");
    if (readFromDisk())
        return QStringLiteral("page cache dropped (posix_fadvise DONTNEED, checked with mincore)");
    return QStringLiteral("%1% still in the page cache after posix_fadvise DONTNEED")
        .arg(qRound(residentBeforeRead * 100));
}

QJsonObject DiskRates::json() const
{
    QJsonObject o {{QStringLiteral("measured"), measured},
                   {QStringLiteral("bytes"), double(bytes)},
                   {QStringLiteral("block_bytes"), blockBytes},
                   {QStringLiteral("write_seconds_with_fsync"), writeSeconds},
                   {QStringLiteral("write_mb_per_s"), writeMBps()},
                   {QStringLiteral("read_seconds"), readSeconds},
                   {QStringLiteral("read_mb_per_s"), readMBps()},
                   {QStringLiteral("resident_before_read"), residentBeforeRead},
                   {QStringLiteral("read_condition"), readCondition()}};
    if (!error.isEmpty())
        o.insert(QStringLiteral("error"), error);
    return o;
}

DiskRates measureDisk(const QString &path, std::int64_t bytes, int blockBytes)
{
    DiskRates rates;
    rates.bytes = bytes;
    rates.blockBytes = blockBytes;
    std::string block(std::size_t(blockBytes), '\0');
    std::mt19937_64 random(0x6d65646961ull);
    for (std::size_t i = 0; i + 8 <= block.size(); i += 8) {
        const std::uint64_t value = random();
        std::memcpy(block.data() + i, &value, 8);
    }
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
        rates.error = systemError(QStringLiteral("cannot create %1").arg(path));
        return rates;
    }
    const auto fail = [&](const QString &what) {
        rates.error = systemError(what);
        ::close(fd);
        ::unlink(name.constData());
        return rates;
    };

    std::int64_t start = nowNs();
    for (std::int64_t done = 0; done < bytes;) {
        // Vary the block a little so no layer below can deduplicate it.
        std::memcpy(block.data(), &done, sizeof done);
        const auto count = std::size_t(std::min<std::int64_t>(blockBytes, bytes - done));
        const ssize_t n = ::write(fd, block.data(), count);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return fail(QStringLiteral("cannot write %1").arg(path));
        done += n;
    }
    if (::fsync(fd) != 0)
        return fail(QStringLiteral("cannot fsync %1").arg(path));
    rates.writeSeconds = double(nowNs() - start) / 1e9;

    rates.residentBeforeRead = dropAndMeasure(fd, bytes);
    ::lseek(fd, 0, SEEK_SET);
    start = nowNs();
    for (std::int64_t done = 0; done < bytes;) {
        const ssize_t n = ::read(fd, block.data(), block.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(QStringLiteral("cannot read %1").arg(path));
        if (n == 0)
            break;
        done += n;
    }
    rates.readSeconds = double(nowNs() - start) / 1e9;
    ::close(fd);
    ::unlink(name.constData());
    rates.measured = true;
    return rates;
}

double dropFromPageCache(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat info = {};
    double share = -1;
    if (::fstat(fd, &info) == 0)
        share = dropAndMeasure(fd, std::int64_t(info.st_size));
    ::close(fd);
    return share;
}

} // namespace Bench
