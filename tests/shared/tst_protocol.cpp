// Frames and names: encode → decodeFrame round trips, the table of malformed input and its exact
// error code, the wire spelling of every error code, and which usernames are valid.
// Everything here is pure and synchronous; nothing waits.

#include "ProtocolTestUtils.h"
#include "protocol/Frame.h"
#include "protocol/Protocol.h"
#include "protocol/Requests.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <limits>

using namespace Protocol;
using namespace TestCbor;
using namespace Qt::StringLiterals;

class ProtocolTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestRoundTrip();
    void requestIds_data();
    void requestIds();
    void encodingOwnsTypeAndId();
    void okRoundTrip();
    void errorRoundTrip_data();
    void errorRoundTrip();
    void eventRoundTrip();
    void malformedFrames_data();
    void malformedFrames();
    void everyTruncationIsMalformed();
    void acceptedFrames_data();
    void acceptedFrames();
    void byteOrderMarks_data();
    void byteOrderMarks();
    void randomBytesNeverDecodeToGarbage();

    void errorCodeNames_data();
    void errorCodeNames();
    void errorCodeNamesAreComplete();
    void enumNamesRoundTrip();
    void isValidUsername_data();
    void isValidUsername();
};

void ProtocolTest::requestRoundTrip()
{
    const QCborMap body {{u"conversationId"_s, 3},
                         {u"clientId"_s, u"c-1"_s},
                         {u"contentType"_s, u"text/plain"_s},
                         {u"content"_s, QByteArray("\x00\x01hi", 4)},
                         {u"nested"_s, QCborArray {integers({1, 2}), u"x"_s}}};
    const DecodeResult result = decodeFrame(encodeRequest(Request::Send, 7, body));
    QCOMPARE(result.error, ErrorCode::None);
    QVERIFY(result.ok());
    QVERIFY(result.message.isEmpty());
    QCOMPARE(result.frame.type, u"message.send"_s);
    QCOMPARE(result.frame.id, 7);
    QVERIFY(!result.frame.isOk());
    QVERIFY(!result.frame.isError());
    QCOMPARE(result.frame.errorCode(), ErrorCode::None);
    QCOMPARE(result.frame.body, with(with(body, u"t"_s, u"message.send"_s), u"id"_s, 7));
}

void ProtocolTest::requestIds_data()
{
    QTest::addColumn<qint64>("id");
    QTest::newRow("zero") << qint64(0);
    QTest::newRow("one") << qint64(1);
    QTest::newRow("2^32") << (qint64(1) << 32);
    QTest::newRow("2^53") << MaxId;
    QTest::newRow("int64 max") << std::numeric_limits<qint64>::max();
}

void ProtocolTest::requestIds()
{
    QFETCH(qint64, id);
    const DecodeResult result = decodeFrame(encodeRequest(Request::Ping, id));
    QCOMPARE(result.error, ErrorCode::None);
    QCOMPARE(result.frame.id, id);
    QCOMPARE(result.frame.body.size(), 2);
}

// "t" and "id" always come from the arguments, never from a body that happens to carry them.
void ProtocolTest::encodingOwnsTypeAndId()
{
    const QCborMap sneaky {{u"t"_s, u"error"_s}, {u"id"_s, 99}, {u"x"_s, 1}};
    DecodeResult result = decodeFrame(encodeRequest(Request::Ping, 5, sneaky));
    QCOMPARE(result.frame.type, u"ping"_s);
    QCOMPARE(result.frame.id, 5);
    QCOMPARE(result.frame.body.value(u"x"_s), QCborValue(1));

    result = decodeFrame(encodeOk(6, sneaky));
    QVERIFY(result.frame.isOk());
    QCOMPARE(result.frame.id, 6);

    result = decodeFrame(encodeEvent(Event::Typing, sneaky));
    QCOMPARE(result.frame.type, u"typing"_s);
    QCOMPARE(result.frame.id, 99); // an event has no id of its own: the body's is left alone
}

