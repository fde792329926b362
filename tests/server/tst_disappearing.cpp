// Disappearing messages: conversation.timer's rules and `timer` event entry, expiresAt stamped on
// every entry sent while a timer is set, the sweeper erasing expired content (rows and numbering
// stay), and expiry across a restart of the real messengerd.
//
// The documented minimum timer is 30 s; the sweeper test lowers it through the in-process
// server's ServerConfig::minDisappearSeconds (no command-line option sets it) and sweeps every
// 50 ms, so it sees an entry expire within seconds. The restart test keeps the real minimum and
// moves expires_at into the past directly in its own database while messengerd is down.

#include "Daemon.h"
#include "RichMessages.h"
#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace RichMessages;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

class TestDisappearing : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void timerRules();
    void expiresAtIsStamped();
    void sweeperErasesExpiredContent();
    void expiryAcrossARestart();
    void restartMidSweepResumesInBatches();

private:
    static QCborMap timerFields(qint64 conversationId, qint64 seconds)
    {
        return {{u"conversationId"_s, conversationId}, {u"seconds"_s, seconds}};
    }
    bool rowHasContent(qint64 conversationId, qint64 seq)
    {
        return m_server
                   ->queryValue(u"SELECT CASE WHEN content IS NULL AND content_type = '' THEN 0 "
                                "ELSE 1 END FROM messages WHERE conversation_id = ? AND seq = ?"_s,
                                {conversationId, seq})
                   .toInt()
            != 0;
    }

    std::unique_ptr<TestServer> m_server;
};

void TestDisappearing::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestDisappearing::cleanup()
{
    m_server.reset();
}

void TestDisappearing::timerRules()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    TestClient *admin = m_server->newUser(u"admin"_s);
    TestClient *member = m_server->newUser(u"member"_s);
    TestClient *outsider = m_server->newUser(u"outsider"_s);
    QVERIFY(owner && admin && member && outsider);
    const qint64 group = owner->createGroup(u"g"_s, {admin->userId(), member->userId()});
    VERIFY_OK(owner->request(
        Request::SetRole,
        {{u"conversationId"_s, group}, {u"userId"_s, admin->userId()}, {u"role"_s, u"admin"_s}}));

    COMPARE_ERROR(member->request(Request::SetTimer, timerFields(group, 300)),
                  ErrorCode::Forbidden);
    COMPARE_ERROR(outsider->request(Request::SetTimer, timerFields(group, 300)),
                  ErrorCode::NotMember);
    const Protocol::Frame tooShort = admin->request(Request::SetTimer, timerFields(group, 29));
    COMPARE_ERROR(tooShort, ErrorCode::InvalidField);
    QCOMPARE(tooShort.body.value(u"field"_s).toString(), u"seconds"_s);
    COMPARE_ERROR(admin->request(Request::SetTimer,
                                 timerFields(group, Protocol::Limits::MaxDisappearSeconds + 1)),
                  ErrorCode::InvalidField);
    QCOMPARE(conversationOf(member, group).value(u"disappearSeconds"_s).toInteger(), 0);

    member->clearEvents();
    const Protocol::Frame set = admin->request(Request::SetTimer, timerFields(group, 300));
    VERIFY_OK(set);
    const qint64 seq = set.body.value(u"seq"_s).toInteger();
    const auto event = member->waitEvent(Protocol::Event::Message, entryEvent(group, u"timer"_s));
    QVERIFY(event);
    QCOMPARE(event->body.value(u"message"_s).toMap().value(u"seq"_s).toInteger(), seq);
    QCOMPARE(Cbor::eventOf(*event).value(u"seconds"_s).toInteger(), 300);
    QCOMPARE(Cbor::eventOf(*event).value(u"actorId"_s).toInteger(), admin->userId());
    QCOMPARE(conversationOf(member, group).value(u"disappearSeconds"_s).toInteger(), 300);

    // The same value again still adds an event; off is 0 and says so.
    VERIFY_OK(owner->request(Request::SetTimer, timerFields(group, 300)));
    const Protocol::Frame off = owner->request(Request::SetTimer, timerFields(group, 0));
    VERIFY_OK(off);
    const QCborMap offEntry =
        entryOf(historyOf(member, group), off.body.value(u"seq"_s).toInteger());
    QCOMPARE(Cbor::eventOf(offEntry).value(u"action"_s).toString(), u"timer"_s);
    QVERIFY(Cbor::eventOf(offEntry).contains(u"seconds"_s));
    QCOMPARE(Cbor::eventOf(offEntry).value(u"seconds"_s).toInteger(), 0);
    QVERIFY(!conversationOf(member, group).contains(u"disappearSeconds"_s));

    // In a direct conversation either member may.
    const qint64 chat = member->openDirect(outsider->userId());
    VERIFY_OK(outsider->request(Request::SetTimer, timerFields(chat, 30)));
    QCOMPARE(conversationOf(member, chat).value(u"disappearSeconds"_s).toInteger(), 30);
}

