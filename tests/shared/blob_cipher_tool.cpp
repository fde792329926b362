// The blob cipher as a command, for blob_cipher_crosscheck.py (the cross-check against an
// independent implementation of the format):
//
//   blob_cipher_tool encrypt KEYHEX PLAIN BLOB [PREFIXHEX]   writes BLOB, prints its SHA-256 (hex)
//   blob_cipher_tool decrypt KEYHEX BLOB PLAIN               through DecryptingDevice; exit 1 when
//                                                            the blob is refused
//
// Encryption feeds the plaintext in uneven pieces so that update() holds back and emits chunks
// the way a streaming caller sees it.

#include "media/BlobCipher.h"
#include "media/DecryptingDevice.h"

#include <QFile>

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

QByteArray readFile(const char *path, bool &ok)
{
    QFile file(QString::fromLocal8Bit(path));
    ok = file.open(QIODevice::ReadOnly);
    return ok ? file.readAll() : QByteArray();
}

bool writeFile(const char *path, const QByteArray &bytes)
{
    QFile file(QString::fromLocal8Bit(path));
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(bytes) == bytes.size();
}

int encrypt(const QByteArray &key, const char *plainPath, const char *blobPath,
            const QByteArray &prefix)
{
    bool ok = false;
    const QByteArray plain = readFile(plainPath, ok);
    if (!ok)
        return 2;
    std::unique_ptr<Media::BlobEncryptor> encryptor = prefix.isEmpty()
        ? std::make_unique<Media::BlobEncryptor>(key)
        : std::make_unique<Media::BlobEncryptor>(key, prefix);
    QByteArray blob;
    qsizetype at = 0;
    for (qsizetype step = 1; at < plain.size(); step = step * 3 + 1) {
        const qsizetype n = qMin(step, plain.size() - at);
        blob += encryptor->update(QByteArrayView(plain).sliced(at, n));
        at += n;
    }
    blob += encryptor->finish();
    if (blob.size() != Media::cipherSizeFor(plain.size()) || blob.size() != encryptor->cipherBytes()
        || !writeFile(blobPath, blob))
        return 2;
    std::printf("%s\n", encryptor->sha256().toHex().constData());
    return 0;
}

int decrypt(const QByteArray &key, const char *blobPath, const char *plainPath)
{
    auto file = std::make_unique<QFile>(QString::fromLocal8Bit(blobPath));
    if (!file->open(QIODevice::ReadOnly))
        return 2;
    Media::DecryptingDevice device(std::move(file), key);
    if (!device.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "refused: %s\n", qPrintable(device.errorString()));
        return 1;
    }
    QByteArray plain;
    char buffer[10000];
    for (;;) {
        const qint64 n = device.read(buffer, sizeof buffer);
        if (n < 0) {
            std::fprintf(stderr, "refused: %s\n", qPrintable(device.errorString()));
            return 1;
        }
        if (n == 0)
            break;
        plain.append(buffer, n);
    }
    return plain.size() == device.size() && writeFile(plainPath, plain) ? 0 : 2;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc >= 5 && std::strcmp(argv[1], "encrypt") == 0)
        return encrypt(QByteArray::fromHex(argv[2]), argv[3], argv[4],
                       argc >= 6 ? QByteArray::fromHex(argv[5]) : QByteArray());
    if (argc == 5 && std::strcmp(argv[1], "decrypt") == 0)
        return decrypt(QByteArray::fromHex(argv[2]), argv[3], argv[4]);
    std::fprintf(stderr, "usage: blob_cipher_tool encrypt|decrypt KEYHEX IN OUT [PREFIXHEX]\n");
    return 2;
}
