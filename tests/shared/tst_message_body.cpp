// The message body (shared/protocol/MessageBody): every kind and field survives encode → decode,
// a plain text body is the one-key map {"text": …}, unknown keys are ignored, and malformed bytes
// are refused with the documented code, never a crash.

#include "media/BlobCipher.h"
#include "protocol/Attachment.h"
#include "protocol/MessageBody.h"

#include <QCborArray>
#include <QCborMap>
#include <QCborValue>
#include <QTest>

using namespace Protocol::Body;

Q_DECLARE_METATYPE(Protocol::Body::MessageBody)
using namespace Qt::StringLiterals;

namespace {

QByteArray cbor(const QCborMap &map)
{
    return QCborValue(map).toCbor();
}

// A text map plus one key.
QByteArray textWith(const QString &key, const QCborValue &value, const QString &text = u"hello"_s)
{
    return cbor(QCborMap {{u"text"_s, text}, {key, value}});
}

QByteArray reactionWith(const QString &key, const QCborValue &value)
{
    return cbor(
        QCborMap {{u"k"_s, u"reaction"_s}, {u"target"_s, 5}, {u"emoji"_s, u"👍"_s}, {key, value}});
}

QByteArray editWith(const QString &key, const QCborValue &value)
{
    return cbor(
        QCborMap {{u"k"_s, u"edit"_s}, {u"target"_s, 5}, {u"text"_s, u"fixed"_s}, {key, value}});
}

// A valid "att" entry (tst_attachment tests the descriptor itself), with an extra key.
QCborMap attachment(int i, const QString &extraKey = u"x"_s, const QCborValue &extra = 1)
{
    Attachment a;
    a.blobId = u"abcdefghijklmnopqrstuvwxyz"_s;
    a.key = QByteArray(32, char('a' + i % 26));
    a.size = i;
    a.cipherSize = Media::cipherSizeFor(i);
    a.sha256 = QByteArray(32, 's');
    a.mime = u"image/png"_s;
    a.kind = AttachmentKind::Image;
    QCborMap map = encodeAttachment(a);
    map.insert(extraKey, extra);
    return map;
}

QCborArray repeated(const QCborValue &item, int count)
{
    QCborArray array;
    for (int i = 0; i < count; ++i)
        array.append(item);
    return array;
}

MessageBody fullText()
{
    MessageBody body = text(u"Hi @bob, see *this* 😀 now"_s);
    body.styles = {{Style::Bold, {0, 2}},
                   {Style::Italic, {0, 7}},
                   {Style::Strikethrough, {13, 6}},
                   {Style::Monospace, {20, 2}},
                   {Style::Spoiler, {23, 3}}};
    body.mentions = {{42, {3, 4}}};
    body.replyTo = {17, 9};
    body.forwarded = true;
    body.attachments = {attachment(1234), attachment(0)};
    return body;
}

} // namespace

class TestMessageBody : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip_data();
    void roundTrip();
    void plainTextIsMinimal();
    void controlKindsAreMinimal();
    void unknownKeysIgnored();
    void explicitDefaultsAccepted();
    void limitsAccepted();
    void malformed_data();
    void malformed();
    void validateRefuses_data();
    void validateRefuses();
};

void TestMessageBody::roundTrip_data()
{
    QTest::addColumn<MessageBody>("body");
    QTest::newRow("plain text") << text(u"hello"_s);
    QTest::newRow("every text field") << fullText();
    {
        MessageBody body = text(u"  "_s);
        body.replyTo = {1, 1};
        QTest::newRow("reply") << body;
    }
    {
        MessageBody body = text(u"fwd"_s);
        body.forwarded = true;
        QTest::newRow("forwarded") << body;
    }
    {
        MessageBody body;
        body.attachments = {attachment(5, u"nested"_s, QCborArray {1, u"two"_s, QByteArray("3")})};
        QTest::newRow("attachment only") << body;
    }
    {
        MessageBody body = text(u"@a@b"_s);
        body.mentions = {{2, {2, 2}}, {1, {0, 2}}}; // any order, touching is not overlapping
        body.styles = {{Style::Bold, {0, 4}}, {Style::Bold, {0, 4}}};
        QTest::newRow("mentions and styles as given") << body;
    }
    QTest::newRow("reaction") << reaction(12, u"👍🏽"_s);
    QTest::newRow("reaction removed") << reaction(12, QString());
    QTest::newRow("edit") << edit(3, u"new text"_s);
    {
        MessageBody body = edit(3, u"new *text* @x"_s);
        body.styles = {{Style::Bold, {4, 6}}};
        body.mentions = {{8, {11, 2}}};
        QTest::newRow("edit with ranges") << body;
    }
    {
        // U+FEFF opening a string must not be taken for a byte-order mark and dropped.
        MessageBody body = text(QChar(0xFEFF) + u"bom"_s);
        body.styles = {{Style::Bold, {1, 3}}};
        QTest::newRow("text starting with U+FEFF") << body;
    }
    QTest::newRow("emoji starting with U+FEFF") << reaction(1, QString(QChar(0xFEFF)) + u"👍"_s);
    QTest::newRow("NUL and newlines") << text(u"a\0b\nc\r\n"_s);
    QTest::newRow("largest ids") << reaction(std::numeric_limits<qint64>::max(), u"x"_s);
}

