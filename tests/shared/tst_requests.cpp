// The request table (Requests.cpp) and validate(): every type is there once, and every field is
// checked for presence, type and limits with the error code and field name the client will see.

#include "ProtocolTestUtils.h"
#include "protocol/Requests.h"

#include <QSet>
#include <QTest>

#include <algorithm>

using namespace Protocol;
using namespace TestCbor;
using namespace Qt::StringLiterals;

class RequestsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestTypesAreUnique();
    void findRequestFindsEveryType();
    void findRequestRejectsUnknownTypes_data();
    void findRequestRejectsUnknownTypes();
    void everyRequestIsInTheTable_data();
    void everyRequestIsInTheTable();
    void specsAreWellFormed();
    void validate_data();
    void validate();
    void validateEmptyBody();
    void validateBoundaries();
};

void RequestsTest::requestTypesAreUnique()
{
    QSet<QString> types;
    for (const RequestSpec &spec : allRequests())
        types.insert(QString(spec.type));
    QCOMPARE(types.size(), qsizetype(allRequests().size()));
    QVERIFY(!types.contains(u"ok"_s)); // replies and requests share "t"
    QVERIFY(!types.contains(u"error"_s));
}

void RequestsTest::findRequestFindsEveryType()
{
    for (const RequestSpec &spec : allRequests()) {
        const RequestSpec *found = findRequest(QString(spec.type));
        QVERIFY2(found == &spec, spec.type.data());
    }
}

void RequestsTest::findRequestRejectsUnknownTypes_data()
{
    QTest::addColumn<QString>("type");
    QTest::newRow("empty") << QString();
    QTest::newRow("unknown") << u"message.purge"_s;
    QTest::newRow("case differs") << u"PING"_s;
    QTest::newRow("prefix") << u"message"_s;
    QTest::newRow("longer") << u"pingpong"_s;
    QTest::newRow("reply") << u"ok"_s;
    QTest::newRow("event") << u"welcome"_s;
}

void RequestsTest::findRequestRejectsUnknownTypes()
{
    QFETCH(QString, type);
    QCOMPARE(findRequest(type), nullptr);
}

void RequestsTest::everyRequestIsInTheTable_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<bool>("needsAuth");
    const std::pair<QLatin1StringView, bool> requests[] = {
        {Request::Register, false},       {Request::Login, false},
        {Request::Resume, false},         {Request::Ping, false},
        {Request::Logout, true},          {Request::ChangePassword, true},
        {Request::UpdateProfile, true},   {Request::ListDevices, true},
        {Request::RevokeDevice, true},    {Request::SearchUsers, true},
        {Request::GetUsers, true},        {Request::ListConversations, true},
        {Request::GetConversation, true}, {Request::SetConversationFlags, true},
        {Request::OpenDirect, true},      {Request::CreateGroup, true},
        {Request::AddMembers, true},      {Request::RemoveMember, true},
        {Request::LeaveGroup, true},      {Request::RenameGroup, true},
        {Request::SetRole, true},         {Request::Send, true},
        {Request::History, true},         {Request::Sync, true},
        {Request::MarkDelivered, true},   {Request::MarkRead, true},
        {Request::GetReceipts, true},     {Request::Typing, true},
        {Request::SetPresence, true},     {Request::DeleteMessage, true},
        {Request::HideMessages, true},    {Request::SetTimer, true},
        {Request::CreateBlob, true},      {Request::PutBlob, true},
        {Request::BlobStatus, true},      {Request::GetBlob, true},
        {Request::SetGroupAvatar, true},
    };
    // A request added to Requests.h must be added here (and to docs/protocol.md) too.
    QCOMPARE(allRequests().size(), std::size(requests));
    for (const auto &[type, needsAuth] : requests)
        QTest::newRow(type.data()) << QString(type) << needsAuth;
}

void RequestsTest::everyRequestIsInTheTable()
{
    QFETCH(QString, type);
    QFETCH(bool, needsAuth);
    const RequestSpec *spec = findRequest(type);
    QVERIFY(spec);
    QCOMPARE(spec->needsAuth, needsAuth);
}

