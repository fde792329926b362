// The attachment blob cipher (shared/media/BlobCipher, DecryptingDevice): sizes, round trips at
// the chunk borders, known-answer vectors made by an independent implementation
// (blob_cipher_crosscheck.py, PyNaCl), and every kind of damage refused.

#include "media/BlobCipher.h"
#include "media/DecryptingDevice.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QTest>

#include <memory>

using namespace Media;

namespace {

QByteArray pattern(qsizetype size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator random(seed);
    for (char &c : bytes)
        c = char(random.generate());
    return bytes;
}

// Encrypts in uneven pieces, as a streaming caller would.
QByteArray encryptAll(BlobEncryptor &encryptor, const QByteArray &plain)
{
    QByteArray blob;
    qsizetype at = 0;
    for (qsizetype step = 7; at < plain.size(); step = step * 5 + 3) {
        const qsizetype n = qMin(step, plain.size() - at);
        blob += encryptor.update(QByteArrayView(plain).sliced(at, n));
        at += n;
    }
    return blob + encryptor.finish();
}

std::unique_ptr<DecryptingDevice> deviceOver(const QByteArray &blob, const QByteArray &key)
{
    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(blob);
    buffer->open(QIODevice::ReadOnly);
    return std::make_unique<DecryptingDevice>(std::move(buffer), key);
}

qint64 chunkStart(qint64 index)
{
    return HeaderBytes + index * CipherChunkBytes;
}

} // namespace

class BlobCipherTest : public QObject
{
    Q_OBJECT

private slots:
    void sizes_data();
    void sizes();
    void impossibleSizes();
    void roundTrip_data();
    void roundTrip();
    void lastChunkHeldBack();
    void knownAnswers_data();
    void knownAnswers();
    void tamperedChunk();
    void tamperedHeader_data();
    void tamperedHeader();
    void swappedChunks();
    void droppedFinalChunk();
    void appendedChunk();
    void wrongKey();
    void deviceSeeksAcrossBorders();
    void deviceReportsDamage();
    void deviceRefusesBadBlob();
    void keysAreFresh();
};

void BlobCipherTest::sizes_data()
{
    QTest::addColumn<qint64>("plain");
    QTest::addColumn<qint64>("cipher");
    QTest::newRow("empty") << qint64(0) << qint64(24 + 16);
    QTest::newRow("1") << qint64(1) << qint64(24 + 16 + 1);
    QTest::newRow("65535") << qint64(65535) << qint64(24 + 16 + 65535);
    QTest::newRow("65536") << qint64(65536) << qint64(24 + 16 + 65536);
    QTest::newRow("65537") << qint64(65537) << qint64(24 + 32 + 65537);
    QTest::newRow("3 chunks") << qint64(3 * 65536) << qint64(24 + 48 + 3 * 65536);
    QTest::newRow("100 MiB") << qint64(100 << 20) << qint64(24 + 1600 * 16 + (100 << 20));
}

void BlobCipherTest::sizes()
{
    QFETCH(qint64, plain);
    QFETCH(qint64, cipher);
    QCOMPARE(cipherSizeFor(plain), cipher);
    QCOMPARE(plainSizeFor(cipher), plain);
}

void BlobCipherTest::impossibleSizes()
{
    for (qint64 size : {qint64(0), qint64(23), qint64(24), qint64(39),
                        // a whole chunk then an empty final one
                        qint64(24 + CipherChunkBytes + 16),
                        // a whole chunk then less than a tag
                        qint64(24 + CipherChunkBytes + 5)})
        QCOMPARE(plainSizeFor(size), qint64(-1));
    QCOMPARE(cipherSizeFor(-1), qint64(-1));
}

void BlobCipherTest::roundTrip_data()
{
    QTest::addColumn<qint64>("size");
    for (qint64 size : {0, 1, 65535, 65536, 65537, 3 * 65536})
        QTest::addRow("%lld", size) << size;
    const qint64 random = 1 + QRandomGenerator::global()->bounded(5 * 65536);
    QTest::addRow("random %lld", random) << random;
}

