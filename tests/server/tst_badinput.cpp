// Bad input: every malformed frame, wrong field, oversized value, missing membership or role and
// exhausted rate limit gets its error code; the connection (but for an oversized frame) and every
// other client go on working, and nothing is stored.

#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <memory>

using namespace Server;

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

namespace {

//! Stands for the test's conversation id in data rows, which are built before it exists.
const QString ConversationPlaceholder = u"$conversation"_s;

QCborValue substitute(const QCborValue &value, qint64 conversationId)
{
    if (value.isString() && value.toString() == ConversationPlaceholder)
        return conversationId;
    if (value.isMap()) {
        QCborMap map = value.toMap();
        for (auto it = map.begin(); it != map.end(); ++it)
            it.value() = substitute(it.value(), conversationId);
        return map;
    }
    return value;
}

QCborMap sendFields(const QCborValue &conversationId)
{
    return {{u"t"_s, u"message.send"_s},
            {u"conversationId"_s, conversationId},
            {u"clientId"_s, u"bad-input"_s},
            {u"contentType"_s, u"text/plain"_s},
            {u"content"_s, QByteArray("x")}};
}

QCborMap with(QCborMap map, const QString &key, const QCborValue &value)
{
    if (value.isUndefined())
        map.remove(key);
    else
        map.insert(key, value);
    return map;
}

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void badFrame_data();
    void badFrame();
    void textFrame();
    void oversizeFrameCloses();
    void notMember_data();
    void notMember();
    void forbiddenWithoutRole();
    void invalidToken();
    void requestsRateLimited();
    void sendsRateLimited();
    void loginsRateLimited();
    void failedLoginsPerAccountLimited();
    void failedLoginsPerAddressLimited();

private:
    //! alice and bob with a direct conversation holding one message.
    void setUpPair();
    //! The same connection still answers, bob is unaffected, and the conversation holds only what
    //! it held before.
    void verifyUnharmed(TestClient *client);

    std::unique_ptr<TestServer> m_server;
    TestClient *m_alice = nullptr;
    TestClient *m_bob = nullptr;
    qint64 m_conversation = 0;
    qint64 m_lastSeq = 0;
};

void TestBadInput::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestBadInput::cleanup()
{
    m_alice = m_bob = nullptr;
    m_server.reset();
}

void TestBadInput::setUpPair()
{
    m_alice = m_server->newUser(u"alice"_s);
    m_bob = m_server->newUser(u"bob"_s);
    QVERIFY(m_alice && m_bob);
    m_conversation = m_alice->openDirect(m_bob->userId());
    QVERIFY(m_conversation);
    m_lastSeq = m_alice->sendText(m_conversation, u"before"_s);
    QVERIFY(m_lastSeq);
    QVERIFY(m_bob->waitEvent(Protocol::Event::Message));
}

void TestBadInput::verifyUnharmed(TestClient *client)
{
    if (client) {
        QVERIFY(client->isConnected());
        VERIFY_OK(client->request(Request::Ping));
    }
    VERIFY_OK(m_bob->request(Request::Ping));
    const auto conversation =
        m_bob->request(Request::GetConversation, {{u"conversationId"_s, m_conversation}});
    VERIFY_OK(conversation);
    QCOMPARE(conversation.body.value(u"conversation"_s).toMap().value(u"lastSeq"_s).toInteger(),
             m_lastSeq);
    QCOMPARE(m_bob->events(Protocol::Event::Message).size(), 0);
    // And the server still takes good input from a newcomer.
    TestClient *newcomer = m_server->newClient();
    QVERIFY(newcomer);
    VERIFY_OK(newcomer->request(Request::Ping));
}