void ProtocolTest::okRoundTrip()
{
    const QCborMap body {{u"seq"_s, 42}, {u"timestamp"_s, qint64(1'700'000'000'000)}};
    const DecodeResult result = decodeFrame(encodeOk(7, body));
    QCOMPARE(result.error, ErrorCode::None);
    QVERIFY(result.frame.isOk());
    QVERIFY(!result.frame.isError());
    QCOMPARE(result.frame.type, u"ok"_s);
    QCOMPARE(result.frame.id, 7);
    QCOMPARE(result.frame.errorCode(), ErrorCode::None);
    QCOMPARE(result.frame.body.value(u"seq"_s), QCborValue(42));
    QCOMPARE(result.frame.body.value(u"timestamp"_s), QCborValue(qint64(1'700'000'000'000)));
    QCOMPARE(result.frame.body.size(), 4);

    const DecodeResult empty = decodeFrame(encodeOk(8));
    QVERIFY(empty.frame.isOk());
    QCOMPARE(empty.frame.body.size(), 2);
}

void ProtocolTest::errorRoundTrip_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("field");
    QTest::addColumn<qint64>("retryAfter");

    for (int c = int(ErrorCode::MalformedFrame); c <= int(ErrorCode::Internal); ++c) {
        const auto code = ErrorCode(c);
        QTest::addRow("%s", errorCodeName(code).data()) << code << QString() << qint64(-1);
    }
    QTest::newRow("with field") << ErrorCode::InvalidField << u"conversationId"_s << qint64(-1);
    QTest::newRow("with retryAfter") << ErrorCode::RateLimited << QString() << qint64(1500);
    QTest::newRow("retryAfter zero is sent") << ErrorCode::RateLimited << QString() << qint64(0);
    QTest::newRow("both") << ErrorCode::TooLarge << u"content"_s << qint64(10);
}

void ProtocolTest::errorRoundTrip()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, field);
    QFETCH(qint64, retryAfter);
    const QString message = u"human text — ünïcode"_s;

    const DecodeResult result = decodeFrame(encodeError(11, code, message, field, retryAfter));
    QCOMPARE(result.error, ErrorCode::None);
    QVERIFY(result.frame.isError());
    QVERIFY(!result.frame.isOk());
    QCOMPARE(result.frame.type, u"error"_s);
    QCOMPARE(result.frame.id, 11);
    QCOMPARE(result.frame.errorCode(), code);
    QCOMPARE(result.frame.errorMessage(), message);
    QCOMPARE(result.frame.body.value(u"code"_s).toString(), QString(errorCodeName(code)));
    QCOMPARE(result.frame.body.contains(u"field"_s), !field.isEmpty());
    QCOMPARE(result.frame.body.value(u"field"_s).toString(), field);
    QCOMPARE(result.frame.body.contains(u"retryAfter"_s), retryAfter >= 0);
    if (retryAfter >= 0)
        QCOMPARE(result.frame.body.value(u"retryAfter"_s), QCborValue(retryAfter));
}

void ProtocolTest::eventRoundTrip()
{
    const QCborMap body {{u"conversationId"_s, 3},
                         {u"userId"_s, 7},
                         {u"active"_s, true},
                         {u"expiresIn"_s, Limits::TypingTimeoutMs}};
    const DecodeResult result = decodeFrame(encodeEvent(Event::Typing, body));
    QCOMPARE(result.error, ErrorCode::None);
    QCOMPARE(result.frame.type, u"typing"_s);
    QCOMPARE(result.frame.id, 0);
    QVERIFY(!result.frame.body.contains(u"id"_s));
    QCOMPARE(result.frame.body, with(body, u"t"_s, u"typing"_s));
}

