#include "ClientTestSupport.h"

#include "TcpProxy.h"
#include "TestClient.h"
#include "TestServer.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;
} // namespace

//! What keeps an account working through bad networks and restarts: the heartbeat, receipts that
//! wait in the store, and typing notifications that are not sent on every key press.
class TestClientResilience : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startPair(); }

    void cleanup() { stopPair(); }

    void heartbeatDropsHalfOpenConnection()
    {
        TcpProxy proxy;
        QVERIFY(proxy.start(m_server->url()));
        AccountSettings settings = fastSettings();
        settings.connection.heartbeatIntervalMs = 100;
        settings.connection.heartbeatTimeoutMs = 1000;
        std::unique_ptr<Account> carol = m_fixture->account(proxy.url(), u"carol"_s, settings);
        QVERIFY(registerOnline(carol.get(), u"Carol"_s));
        QSignalSpy errors(carol->connection(), &Connection::lastErrorChanged);

        // The network swallows everything but closes nothing: only the unanswered ping can tell.
        proxy.setForwarding(false);
        QTRY_VERIFY_WITH_TIMEOUT(carol->state() != Connection::State::Online, Timeout);
        QVERIFY(!errors.isEmpty());
        QCOMPARE(errors.first().first().toString(), u"the server stopped answering"_s);

        // The network comes back: the connection does too, without anyone asking.
        proxy.setForwarding(true);
        QTRY_COMPARE_WITH_TIMEOUT(carol->state(), Connection::State::Online, Timeout);
        QVERIFY(proxy.connectionCount() > 1);
        carol->openDirect(m_bob->store()->selfId());
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->store()->conversationIds().size(), 2, Timeout);
    }

    void readReceiptSurvivesRestartWhileOffline()
    {
        m_alice->sendMessage(m_conversation, u"read me later"_s);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 1,
                                  Timeout);
        const qint64 bobId = m_bob->store()->selfId();

        m_bob->disconnectFromServer();
        m_bob->setVisibleMessages(m_conversation, {1});
        m_bob.reset(); // the app quits at once: before it could tell the server, or even commit
        QCOMPARE(readSeqOnServer(bobId), 0);

        m_bob = m_fixture->account(m_server->url(), u"bob"_s);
        QCOMPARE(m_bob->store()->unsentReceipt(m_conversation).readSeq, 1);
        m_bob->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(readSeqOnServer(bobId), 1, Timeout);
        // Alice hears of it as a receipt event, and Bob's store forgets the acknowledged cursor.
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->store()->conversation(m_conversation)->othersReadSeq, 1,
                                  Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->unsentReceipts().isEmpty(), Timeout);
    }

    void deliveredReceiptIsRetriedAfterRestart()
    {
        m_alice->sendMessage(m_conversation, u"one"_s);
        m_alice->sendMessage(m_conversation, u"two"_s);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 2,
                                  Timeout);
        const qint64 bobId = m_bob->store()->selfId();
        QTRY_COMPARE_WITH_TIMEOUT(deliveredSeqOnServer(bobId), 2, Timeout);

        // A third entry arrived just as the connection dropped: its receipt never went out.
        m_bob->disconnectFromServer();
        m_alice->sendMessage(m_conversation, u"three"_s);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_alice->store()->messageCount(m_conversation)), 3,
                                  Timeout);
        QVERIFY(outboxDrained(m_alice.get()));
        m_bob->store()->addMessages(awaited(m_alice->store()->messages(m_conversation, 0, 1)));
        m_bob->store()->oweReceipt(m_conversation, 0, 3);
        m_bob.reset();
        QCOMPARE(deliveredSeqOnServer(bobId), 2);

        m_bob = m_fixture->account(m_server->url(), u"bob"_s);
        m_bob->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(deliveredSeqOnServer(bobId), 3, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->unsentReceipts().isEmpty(), Timeout);
        QCOMPARE(readSeqOnServer(bobId), 0);
    }

    void typingStartIsThrottled()
    {
        AccountSettings settings = fastSettings();
        settings.typing.repeatIntervalMs = 500;
        settings.typing.idleTimeoutMs = 60'000;
        m_alice.reset();
        m_alice = m_fixture->account(m_server->url(), u"alice"_s, settings);
        m_alice->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->state(), Connection::State::Online, Timeout);
        QSignalSpy typing(m_bob->syncEngine(), &SyncEngine::typingReceived);
        const auto relayed = [&typing](bool active) {
            return std::count_if(
                typing.cbegin(), typing.cend(),
                [active](const QList<QVariant> &event) { return event.at(2).toBool() == active; });
        };

        // A burst of key presses: one notification. The stop that sending sends is the barrier:
        // once Bob has it, everything Alice sent before it has arrived.
        for (int i = 0; i < 20; ++i)
            m_alice->userTyping(m_conversation);
        m_alice->sendMessage(m_conversation, u"first"_s);
        QTRY_COMPARE_WITH_TIMEOUT(relayed(false), 1, Timeout);
        QCOMPARE(relayed(true), 1);

        // Typing goes on: the notification is repeated, but not on every key press.
        int presses = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            (m_alice->userTyping(m_conversation), ++presses, relayed(true) >= 4), Timeout);
        m_alice->sendMessage(m_conversation, u"second"_s);
        QTRY_VERIFY_WITH_TIMEOUT(relayed(false) >= 2, Timeout);
        const auto started = relayed(true) - 1;
        QVERIFY2(started < presses,
                 qPrintable(u"%1 notifications for %2 key presses"_s.arg(started).arg(presses)));
    }

private:
    qint64 readSeqOnServer(qint64 userId)
    {
        return m_server
            ->queryValue(
                u"SELECT read_seq FROM members WHERE conversation_id = ? AND user_id = ?"_s,
                {m_conversation, userId})
            .toLongLong();
    }
    qint64 deliveredSeqOnServer(qint64 userId)
    {
        return m_server
            ->queryValue(
                u"SELECT delivered_seq FROM members WHERE conversation_id = ? AND user_id = ?"_s,
                {m_conversation, userId})
            .toLongLong();
    }
};

QTEST_GUILESS_MAIN(TestClientResilience)
#include "tst_client_resilience.moc"