void TestBadInput::badFrame_data()
{
    QTest::addColumn<QByteArray>("raw"); //!< sent as is when `frame` is undefined
    QTest::addColumn<QCborValue>("frame");
    QTest::addColumn<qint64>("responseId");
    QTest::addColumn<Protocol::ErrorCode>("code");
    QTest::addColumn<QString>("field");

    const QCborValue none;
    const auto raw = [&](const char *name, const QByteArray &bytes, ErrorCode code) {
        QTest::newRow(name) << bytes << none << qint64(0) << code << QString();
    };
    raw("empty", QByteArray(), ErrorCode::MalformedFrame);
    raw("not cbor", QByteArray("\xff\xfe garbage", 10), ErrorCode::MalformedFrame);
    const QByteArray ping = QCborMap {{u"t"_s, u"ping"_s}, {u"id"_s, 5}}.toCborValue().toCbor();
    raw("truncated cbor", ping.left(ping.size() - 2), ErrorCode::MalformedFrame);
    raw("trailing bytes", ping + QByteArray("\x00", 1), ErrorCode::MalformedFrame);
    raw("two maps", ping + ping, ErrorCode::MalformedFrame);

    const auto frame = [&](const char *name, const QCborValue &value, qint64 id, ErrorCode code,
                           const QString &field = {}) {
        QTest::newRow(name) << QByteArray() << value << id << code << field;
    };
    frame("array", QCborArray {u"ping"_s, 1}, 0, ErrorCode::MalformedFrame);
    frame("integer", QCborValue(42), 0, ErrorCode::MalformedFrame);
    frame("text string", QCborValue(u"ping"_s), 0, ErrorCode::MalformedFrame);
    frame("no t", QCborMap {{u"id"_s, 7}}, 0, ErrorCode::MalformedFrame);
    frame("t not text", QCborMap {{u"t"_s, 3}, {u"id"_s, 8}}, 0, ErrorCode::MalformedFrame);
    frame("negative id", QCborMap {{u"t"_s, u"ping"_s}, {u"id"_s, -1}}, 0,
          ErrorCode::MalformedFrame);
    frame("text id", QCborMap {{u"t"_s, u"ping"_s}, {u"id"_s, u"9"_s}}, 0,
          ErrorCode::MalformedFrame);
    frame("unknown type", QCborMap {{u"t"_s, u"no.such.request"_s}, {u"id"_s, 10}}, 10,
          ErrorCode::UnknownType);

    const QCborMap send = with(sendFields(ConversationPlaceholder), u"id"_s, 20);
    frame("missing conversationId", with(send, u"conversationId"_s, {}), 20,
          ErrorCode::InvalidField, u"conversationId"_s);
    frame("missing clientId", with(send, u"clientId"_s, {}), 20, ErrorCode::InvalidField,
          u"clientId"_s);
    frame("missing content", with(send, u"content"_s, {}), 20, ErrorCode::InvalidField,
          u"content"_s);
    frame("conversationId as text", with(send, u"conversationId"_s, u"1"_s), 20,
          ErrorCode::InvalidField, u"conversationId"_s);
    frame("conversationId zero", with(send, u"conversationId"_s, 0), 20, ErrorCode::InvalidField,
          u"conversationId"_s);
    frame("content as text", with(send, u"content"_s, u"x"_s), 20, ErrorCode::InvalidField,
          u"content"_s);
    frame("clientId as integer", with(send, u"clientId"_s, 5), 20, ErrorCode::InvalidField,
          u"clientId"_s);
    frame("clientId too long", with(send, u"clientId"_s, QString(65, u'c')), 20,
          ErrorCode::TooLarge, u"clientId"_s);
    frame("contentType too long", with(send, u"contentType"_s, QString(65, u't')), 20,
          ErrorCode::TooLarge, u"contentType"_s);
    frame("content too large", with(send, u"content"_s, QByteArray(64 * 1024 + 1, 'x')), 20,
          ErrorCode::TooLarge, u"content"_s);

    frame("displayName too long",
          QCborMap {
              {u"t"_s, u"profile.update"_s}, {u"id"_s, 30}, {u"displayName"_s, QString(65, u'd')}},
          30, ErrorCode::TooLarge, u"displayName"_s);
    frame("hideLastSeen not bool",
          QCborMap {{u"t"_s, u"profile.update"_s}, {u"id"_s, 31}, {u"hideLastSeen"_s, 1}}, 31,
          ErrorCode::InvalidField, u"hideLastSeen"_s);
    frame("group name too long",
          QCborMap {{u"t"_s, u"group.create"_s},
                    {u"id"_s, 32},
                    {u"name"_s, QString(129, u'g')},
                    {u"memberIds"_s, QCborArray()}},
          32, ErrorCode::TooLarge, u"name"_s);
    frame("memberIds not integers",
          QCborMap {{u"t"_s, u"group.create"_s},
                    {u"id"_s, 33},
                    {u"name"_s, u"g"_s},
                    {u"memberIds"_s, QCborArray {u"x"_s}}},
          33, ErrorCode::InvalidField, u"memberIds"_s);
    frame("history limit zero",
          QCborMap {{u"t"_s, u"history"_s},
                    {u"id"_s, 34},
                    {u"conversationId"_s, ConversationPlaceholder},
                    {u"limit"_s, 0}},
          34, ErrorCode::InvalidField, u"limit"_s);
    frame("history limit too high",
          QCborMap {{u"t"_s, u"history"_s},
                    {u"id"_s, 35},
                    {u"conversationId"_s, ConversationPlaceholder},
                    {u"limit"_s, Protocol::Limits::MaxHistoryPage + 1}},
          35, ErrorCode::InvalidField, u"limit"_s);
    frame("history before and after",
          QCborMap {{u"t"_s, u"history"_s},
                    {u"id"_s, 40},
                    {u"conversationId"_s, ConversationPlaceholder},
                    {u"before"_s, 5},
                    {u"after"_s, 1}},
          40, ErrorCode::InvalidField);
    frame(
        "cursor not a pair",
        QCborMap {{u"t"_s, u"sync"_s}, {u"id"_s, 36}, {u"cursors"_s, QCborArray {QCborArray {1}}}},
        36, ErrorCode::InvalidField, u"cursors"_s);
    frame("search prefix missing", QCborMap {{u"t"_s, u"users.search"_s}, {u"id"_s, 37}}, 37,
          ErrorCode::InvalidField, u"prefix"_s);
    frame("presence state unknown",
          QCborMap {{u"t"_s, u"presence.set"_s}, {u"id"_s, 38}, {u"state"_s, u"asleep"_s}}, 38,
          ErrorCode::InvalidField, u"state"_s);
}