void ProtocolTest::malformedFrames_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<ErrorCode>("code");
    const auto malformed = ErrorCode::MalformedFrame;
    const QCborMap ping {{u"t"_s, u"ping"_s}, {u"id"_s, 1}};

    QTest::newRow("empty") << QByteArray() << malformed;
    QTest::newRow("break byte") << QByteArray("\xff") << malformed;
    QTest::newRow("ascii text") << QByteArray("hello") << malformed;
    QTest::newRow("json") << QByteArray(R"({"t":"ping","id":1})") << malformed;
    QRandomGenerator random(20240611); // fixed seed: the same bytes every run
    for (int i = 0; i < 4; ++i) {
        QByteArray bytes(32 + 16 * i, Qt::Uninitialized);
        for (char &c : bytes)
            c = char(random.bounded(256));
        QTest::addRow("random bytes %d", i) << bytes << malformed;
    }
    QTest::newRow("truncated map") << cbor(ping).chopped(1) << malformed;
    QTest::newRow("truncated string") << cbor(ping).left(4) << malformed;
    QTest::newRow("unterminated indefinite map")
        << QByteArray::fromHex("bf617464") + "ping" << malformed;
    QTest::newRow("invalid utf-8 in t") << QByteArray::fromHex("a1617462ff00") << malformed;
    QTest::newRow("claims 2^32 entries") << QByteArray::fromHex("bb0000000100000000") << malformed;
    QTest::newRow("claims a 4 GiB string")
        << QByteArray::fromHex("a16174") + QByteArray::fromHex("5b0000000100000000") + "ab"
        << malformed;
    QTest::newRow("array") << cbor(QCborArray {u"ping"_s, 1}) << malformed;
    QTest::newRow("integer") << cbor(QCborValue(1)) << malformed;
    QTest::newRow("string") << cbor(QCborValue(u"ping"_s)) << malformed;
    QTest::newRow("null") << cbor(QCborValue(nullptr)) << malformed;
    QTest::newRow("tagged map") << cbor(QCborValue(QCborTag(32), ping)) << malformed;
    QTest::newRow("empty map") << cbor(QCborMap()) << malformed;
    QTest::newRow("no t") << cbor(without(ping, u"t"_s)) << malformed;
    QTest::newRow("t integer") << cbor(with(ping, u"t"_s, 1)) << malformed;
    QTest::newRow("t bytes") << cbor(with(ping, u"t"_s, QByteArray("ping"))) << malformed;
    QTest::newRow("t null") << cbor(with(ping, u"t"_s, QCborValue(nullptr))) << malformed;
    QTest::newRow("t empty") << cbor(with(ping, u"t"_s, QString())) << malformed;
    QTest::newRow("t array") << cbor(with(ping, u"t"_s, QCborArray {u"ping"_s})) << malformed;
    QTest::newRow("id -1") << cbor(with(ping, u"id"_s, -1)) << malformed;
    QTest::newRow("id int64 min") << cbor(with(ping, u"id"_s, std::numeric_limits<qint64>::min()))
                                  << malformed;
    QTest::newRow("id above int64")
        << QByteArray::fromHex("a261746470696e676269641bffffffffffffffff") << malformed;
    QTest::newRow("id string") << cbor(with(ping, u"id"_s, u"1"_s)) << malformed;
    QTest::newRow("id float") << cbor(with(ping, u"id"_s, 1.0)) << malformed;
    QTest::newRow("id bool") << cbor(with(ping, u"id"_s, true)) << malformed;
    QTest::newRow("id null") << cbor(with(ping, u"id"_s, QCborValue(nullptr))) << malformed;
    QTest::newRow("trailing zero byte") << cbor(ping) + '\0' << malformed;
    QTest::newRow("two maps") << cbor(ping) + cbor(ping) << malformed;
    QTest::newRow("trailing garbage") << cbor(ping) + "xyz" << malformed;

    QByteArray deep(100'000, '\x81'); // [[[[ ... 0 ... ]]]]
    deep.append('\0');
    QTest::newRow("deeply nested arrays") << deep << malformed;
    QTest::newRow("deeply nested arrays inside a request")
        << QByteArray::fromHex("a261746470696e676178") + QByteArray(5000, '\x81') + '\0'
        << malformed;
    QByteArray deepMaps;
    for (int i = 0; i < 5000; ++i)
        deepMaps += QByteArray::fromHex("a16161"); // {"a": {"a": ...
    deepMaps += '\0';
    QTest::newRow("deeply nested maps") << deepMaps << malformed;
}