void TestMessageBody::roundTrip()
{
    QFETCH(MessageBody, body);
    QCOMPARE(validate(body).code, QString());
    const QByteArray bytes = encode(body);
    const DecodedBody decoded = decode(bytes);
    QVERIFY2(decoded.ok(), qPrintable(decoded.error.code + u": "_s + decoded.error.message));
    QCOMPARE(decoded.body.kind, body.kind);
    QCOMPARE(decoded.body.text, body.text);
    QCOMPARE(decoded.body.styles, body.styles);
    QCOMPARE(decoded.body.mentions, body.mentions);
    QCOMPARE(decoded.body.replyTo, body.replyTo);
    QCOMPARE(decoded.body.forwarded, body.forwarded);
    QCOMPARE(decoded.body.attachments, body.attachments);
    QCOMPARE(decoded.body.target, body.target);
    QCOMPARE(decoded.body.emoji, body.emoji);
    QVERIFY(decoded.body == body);
    QCOMPARE(encode(decoded.body), bytes);
}

void TestMessageBody::plainTextIsMinimal()
{
    // a1 (map of 1) 64 "text" 62 "hi"
    QCOMPARE(encode(text(u"hi"_s)).toHex(),
             QByteArray("a164746578746268"
                        "69"));
    QCOMPARE(QCborValue::fromCbor(encode(text(u"hi"_s))).toMap().keys(),
             QList<QCborValue> {u"text"_s});
}

void TestMessageBody::controlKindsAreMinimal()
{
    const QCborMap reacted = QCborValue::fromCbor(encode(reaction(4, u"👍"_s))).toMap();
    QCOMPARE(reacted, (QCborMap {{u"k"_s, u"reaction"_s}, {u"target"_s, 4}, {u"emoji"_s, u"👍"_s}}));
    const QCborMap removed = QCborValue::fromCbor(encode(reaction(4, {}))).toMap();
    QCOMPARE(removed, (QCborMap {{u"k"_s, u"reaction"_s}, {u"target"_s, 4}}));
    const QCborMap edited = QCborValue::fromCbor(encode(edit(4, u"x"_s))).toMap();
    QCOMPARE(edited, (QCborMap {{u"k"_s, u"edit"_s}, {u"text"_s, u"x"_s}, {u"target"_s, 4}}));
}

void TestMessageBody::unknownKeysIgnored()
{
    const QCborMap map {{u"text"_s, u"hello"_s},
                        {u"future"_s, QCborMap {{u"a"_s, QCborArray {1, 2}}}},
                        {7, u"integer key"_s},
                        {u"styles"_s,
                         QCborArray {QCborArray {u"underline"_s, 0, 5}, // a newer style
                                     QCborArray {u"bold"_s, 1, 2}}},
                        {u"reply"_s, QCborMap {{u"seq"_s, 3}, {u"sender"_s, 4}, {u"x"_s, 1}}}};
    const DecodedBody decoded = decode(cbor(map));
    QVERIFY2(decoded.ok(), qPrintable(decoded.error.message));
    QCOMPARE(decoded.body.text, u"hello"_s);
    QCOMPARE(decoded.body.styles, (QList<StyleRange> {{Style::Bold, {1, 2}}}));
    QCOMPARE(decoded.body.replyTo, (ReplyTo {3, 4}));
}