void TestBadInput::badFrame()
{
    QFETCH(QByteArray, raw);
    QFETCH(QCborValue, frame);
    QFETCH(qint64, responseId);
    QFETCH(Protocol::ErrorCode, code);
    QFETCH(QString, field);
    setUpPair();
    if (QTest::currentTestFailed())
        return;

    m_alice->sendRaw(frame.isUndefined() ? raw : substitute(frame, m_conversation).toCbor());
    const auto response = m_alice->waitResponse(responseId);
    COMPARE_ERROR(response, code);
    if (!field.isEmpty())
        QCOMPARE(response.body.value(u"field"_s).toString(), field);
    verifyUnharmed(m_alice);
}

void TestBadInput::textFrame()
{
    setUpPair();
    if (QTest::currentTestFailed())
        return;
    m_alice->sendTextFrame(u"{\"t\":\"ping\",\"id\":1}"_s);
    COMPARE_ERROR(m_alice->waitResponse(0), ErrorCode::TextFrame);
    verifyUnharmed(m_alice);
}

void TestBadInput::oversizeFrameCloses()
{
    setUpPair();
    if (QTest::currentTestFailed())
        return;
    // A message.send whose frame is past 1 MiB: the connection is closed, nothing stored.
    QCborMap send = sendFields(m_conversation);
    send.insert(u"id"_s, 50);
    send.insert(u"content"_s, QByteArray(Protocol::Limits::MaxFrameBytes + 1, 'x'));
    m_alice->sendRaw(send.toCborValue().toCbor());
    QVERIFY(m_alice->waitDisconnected());
    QCOMPARE(m_alice->closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    verifyUnharmed(nullptr);
}

void TestBadInput::notMember_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QCborMap>("fields");
    QTest::addColumn<bool>("unknownConversation");
    const QCborMap id {{u"conversationId"_s, ConversationPlaceholder}};
    const QList<std::pair<QString, QCborMap>> requests {
        {u"history"_s, id},
        {u"message.send"_s,
         with(with(with(id, u"clientId"_s, u"c"_s), u"contentType"_s, u"text/plain"_s),
              u"content"_s, QByteArray("x"))},
        {u"conversation.get"_s, id},
        {u"conversation.flags"_s, with(id, u"muted"_s, true)},
        {u"receipt.delivered"_s, with(id, u"seq"_s, 1)},
        {u"receipt.read"_s, with(id, u"seq"_s, 1)},
        {u"receipts.get"_s, with(id, u"seq"_s, 1)},
        {u"typing"_s, with(id, u"active"_s, true)},
        {u"group.add"_s, with(id, u"userIds"_s, QCborArray {1})},
        {u"group.remove"_s, with(id, u"userId"_s, 1)},
        {u"group.leave"_s, id},
        {u"group.rename"_s, with(id, u"name"_s, u"mine"_s)},
        {u"group.role"_s, with(with(id, u"userId"_s, 1), u"role"_s, u"admin"_s)},
    };
    for (const auto &[type, fields] : requests) {
        QTest::addRow("%s, not a member", qPrintable(type)) << type << fields << false;
        QTest::addRow("%s, no such conversation", qPrintable(type)) << type << fields << true;
    }
}

