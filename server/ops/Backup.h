#pragma once

#include "storage/Database.h"

#include <QString>

class QTextStream;

namespace Server::Ops {

//! Exit codes of `messengerd backup` and `messengerd restore` (docs/self-hosting.md).
enum class BackupExit {
    Ok = 0,
    Failed = 1, //!< I/O error, database unreachable or refusing
    Usage = 2, //!< bad arguments, backup folder not empty, driver mismatch
    BadBackup = 3, //!< no backup folder, no or unreadable manifest, a listed file missing
    DigestMismatch = 4, //!< a file's size or SHA-256 differs from the manifest
    TargetNotEmpty = 5, //!< restore: the database or blob folder holds data (see --force)
    ServerRunning = 6, //!< restore: a server (or another connection) uses the target
    ToolFailed = 7, //!< pg_dump / pg_restore missing or failed
};

//! Thrown inside backup and restore; becomes the message and exit code of the command.
class BackupError
{
public:
    BackupError(BackupExit code, QString message)
        : m_code(code)
        , m_message(std::move(message))
    {
    }
    BackupExit code() const { return m_code; }
    const QString &message() const { return m_message; }

private:
    BackupExit m_code;
    QString m_message;
};

//! What backup reads and restore writes: the database and `<dataDir>/blobs`.
struct BackupTarget
{
    DatabaseConfig database; //!< sqlitePath already resolved for SQLite
    QString dataDir;
};

//! `messengerd backup DIR`: a consistent copy while the server may run. SQLite through
//! `VACUUM INTO` (one read transaction), PostgreSQL through `pg_dump -Fc` (one snapshot); then
//! the blob folder file by file; the manifest last, so a folder without one is not a backup.
int backup(const BackupTarget &target, const QString &dir, QTextStream &out, QTextStream &err);

//! `messengerd restore DIR [--force]`: verifies the manifest and every digest first, refuses
//! while a server uses the target or when it holds data (unless force), then puts the database
//! and the blobs in place and refreshes the planner's statistics.
int restore(const BackupTarget &target, const QString &dir, bool force, QTextStream &out,
            QTextStream &err);

} // namespace Server::Ops