void TestMessageBody::explicitDefaultsAccepted()
{
    const DecodedBody decoded = decode(cbor({{u"v"_s, 1},
                                             {u"k"_s, u"text"_s},
                                             {u"text"_s, u"x"_s},
                                             {u"fwd"_s, false},
                                             {u"styles"_s, QCborArray {}},
                                             {u"att"_s, QCborArray {}}}));
    QVERIFY2(decoded.ok(), qPrintable(decoded.error.message));
    QVERIFY(decoded.body == text(u"x"_s));
}

void TestMessageBody::limitsAccepted()
{
    MessageBody body = text(QString(Limits::MaxTextLength, u'a'));
    for (int i = 0; i < Limits::MaxStyles; ++i)
        body.styles.append(StyleRange {Style::Italic, {i, 1}});
    for (int i = 0; i < Limits::MaxMentions; ++i)
        body.mentions.append(Mention {i + 1, {i * 2, 2}});
    for (int i = 0; i < Limits::MaxAttachments; ++i)
        body.attachments.append(attachment(i));
    const DecodedBody decoded = decode(encode(body));
    QVERIFY2(decoded.ok(), qPrintable(decoded.error.message));
    QVERIFY(decoded.body == body);
    QVERIFY(decode(encode(reaction(1, QString(Limits::MaxEmojiLength, u'x')))).ok());

    // 16 levels: the body, "att", the entry and 13 maps inside it; one more is refused.
    QCborValue nested = QCborMap {};
    for (int level = 5; level <= 16; ++level)
        nested = QCborMap {{u"n"_s, nested}};
    QVERIFY(decode(textWith(u"att"_s, QCborArray {attachment(1, u"n"_s, nested)})).ok());
    nested = QCborMap {{u"n"_s, nested}};
    QCOMPARE(decode(textWith(u"att"_s, QCborArray {attachment(1, u"n"_s, nested)})).error.code,
             u"limit"_s);
}