void RequestsTest::specsAreWellFormed()
{
    for (const RequestSpec &spec : allRequests()) {
        QSet<QString> names;
        for (const FieldSpec &field : spec.fields) {
            const QString where = QString(spec.type) + u'.' + QString(field.name);
            QVERIFY2(!field.name.isEmpty(), qPrintable(where));
            QVERIFY2(field.name != Key::Type && field.name != Key::Id, qPrintable(where));
            QVERIFY2(field.min <= field.max, qPrintable(where));
            QVERIFY2(field.min >= 0 || field.type == FieldType::Integer, qPrintable(where));
            names.insert(QString(field.name));
        }
        QCOMPARE(names.size(), qsizetype(spec.fields.size()));
    }
}

void RequestsTest::validate_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QCborMap>("body");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("field");
    const auto ok = ErrorCode::None;
    const auto invalid = ErrorCode::InvalidField;
    const auto tooLarge = ErrorCode::TooLarge;

    const QCborMap send {{u"conversationId"_s, 3},
                         {u"clientId"_s, u"c1"_s},
                         {u"contentType"_s, u"text/plain"_s},
                         {u"content"_s, QByteArray("hi")}};
    const QString s = u"message.send"_s;
    QTest::newRow("send: valid") << s << send << ok << QString();
    QTest::newRow("send: unknown fields ignored")
        << s << with(send, u"replyTo"_s, u"x"_s) << ok << QString();
    QTest::newRow("send: empty content")
        << s << with(send, u"content"_s, QByteArray()) << ok << QString();
    QTest::newRow("send: largest content")
        << s << with(send, u"content"_s, QByteArray(Limits::MaxContentBytes, 'x')) << ok
        << QString();
    QTest::newRow("send: content too large")
        << s << with(send, u"content"_s, QByteArray(Limits::MaxContentBytes + 1, 'x')) << tooLarge
        << u"content"_s;
    QTest::newRow("send: content as text")
        << s << with(send, u"content"_s, u"hi"_s) << invalid << u"content"_s;
    QTest::newRow("send: content missing")
        << s << without(send, u"content"_s) << invalid << u"content"_s;
    QTest::newRow("send: conversationId missing")
        << s << without(send, u"conversationId"_s) << invalid << u"conversationId"_s;
    QTest::newRow("send: conversationId null")
        << s << with(send, u"conversationId"_s, QCborValue(nullptr)) << invalid
        << u"conversationId"_s;
    QTest::newRow("send: conversationId as text")
        << s << with(send, u"conversationId"_s, u"3"_s) << invalid << u"conversationId"_s;
    QTest::newRow("send: conversationId as float")
        << s << with(send, u"conversationId"_s, 3.0) << invalid << u"conversationId"_s;
    QTest::newRow("send: conversationId zero")
        << s << with(send, u"conversationId"_s, 0) << invalid << u"conversationId"_s;
    QTest::newRow("send: conversationId negative")
        << s << with(send, u"conversationId"_s, -3) << invalid << u"conversationId"_s;
    QTest::newRow("send: conversationId 2^53")
        << s << with(send, u"conversationId"_s, MaxId) << ok << QString();
    QTest::newRow("send: conversationId 2^53+1")
        << s << with(send, u"conversationId"_s, MaxId + 1) << invalid << u"conversationId"_s;
    QTest::newRow("send: clientId empty")
        << s << with(send, u"clientId"_s, QString()) << invalid << u"clientId"_s;
    QTest::newRow("send: clientId too long")
        << s << with(send, u"clientId"_s, QString(Limits::MaxClientIdLength + 1, u'c')) << tooLarge
        << u"clientId"_s;
    QTest::newRow("send: contentType too long")
        << s << with(send, u"contentType"_s, QString(Limits::MaxContentTypeLength + 1, u'c'))
        << tooLarge << u"contentType"_s;
    QTest::newRow("send: first failing field wins")
        << s << without(without(send, u"content"_s), u"conversationId"_s) << invalid
        << u"conversationId"_s;

    const QCborMap reg {{u"username"_s, u"alice"_s},
                        {u"displayName"_s, u"Alice"_s},
                        {u"password"_s, u"correct horse"_s},
                        {u"protocol"_s, Version}};
    const QString r = u"register"_s;
    QTest::newRow("register: valid") << r << reg << ok << QString();
    QTest::newRow("register: with invite and device")
        << r << with(with(reg, u"invite"_s, u"tok"_s), u"deviceName"_s, QString()) << ok
        << QString();
    QTest::newRow("register: password too short")
        << r << with(reg, u"password"_s, u"1234567"_s) << invalid << u"password"_s;
    QTest::newRow("register: password too long")
        << r << with(reg, u"password"_s, QString(Limits::MaxPasswordLength + 1, u'p')) << tooLarge
        << u"password"_s;
    QTest::newRow("register: username too long")
        << r << with(reg, u"username"_s, QString(Limits::MaxUsernameLength + 1, u'a')) << tooLarge
        << u"username"_s;
    // Lengths are UTF-16 code units: 16 emoji are 32 units, 17 are 34.
    QTest::newRow("register: 16 emoji fit")
        << r << with(reg, u"username"_s, u"😀"_s.repeated(16)) << ok << QString();
    QTest::newRow("register: 17 emoji do not")
        << r << with(reg, u"username"_s, u"😀"_s.repeated(17)) << tooLarge << u"username"_s;
    QTest::newRow("register: protocol missing")
        << r << without(reg, u"protocol"_s) << invalid << u"protocol"_s;
    QTest::newRow("register: protocol zero")
        << r << with(reg, u"protocol"_s, 0) << invalid << u"protocol"_s;
    QTest::newRow("register: protocol as text")
        << r << with(reg, u"protocol"_s, u"1"_s) << invalid << u"protocol"_s;
    QTest::newRow("register: invite empty")
        << r << with(reg, u"invite"_s, QString()) << invalid << u"invite"_s;
    QTest::newRow("register: invite as bytes")
        << r << with(reg, u"invite"_s, QByteArray("t")) << invalid << u"invite"_s;
    QTest::newRow("register: device name too long")
        << r << with(reg, u"deviceName"_s, QString(Limits::MaxDeviceNameLength + 1, u'd'))
        << tooLarge << u"deviceName"_s;

    const QString sy = u"sync"_s;
    const QCborArray cursors {integers({1, 0}), integers({2, 57})};
    QTest::newRow("sync: no fields") << sy << QCborMap() << ok << QString();
    QTest::newRow("sync: cursors") << sy << QCborMap {{u"cursors"_s, cursors}} << ok << QString();
    QTest::newRow("sync: no cursors")
        << sy << QCborMap {{u"cursors"_s, QCborArray()}} << ok << QString();
    QTest::newRow("sync: cursors null")
        << sy << QCborMap {{u"cursors"_s, QCborValue(nullptr)}} << ok << QString();
    QTest::newRow("sync: cursors a map")
        << sy << QCborMap {{u"cursors"_s, QCborMap {{1, 0}}}} << invalid << u"cursors"_s;
    QTest::newRow("sync: cursor not a pair")
        << sy << QCborMap {{u"cursors"_s, QCborArray {5}}} << invalid << u"cursors"_s;
    QTest::newRow("sync: cursor of one")
        << sy << QCborMap {{u"cursors"_s, QCborArray {integers({1})}}} << invalid << u"cursors"_s;
    QTest::newRow("sync: cursor of three")
        << sy << QCborMap {{u"cursors"_s, QCborArray {integers({1, 2, 3})}}} << invalid
        << u"cursors"_s;
    QTest::newRow("sync: cursor conversation zero")
        << sy << QCborMap {{u"cursors"_s, QCborArray {integers({0, 5})}}} << invalid
        << u"cursors"_s;
    QTest::newRow("sync: cursor seq negative")
        << sy << QCborMap {{u"cursors"_s, QCborArray {integers({1, -1})}}} << invalid
        << u"cursors"_s;
    QTest::newRow("sync: cursor of text")
        << sy << QCborMap {{u"cursors"_s, QCborArray {QCborArray {u"1"_s, u"2"_s}}}} << invalid
        << u"cursors"_s;
    QTest::newRow("sync: one bad cursor among good")
        << sy << QCborMap {{u"cursors"_s, QCborArray {integers({1, 0}), QCborArray {1, 2.5}}}}
        << invalid << u"cursors"_s;
    QTest::newRow("sync: too many cursors")
        << sy << QCborMap {{u"cursors"_s, repeated(integers({1, 0}), Limits::MaxSyncCursors + 1)}}
        << invalid << u"cursors"_s;
    QTest::newRow("sync: limit zero") << sy << QCborMap {{u"limit"_s, 0}} << invalid << u"limit"_s;
    QTest::newRow("sync: limit max")
        << sy << QCborMap {{u"limit"_s, Limits::MaxSyncPage}} << ok << QString();
    QTest::newRow("sync: limit above max")
        << sy << QCborMap {{u"limit"_s, Limits::MaxSyncPage + 1}} << invalid << u"limit"_s;

    const QString g = u"group.create"_s;
    const QCborMap group {{u"name"_s, u"Team"_s}, {u"memberIds"_s, integers({2, 3})}};
    QTest::newRow("group: valid") << g << group << ok << QString();
    QTest::newRow("group: no other members")
        << g << with(group, u"memberIds"_s, QCborArray()) << ok << QString();
    QTest::newRow("group: member id zero")
        << g << with(group, u"memberIds"_s, integers({2, 0})) << invalid << u"memberIds"_s;
    QTest::newRow("group: member id negative")
        << g << with(group, u"memberIds"_s, integers({-2})) << invalid << u"memberIds"_s;
    QTest::newRow("group: member id text")
        << g << with(group, u"memberIds"_s, QCborArray {2, u"3"_s}) << invalid << u"memberIds"_s;
    QTest::newRow("group: member id float")
        << g << with(group, u"memberIds"_s, QCborArray {2, 3.5}) << invalid << u"memberIds"_s;
    QTest::newRow("group: member id 2^53+1")
        << g << with(group, u"memberIds"_s, integers({MaxId + 1})) << invalid << u"memberIds"_s;
    QTest::newRow("group: memberIds not a list")
        << g << with(group, u"memberIds"_s, 2) << invalid << u"memberIds"_s;
    QTest::newRow("group: too many ids")
        << g << with(group, u"memberIds"_s, repeated(1, Limits::MaxUserIds + 1)) << invalid
        << u"memberIds"_s;
    QTest::newRow("group: name too long")
        << g << with(group, u"name"_s, QString(Limits::MaxGroupNameLength + 1, u'n')) << tooLarge
        << u"name"_s;
    QTest::newRow("group: name empty")
        << g << with(group, u"name"_s, QString()) << invalid << u"name"_s;

    QTest::newRow("users.get: empty list")
        << u"users.get"_s << QCborMap {{u"userIds"_s, QCborArray()}} << invalid << u"userIds"_s;
    QTest::newRow("users.search: limit 51")
        << u"users.search"_s << QCborMap {{u"prefix"_s, u"al"_s}, {u"limit"_s, 51}} << invalid
        << u"limit"_s;
    QTest::newRow("history: after 0")
        << u"history"_s << QCborMap {{u"conversationId"_s, 3}, {u"after"_s, 0}} << ok << QString();
    QTest::newRow("history: before 0")
        << u"history"_s << QCborMap {{u"conversationId"_s, 3}, {u"before"_s, 0}} << invalid
        << u"before"_s;
    QTest::newRow("history: limit 201")
        << u"history"_s << QCborMap {{u"conversationId"_s, 3}, {u"limit"_s, 201}} << invalid
        << u"limit"_s;
    QTest::newRow("typing: valid")
        << u"typing"_s << QCborMap {{u"conversationId"_s, 3}, {u"active"_s, false}} << ok
        << QString();
    QTest::newRow("typing: active as integer")
        << u"typing"_s << QCborMap {{u"conversationId"_s, 3}, {u"active"_s, 1}} << invalid
        << u"active"_s;
    QTest::newRow("typing: active missing")
        << u"typing"_s << QCborMap {{u"conversationId"_s, 3}} << invalid << u"active"_s;
    QTest::newRow("presence: state too long")
        << u"presence.set"_s << QCborMap {{u"state"_s, QString(17, u's')}} << tooLarge
        << u"state"_s;
    // Issue 12: silent and refSeq on message.send, hiddenAfter on sync, the three new requests.
    QTest::newRow("send: silent reaction")
        << s << with(with(send, u"silent"_s, true), u"refSeq"_s, 41) << ok << QString();
    QTest::newRow("send: silent as integer")
        << s << with(send, u"silent"_s, 1) << invalid << u"silent"_s;
    QTest::newRow("send: refSeq 0") << s << with(send, u"refSeq"_s, 0) << invalid << u"refSeq"_s;
    QTest::newRow("send: refSeq as text")
        << s << with(send, u"refSeq"_s, u"4"_s) << invalid << u"refSeq"_s;
    QTest::newRow("sync: hiddenAfter 0")
        << u"sync"_s << QCborMap {{u"hiddenAfter"_s, 0}} << ok << QString();
    QTest::newRow("sync: hiddenAfter negative")
        << u"sync"_s << QCborMap {{u"hiddenAfter"_s, -1}} << invalid << u"hiddenAfter"_s;
    QTest::newRow("message.delete: valid")
        << u"message.delete"_s << QCborMap {{u"conversationId"_s, 3}, {u"seq"_s, 4}} << ok
        << QString();
    QTest::newRow("message.delete: seq missing")
        << u"message.delete"_s << QCborMap {{u"conversationId"_s, 3}} << invalid << u"seq"_s;
    QTest::newRow("message.delete: seq 0")
        << u"message.delete"_s << QCborMap {{u"conversationId"_s, 3}, {u"seq"_s, 0}} << invalid
        << u"seq"_s;
    QTest::newRow("message.hide: valid")
        << u"message.hide"_s << QCborMap {{u"conversationId"_s, 3}, {u"seqs"_s, integers({4, 5})}}
        << ok << QString();
    QTest::newRow("message.hide: no seqs")
        << u"message.hide"_s << QCborMap {{u"conversationId"_s, 3}, {u"seqs"_s, QCborArray()}}
        << invalid << u"seqs"_s;
    QTest::newRow("message.hide: 100 seqs")
        << u"message.hide"_s
        << QCborMap {{u"conversationId"_s, 3}, {u"seqs"_s, repeated(7, Limits::MaxHideSeqs)}} << ok
        << QString();
    QTest::newRow("message.hide: 101 seqs")
        << u"message.hide"_s
        << QCborMap {{u"conversationId"_s, 3}, {u"seqs"_s, repeated(7, Limits::MaxHideSeqs + 1)}}
        << invalid << u"seqs"_s;
    QTest::newRow("message.hide: seq 0")
        << u"message.hide"_s << QCborMap {{u"conversationId"_s, 3}, {u"seqs"_s, integers({0})}}
        << invalid << u"seqs"_s;
    QTest::newRow("conversation.timer: off")
        << u"conversation.timer"_s << QCborMap {{u"conversationId"_s, 3}, {u"seconds"_s, 0}} << ok
        << QString();
    QTest::newRow("conversation.timer: largest")
        << u"conversation.timer"_s
        << QCborMap {{u"conversationId"_s, 3}, {u"seconds"_s, Limits::MaxDisappearSeconds}} << ok
        << QString();
    QTest::newRow("conversation.timer: beyond a year")
        << u"conversation.timer"_s
        << QCborMap {{u"conversationId"_s, 3}, {u"seconds"_s, Limits::MaxDisappearSeconds + 1}}
        << invalid << u"seconds"_s;
    QTest::newRow("conversation.timer: negative")
        << u"conversation.timer"_s << QCborMap {{u"conversationId"_s, 3}, {u"seconds"_s, -1}}
        << invalid << u"seconds"_s;
    QTest::newRow("conversation.timer: seconds missing")
        << u"conversation.timer"_s << QCborMap {{u"conversationId"_s, 3}} << invalid
        << u"seconds"_s;
    QTest::newRow("ping: anything goes")
        << u"ping"_s << QCborMap {{u"x"_s, QCborArray {1}}} << ok << QString();
}

