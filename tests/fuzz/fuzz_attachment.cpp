// Fuzz target for what a received attachment puts through our decoders: its descriptor (an "att"
// entry of a message body, shared/protocol/Attachment) and its blob (shared/media/BlobCipher and
// DecryptingDevice: header, size and chunks as they come from the server's storage).
//
// Built like fuzz_message_body (see CMakeLists.txt); the CTest replays corpus/attachment/, extra
// seeds built here and deterministic mutations of all of them. Each input is tried both ways:
// - as CBOR, decoded as a descriptor: an error has a message; a descriptor encodes and decodes
//   again to the same value and the same map.
// - as a blob with a fixed key: whatever decryptAll() accepts has the plaintext size the blob's
//   size gives, and DecryptingDevice reads the same bytes (forwards and after seeking); damage
//   is refused, never a crash.

#include "media/BlobCipher.h"
#include "media/DecryptingDevice.h"
#include "protocol/Attachment.h"

#include <QBuffer>
#include <QCborMap>
#include <QCborValue>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace Protocol::Body;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_attachment: %s\n", what);
        std::abort();
    }
}

QByteArray fuzzKey()
{
    QByteArray key(Media::KeyBytes, '\0');
    for (int i = 0; i < key.size(); ++i)
        key[i] = char(i * 11 + 5);
    return key;
}

void descriptor(const QByteArray &bytes)
{
    QCborParserError parse;
    const QCborValue value = QCborValue::fromCbor(bytes, &parse);
    if (parse.error != QCborError::NoError)
        return;
    QString error;
    const std::optional<Attachment> decoded = decodeAttachment(value, &error);
    if (!decoded) {
        check(!error.isEmpty(), "a refused descriptor without a message");
        return;
    }
    check(decoded->cipherSize == Media::cipherSizeFor(decoded->size), "csize not checked");
    const QCborMap encoded = encodeAttachment(*decoded);
    const std::optional<Attachment> again =
        decodeAttachment(QCborValue::fromCbor(QCborValue(encoded).toCbor()), &error);
    check(again.has_value(), "a decoded descriptor, encoded, does not decode");
    check(*again == *decoded, "a descriptor changes through encode and decode");
    check(encodeAttachment(*again) == encoded, "encoding is not stable");
}

void blob(const QByteArray &bytes)
{
    const QByteArray key = fuzzKey();
    const std::optional<QByteArray> plain = Media::DecryptingDevice::decryptAll(key, bytes);
    if (plain)
        check(plain->size() == Media::plainSizeFor(bytes.size()), "plaintext of the wrong size");

    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(bytes);
    buffer->open(QIODevice::ReadOnly);
    Media::DecryptingDevice device(std::move(buffer), key);
    if (!device.open(QIODevice::ReadOnly)) {
        check(!device.errorString().isEmpty(), "a refused blob without a message");
        return;
    }
    const qint64 size = device.size();
    check(size == Media::plainSizeFor(bytes.size()), "the device has the wrong size");
    QByteArray read;
    char piece[4099];
    for (qint64 n; (n = device.read(piece, sizeof piece)) > 0;)
        read.append(piece, n);
    if (plain)
        check(read == *plain, "the device reads other bytes than decryptAll");
    else
        check(read.size() < size && !device.errorString().isEmpty(), "damage not reported");
    // Random access: the middle, then the start again.
    if (device.seek(size / 2)) {
        const QByteArray middle = device.read(70000);
        if (plain)
            check(middle == plain->mid(size / 2, 70000), "a seek reads other bytes");
    }
    check(device.seek(0), "cannot seek back to the start");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));
    descriptor(bytes);
    blob(bytes);
    return 0;
}

#ifndef MESSENGER_LIBFUZZER
#include "FuzzReplay.h"

namespace {
using namespace Qt::StringLiterals;

QByteArray blobOf(const QByteArray &plain)
{
    Media::BlobEncryptor encryptor(fuzzKey(), QByteArray(Media::NoncePrefixBytes, '\x42'));
    QByteArray out = encryptor.update(plain);
    return out + encryptor.finish();
}

// The corpus files (--write-seeds): descriptors and small blobs.
QList<QByteArray> seeds()
{
    Attachment a;
    a.blobId = u"abcdefghijklmnopqrstuvwxyz"_s;
    a.key = fuzzKey();
    a.size = 11;
    a.cipherSize = Media::cipherSizeFor(11);
    a.sha256 = QByteArray(32, 's');
    a.kind = AttachmentKind::Voice;
    a.mime = u"audio/ogg"_s;
    QList<QByteArray> list;
    list << QCborValue(encodeAttachment(a)).toCbor();
    a.kind = AttachmentKind::Image;
    a.mime = u"image/jpeg"_s;
    a.name = u"photo 😀.jpg"_s;
    a.width = 640;
    a.height = 480;
    a.durationMs = 1500;
    a.waveform = QByteArray(8, '\x10');
    a.thumbnail = QByteArray(16, '\xd8');
    QCborMap extra = encodeAttachment(a);
    extra.insert(u"future"_s, QCborMap {{1, 2}});
    list << QCborValue(extra).toCbor();
    list << blobOf({});
    list << blobOf("hello voice");
    return list;
}
} // namespace

// fuzz_attachment_replay [--write-seeds DIR | CORPUS_DIR|file…]: replays the files and the extra
// seeds, then deterministic mutations of them all.
int main(int argc, char **argv)
{
    if (argc == 3 && qstrcmp(argv[1], "--write-seeds") == 0)
        return FuzzReplay::writeSeeds(QString::fromLocal8Bit(argv[2]), seeds()) ? 0 : 2;
    QList<QByteArray> corpus;
    if (!FuzzReplay::readCorpus(FuzzReplay::arguments(argc, argv), corpus))
        return 2;
    // Blobs of more than one chunk, too big for the corpus folder.
    QByteArray twoChunks(Media::PlainChunkBytes + 3, 'p');
    corpus << blobOf(twoChunks) << blobOf(QByteArray(Media::PlainChunkBytes, 'q'));
    int runs = 0;
    std::mt19937 random(20261203);
    for (const QByteArray &seed : std::as_const(corpus)) {
        FuzzReplay::run(seed);
        // Mutations of a big blob cost a decryption each: fewer of them.
        const int count = seed.size() > 4096 ? 300 : 20000;
        for (int i = 0; i < count; ++i, ++runs)
            FuzzReplay::run(FuzzReplay::mutate(seed, random, 0, "\xa1\x81\x1b\xff\xc0\x60\x40"));
    }
    std::printf("fuzz_attachment: %d mutated descriptors and blobs without a crash\n", runs);
    return 0;
}
#endif
