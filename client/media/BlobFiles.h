#pragma once

#include <QByteArray>
#include <QString>

namespace Client::BlobFiles {

//! What encrypting one attachment into the cache gave.
struct Encrypted
{
    QString error; //!< empty on success
    QByteArray sha256; //!< of the ciphertext
    qint64 size = 0; //!< plaintext bytes
    qint64 cipherSize = 0;
    bool ok() const { return error.isEmpty(); }
};

// All of these do file I/O and run on a worker thread (QtConcurrent), never the GUI thread.

//! Encrypts `bytes`, or the file at `sourcePath` when bytes is null, with a fresh nonce prefix
//! into `cachePath` (atomically: the file appears whole or not at), hashing the ciphertext.
Encrypted encryptToCache(const QString &sourcePath, const QByteArray &bytes, const QByteArray &key,
                         const QString &cachePath);

//! The SHA-256 of the downloaded `partPath` equals `sha256` (compared in constant time): renames
//! it to `blobPath`. Otherwise removes it. The error in words, or empty on success.
QString verifyAndCommit(const QString &partPath, const QString &blobPath, const QByteArray &sha256);

//! Decrypts the cache file into `path` (atomically; nothing is left behind on failure). The
//! error in words, or empty on success.
QString decryptToPath(const QString &cachePath, const QByteArray &key, const QString &path);

} // namespace Client::BlobFiles