void RequestsTest::validate()
{
    QFETCH(QString, type);
    QFETCH(QCborMap, body);
    QFETCH(ErrorCode, code);
    QFETCH(QString, field);

    const RequestSpec *spec = findRequest(type);
    QVERIFY(spec);
    const std::optional<ValidationError> error = Protocol::validate(*spec, body);
    QCOMPARE(error ? error->code : ErrorCode::None, code);
    if (error) {
        QCOMPARE(error->field, field);
        QVERIFY2(error->message.contains(field), qPrintable(error->message));
    }
}

// An empty body names the first required field, or passes when nothing is required.
void RequestsTest::validateEmptyBody()
{
    for (const RequestSpec &spec : allRequests()) {
        const auto firstRequired = std::find_if(spec.fields.begin(), spec.fields.end(),
                                                [](const FieldSpec &f) { return f.required; });
        const auto error = Protocol::validate(spec, QCborMap());
        if (firstRequired == spec.fields.end()) {
            QVERIFY2(!error, spec.type.data());
        } else {
            QVERIFY2(error, spec.type.data());
            QCOMPARE(error->code, ErrorCode::InvalidField);
            QCOMPARE(error->field, QString(firstRequired->name));
        }
    }
}

namespace {
//! A value of the field's type whose size (or, for integers, value) is n.
QCborValue valueOfSize(const FieldSpec &field, qint64 n)
{
    switch (field.type) {
    case FieldType::Integer:
        return n;
    case FieldType::String:
        return QString(n, u'a');
    case FieldType::Bytes:
        return QByteArray(n, 'b');
    case FieldType::Bool:
        return true;
    case FieldType::IntegerList:
        return repeated(1, n);
    case FieldType::CursorList:
        return repeated(integers({1, 0}), n);
    case FieldType::BlobIdList:
        return repeated(QString(Protocol::Limits::BlobIdLength, u'a'), n);
    }
    return {};
}
} // namespace

