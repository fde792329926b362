// Ephemeral state: typing (relay, expiry, rate limit) and presence (online, away, offline with
// last seen, and hidden last seen).

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

TestClient::Predicate typingOf(qint64 userId, bool active)
{
    return [userId, active](const Protocol::Frame &f) {
        return f.body.value(u"userId"_s).toInteger() == userId
            && f.body.value(u"active"_s).toBool() == active;
    };
}

TestClient::Predicate presenceOf(qint64 userId, const QString &presence)
{
    return [userId, presence](const Protocol::Frame &f) {
        return f.body.value(u"userId"_s).toInteger() == userId
            && f.body.value(u"presence"_s).toString() == presence;
    };
}

QCborMap typing(qint64 conversationId, bool active)
{
    return {{u"conversationId"_s, conversationId}, {u"active"_s, active}};
}

} // namespace

class TestPresence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void typingIsRelayed();
    void typingExpires();
    void typingStopsOnSendAndDisconnect();
    void typingIsRateLimited();
    void presenceOnlineAwayOffline();
    void presenceAggregatesDevices();
    void presenceOnlyToContacts();
    void hiddenLastSeen();

private:
    //! users.get for one user, seen by client.
    QCborMap userAsSeenBy(TestClient *client, qint64 userId);

    std::unique_ptr<TestServer> m_server;
};

void TestPresence::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestPresence::cleanup()
{
    m_server.reset();
}

QCborMap TestPresence::userAsSeenBy(TestClient *client, qint64 userId)
{
    const auto response = client->request(Request::GetUsers, {{u"userIds"_s, Cbor::ids({userId})}});
    if (!response.isOk()) {
        qWarning("users.get failed: %s", qPrintable(TestClient::describe(response)));
        return {};
    }
    return response.body.value(u"users"_s).toArray().at(0).toMap();
}

void TestPresence::typingIsRelayed()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *carol = m_server->newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    TestClient *bobPhone = m_server->newDevice(bob);
    QVERIFY(bobPhone);
    const qint64 group = alice->createGroup(u"Chatty"_s, {bob->userId(), carol->userId()});
    QVERIFY(group);

    VERIFY_OK(alice->request(Request::Typing, typing(group, true)));
    for (TestClient *client : {bob, bobPhone, carol}) {
        const auto event =
            client->waitEvent(Protocol::Event::Typing, typingOf(alice->userId(), true));
        QVERIFY(event);
        QCOMPARE(event->body.value(u"conversationId"_s).toInteger(), group);
        QVERIFY(event->body.value(u"expiresIn"_s).toInteger() > 0);
    }
    VERIFY_OK(alice->request(Request::Typing, typing(group, false)));
    for (TestClient *client : {bob, bobPhone, carol}) {
        const auto event =
            client->waitEvent(Protocol::Event::Typing, typingOf(alice->userId(), false));
        QVERIFY(event);
        QCOMPARE(event->body.value(u"conversationId"_s).toInteger(), group);
    }
    // The typist's own connection is not told about itself.
    QVERIFY(alice->flush());
    for (const Protocol::Frame &event : alice->events(Protocol::Event::Typing))
        QVERIFY2(event.body.value(u"userId"_s).toInteger() != alice->userId(),
                 qPrintable(TestClient::describe(event)));
}

void TestPresence::typingExpires()
{
    m_server->config().typingTimeoutMs = 300;
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);

    VERIFY_OK(alice->request(Request::Typing, typing(id, true)));
    const auto started = bob->waitEvent(Protocol::Event::Typing, typingOf(alice->userId(), true));
    QVERIFY(started);
    QVERIFY(started->body.value(u"expiresIn"_s).toInteger() > 0);
    // Never refreshed: the server itself says the typing stopped.
    const auto stopped = bob->waitEvent(Protocol::Event::Typing, typingOf(alice->userId(), false));
    QVERIFY(stopped);
    QCOMPARE(stopped->body.value(u"conversationId"_s).toInteger(), id);
}