void TestDisappearing::expiresAtIsStamped()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 before = alice->sendText(chat, u"before"_s);
    const Protocol::Frame timer = alice->request(Request::SetTimer, timerFields(chat, 3600));
    VERIFY_OK(timer);
    bob->clearEvents();

    const Protocol::Frame sent = alice->request(Request::Send, sendFields(chat, "during"));
    VERIFY_OK(sent);
    const qint64 seq = sent.body.value(u"seq"_s).toInteger();
    const qint64 expiresAt = sent.body.value(u"expiresAt"_s).toInteger();
    QCOMPARE(expiresAt, sent.body.value(u"timestamp"_s).toInteger() + 3'600'000);
    const auto pushed = bob->waitEvent(Protocol::Event::Message);
    QVERIFY(pushed);
    QCOMPARE(pushed->body.value(u"message"_s).toMap().value(u"expiresAt"_s).toInteger(), expiresAt);
    // Silent entries expire too.
    const qint64 reaction = sendSilent(bob, chat, seq);

    const QCborArray history = historyOf(bob, chat);
    QCOMPARE(entryOf(history, seq).value(u"expiresAt"_s).toInteger(), expiresAt);
    QVERIFY(entryOf(history, reaction).value(u"expiresAt"_s).toInteger() > 0);
    QVERIFY(!entryOf(history, before).contains(u"expiresAt"_s));
    QVERIFY(!entryOf(history, timer.body.value(u"seq"_s).toInteger()).contains(u"expiresAt"_s));

    VERIFY_OK(bob->request(Request::SetTimer, timerFields(chat, 0)));
    const Protocol::Frame after = alice->request(Request::Send, sendFields(chat, "after"));
    VERIFY_OK(after);
    QVERIFY(!after.body.contains(u"expiresAt"_s));
}