void BlobCipherTest::roundTrip()
{
    QFETCH(qint64, size);
    const QByteArray plain = pattern(size, quint32(size));
    const QByteArray key = newBlobKey();
    BlobEncryptor encryptor(key);
    const QByteArray blob = encryptAll(encryptor, plain);
    QCOMPARE(blob.size(), cipherSizeFor(size));
    QCOMPARE(encryptor.cipherBytes(), blob.size());
    QCOMPARE(blob.first(HeaderBytes), encryptor.header());
    QCOMPARE(encryptor.sha256(), QCryptographicHash::hash(blob, QCryptographicHash::Sha256));

    const BlobDecryptor decryptor(key, blob.first(HeaderBytes), blob.size());
    QVERIFY(decryptor.isValid());
    QCOMPARE(decryptor.plainSize(), size);
    QCOMPARE(decryptor.chunkCount(), qMax<qint64>(1, (size + 65535) / 65536));
    QCOMPARE(DecryptingDevice::decryptAll(key, blob), plain);

    auto device = deviceOver(blob, key);
    QVERIFY(device->open(QIODevice::ReadOnly));
    QVERIFY(!device->isSequential());
    QCOMPARE(device->size(), size);
    QCOMPARE(device->readAll(), plain);
    QVERIFY(device->atEnd());
}

void BlobCipherTest::lastChunkHeldBack()
{
    // A whole chunk may be the last one, so update() keeps it until more arrives or finish().
    BlobEncryptor encryptor(newBlobKey());
    QCOMPARE(encryptor.update(QByteArray(PlainChunkBytes, 'a')).size(), HeaderBytes);
    QCOMPARE(encryptor.update(QByteArray(1, 'b')).size(), CipherChunkBytes);
    QCOMPARE(encryptor.finish().size(), 1 + TagBytes);
}

void BlobCipherTest::knownAnswers_data()
{
    // From `blob_cipher_crosscheck.py --vectors` (PyNaCl 1.5.0): key 00 01 … 1f, prefix a0 … af.
    QTest::addColumn<QByteArray>("plain");
    QTest::addColumn<QByteArray>("cipherHex");
    QTest::addColumn<QByteArray>("sha256Hex");
    QTest::newRow("empty") << QByteArray()
                           << QByteArray("4d53474201100000a0a1a2a3a4a5a6a7a8a9aaabacadaeaf57dec62e6"
                                         "a83e59a43be4d3cd0e6c90b")
                           << QByteArray("4347d254ce7fc08e13524c446ed8743c38f844554e8ade48bc510b559"
                                         "c5a933a");
    QTest::newRow("hello") << QByteArray("hello, blob")
                           << QByteArray("4d53474201100000a0a1a2a3a4a5a6a7a8a9aaabacadaeafa7937aa0a"
                                         "7a84a0dea975f711b214c36d18139a0cc9eff9933e538")
                           << QByteArray("aab4358333a9012e28a3d7ab01da9095317842b0f3c4191f9bf83c645"
                                         "115fb48");
    QByteArray twoChunks(65537, Qt::Uninitialized);
    for (int i = 0; i < twoChunks.size(); ++i)
        twoChunks[i] = char((i * 7 + 3) & 0xff);
    QTest::newRow("two chunks") << twoChunks << QByteArray()
                                << QByteArray(
                                       "6255477539bba25e451bbe029ae6b84c5146adcc50eabe5f0fa759f"
                                       "f0a475bed");
}

void BlobCipherTest::knownAnswers()
{
    QFETCH(QByteArray, plain);
    QFETCH(QByteArray, cipherHex);
    QFETCH(QByteArray, sha256Hex);
    QByteArray key(KeyBytes, '\0');
    for (int i = 0; i < KeyBytes; ++i)
        key[i] = char(i);
    QByteArray prefix(NoncePrefixBytes, '\0');
    for (int i = 0; i < NoncePrefixBytes; ++i)
        prefix[i] = char(0xa0 + i);
    BlobEncryptor encryptor(key, prefix);
    const QByteArray blob = encryptAll(encryptor, plain);
    if (!cipherHex.isEmpty())
        QCOMPARE(blob.toHex(), cipherHex);
    QCOMPARE(encryptor.sha256().toHex(), sha256Hex);
    QCOMPARE(DecryptingDevice::decryptAll(key, blob), plain);
}

