#include "BlobFiles.h"

#include "media/BlobCipher.h"
#include "media/DecryptingDevice.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <sodium.h>

namespace Client::BlobFiles {

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 ReadBlockBytes = 1 << 20;
} // namespace

Encrypted encryptToCache(const QString &sourcePath, const QByteArray &bytes, const QByteArray &key,
                         const QString &cachePath)
{
    Encrypted result;
    QFile source(sourcePath);
    const bool fromFile = bytes.isNull();
    if (fromFile && !source.open(QIODevice::ReadOnly)) {
        result.error = u"cannot read %1: %2"_s.arg(sourcePath, source.errorString());
        return result;
    }
    QDir().mkpath(QFileInfo(cachePath).absolutePath());
    QSaveFile out(cachePath);
    if (!out.open(QIODevice::WriteOnly)) {
        result.error = u"cannot write the media cache: "_s + out.errorString();
        return result;
    }
    Media::BlobEncryptor encryptor(key);
    const auto write = [&out](const QByteArray &cipher) {
        return cipher.isEmpty() || out.write(cipher) == cipher.size();
    };
    bool ok = true;
    if (fromFile) {
        while (ok && !source.atEnd()) {
            const QByteArray block = source.read(ReadBlockBytes);
            if (block.isEmpty() && source.error() != QFileDevice::NoError) {
                result.error = u"cannot read %1: %2"_s.arg(sourcePath, source.errorString());
                return result; // the save file is discarded
            }
            result.size += block.size();
            ok = write(encryptor.update(block));
        }
    } else {
        for (qint64 at = 0; ok && at < bytes.size(); at += ReadBlockBytes) {
            const QByteArrayView block = QByteArrayView(bytes).sliced(
                at, std::min<qint64>(ReadBlockBytes, bytes.size() - at));
            ok = write(encryptor.update(block));
        }
        result.size = bytes.size();
    }
    ok = ok && write(encryptor.finish());
    if (!ok || !out.commit()) {
        result.error = u"cannot write the media cache: "_s + out.errorString();
        return result;
    }
    result.sha256 = encryptor.sha256();
    result.cipherSize = encryptor.cipherBytes();
    return result;
}

QString verifyAndCommit(const QString &partPath, const QString &blobPath, const QByteArray &sha256)
{
    QFile part(partPath);
    if (!part.open(QIODevice::ReadOnly))
        return u"cannot read the download: "_s + part.errorString();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&part))
        return u"cannot read the download: "_s + part.errorString();
    part.close();
    const QByteArray digest = hash.result();
    // Constant time, as Signal does: the expected hash comes from the sender.
    if (digest.size() != sha256.size()
        || sodium_memcmp(digest.constData(), sha256.constData(), size_t(digest.size())) != 0) {
        QFile::remove(partPath);
        return u"the attachment is damaged (its checksum does not match)"_s;
    }
    QFile::remove(blobPath);
    if (!QFile::rename(partPath, blobPath))
        return u"cannot keep the download in the media cache"_s;
    return {};
}

QString decryptToPath(const QString &cachePath, const QByteArray &key, const QString &path)
{
    auto cipher = std::make_unique<QFile>(cachePath);
    if (!cipher->open(QIODevice::ReadOnly))
        return u"the attachment is not in the media cache"_s;
    Media::DecryptingDevice plain(std::move(cipher), key);
    if (!plain.open(QIODevice::ReadOnly))
        return u"cannot open the attachment: "_s + plain.errorString();
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return u"cannot write %1: %2"_s.arg(path, out.errorString());
    while (!plain.atEnd()) {
        const QByteArray block = plain.read(Media::PlainChunkBytes);
        if (block.isEmpty())
            return plain.errorString().isEmpty() ? u"cannot read the attachment"_s
                                                 : plain.errorString();
        if (out.write(block) != block.size())
            return u"cannot write %1: %2"_s.arg(path, out.errorString());
    }
    if (!out.commit())
        return u"cannot write %1: %2"_s.arg(path, out.errorString());
    return {};
}

} // namespace Client::BlobFiles