void ProtocolTest::malformedFrames()
{
    QFETCH(QByteArray, bytes);
    QFETCH(ErrorCode, code);
    const DecodeResult result = decodeFrame(bytes);
    QCOMPARE(result.error, code);
    QVERIFY(!result.ok());
    QVERIFY2(!result.message.isEmpty(), "a rejected frame says why");
}

void ProtocolTest::everyTruncationIsMalformed()
{
    const QByteArray bytes = encodeRequest(Request::Send, 1234,
                                           QCborMap {{u"conversationId"_s, 3},
                                                     {u"clientId"_s, u"abc"_s},
                                                     {u"contentType"_s, u"text/plain"_s},
                                                     {u"content"_s, QByteArray(300, 'x')}});
    QVERIFY(decodeFrame(bytes).ok());
    for (qsizetype length = 0; length < bytes.size(); ++length) {
        const DecodeResult result = decodeFrame(bytes.left(length));
        QVERIFY2(result.error == ErrorCode::MalformedFrame,
                 qPrintable(u"prefix of %1 bytes"_s.arg(length)));
    }
}

void ProtocolTest::acceptedFrames_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("type");
    QTest::addColumn<qint64>("id");
    const QCborMap ping {{u"t"_s, u"ping"_s}, {u"id"_s, 1}};

    QTest::newRow("ping") << cbor(ping) << u"ping"_s << qint64(1);
    QTest::newRow("no id") << cbor(without(ping, u"id"_s)) << u"ping"_s << qint64(0);
    QTest::newRow("id zero") << cbor(with(ping, u"id"_s, 0)) << u"ping"_s << qint64(0);
    // Whether the type exists is the server's question (unknown_type), not the decoder's.
    QTest::newRow("unknown type") << cbor(with(ping, u"t"_s, u"nope"_s)) << u"nope"_s << qint64(1);
    QTest::newRow("unknown fields")
        << cbor(with(ping, u"future"_s, QCborMap {{1, 2}})) << u"ping"_s << qint64(1);
    QTest::newRow("non-text keys beside")
        << cbor(QCborMap {{1, 2}, {u"t"_s, u"ping"_s}, {u"id"_s, 3}}) << u"ping"_s << qint64(3);
    QTest::newRow("indefinite-length map")
        << QByteArray::fromHex("bf617464") + "ping" + QByteArray::fromHex("626964182aff")
        << u"ping"_s << qint64(42);
    QTest::newRow("moderately nested field")
        << QByteArray::fromHex("a261746470696e676178") + QByteArray(100, '\x81') + '\0' << u"ping"_s
        << qint64(0);
}

void ProtocolTest::acceptedFrames()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, type);
    QFETCH(qint64, id);
    const DecodeResult result = decodeFrame(bytes);
    QCOMPARE(result.error, ErrorCode::None);
    QCOMPARE(result.frame.type, type);
    QCOMPARE(result.frame.id, id);
}

// U+FEFF starting a top-level text (key or value) reaches validation as sent; the same bytes
// anywhere else (a blob chunk's byte string, the middle of a text) change nothing.
void ProtocolTest::byteOrderMarks_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QCborValue>("value");
    const QString bom = QString(QChar(0xFEFF));
    const QByteArray bomBytes("\xEF\xBB\xBF");
    const QCborMap ping {{u"t"_s, u"ping"_s}, {u"id"_s, 1}};
    const auto row = [&](const char *name, const QString &key, const QCborValue &value) {
        QTest::newRow(name) << cbor(with(ping, key, value)) << key << value;
    };
    row("text value", u"x"_s, QCborValue(bom + u"hi"_s));
    row("long text value", u"x"_s, QCborValue(bom + QString(300, u'a')));
    row("only the mark", u"x"_s, QCborValue(bom));
    row("key", bom + u"k"_s, 1);
    row("inside a text", u"x"_s, QCborValue(u"a"_s + bom));
    row("byte string", u"d"_s, QCborValue(bomBytes + QByteArray(300000, 'z')));
    row("bytes then text", u"d"_s, QCborValue(bomBytes + bomBytes));
    QTest::newRow("chunked text") << QByteArray::fromHex("a2617464") + "ping"
            + QByteArray::fromHex("61787f63") + bomBytes + QByteArray::fromHex("6161ff")
                                  << u"x"_s << QCborValue(bom + u"a"_s);
    QTest::newRow("after a byte string")
        << cbor(with(with(ping, u"d"_s, QCborValue(bomBytes)), u"x"_s, QCborValue(bom))) << u"x"_s
        << QCborValue(bom);
}

