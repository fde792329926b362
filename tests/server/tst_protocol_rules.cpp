// Rules of docs/protocol.md that once disagreed with the server (issue 12): the seq group.leave
// answers, the field group.remove names, the presence a new direct conversation shows, "id": null,
// the decoder's nesting limit and its refusal of invalid UTF-8.

#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

namespace {

//! {"t": "ping", "id": id, "x": <value>} with value given as raw CBOR bytes.
QByteArray pingWith(int id, const QByteArray &rawValue)
{
    QByteArray bytes("\xA3\x61t\x64ping\x62id", 11);
    bytes += char(id); // an unsigned integer below 24 is its own byte
    bytes += QByteArray("\x61x", 2);
    return bytes + rawValue;
}

//! `levels` arrays, each holding the next, the innermost holding 0.
QByteArray nestedArrays(int levels)
{
    return QByteArray(levels, '\x81') + QByteArray(1, '\0');
}

//! The seq of a `message` event.
qint64 seqOf(const Protocol::Frame &event)
{
    return event.body.value(u"message"_s).toMap().value(u"seq"_s).toInteger();
}

} // namespace

class TestProtocolRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void ownerLeaveAnswersLeftSeq();
    void removeYourselfNamesField();
    void newDirectShowsPresence();
    void nullIdIsMalformed();
    void invalidUtf8IsMalformed_data();
    void invalidUtf8IsMalformed();
    void nestingLimit();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestProtocolRules::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestProtocolRules::cleanup()
{
    m_server.reset();
}

void TestProtocolRules::ownerLeaveAnswersLeftSeq()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    TestClient *member = m_server->newUser(u"member"_s);
    QVERIFY(owner && member);
    const qint64 group = owner->createGroup(u"Leaving"_s, {member->userId()});
    QVERIFY(group > 0);
    member->clearEvents();

    const auto left = owner->request(Request::LeaveGroup, {{u"conversationId"_s, group}});
    VERIFY_OK(left);
    const auto action = [](const QString &name) {
        return [name](const Protocol::Frame &f) {
            return Cbor::eventOf(f).value(u"action"_s).toString() == name;
        };
    };
    const auto leftEvent = member->waitEvent(Protocol::Event::Message, action(u"left"_s));
    const auto ownerEvent = member->waitEvent(Protocol::Event::Message, action(u"owner"_s));
    QVERIFY(leftEvent && ownerEvent);
    QCOMPARE(left.body.value(u"seq"_s).toInteger(), seqOf(*leftEvent));
    QCOMPARE(seqOf(*ownerEvent), seqOf(*leftEvent) + 1);
}

void TestProtocolRules::removeYourselfNamesField()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    QVERIFY(owner);
    const qint64 group = owner->createGroup(u"Mine"_s, {});
    QVERIFY(group > 0);
    const auto removed = owner->request(
        Request::RemoveMember, {{u"conversationId"_s, group}, {u"userId"_s, owner->userId()}});
    COMPARE_ERROR(removed, ErrorCode::InvalidField);
    QCOMPARE(removed.body.value(u"field"_s).toString(), u"userId"_s);
}

void TestProtocolRules::newDirectShowsPresence()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    // Strangers until now: the direct.open that creates their chat makes them contacts, and its
    // answer already shows the connected peer as such.
    const auto opened = alice->request(Request::OpenDirect, {{u"userId"_s, bob->userId()}});
    VERIFY_OK(opened);
    const QCborMap peer = Cbor::conversationOf(opened).value(u"peer"_s).toMap();
    QCOMPARE(peer.value(u"id"_s).toInteger(), bob->userId());
    QCOMPARE(peer.value(u"presence"_s).toString(), u"online"_s);

    const auto event = bob->waitEvent(Protocol::Event::Conversation);
    QVERIFY(event);
    const QCborMap alicePeer = Cbor::conversationOf(*event).value(u"peer"_s).toMap();
    QCOMPARE(alicePeer.value(u"presence"_s).toString(), u"online"_s);
}

void TestProtocolRules::nullIdIsMalformed()
{
    // Null counts as absent for request fields, not for "id" (docs/protocol.md, Frames).
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    client->sendRaw(
        QCborMap {{u"t"_s, u"ping"_s}, {u"id"_s, QCborValue(nullptr)}}.toCborValue().toCbor());
    COMPARE_ERROR(client->waitResponse(0), ErrorCode::MalformedFrame);
    // Without an id at all the request is served and answered with id 0.
    client->sendRaw(QCborMap {{u"t"_s, u"ping"_s}}.toCborValue().toCbor());
    VERIFY_OK(client->waitResponse(0));
}

void TestProtocolRules::invalidUtf8IsMalformed_data()
{
    QTest::addColumn<QByteArray>("text"); //!< the bytes of a CBOR text string of 3 bytes
    QTest::newRow("surrogate U+D800") << QByteArray("\xED\xA0\x80", 3);
    QTest::newRow("low surrogate U+DC00") << QByteArray("\xED\xB0\x80", 3);
    QTest::newRow("overlong slash") << QByteArray("\xE0\x80\xAF", 3);
    QTest::newRow("continuation byte alone") << QByteArray("a\x80z", 3);
    QTest::newRow("beyond U+10FFFF") << QByteArray("\xF4\x90\x80", 3);
}

void TestProtocolRules::invalidUtf8IsMalformed()
{
    QFETCH(QByteArray, text);
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    client->sendRaw(pingWith(7, QByteArray("\x63", 1) + text));
    COMPARE_ERROR(client->waitResponse(0), ErrorCode::MalformedFrame);
    // The same frame with valid text is served.
    client->sendRaw(pingWith(8,
                             QByteArray("\x63"
                                        "abc",
                                        4)));
    VERIFY_OK(client->waitResponse(8));
}

void TestProtocolRules::nestingLimit()
{
    // The frame's map is level 1; NestingLimit levels in all are decoded, one more is not.
    constexpr int NestingLimit = 1024;
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    client->sendRaw(pingWith(3, nestedArrays(NestingLimit - 1)));
    VERIFY_OK(client->waitResponse(3));
    client->sendRaw(pingWith(4, nestedArrays(NestingLimit)));
    COMPARE_ERROR(client->waitResponse(0), ErrorCode::MalformedFrame);
    VERIFY_OK(client->request(Request::Ping));
}

QTEST_GUILESS_MAIN(TestProtocolRules)
#include "tst_protocol_rules.moc"
