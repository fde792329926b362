#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace Server::Ops {

//! One file of a backup: its path relative to the backup folder, its size and SHA-256 (hex).
struct BackupFile
{
    QString path;
    qint64 size = 0;
    QByteArray sha256;
};

//! `manifest.json` of a backup folder: what was backed up, by which messengerd, and the digest of
//! every file, so that restore can tell a complete, untouched backup from anything else.
struct BackupManifest
{
    static constexpr int CurrentFormat = 1;
    static constexpr auto FileName = "manifest.json";
    static constexpr auto SqliteFile = "database.sqlite";
    static constexpr auto PostgresFile = "database.pgdump";
    static constexpr auto BlobFolder = "blobs";

    int format = CurrentFormat;
    QString messengerdVersion;
    int schemaVersion = 0;
    QString driver; //!< "sqlite" or "postgres"
    QDateTime createdAt;
    QList<BackupFile> files;

    QByteArray toJson() const;
    //! Parses and checks a manifest: known format and driver, exactly one database file, every
    //! path relative and inside the backup (no "..", no absolute path, no duplicates).
    static std::optional<BackupManifest> fromJson(const QByteArray &json, QString *error);

    const BackupFile *databaseFile() const;
};

} // namespace Server::Ops