void TestBadInput::notMember()
{
    QFETCH(QString, type);
    QFETCH(QCborMap, fields);
    QFETCH(bool, unknownConversation);
    setUpPair();
    if (QTest::currentTestFailed())
        return;
    TestClient *outsider = m_server->newUser(u"outsider"_s);
    QVERIFY(outsider);
    // The outsider's own group, so that group requests are not refused for being about a
    // direct conversation.
    const qint64 group = m_alice->createGroup(u"Private"_s, {m_bob->userId()});
    QVERIFY(group);
    const qint64 conversation = unknownConversation ? 987'654 : group;
    const qint64 lastSeq =
        m_alice->request(Request::GetConversation, {{u"conversationId"_s, group}})
            .body.value(u"conversation"_s)
            .toMap()
            .value(u"lastSeq"_s)
            .toInteger();
    m_bob->clearEvents();

    COMPARE_ERROR(outsider->request(type, substitute(fields, conversation).toMap()),
                  ErrorCode::NotMember);
    VERIFY_OK(outsider->request(Request::Ping));
    const auto after = m_alice->request(Request::GetConversation, {{u"conversationId"_s, group}});
    VERIFY_OK(after);
    QCOMPARE(after.body.value(u"conversation"_s).toMap().value(u"lastSeq"_s).toInteger(), lastSeq);
    QCOMPARE(after.body.value(u"members"_s).toArray().size(), 2);
    verifyUnharmed(m_alice);
}

void TestBadInput::forbiddenWithoutRole()
{
    setUpPair();
    if (QTest::currentTestFailed())
        return;
    TestClient *carol = m_server->newUser(u"carol"_s);
    QVERIFY(carol);
    const qint64 group = m_alice->createGroup(u"Ruled"_s, {m_bob->userId(), carol->userId()});
    QVERIFY(group);
    const QCborMap id {{u"conversationId"_s, group}};
    COMPARE_ERROR(m_bob->request(Request::RenameGroup, with(id, u"name"_s, u"mine"_s)),
                  ErrorCode::Forbidden);
    COMPARE_ERROR(m_bob->request(Request::RemoveMember, with(id, u"userId"_s, carol->userId())),
                  ErrorCode::Forbidden);
    COMPARE_ERROR(
        m_bob->request(Request::SetRole,
                       with(with(id, u"userId"_s, m_bob->userId()), u"role"_s, u"admin"_s)),
        ErrorCode::Forbidden);
    COMPARE_ERROR(
        m_bob->request(Request::AddMembers, with(id, u"userIds"_s, Cbor::ids({m_alice->userId()}))),
        ErrorCode::Forbidden);
    const auto conversation = carol->request(Request::GetConversation, id);
    VERIFY_OK(conversation);
    QCOMPARE(conversation.body.value(u"conversation"_s).toMap().value(u"name"_s).toString(),
             u"Ruled"_s);
    QCOMPARE(conversation.body.value(u"members"_s).toArray().size(), 3);
    m_bob->clearEvents();
    verifyUnharmed(m_bob);
}

void TestBadInput::invalidToken()
{
    setUpPair();
    if (QTest::currentTestFailed())
        return;
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    COMPARE_ERROR(
        client->request(Request::Resume, {{u"token"_s, u"forged-token"_s}, {u"protocol"_s, 1}}),
        ErrorCode::InvalidToken);
    // One character off a real token is just as unknown.
    QString altered = m_alice->token();
    altered[altered.size() - 1] = altered.back() == u'A' ? u'B' : u'A';
    COMPARE_ERROR(client->request(Request::Resume, {{u"token"_s, altered}, {u"protocol"_s, 1}}),
                  ErrorCode::InvalidToken);
    const auto empty =
        client->request(Request::Resume, {{u"token"_s, QString()}, {u"protocol"_s, 1}});
    COMPARE_ERROR(empty, ErrorCode::InvalidField);
    QCOMPARE(empty.body.value(u"field"_s).toString(), u"token"_s);
    COMPARE_ERROR(client->request(Request::ListConversations), ErrorCode::NotAuthenticated);
    verifyUnharmed(client);
}

void TestBadInput::requestsRateLimited()
{
    m_server->config().requests = RateLimit {0.001, 5};
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    for (int i = 0; i < 5; ++i)
        VERIFY_OK(client->request(Request::Ping));
    const auto limited = client->request(Request::Ping);
    COMPARE_ERROR(limited, ErrorCode::RateLimited);
    QVERIFY2(limited.body.value(u"retryAfter"_s).toInteger() > 0,
             qPrintable(TestClient::describe(limited)));
    // The limit is the connection's own.
    TestClient *other = m_server->newClient();
    QVERIFY(other);
    VERIFY_OK(other->request(Request::Ping));
}

