// Attachment descriptors (shared/protocol/Attachment): every field survives encode → decode,
// unknown keys and kinds are tolerated, each malformed field is refused with a sentence naming
// it, and a message body with a bad "att" entry is refused naming the entry's index.

#include "media/BlobCipher.h"
#include "protocol/Attachment.h"
#include "protocol/MessageBody.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QTest>

using namespace Protocol::Body;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Protocol::Body::Attachment)

namespace {

Attachment minimal()
{
    Attachment a;
    a.blobId = u"abcdefghijklmnopqrstuvwxyz"_s;
    a.key = QByteArray(32, 'k');
    a.size = 1000;
    a.cipherSize = Media::cipherSizeFor(1000);
    a.sha256 = QByteArray(32, 's');
    a.kind = AttachmentKind::File;
    a.mime = u"application/octet-stream"_s;
    return a;
}

Attachment full()
{
    Attachment a = minimal();
    a.blobId = u"234567abcdefghijklmnopqrst"_s;
    a.size = 3 * 65536 + 7;
    a.cipherSize = Media::cipherSizeFor(a.size);
    a.kind = AttachmentKind::Voice;
    a.mime = u"audio/ogg"_s;
    a.name = u"Sprachnachricht ✓ 2026.ogg"_s;
    a.width = 1;
    a.height = 65535;
    a.durationMs = 86'400'000;
    a.waveform = QByteArray(100, '\xff');
    a.thumbnail = QByteArray(4096, '\x01');
    return a;
}

QCborMap with(const QString &key, const QCborValue &value)
{
    QCborMap map = encodeAttachment(minimal());
    map.insert(key, value);
    return map;
}

QCborMap without(const QString &key)
{
    QCborMap map = encodeAttachment(minimal());
    map.remove(key);
    return map;
}

} // namespace

class AttachmentTest : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void kinds();
    void unknownKeysAndKinds();
    void malformed_data();
    void malformed();
    void bodyRefusesBadEntry();
    void bodyCarriesDescriptors();
};

void AttachmentTest::roundTrip_data()
{
    QTest::addColumn<Attachment>("attachment");
    QTest::newRow("minimal") << minimal();
    QTest::newRow("every field at its limit") << full();
    Attachment empty = minimal();
    empty.size = 0;
    empty.cipherSize = Media::cipherSizeFor(0);
    QTest::newRow("empty file") << empty;
    Attachment huge = minimal();
    huge.size = Limits::MaxAttachmentBytes;
    huge.cipherSize = Media::cipherSizeFor(huge.size);
    QTest::newRow("2^40 bytes") << huge;
    Attachment image = minimal();
    image.kind = AttachmentKind::Image;
    image.mime = u"image/svg+xml"_s;
    image.name = QString(255, u'n');
    QTest::newRow("image") << image;
}

void AttachmentTest::roundTrip()
{
    QFETCH(Attachment, attachment);
    const QCborMap map = encodeAttachment(attachment);
    QString error;
    // Through bytes, as a receiver sees it.
    const std::optional<Attachment> decoded =
        decodeAttachment(QCborValue::fromCbor(QCborValue(map).toCbor()), &error);
    QVERIFY2(decoded, qPrintable(error));
    QVERIFY(*decoded == attachment);
    QCOMPARE(encodeAttachment(*decoded), map);
}

void AttachmentTest::kinds()
{
    for (AttachmentKind kind : {AttachmentKind::Image, AttachmentKind::Video, AttachmentKind::Voice,
                                AttachmentKind::Audio, AttachmentKind::File})
        QCOMPARE(attachmentKindFromName(attachmentKindName(kind)), kind);
    QCOMPARE(attachmentKindName(AttachmentKind::Voice), u"voice"_s);
    QVERIFY(!attachmentKindFromName(u"sticker"));
}

void AttachmentTest::unknownKeysAndKinds()
{
    QCborMap map = encodeAttachment(full());
    map.insert(u"blurhash"_s, u"LEHV6nWB2yk8"_s);
    map.insert(42, QCborArray {1, 2});
    map.insert(u"kind"_s, u"sticker"_s);
    const std::optional<Attachment> decoded = decodeAttachment(map);
    QVERIFY(decoded);
    QCOMPARE(decoded->kind, AttachmentKind::File);
    QCOMPARE(decoded->waveform, full().waveform);
}