void BlobCipherTest::tamperedChunk()
{
    const QByteArray key = newBlobKey();
    BlobEncryptor encryptor(key);
    const QByteArray blob = encryptAll(encryptor, pattern(3 * 65536 + 100, 1));
    const BlobDecryptor decryptor(key, blob.first(HeaderBytes), blob.size());
    QCOMPARE(decryptor.chunkCount(), 4);
    for (qint64 index = 0; index < 4; ++index) {
        QByteArray bad = blob;
        bad[chunkStart(index) + 10] = char(bad[chunkStart(index) + 10] ^ 0x01);
        QVERIFY(!DecryptingDevice::decryptAll(key, bad));
        const QByteArrayView chunk = QByteArrayView(bad).sliced(decryptor.chunkOffset(index),
                                                                decryptor.chunkCipherLength(index));
        QVERIFY(!decryptor.decryptChunk(index, chunk));
        // The others still decrypt: damage stays where it is.
        const qint64 other = (index + 1) % 4;
        QVERIFY(
            decryptor.decryptChunk(other,
                                   QByteArrayView(bad).sliced(decryptor.chunkOffset(other),
                                                              decryptor.chunkCipherLength(other))));
    }
}

void BlobCipherTest::tamperedHeader_data()
{
    QTest::addColumn<int>("offset");
    QTest::newRow("magic") << 0;
    QTest::newRow("version") << 4;
    QTest::newRow("chunk size") << 5;
    QTest::newRow("reserved") << 6;
    QTest::newRow("nonce prefix") << 12;
}

void BlobCipherTest::tamperedHeader()
{
    QFETCH(int, offset);
    const QByteArray key = newBlobKey();
    BlobEncryptor encryptor(key);
    QByteArray blob = encryptAll(encryptor, pattern(1000, 2));
    blob[offset] = char(blob[offset] ^ 0x01);
    QVERIFY(!DecryptingDevice::decryptAll(key, blob));
}

void BlobCipherTest::swappedChunks()
{
    const QByteArray key = newBlobKey();
    BlobEncryptor encryptor(key);
    const QByteArray blob = encryptAll(encryptor, pattern(3 * 65536, 3));
    QByteArray swapped = blob;
    swapped.replace(chunkStart(0), CipherChunkBytes, blob.sliced(chunkStart(1), CipherChunkBytes));
    swapped.replace(chunkStart(1), CipherChunkBytes, blob.sliced(chunkStart(0), CipherChunkBytes));
    QCOMPARE(swapped.size(), blob.size());
    QVERIFY(!DecryptingDevice::decryptAll(key, swapped));
}

void BlobCipherTest::droppedFinalChunk()
{
    // Three whole chunks cut to two is still a possible size: the final flag catches it.
    const QByteArray key = newBlobKey();
    BlobEncryptor encryptor(key);
    const QByteArray blob = encryptAll(encryptor, pattern(3 * 65536, 4));
    const QByteArray cut = blob.first(chunkStart(2));
    QCOMPARE(plainSizeFor(cut.size()), qint64(2 * 65536));
    QVERIFY(!DecryptingDevice::decryptAll(key, cut));
    const BlobDecryptor decryptor(key, cut.first(HeaderBytes), cut.size());
    QVERIFY(decryptor.decryptChunk(0, QByteArrayView(cut).sliced(chunkStart(0), CipherChunkBytes)));
    QVERIFY(
        !decryptor.decryptChunk(1, QByteArrayView(cut).sliced(chunkStart(1), CipherChunkBytes)));
}

void BlobCipherTest::appendedChunk()
{
    const QByteArray key = newBlobKey();
    BlobEncryptor encryptor(key);
    const QByteArray blob = encryptAll(encryptor, pattern(2 * 65536, 5));
    // A copy of a whole chunk appended: the old final chunk is no longer final.
    QVERIFY(
        !DecryptingDevice::decryptAll(key, blob + blob.sliced(chunkStart(0), CipherChunkBytes)));
    // A chunk of another blob with the same key appended.
    BlobEncryptor other(key);
    const QByteArray small = encryptAll(other, pattern(100, 6));
    QVERIFY(!DecryptingDevice::decryptAll(key, blob + small.sliced(HeaderBytes)));
}

void BlobCipherTest::wrongKey()
{
    BlobEncryptor encryptor(newBlobKey());
    const QByteArray blob = encryptAll(encryptor, pattern(70000, 7));
    QVERIFY(!DecryptingDevice::decryptAll(newBlobKey(), blob));
    QVERIFY(!DecryptingDevice::decryptAll(QByteArray(16, 'k'), blob));
}