void ProtocolTest::byteOrderMarks()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, key);
    QFETCH(QCborValue, value);
    const DecodeResult result = decodeFrame(bytes);
    QCOMPARE(result.error, ErrorCode::None);
    QCOMPARE(result.frame.type, u"ping"_s);
    QVERIFY(result.frame.body.contains(key));
    QCOMPARE(result.frame.body.value(key), value);
}

// A cheap stand-in for the fuzzer: whatever the bytes, the answer is a frame with a type or
// malformed_frame, never another code and never a crash.
void ProtocolTest::randomBytesNeverDecodeToGarbage()
{
    QRandomGenerator random(7);
    const QByteArray valid =
        encodeRequest(Request::Ping, 1, QCborMap {{u"x"_s, QCborArray {1, 2}}});
    for (int i = 0; i < 5000; ++i) {
        QByteArray bytes;
        if (i % 2 == 0) {
            bytes.resize(random.bounded(64));
            for (char &c : bytes)
                c = char(random.bounded(256));
        } else {
            bytes = valid; // flip one byte of a valid frame
            bytes[random.bounded(int(bytes.size()))] = char(random.bounded(256));
        }
        const DecodeResult result = decodeFrame(bytes);
        QVERIFY(result.error == ErrorCode::None || result.error == ErrorCode::MalformedFrame);
        if (result.ok()) {
            QVERIFY(!result.frame.type.isEmpty());
            QVERIFY(result.frame.id >= 0);
        }
    }
}

// ---- Names --------------------------------------------------------------------------------------

void ProtocolTest::errorCodeNames_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("name");
    // The wire spelling of every code. Changing one breaks every client in the field.
    const std::pair<ErrorCode, const char *> names[] = {
        {ErrorCode::None, "none"},
        {ErrorCode::MalformedFrame, "malformed_frame"},
        {ErrorCode::TextFrame, "text_frame"},
        {ErrorCode::UnknownType, "unknown_type"},
        {ErrorCode::InvalidField, "invalid_field"},
        {ErrorCode::UnsupportedVersion, "unsupported_version"},
        {ErrorCode::NotAuthenticated, "not_authenticated"},
        {ErrorCode::AlreadyAuthenticated, "already_authenticated"},
        {ErrorCode::InvalidCredentials, "invalid_credentials"},
        {ErrorCode::InvalidToken, "invalid_token"},
        {ErrorCode::UsernameTaken, "username_taken"},
        {ErrorCode::RegistrationClosed, "registration_closed"},
        {ErrorCode::InviteRequired, "invite_required"},
        {ErrorCode::InviteInvalid, "invite_invalid"},
        {ErrorCode::NotFound, "not_found"},
        {ErrorCode::NotMember, "not_member"},
        {ErrorCode::Forbidden, "forbidden"},
        {ErrorCode::GroupFull, "group_full"},
        {ErrorCode::TooLarge, "too_large"},
        {ErrorCode::RateLimited, "rate_limited"},
        {ErrorCode::Unavailable, "unavailable"},
        {ErrorCode::QuotaExceeded, "quota_exceeded"},
        {ErrorCode::Internal, "internal"},
    };
    for (const auto &[code, name] : names)
        QTest::newRow(name) << code << QString::fromLatin1(name);
}

void ProtocolTest::errorCodeNames()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, name);
    QCOMPARE(QString(errorCodeName(code)), name);
    QCOMPARE(errorCodeFromName(name), code);
}