void TestPresence::typingStopsOnSendAndDisconnect()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);

    // Sending a message ends the typing.
    VERIFY_OK(alice->request(Request::Typing, typing(id, true)));
    QVERIFY(bob->waitEvent(Protocol::Event::Typing, typingOf(alice->userId(), true)));
    QVERIFY(alice->sendText(id, u"done typing"_s));
    const auto afterSend =
        bob->waitEvent(Protocol::Event::Typing, typingOf(alice->userId(), false));
    QVERIFY(afterSend);
    QCOMPARE(afterSend->body.value(u"conversationId"_s).toInteger(), id);

    // So does going away.
    VERIFY_OK(alice->request(Request::Typing, typing(id, true)));
    QVERIFY(bob->waitEvent(Protocol::Event::Typing, typingOf(alice->userId(), true)));
    alice->close();
    const auto afterClose =
        bob->waitEvent(Protocol::Event::Typing, typingOf(alice->userId(), false));
    QVERIFY(afterClose);
    QCOMPARE(afterClose->body.value(u"conversationId"_s).toInteger(), id);
}

void TestPresence::typingIsRateLimited()
{
    m_server->config().typing = RateLimit {0.001, 3};
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);

    for (int i = 0; i < 3; ++i)
        VERIFY_OK(alice->request(Request::Typing, typing(id, true)));
    const auto limited = alice->request(Request::Typing, typing(id, true));
    COMPARE_ERROR(limited, ErrorCode::RateLimited);
    QVERIFY2(limited.body.value(u"retryAfter"_s).toInteger() > 0,
             qPrintable(TestClient::describe(limited)));
    // Only typing is limited: the connection goes on.
    QVERIFY(alice->flush());
    QVERIFY(alice->sendText(id, u"still here"_s));
}

void TestPresence::presenceOnlineAwayOffline()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    QVERIFY(alice->openDirect(bob->userId()));
    const QString token = alice->token();
    QCOMPARE(userAsSeenBy(bob, alice->userId()).value(u"presence"_s).toString(), u"online"_s);

    alice->close();
    const auto offline =
        bob->waitEvent(Protocol::Event::Presence, presenceOf(alice->userId(), u"offline"_s));
    QVERIFY(offline);
    const qint64 lastSeen = offline->body.value(u"lastSeen"_s).toInteger();
    QVERIFY2(lastSeen > 0, qPrintable(TestClient::describe(*offline)));
    const QCborMap seen = userAsSeenBy(bob, alice->userId());
    QCOMPARE(seen.value(u"presence"_s).toString(), u"offline"_s);
    QCOMPARE(seen.value(u"lastSeen"_s).toInteger(), lastSeen);

    TestClient *back = m_server->newClient();
    QVERIFY(back);
    QVERIFY(back->resume(token));
    QVERIFY(bob->waitEvent(Protocol::Event::Presence, presenceOf(alice->userId(), u"online"_s)));

    VERIFY_OK(back->request(Request::SetPresence, {{u"state"_s, u"away"_s}}));
    QVERIFY(bob->waitEvent(Protocol::Event::Presence, presenceOf(alice->userId(), u"away"_s)));
    QCOMPARE(userAsSeenBy(bob, alice->userId()).value(u"presence"_s).toString(), u"away"_s);

    VERIFY_OK(back->request(Request::SetPresence, {{u"state"_s, u"online"_s}}));
    QVERIFY(bob->waitEvent(Protocol::Event::Presence, presenceOf(alice->userId(), u"online"_s)));

    back->close();
    const auto offlineAgain =
        bob->waitEvent(Protocol::Event::Presence, presenceOf(alice->userId(), u"offline"_s));
    QVERIFY(offlineAgain);
    QVERIFY(offlineAgain->body.value(u"lastSeen"_s).toInteger() >= lastSeen);
    const QCborMap seenAgain = userAsSeenBy(bob, alice->userId());
    QCOMPARE(seenAgain.value(u"presence"_s).toString(), u"offline"_s);
    QCOMPARE(seenAgain.value(u"lastSeen"_s).toInteger(),
             offlineAgain->body.value(u"lastSeen"_s).toInteger());
}