void TestBadInput::sendsRateLimited()
{
    m_server->config().sends = RateLimit {0.001, 3};
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    setUpPair(); // one send
    if (QTest::currentTestFailed())
        return;
    QVERIFY(m_alice->sendText(m_conversation, u"two"_s));
    m_lastSeq = m_alice->sendText(m_conversation, u"three"_s);
    QVERIFY(m_lastSeq);
    QVERIFY(m_bob->waitEvent(Protocol::Event::Message));
    QVERIFY(m_bob->waitEvent(Protocol::Event::Message));

    const auto limited =
        m_alice->request(Request::Send, with(sendFields(m_conversation), u"t"_s, {}));
    COMPARE_ERROR(limited, ErrorCode::RateLimited);
    QVERIFY2(limited.body.value(u"retryAfter"_s).toInteger() > 0,
             qPrintable(TestClient::describe(limited)));
    verifyUnharmed(m_alice);
    // bob's sends are counted apart.
    QVERIFY(m_bob->sendText(m_conversation, u"bob is fine"_s));
}

void TestBadInput::loginsRateLimited()
{
    m_server->config().logins = RateLimit {0.001, 2};
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    QVERIFY(m_server->newUser(u"alice"_s)); // its own connection, its own bucket
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const QCborMap wrong {
        {u"username"_s, u"alice"_s}, {u"password"_s, u"wrong password"_s}, {u"protocol"_s, 1}};
    COMPARE_ERROR(client->request(Request::Login, wrong), ErrorCode::InvalidCredentials);
    COMPARE_ERROR(client->request(Request::Login, wrong), ErrorCode::InvalidCredentials);
    const auto limited =
        client->request(Request::Login, with(wrong, u"password"_s, TestClient::DefaultPassword));
    COMPARE_ERROR(limited, ErrorCode::RateLimited);
    QVERIFY2(limited.body.value(u"retryAfter"_s).toInteger() > 0,
             qPrintable(TestClient::describe(limited)));
    VERIFY_OK(client->request(Request::Ping));
    TestClient *other = m_server->newClient();
    QVERIFY(other);
    QVERIFY(other->login(u"alice"_s));
}

void TestBadInput::failedLoginsPerAccountLimited()
{
    m_server->config().failedLoginsPerAccount = RateLimit {0.001, 2};
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    QVERIFY(m_server->newUser(u"alice"_s));
    QVERIFY(m_server->newUser(u"bob"_s));
    const QCborMap wrong {
        {u"username"_s, u"alice"_s}, {u"password"_s, u"wrong password"_s}, {u"protocol"_s, 1}};
    // Each attempt on a new connection, so only the per-account limit can be the cause.
    for (int i = 0; i < 2; ++i) {
        TestClient *client = m_server->newClient();
        QVERIFY(client);
        COMPARE_ERROR(client->request(Request::Login, wrong), ErrorCode::InvalidCredentials);
    }
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const auto limited = client->request(Request::Login, wrong);
    COMPARE_ERROR(limited, ErrorCode::RateLimited);
    QVERIFY2(limited.body.value(u"retryAfter"_s).toInteger() > 0,
             qPrintable(TestClient::describe(limited)));
    // Another account is not locked with it.
    TestClient *bob = m_server->newClient();
    QVERIFY(bob);
    QVERIFY(bob->login(u"bob"_s));
}

void TestBadInput::failedLoginsPerAddressLimited()
{
    m_server->config().failedLoginsPerAddress = RateLimit {0.001, 2};
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    const QStringList names {u"alice"_s, u"bob"_s, u"carol"_s};
    for (const QString &name : names)
        QVERIFY(m_server->newUser(name));
    for (qsizetype i = 0; i < names.size(); ++i) {
        TestClient *client = m_server->newClient();
        QVERIFY(client);
        const auto response = client->request(Request::Login,
                                              {{u"username"_s, names.at(i)},
                                               {u"password"_s, u"wrong password"_s},
                                               {u"protocol"_s, 1}});
        if (i < 2) {
            COMPARE_ERROR(response, ErrorCode::InvalidCredentials);
        } else {
            COMPARE_ERROR(response, ErrorCode::RateLimited);
            QVERIFY2(response.body.value(u"retryAfter"_s).toInteger() > 0,
                     qPrintable(TestClient::describe(response)));
        }
    }
}

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
