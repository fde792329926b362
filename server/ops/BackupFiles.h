#pragma once

#include "Backup.h"
#include "BackupManifest.h"

#include <QString>

namespace Server::Ops::BackupFiles {

//! Size and SHA-256 (hex) of a file; throws BackupError(Failed) when it cannot be read.
BackupFile digest(const QString &path, const QString &manifestPath);

//! Copies `from` to `to` through a temporary file renamed into place after fsync, hashing what
//! it writes. Throws when the source changes size while it is copied or when `expected` is
//! given and the copy differs from it (DigestMismatch).
BackupFile copy(const QString &from, const QString &to, const QString &manifestPath,
                const BackupFile *expected = nullptr);

//! Every regular file under `folder`, as paths relative to it, sorted. Symbolic links are
//! refused (a backup copies data, not links that may point anywhere).
QStringList filesUnder(const QString &folder);

//! Flushes a folder's entries (after renames into it) to disk.
void syncFolder(const QString &folder);

} // namespace Server::Ops::BackupFiles