void TestMessageBody::malformed_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("code");
    const QByteArray valid = encode(text(u"hello"_s));

    // The encoding.
    QTest::newRow("empty") << QByteArray() << u"not_cbor"_s;
    QTest::newRow("break byte") << QByteArray("\xff", 1) << u"not_cbor"_s;
    QTest::newRow("truncated") << valid.chopped(2) << u"not_cbor"_s;
    QTest::newRow("trailing bytes") << valid + QByteArray(1, '\0') << u"not_cbor"_s;
    QTest::newRow("two maps") << valid + valid << u"not_cbor"_s;
    QTest::newRow("invalid UTF-8") << QByteArray("\xa1\x64text\x62\xc3\x28", 9) << u"not_cbor"_s;
    QTest::newRow("UTF-8 surrogate")
        << QByteArray("\xa1\x64text\x63\xed\xa0\x80", 10) << u"not_cbor"_s;
    QTest::newRow("array") << QCborValue(QCborArray {u"text"_s}).toCbor() << u"not_map"_s;
    QTest::newRow("integer") << QCborValue(1).toCbor() << u"not_map"_s;
    QTest::newRow("duplicate key")
        << QByteArray("\xa2\x64text\x61x\x64text\x61y", 15) << u"field"_s;
    {
        QCborValue deep = QCborMap {};
        for (int i = 0; i < 20; ++i)
            deep = QCborMap {{u"d"_s, deep}};
        QTest::newRow("nested too deep") << textWith(u"att"_s, QCborArray {deep}) << u"limit"_s;
    }
    // Version and kind.
    QTest::newRow("newer version") << textWith(u"v"_s, 2) << u"version"_s;
    QTest::newRow("version 0") << textWith(u"v"_s, 0) << u"field"_s;
    QTest::newRow("version as text") << textWith(u"v"_s, u"1"_s) << u"field"_s;
    QTest::newRow("unknown kind") << textWith(u"k"_s, u"poll"_s) << u"unknown_kind"_s;
    QTest::newRow("kind as integer") << textWith(u"k"_s, 1) << u"field"_s;
    // Text.
    QTest::newRow("no text, no attachment") << cbor({}) << u"field"_s;
    QTest::newRow("empty text") << cbor({{u"text"_s, u""_s}}) << u"field"_s;
    QTest::newRow("text as bytes") << cbor({{u"text"_s, QByteArray("hi")}}) << u"field"_s;
    QTest::newRow("tagged text") << cbor({{u"text"_s, QCborValue(QCborTag(32), u"x"_s)}})
                                 << u"field"_s;
    QTest::newRow("text too long")
        << cbor({{u"text"_s, QString(Limits::MaxTextLength + 1, u'a')}}) << u"limit"_s;
    // Styles.
    QTest::newRow("styles as map") << textWith(u"styles"_s, QCborMap {}) << u"field"_s;
    QTest::newRow("style of two") << textWith(u"styles"_s, QCborArray {QCborArray {u"bold"_s, 0}})
                                  << u"field"_s;
    QTest::newRow("style name integer")
        << textWith(u"styles"_s, QCborArray {QCborArray {1, 0, 1}}) << u"field"_s;
    QTest::newRow("style start negative")
        << textWith(u"styles"_s, QCborArray {QCborArray {u"bold"_s, -1, 2}}) << u"range"_s;
    QTest::newRow("style length zero")
        << textWith(u"styles"_s, QCborArray {QCborArray {u"bold"_s, 0, 0}}) << u"range"_s;
    QTest::newRow("style length negative")
        << textWith(u"styles"_s, QCborArray {QCborArray {u"bold"_s, 2, -1}}) << u"range"_s;
    QTest::newRow("style past the end")
        << textWith(u"styles"_s, QCborArray {QCborArray {u"bold"_s, 3, 3}}) << u"range"_s;
    QTest::newRow("style start + length overflows")
        << textWith(u"styles"_s,
                    QCborArray {QCborArray {u"bold"_s, std::numeric_limits<int>::max(),
                                            std::numeric_limits<int>::max()}})
        << u"range"_s;
    QTest::newRow("style start 2^62")
        << textWith(u"styles"_s, QCborArray {QCborArray {u"bold"_s, qint64(1) << 62, 1}})
        << u"range"_s;
    QTest::newRow("style start as float")
        << textWith(u"styles"_s, QCborArray {QCborArray {u"bold"_s, 1.0, 1}}) << u"field"_s;
    QTest::newRow("style cuts a surrogate pair")
        << textWith(u"styles"_s, QCborArray {QCborArray {u"bold"_s, 0, 2}}, u"a😀"_s) << u"range"_s;
    QTest::newRow("too many styles")
        << textWith(u"styles"_s, repeated(QCborArray {u"bold"_s, 0, 1}, Limits::MaxStyles + 1))
        << u"limit"_s;
    // Mentions.
    QTest::newRow("mention user 0")
        << textWith(u"mentions"_s, QCborArray {QCborArray {0, 0, 1}}) << u"range"_s;
    QTest::newRow("mention user as text")
        << textWith(u"mentions"_s, QCborArray {QCborArray {u"7"_s, 0, 1}}) << u"field"_s;
    QTest::newRow("mention past the end")
        << textWith(u"mentions"_s, QCborArray {QCborArray {7, 4, 2}}) << u"range"_s;
    QTest::newRow("mentions overlap")
        << textWith(u"mentions"_s, QCborArray {QCborArray {7, 0, 3}, QCborArray {8, 2, 2}})
        << u"range"_s;
    QTest::newRow("mentions overlap out of order")
        << textWith(u"mentions"_s, QCborArray {QCborArray {8, 2, 2}, QCborArray {7, 0, 3}})
        << u"range"_s;
    QTest::newRow("too many mentions")
        << textWith(u"mentions"_s, repeated(QCborArray {7, 0, 1}, Limits::MaxMentions + 1))
        << u"limit"_s;
    // Reply, forwarded, attachments.
    QTest::newRow("reply as integer") << textWith(u"reply"_s, 3) << u"field"_s;
    QTest::newRow("reply seq 0") << textWith(u"reply"_s, QCborMap {{u"seq"_s, 0}, {u"sender"_s, 1}})
                                 << u"range"_s;
    QTest::newRow("reply without sender")
        << textWith(u"reply"_s, QCborMap {{u"seq"_s, 3}}) << u"field"_s;
    QTest::newRow("fwd as integer") << textWith(u"fwd"_s, 1) << u"field"_s;
    QTest::newRow("att as map") << textWith(u"att"_s, QCborMap {}) << u"field"_s;
    QTest::newRow("att item not a map") << textWith(u"att"_s, QCborArray {1}) << u"field"_s;
    QTest::newRow("att item not a descriptor")
        << textWith(u"att"_s, QCborArray {attachment(1), QCborMap {{u"id"_s, u"abc"_s}}})
        << u"field"_s;
    QTest::newRow("too many attachments")
        << textWith(u"att"_s, repeated(QCborMap {}, Limits::MaxAttachments + 1)) << u"limit"_s;
    QTest::newRow("text with target") << textWith(u"target"_s, 3) << u"field"_s;
    QTest::newRow("text with emoji") << textWith(u"emoji"_s, u"👍"_s) << u"field"_s;
    // Reactions.
    QTest::newRow("reaction with text") << reactionWith(u"text"_s, u"hi"_s) << u"field"_s;
    QTest::newRow("reaction with styles")
        << cbor({{u"k"_s, u"reaction"_s},
                 {u"target"_s, 5},
                 {u"styles"_s, QCborArray {QCborArray {u"bold"_s, 0, 1}}}})
        << u"range"_s; // no text for the range to lie in
    QTest::newRow("reaction with reply")
        << reactionWith(u"reply"_s, QCborMap {{u"seq"_s, 1}, {u"sender"_s, 1}}) << u"field"_s;
    QTest::newRow("reaction forwarded") << reactionWith(u"fwd"_s, true) << u"field"_s;
    QTest::newRow("reaction without target")
        << cbor({{u"k"_s, u"reaction"_s}, {u"emoji"_s, u"👍"_s}}) << u"field"_s;
    QTest::newRow("reaction target 0") << reactionWith(u"target"_s, 0) << u"range"_s;
    QTest::newRow("target above 2^63")
        << QByteArray("\xa2\x61k\x68reaction\x66target\x1b\xff\xff\xff\xff\xff\xff\xff\xff", 28)
        << u"field"_s;
    QTest::newRow("emoji as integer") << reactionWith(u"emoji"_s, 1) << u"field"_s;
    QTest::newRow("emoji too long")
        << reactionWith(u"emoji"_s, QString(Limits::MaxEmojiLength + 1, u'x')) << u"limit"_s;
    // Edits.
    QTest::newRow("edit without target")
        << cbor({{u"k"_s, u"edit"_s}, {u"text"_s, u"x"_s}}) << u"field"_s;
    QTest::newRow("edit with empty text") << editWith(u"text"_s, u""_s) << u"field"_s;
    QTest::newRow("edit with emoji") << editWith(u"emoji"_s, u"👍"_s) << u"field"_s;
    QTest::newRow("edit with attachment")
        << editWith(u"att"_s, QCborArray {attachment(1)}) << u"field"_s;
    QTest::newRow("edit target negative") << editWith(u"target"_s, -4) << u"range"_s;
}

