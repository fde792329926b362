#pragma once

#include <QJsonObject>
#include <QString>

#include <cstdint>

namespace Bench {

//! The disk's own sequential rates, measured in the same run as the transfers they are
//! compared with, on the same filesystem, with a file of the same size.
struct DiskRates
{
    bool measured = false;
    QString error;
    std::int64_t bytes = 0;
    int blockBytes = 0;
    double writeSeconds = 0; //!< write() of every block, then one fsync()
    double readSeconds = 0;
    //! Share of the file's pages in the page cache just before the read: 0 when
    //! posix_fadvise(DONTNEED) emptied it (a read from the disk), 1 when it did not.
    double residentBeforeRead = -1;

    double writeMBps() const { return writeSeconds > 0 ? double(bytes) / writeSeconds / 1e6 : 0; }
    double readMBps() const { return readSeconds > 0 ? double(bytes) / readSeconds / 1e6 : 0; }
    bool readFromDisk() const { return residentBeforeRead >= 0 && residentBeforeRead < 0.01; }
    //! How the read was done, for the report ("page cache dropped" or why not).
    QString readCondition() const;
    QJsonObject json() const;
};

//! Writes bytes of random data to path in blockBytes writes, fsyncs, drops the file from the
//! page cache (posix_fadvise DONTNEED), reads it back, and removes it.
DiskRates measureDisk(const QString &path, std::int64_t bytes, int blockBytes);

//! Asks the kernel to drop a file's clean pages from the page cache; returns the share of its
//! pages still resident afterwards (mincore), or -1 when the file cannot be examined.
double dropFromPageCache(const QString &path);

} // namespace Bench