// For every field of every request: min and max pass, one past either end fails with the right
// code (too_large for oversized text and bytes, invalid_field for everything else).
void RequestsTest::validateBoundaries()
{
    for (const RequestSpec &spec : allRequests()) {
        QCborMap minimal;
        for (const FieldSpec &field : spec.fields) {
            if (field.required)
                minimal.insert(field.name, valueOfSize(field, field.min));
        }
        QVERIFY2(!Protocol::validate(spec, minimal), spec.type.data());

        for (const FieldSpec &field : spec.fields) {
            if (field.type == FieldType::Bool)
                continue;
            const QByteArray where = QByteArray(spec.type.data()) + '.' + field.name.data();
            for (qint64 n : {field.min, field.max})
                QVERIFY2(
                    !Protocol::validate(spec, with(minimal, field.name, valueOfSize(field, n))),
                    where.constData());

            const bool sized = field.type == FieldType::String || field.type == FieldType::Bytes;
            auto error = Protocol::validate(
                spec, with(minimal, field.name, valueOfSize(field, field.max + 1)));
            QVERIFY2(error, where.constData());
            QCOMPARE(error->code, sized ? ErrorCode::TooLarge : ErrorCode::InvalidField);
            QCOMPARE(error->field, QString(field.name));

            if (field.min > 0 || field.type == FieldType::Integer) {
                error = Protocol::validate(
                    spec, with(minimal, field.name, valueOfSize(field, field.min - 1)));
                QVERIFY2(error, where.constData());
                QCOMPARE(error->code, ErrorCode::InvalidField);
                QCOMPARE(error->field, QString(field.name));
            }
        }
    }
}

QTEST_GUILESS_MAIN(RequestsTest)
#include "tst_requests.moc"