void TestMessageBody::malformed()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, code);
    const DecodedBody decoded = decode(bytes);
    QVERIFY(!decoded.ok());
    QCOMPARE(decoded.error.code, code);
    QVERIFY(!decoded.error.message.isEmpty());
    QVERIFY(decoded.body == MessageBody {}); // nothing half-decoded leaks out
}

void TestMessageBody::validateRefuses_data()
{
    QTest::addColumn<MessageBody>("body");
    QTest::addColumn<QString>("code");
    QTest::newRow("empty text") << text({}) << u"field"_s;
    QTest::newRow("lone surrogate") << text(QString(QChar(0xD800)) + u"x"_s) << u"field"_s;
    QTest::newRow("lone surrogate emoji") << reaction(1, QString(QChar(0xDC00))) << u"field"_s;
    {
        MessageBody body = text(u"x"_s);
        body.replyTo = {3, 0};
        QTest::newRow("reply without sender") << body << u"range"_s;
    }
    {
        MessageBody body = text(u"x"_s);
        body.mentions = {{0, {0, 1}}};
        QTest::newRow("mention of user 0") << body << u"range"_s;
    }
    {
        MessageBody body = text(u"x"_s);
        body.attachments = {1};
        QTest::newRow("attachment not a map") << body << u"field"_s;
    }
    QTest::newRow("edit without target") << edit(0, u"x"_s) << u"field"_s;
    QTest::newRow("reaction with negative target") << reaction(-1, u"x"_s) << u"range"_s;
}

void TestMessageBody::validateRefuses()
{
    QFETCH(MessageBody, body);
    QFETCH(QString, code);
    QCOMPARE(validate(body).code, code);
}

QTEST_GUILESS_MAIN(TestMessageBody)
#include "tst_message_body.moc"