void TestDisappearing::sweeperErasesExpiredContent()
{
    m_server->config().minDisappearSeconds = 1;
    m_server->config().expirySweepIntervalMs = 50;
    QVERIFY(m_server->restart());
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 kept = alice->sendText(chat, u"kept"_s);
    VERIFY_OK(alice->request(Request::SetTimer, timerFields(chat, 1)));
    const qint64 fleeting = alice->sendText(chat, u"fleeting"_s);
    const qint64 reaction = sendSilent(bob, chat, fleeting);
    QVERIFY(kept && fleeting && reaction);

    QTRY_COMPARE_WITH_TIMEOUT(entryOf(historyOf(bob, chat), reaction).value(u"erased"_s).toString(),
                              u"expired"_s, 20'000);
    const QCborArray history = historyOf(bob, chat);
    const QCborMap gone = entryOf(history, fleeting);
    QCOMPARE(gone.value(u"erased"_s).toString(), u"expired"_s);
    QCOMPARE(gone.value(u"content"_s).toByteArray(), QByteArray());
    QCOMPARE(gone.value(u"contentType"_s).toString(), QString());
    QVERIFY(gone.value(u"expiresAt"_s).toInteger() > 0);
    QVERIFY(!rowHasContent(chat, fleeting));
    QVERIFY(!rowHasContent(chat, reaction));
    QCOMPARE(entryOf(history, kept).value(u"content"_s).toByteArray(), QByteArray("kept"));

    // Sync says the same; the numbering is whole; an expired entry cannot be deleted or acted on.
    const Protocol::Frame sync = bob->request(Request::Sync, {});
    QCOMPARE(
        entryOf(sync.body.value(u"messages"_s).toArray(), fleeting).value(u"erased"_s).toString(),
        u"expired"_s);
    QCOMPARE(Cbor::seqs(history), (QList<qint64> {kept, kept + 1, fleeting, reaction}));
    COMPARE_ERROR(
        alice->request(Request::DeleteMessage, {{u"conversationId"_s, chat}, {u"seq"_s, fleeting}}),
        ErrorCode::NotFound);
    COMPARE_ERROR(bob->request(Request::Send, sendFields(chat, "late", true, fleeting)),
                  ErrorCode::NotFound);
}

void TestDisappearing::expiryAcrossARestart()
{
    // The real executable, on this fixture's database, sweeping only at start-up in this test.
    m_server->stop();
    Daemon daemon(QStringLiteral(MESSENGERD_PATH), m_server.get());
    const QStringList options {u"--expiry-sweep-s"_s, u"86400"_s};
    QVERIFY(daemon.start(options));
    auto alice = std::make_unique<TestClient>();
    auto bob = std::make_unique<TestClient>();
    QVERIFY(alice->connectTo(daemon.url()) && bob->connectTo(daemon.url()));
    QVERIFY(alice->registerUser(u"alice"_s) && bob->registerUser(u"bob"_s));
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 kept = alice->sendText(chat, u"kept"_s);
    VERIFY_OK(alice->request(Request::SetTimer, timerFields(chat, 30)));
    QList<qint64> expiring;
    for (int i = 0; i < 3; ++i)
        expiring.append(alice->sendText(chat, u"expiring %1"_s.arg(i)));
    QVERIFY(!expiring.contains(0));

    // Killed with the entries stored; then their time passes while it is down.
    daemon.kill();
    alice.reset();
    bob.reset();
    QVERIFY2(m_server
                 ->queryValue(u"UPDATE messages SET expires_at = 1 WHERE conversation_id = ? AND "
                              "expires_at IS NOT NULL RETURNING seq"_s,
                              {chat})
                 .isValid(),
             qPrintable(m_server->errorString()));
    for (qint64 seq : expiring)
        QVERIFY(rowHasContent(chat, seq));

    QVERIFY(daemon.start(options));
    // The start-up sweep is the only one within this test (the next is a day away).
    for (qint64 seq : expiring)
        QTRY_VERIFY(!rowHasContent(chat, seq));
    QVERIFY(rowHasContent(chat, kept));
    auto bobAgain = std::make_unique<TestClient>();
    QVERIFY(bobAgain->connectTo(daemon.url()) && bobAgain->login(u"bob"_s));
    const QCborArray history = historyOf(bobAgain.get(), chat);
    for (qint64 seq : expiring)
        QCOMPARE(entryOf(history, seq).value(u"erased"_s).toString(), u"expired"_s);
    QCOMPARE(entryOf(history, kept).value(u"content"_s).toByteArray(), QByteArray("kept"));
    QCOMPARE(bobAgain->sendText(chat, u"after"_s), expiring.last() + 1);
    QVERIFY(daemon.output().contains("expired messages"));
}

// What a server killed in the middle of a sweep leaves on disk: some expired entries erased (each
// batch commits on its own), more of them not. Written directly into the database while the
// server is down; the next start-up sweep erases the rest, batch after batch (2500 > 1000).
void TestDisappearing::restartMidSweepResumesInBatches()
{
    m_server->config().expirySweepIntervalMs = 86'400'000; // only the start-up sweep
    QVERIFY(m_server->restart());
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 kept = alice->sendText(chat, u"kept"_s);
    QVERIFY(kept);
    m_server->stop();

    constexpr int Expired = 2500;
    constexpr int AlreadySwept = 1000;
    QVERIFY2(m_server
                 ->queryValue(u"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                              "WHERE i < ?) INSERT INTO messages (conversation_id, seq, "
                              "sender_id, client_id, kind, content_type, content, created_at, "
                              "expires_at) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT) + i, "
                              "CAST(? AS BIGINT), NULL, 0, 'text/plain', 'expiring', 1, 2 FROM n "
                              "RETURNING seq"_s,
                              {Expired, chat, kept, alice->userId()})
                 .isValid(),
             qPrintable(m_server->errorString()));
    QCOMPARE(m_server
                 ->queryValue(u"UPDATE conversations SET last_seq = last_seq + ? WHERE id = ? "
                              "RETURNING last_seq"_s,
                              {Expired, chat})
                 .toLongLong(),
             kept + Expired);
    QVERIFY(m_server
                ->queryValue(u"UPDATE messages SET content = NULL, content_type = '', erased = 2 "
                             "WHERE conversation_id = ? AND seq > ? AND seq <= ? RETURNING seq"_s,
                             {chat, kept, kept + AlreadySwept})
                .isValid());
    const QString pending = u"SELECT COUNT(*) FROM messages WHERE expires_at IS NOT NULL AND "
                            "erased = 0"_s;
    QCOMPARE(m_server->queryValue(pending).toInt(), Expired - AlreadySwept);

    QVERIFY(m_server->start());
    QTRY_COMPARE(m_server->queryValue(pending).toInt(), 0);
    QCOMPARE(m_server
                 ->queryValue(u"SELECT COUNT(*) FROM messages WHERE erased = 2 AND content "
                              "IS NULL AND content_type = ''"_s)
                 .toInt(),
             Expired);
    TestClient *bobAgain = m_server->newDevice(bob);
    QVERIFY(bobAgain);
    const QCborArray newest = historyOf(bobAgain, chat);
    QCOMPARE(newest.size(), 200);
    for (const QCborValue &entry : newest)
        QCOMPARE(entry.toMap().value(u"erased"_s).toString(), u"expired"_s);
    QVERIFY(rowHasContent(chat, kept));
    QCOMPARE(bobAgain->sendText(chat, u"after"_s), kept + Expired + 1);
}

QTEST_GUILESS_MAIN(TestDisappearing)
#include "tst_disappearing.moc"