void AttachmentTest::malformed_data()
{
    QTest::addColumn<QCborValue>("value");
    QTest::addColumn<QString>("names"); // what the error must mention
    QTest::newRow("not a map") << QCborValue(QCborArray {}) << u"map"_s;
    for (const QString &key :
         {u"blob"_s, u"key"_s, u"size"_s, u"csize"_s, u"sha256"_s, u"kind"_s, u"mime"_s})
        QTest::addRow("%s missing", qPrintable(key)) << QCborValue(without(key)) << key;
    // Wrong types.
    QTest::newRow("blob as bytes") << QCborValue(with(u"blob"_s, QByteArray(26, 'a'))) << u"blob"_s;
    QTest::newRow("key as text") << QCborValue(with(u"key"_s, QString(32, u'k'))) << u"key"_s;
    QTest::newRow("size as text") << QCborValue(with(u"size"_s, u"1000"_s)) << u"size"_s;
    QTest::newRow("size as float") << QCborValue(with(u"size"_s, 1000.0)) << u"size"_s;
    QTest::newRow("csize as bool") << QCborValue(with(u"csize"_s, true)) << u"csize"_s;
    QTest::newRow("sha256 as text")
        << QCborValue(with(u"sha256"_s, QString(32, u's'))) << u"sha256"_s;
    QTest::newRow("kind as integer") << QCborValue(with(u"kind"_s, 1)) << u"kind"_s;
    QTest::newRow("mime as bytes") << QCborValue(with(u"mime"_s, QByteArray("a/b"))) << u"mime"_s;
    QTest::newRow("name as bytes") << QCborValue(with(u"name"_s, QByteArray("x"))) << u"name"_s;
    QTest::newRow("w as text") << QCborValue(with(u"w"_s, u"5"_s)) << u"w"_s;
    QTest::newRow("h as null") << QCborValue(with(u"h"_s, QCborValue::Null)) << u"h"_s;
    QTest::newRow("dur as text") << QCborValue(with(u"dur"_s, u"1"_s)) << u"dur"_s;
    QTest::newRow("wave as array") << QCborValue(with(u"wave"_s, QCborArray {1})) << u"wave"_s;
    QTest::newRow("thumb as text") << QCborValue(with(u"thumb"_s, u"jpeg"_s)) << u"thumb"_s;
    // Lengths and ranges.
    QTest::newRow("blob too short") << QCborValue(with(u"blob"_s, QString(25, u'a'))) << u"blob"_s;
    QTest::newRow("blob too long") << QCborValue(with(u"blob"_s, QString(27, u'a'))) << u"blob"_s;
    QTest::newRow("blob upper case")
        << QCborValue(with(u"blob"_s, u"ABCDEFGHIJKLMNOPQRSTUVWXYZ"_s)) << u"blob"_s;
    QTest::newRow("blob with 1") << QCborValue(with(u"blob"_s, u"1bcdefghijklmnopqrstuvwxyz"_s))
                                 << u"blob"_s;
    QTest::newRow("blob with a slash")
        << QCborValue(with(u"blob"_s, u"../defghijklmnopqrstuvwxyz"_s)) << u"blob"_s;
    QTest::newRow("key 31 bytes") << QCborValue(with(u"key"_s, QByteArray(31, 'k'))) << u"key"_s;
    QTest::newRow("key 33 bytes") << QCborValue(with(u"key"_s, QByteArray(33, 'k'))) << u"key"_s;
    QTest::newRow("sha256 31 bytes")
        << QCborValue(with(u"sha256"_s, QByteArray(31, 's'))) << u"sha256"_s;
    QTest::newRow("size negative") << QCborValue(with(u"size"_s, -1)) << u"size"_s;
    QTest::newRow("size over 2^40")
        << QCborValue(with(u"size"_s, Limits::MaxAttachmentBytes + 1)) << u"size"_s;
    QTest::newRow("csize off by one")
        << QCborValue(with(u"csize"_s, Media::cipherSizeFor(1000) + 1)) << u"csize"_s;
    QTest::newRow("csize of another size")
        << QCborValue(with(u"csize"_s, Media::cipherSizeFor(999))) << u"csize"_s;
    QTest::newRow("mime empty") << QCborValue(with(u"mime"_s, u""_s)) << u"mime"_s;
    QTest::newRow("mime without slash") << QCborValue(with(u"mime"_s, u"text"_s)) << u"mime"_s;
    QTest::newRow("mime two slashes") << QCborValue(with(u"mime"_s, u"a/b/c"_s)) << u"mime"_s;
    QTest::newRow("mime empty subtype") << QCborValue(with(u"mime"_s, u"image/"_s)) << u"mime"_s;
    QTest::newRow("mime with parameters")
        << QCborValue(with(u"mime"_s, u"text/plain; charset=utf-8"_s)) << u"mime"_s;
    QTest::newRow("mime not ASCII") << QCborValue(with(u"mime"_s, u"image/pñg"_s)) << u"mime"_s;
    QTest::newRow("mime too long")
        << QCborValue(with(u"mime"_s, u"a/"_s + QString(126, u'b'))) << u"mime"_s;
    QTest::newRow("name 256 bytes") << QCborValue(with(u"name"_s, QString(256, u'n'))) << u"name"_s;
    QTest::newRow("name 128 two-byte characters")
        << QCborValue(with(u"name"_s, QString(128, u'ä'))) << u"name"_s;
    QTest::newRow("w 0") << QCborValue(with(u"w"_s, 0)) << u"w"_s;
    QTest::newRow("h 65536") << QCborValue(with(u"h"_s, 65536)) << u"h"_s;
    QTest::newRow("dur negative") << QCborValue(with(u"dur"_s, -1)) << u"dur"_s;
    QTest::newRow("dur over a day") << QCborValue(with(u"dur"_s, 86'400'001)) << u"dur"_s;
    QTest::newRow("wave 101 bytes")
        << QCborValue(with(u"wave"_s, QByteArray(101, 'w'))) << u"wave"_s;
    QTest::newRow("thumb 4097 bytes")
        << QCborValue(with(u"thumb"_s, QByteArray(4097, 't'))) << u"thumb"_s;
}