void TestPresence::presenceAggregatesDevices()
{
    TestClient *laptop = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(laptop && bob);
    TestClient *phone = m_server->newDevice(laptop, u"phone"_s);
    QVERIFY(phone);
    QVERIFY(laptop->openDirect(bob->userId()));
    const qint64 alice = laptop->userId();

    // One device away, the other online: alice is online.
    VERIFY_OK(laptop->request(Request::SetPresence, {{u"state"_s, u"away"_s}}));
    QVERIFY(bob->flush());
    for (const Protocol::Frame &event : bob->events(Protocol::Event::Presence))
        QVERIFY2(!presenceOf(alice, u"away"_s)(event), qPrintable(TestClient::describe(event)));
    QCOMPARE(userAsSeenBy(bob, alice).value(u"presence"_s).toString(), u"online"_s);

    // Every device away: alice is away.
    VERIFY_OK(phone->request(Request::SetPresence, {{u"state"_s, u"away"_s}}));
    QVERIFY(bob->waitEvent(Protocol::Event::Presence, presenceOf(alice, u"away"_s)));

    // One of the two leaving changes nothing; the last one leaving does.
    phone->close();
    QCOMPARE(userAsSeenBy(bob, alice).value(u"presence"_s).toString(), u"away"_s);
    laptop->close();
    QVERIFY(bob->waitEvent(Protocol::Event::Presence, presenceOf(alice, u"offline"_s)));
}

void TestPresence::presenceOnlyToContacts()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *stranger = m_server->newUser(u"stranger"_s);
    QVERIFY(alice && bob && stranger);
    QVERIFY(alice->openDirect(bob->userId()));

    VERIFY_OK(alice->request(Request::SetPresence, {{u"state"_s, u"away"_s}}));
    QVERIFY(bob->waitEvent(Protocol::Event::Presence, presenceOf(alice->userId(), u"away"_s)));
    alice->close();
    QVERIFY(bob->waitEvent(Protocol::Event::Presence, presenceOf(alice->userId(), u"offline"_s)));

    // bob heard both; the stranger, who shares no conversation with alice, heard nothing. Events
    // go out together, so a ping round trip to the stranger after bob has them is enough.
    QVERIFY(stranger->flush());
    for (const Protocol::Frame &event : stranger->events(Protocol::Event::Presence))
        QVERIFY2(event.body.value(u"userId"_s).toInteger() != alice->userId(),
                 qPrintable(TestClient::describe(event)));
}

void TestPresence::hiddenLastSeen()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    QVERIFY(alice->openDirect(bob->userId()));
    const auto profile = alice->request(Request::UpdateProfile, {{u"hideLastSeen"_s, true}});
    VERIFY_OK(profile);
    QVERIFY(profile.body.value(u"user"_s).toMap().value(u"hideLastSeen"_s).toBool());

    alice->close();
    const auto offline =
        bob->waitEvent(Protocol::Event::Presence, presenceOf(alice->userId(), u"offline"_s));
    QVERIFY(offline);
    QVERIFY2(!offline->body.contains(u"lastSeen"_s), qPrintable(TestClient::describe(*offline)));

    const QCborMap seen = userAsSeenBy(bob, alice->userId());
    QCOMPARE(seen.value(u"presence"_s).toString(), u"offline"_s);
    QVERIFY2(!seen.contains(u"lastSeen"_s), qPrintable(QCborValue(seen).toDiagnosticNotation()));
    const auto search = bob->request(Request::SearchUsers, {{u"prefix"_s, u"ali"_s}});
    VERIFY_OK(search);
    const QCborArray found = search.body.value(u"users"_s).toArray();
    QCOMPARE(found.size(), 1);
    QVERIFY(!found.at(0).toMap().contains(u"lastSeen"_s));

    // The server still keeps it: bob's own last seen shows once he goes, he did not hide it.
    TestClient *aliceBack = m_server->newDevice(alice);
    QVERIFY(aliceBack);
    bob->close();
    const auto bobOffline =
        aliceBack->waitEvent(Protocol::Event::Presence, presenceOf(bob->userId(), u"offline"_s));
    QVERIFY(bobOffline);
    QVERIFY(bobOffline->body.value(u"lastSeen"_s).toInteger() > 0);
}

QTEST_GUILESS_MAIN(TestPresence)
#include "tst_presence.moc"