void BlobCipherTest::deviceSeeksAcrossBorders()
{
    const QByteArray key = newBlobKey();
    const QByteArray plain = pattern(3 * 65536 + 1234, 8);
    BlobEncryptor encryptor(key);
    auto device = deviceOver(encryptAll(encryptor, plain), key);
    QVERIFY(device->open(QIODevice::ReadOnly));
    const qint64 positions[] = {
        0, 65535, 65536, 65537, 131071, 2 * 65536, 3 * 65536, 3 * 65536 + 1233, 100, 70000};
    const qint64 lengths[] = {1, 2, 65536, 65537, 200000, 10};
    for (qint64 position : positions) {
        for (qint64 length : lengths) {
            QVERIFY(device->seek(position));
            QCOMPARE(device->pos(), position);
            QCOMPARE(device->read(length), plain.mid(position, length));
        }
    }
    // Backwards, after reading forwards.
    QVERIFY(device->seek(65530));
    QCOMPARE(device->read(12), plain.mid(65530, 12));
    QVERIFY(device->seek(5));
    QCOMPARE(device->read(3), plain.mid(5, 3));
    QVERIFY(device->seek(plain.size()));
    QVERIFY(device->atEnd());
    QCOMPARE(device->read(10), QByteArray());
    QVERIFY(!device->seek(plain.size() + 1));
}

void BlobCipherTest::deviceReportsDamage()
{
    const QByteArray key = newBlobKey();
    const QByteArray plain = pattern(3 * 65536, 9);
    BlobEncryptor encryptor(key);
    QByteArray blob = encryptAll(encryptor, plain);
    blob[chunkStart(1) + 100] = char(blob[chunkStart(1) + 100] ^ 0x80);
    auto device = deviceOver(blob, key);
    QVERIFY(device->open(QIODevice::ReadOnly));
    char buffer[64];
    QVERIFY(device->seek(65536 + 10));
    QCOMPARE(device->read(buffer, sizeof buffer), qint64(-1));
    QCOMPARE(device->errorString(), QStringLiteral("attachment is damaged"));
    // Chunks before and after the damage still read.
    QVERIFY(device->seek(0));
    QCOMPARE(device->read(100), plain.first(100));
    QVERIFY(device->seek(2 * 65536));
    QCOMPARE(device->read(100), plain.sliced(2 * 65536, 100));
    // A read that runs into the damage gives what came before it, then fails.
    QVERIFY(device->seek(65536 - 10));
    QCOMPARE(device->read(buffer, sizeof buffer), qint64(10));
    QCOMPARE(device->read(buffer, sizeof buffer), qint64(-1));
}

void BlobCipherTest::deviceRefusesBadBlob()
{
    const QByteArray key = newBlobKey();
    BlobEncryptor encryptor(key);
    const QByteArray blob = encryptAll(encryptor, pattern(100, 10));
    for (const QByteArray &bad :
         {QByteArray(), blob.first(30), QByteArray("XXXX") + blob.sliced(4),
          blob.first(HeaderBytes)
              + QByteArray(CipherChunkBytes + TagBytes, '\0') /* no such size */}) {
        auto device = deviceOver(bad, key);
        QVERIFY(!device->open(QIODevice::ReadOnly));
        QCOMPARE(device->errorString(), QStringLiteral("attachment is damaged"));
    }
    auto device = deviceOver(blob, key);
    QVERIFY(!device->open(QIODevice::ReadWrite));

    // The final chunk is checked at open: a damaged empty blob (no read would reach its only
    // chunk) and a blob cut after a whole chunk.
    BlobEncryptor emptyEncryptor(key);
    QByteArray empty = encryptAll(emptyEncryptor, {});
    empty[HeaderBytes + 3] = char(empty[HeaderBytes + 3] ^ 0x04);
    auto emptyDevice = deviceOver(empty, key);
    QVERIFY(!emptyDevice->open(QIODevice::ReadOnly));
    QCOMPARE(emptyDevice->errorString(), QStringLiteral("attachment is damaged"));
    BlobEncryptor longEncryptor(key);
    const QByteArray longBlob = encryptAll(longEncryptor, pattern(2 * 65536 + 5, 11));
    auto cutDevice = deviceOver(longBlob.first(chunkStart(2)), key);
    QVERIFY(!cutDevice->open(QIODevice::ReadOnly));
}

void BlobCipherTest::keysAreFresh()
{
    const QByteArray a = newBlobKey();
    const QByteArray b = newBlobKey();
    QCOMPARE(a.size(), KeyBytes);
    QVERIFY(a != b);
    // Two encryptions of the same plaintext with the same key differ (fresh nonce prefixes).
    BlobEncryptor first(a);
    BlobEncryptor second(a);
    QVERIFY(encryptAll(first, "same") != encryptAll(second, "same"));
}

QTEST_GUILESS_MAIN(BlobCipherTest)
#include "tst_blob_cipher.moc"