void AttachmentTest::malformed()
{
    QFETCH(QCborValue, value);
    QFETCH(QString, names);
    QString error;
    QVERIFY(!decodeAttachment(value, &error));
    QVERIFY2(error.contains(names), qPrintable(error));
}

void AttachmentTest::bodyRefusesBadEntry()
{
    MessageBody body = text(u"caption"_s);
    setAttachments(body, {minimal(), full()});
    body.attachments.append(with(u"csize"_s, 5));
    const DecodedBody decoded = decode(encode(body));
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error.code, u"field"_s);
    QVERIFY2(decoded.error.message.contains(u"\"att\"[2]"_s), qPrintable(decoded.error.message));
    QVERIFY2(decoded.error.message.contains(u"csize"_s), qPrintable(decoded.error.message));
    QVERIFY(decoded.body == MessageBody {});
    QCOMPARE(validate(body).code, u"field"_s);
}

void AttachmentTest::bodyCarriesDescriptors()
{
    // No text: the attachments are the message; a caption would be the text.
    MessageBody body;
    setAttachments(body, {full(), minimal()});
    QCborMap future = encodeAttachment(minimal());
    future.insert(u"later"_s, u"kept"_s);
    body.attachments.append(future);
    const DecodedBody decoded = decode(encode(body));
    QVERIFY2(decoded.ok(), qPrintable(decoded.error.message));
    const QList<Attachment> list = attachmentsOf(decoded.body);
    QCOMPARE(list.size(), 3);
    QVERIFY(list.at(0) == full());
    QVERIFY(list.at(1) == minimal());
    // The unknown key travels on (forwarding copies the entries as they are).
    QCOMPARE(decoded.body.attachments.at(2).toMap().value(u"later"_s).toString(), u"kept"_s);
}

QTEST_GUILESS_MAIN(AttachmentTest)
#include "tst_attachment.moc"