void ProtocolTest::errorCodeNamesAreComplete()
{
    QSet<QString> names;
    for (int c = int(ErrorCode::None); c <= int(ErrorCode::Internal); ++c) {
        const auto code = ErrorCode(c);
        const QString name(errorCodeName(code));
        QVERIFY(!name.isEmpty());
        QCOMPARE(errorCodeFromName(name), code);
        names.insert(name);
    }
    QCOMPARE(names.size(), int(ErrorCode::Internal) + 1);
    // A code this build does not know (a newer server) reads as internal.
    QCOMPARE(errorCodeFromName(u"some_future_code"_s), ErrorCode::Internal);
    QCOMPARE(errorCodeFromName(u"MALFORMED_FRAME"_s), ErrorCode::Internal);
    QCOMPARE(errorCodeFromName(QString()), ErrorCode::Internal);
}

void ProtocolTest::enumNamesRoundTrip()
{
    for (auto role : {Role::Member, Role::Admin, Role::Owner})
        QCOMPARE(roleFromName(QString(roleName(role))), role);
    QCOMPARE(roleName(Role::Owner), QLatin1StringView("owner"));
    QCOMPARE(roleFromName(u"superuser"_s), Role::None);

    for (auto state : {PresenceState::Online, PresenceState::Away, PresenceState::Offline})
        QCOMPARE(presenceFromName(QString(presenceName(state))), state);
    QCOMPARE(presenceFromName(u"busy"_s), PresenceState::Offline);

    for (auto policy :
         {RegistrationPolicy::Open, RegistrationPolicy::Invite, RegistrationPolicy::Closed}) {
        RegistrationPolicy parsed = RegistrationPolicy::Closed;
        QVERIFY(registrationPolicyFromName(QString(registrationPolicyName(policy)), &parsed));
        QCOMPARE(parsed, policy);
    }
    RegistrationPolicy untouched = RegistrationPolicy::Invite;
    QVERIFY(!registrationPolicyFromName(u"Open"_s, &untouched));
    QCOMPARE(untouched, RegistrationPolicy::Invite);

    QCOMPARE(conversationKindName(ConversationKind::Direct), QLatin1StringView("direct"));
    QCOMPARE(conversationKindName(ConversationKind::Group), QLatin1StringView("group"));
}

void ProtocolTest::isValidUsername_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << u"alice"_s << true;
    QTest::newRow("shortest") << u"abc"_s << true;
    QTest::newRow("too short") << u"ab"_s << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("longest") << QString(32, u'a') << true;
    QTest::newRow("too long") << QString(33, u'a') << false;
    QTest::newRow("digits") << u"007"_s << true;
    QTest::newRow("starts with digit") << u"1alice"_s << true;
    QTest::newRow("underscore and dot inside") << u"a_b.c"_s << true;
    QTest::newRow("ends with underscore") << u"alice_"_s << true;
    QTest::newRow("ends with dot") << u"alice."_s << true;
    QTest::newRow("starts with underscore") << u"_alice"_s << false;
    QTest::newRow("starts with dot") << u".alice"_s << false;
    QTest::newRow("upper case") << u"Alice"_s << false;
    QTest::newRow("space") << u"al ice"_s << false;
    QTest::newRow("hyphen") << u"al-ice"_s << false;
    QTest::newRow("at sign") << u"alice@host"_s << false;
    QTest::newRow("accented") << u"alicé"_s << false;
    QTest::newRow("cyrillic a") << u"аlice"_s << false; // U+0430, a homoglyph
    QTest::newRow("arabic digits") << u"١٢٣"_s << false;
    QTest::newRow("fullwidth") << u"ａｌｉｃｅ"_s << false;
    QTest::newRow("nul inside") << QString(u"ali\0ce"_s) << false;
}

void ProtocolTest::isValidUsername()
{
    QFETCH(QString, username);
    QFETCH(bool, valid);
    QCOMPARE(Protocol::isValidUsername(username), valid);
}

QTEST_GUILESS_MAIN(ProtocolTest)
#include "tst_protocol.moc"
