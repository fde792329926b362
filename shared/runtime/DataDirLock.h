#pragma once

#include <QString>
#include <QUrl>

#include <optional>

namespace Runtime {

//! Who serves a data folder: `<data-dir>/messengerd.pid`, locked (flock) by the messengerd that
//! serves it for as long as it runs, and holding its process id and address once it listens.
//!
//! The lock, not the file's presence, says whether a server runs: a server that was killed leaves
//! the file behind, but the kernel drops its lock. Both sides use this: messengerd refuses to
//! serve a folder another messengerd serves (two writers on one SQLite file), and the app that
//! hosts a server finds the one a previous run left behind (DataDirLock::holder) and stops it.
class DataDirLock
{
public:
    //! The server serving a folder: its process id and, once it listens, its address.
    struct Holder
    {
        qint64 pid = 0;
        QUrl url;
    };

    DataDirLock() = default;
    ~DataDirLock();
    DataDirLock(const DataDirLock &) = delete;
    DataDirLock &operator=(const DataDirLock &) = delete;

    //! Takes the lock of `dataDir` (created if missing) without waiting. False with a reason when
    //! another process holds it ("… is served by messengerd, process 1234") or on I/O errors.
    bool acquire(const QString &dataDir, QString *error);
    //! Writes this process's id and `url` into the locked file (after listening).
    bool publish(const QUrl &url);
    bool isHeld() const { return m_fd >= 0; }

    //! The live process holding `dataDir`'s lock, if any (works from any process).
    static std::optional<Holder> holder(const QString &dataDir);
    static QString filePath(const QString &dataDir);

private:
    int m_fd = -1;
    QString m_path;
};

} // namespace Runtime
