// A client killed (SIGKILL) while its store thread writes a sync backlog loses nothing it had
// acknowledged: every entry the server was told was delivered is on disk, every stored entry from
// others is either acknowledged or still owed, the store never holds half a page, and the outbox
// it had written goes out exactly once, in order, when it comes back.
//
// The client that gets killed is this test binary started again as a child process
// (MESSENGER_CRASH_CHILD=1): an Account syncing from the real server, printing "stored N" as its
// pages commit.

#include "ClientTestSupport.h"

#include "TestClient.h"
#include "TestServer.h"
#include "store/LocalStore.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTest>

#include <cstdio>

using namespace Client;

using namespace Qt::StringLiterals;

namespace {

constexpr int Timeout = 30'000;
constexpr int Backlog = 2000;
constexpr int OutboxMessages = 20;
constexpr int Kills = 4;

int runChild()
{
    const QUrl url(qEnvironmentVariable("CRASH_URL"));
    const QString username = qEnvironmentVariable("CRASH_USER");
    MemoryTokenVault vault;
    vault.writeToken(Account::keyFor(url, username), qEnvironmentVariable("CRASH_TOKEN"), &vault,
                     {});
    TrustStore trust {QString()};
    AccountSettings settings = fastSettings();
    settings.sync.pageLimit = 50; // many small transactions: a kill lands inside one
    Account account(url, username, qEnvironmentVariable("CRASH_STORE"), &vault, &trust, settings);
    const auto say = [](const QByteArray &line) {
        std::fputs(line.constData(), stdout);
        std::fputc('\n', stdout);
        std::fflush(stdout);
    };
    int stored = 0;
    QObject::connect(account.store(), &LocalStore::messagesAdded, &account,
                     [&stored, &say](qint64, const QList<Protocol::MessageRecord> &messages) {
                         stored += int(messages.size());
                         say("stored " + QByteArray::number(stored));
                     });
    const qint64 conversation = qEnvironmentVariableIntValue("CRASH_CONVERSATION");
    const int toWrite = qEnvironmentVariableIntValue("CRASH_WRITE");
    account.openStore().then(&account, [&](bool ok) {
        if (!ok) {
            say("cannot open the store");
            QCoreApplication::exit(1);
            return;
        }
        // What the user wrote while offline, on disk before the connection starts.
        for (int i = 1; i <= toWrite; ++i)
            account.sendMessage(conversation, u"bob says %1"_s.arg(i));
        account.store()->idle().then(&account, [&] {
            say("written");
            account.connectToServer();
        });
    });
    return QCoreApplication::exec();
}

} // namespace

class TestClientCrash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        m_fixture = std::make_unique<ClientFixture>();
    }
    void cleanup()
    {
        m_fixture.reset();
        m_server.reset();
    }

    void killedWhileStoringABacklogLosesNothingAcknowledged()
    {
        std::unique_ptr<Account> alice, bob;
        m_conversation = m_fixture->directPair(m_server->url(), &alice, &bob);
        QVERIFY(m_conversation);
        const qint64 bobId = bob->store()->selfId();
        // One entry while online: bob's device has the conversation from its first entry (a
        // device new to a conversation gets only its newest entries by sync).
        alice->sendMessage(m_conversation, u"hello"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bob->store()->syncedSeq(m_conversation), 1, Timeout);
        bob.reset(); // offline from here: the backlog waits for him
        alice.reset();

        // The backlog, from another device of alice's straight over the protocol.
        TestClient *aliceDevice = m_server->newClient();
        QVERIFY(aliceDevice
                && aliceDevice->resume(
                    m_fixture->vault.token(Account::keyFor(m_server->url(), u"alice"_s))));
        for (int i = 1; i <= Backlog; ++i)
            QVERIFY(aliceDevice->sendText(m_conversation, u"backlog %1"_s.arg(i)) > 0);

        // Killed, again and again, somewhere in the middle of storing it.
        for (int round = 1; round <= Kills; ++round) {
            QProcess child;
            QStringList lines;
            startChild(&child, &lines, round == 1 ? OutboxMessages : 0);
            QTRY_VERIFY_WITH_TIMEOUT(lines.contains(u"written"_s), Timeout);
            QTRY_VERIFY_WITH_TIMEOUT(
                std::any_of(lines.cbegin(), lines.cend(),
                            [](const QString &line) { return line.startsWith(u"stored "_s); })
                    || child.state() == QProcess::NotRunning,
                Timeout);
            QVERIFY2(child.state() != QProcess::NotRunning, "the client ended by itself");
            child.kill(); // SIGKILL: no destructor, no last commit
            QVERIFY(child.waitForFinished(Timeout));
            checkStoreAfterKill(bobId);
            if (QTest::currentTestFailed())
                return;
        }

        // Back for good: the rest arrives, each entry once, in order; the outbox goes out once.
        bob = m_fixture->account(m_server->url(), u"bob"_s);
        bob->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(awaited(bob->store()->messageCount(m_conversation)),
                                  1 + Backlog + OutboxMessages, Timeout);
        const QList<Protocol::MessageRecord> all =
            awaited(bob->store()->messagesFrom(m_conversation, 1, 0));
        QCOMPARE(all.size(), 1 + Backlog + OutboxMessages);
        QStringList fromBob;
        for (int i = 0; i < all.size(); ++i) {
            QCOMPARE(all.at(i).seq, qint64(i + 1));
            if (all.at(i).senderId == bobId)
                fromBob.append(QString::fromUtf8(all.at(i).content));
        }
        QStringList expected;
        for (int i = 1; i <= OutboxMessages; ++i)
            expected.append(u"bob says %1"_s.arg(i));
        QCOMPARE(fromBob, expected);
        QVERIFY(outboxDrained(bob.get()));
        QTRY_COMPARE_WITH_TIMEOUT(deliveredSeqOnServer(bobId), qint64(1 + Backlog), // from alice
                                  Timeout);
    }

private:
    void startChild(QProcess *child, QStringList *lines, int toWrite)
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"MESSENGER_CRASH_CHILD"_s, u"1"_s);
        environment.insert(u"CRASH_URL"_s, m_server->url().toString());
        environment.insert(u"CRASH_USER"_s, u"bob"_s);
        environment.insert(u"CRASH_STORE"_s, m_fixture->storePath(u"bob"_s));
        environment.insert(u"CRASH_TOKEN"_s,
                           m_fixture->vault.token(Account::keyFor(m_server->url(), u"bob"_s)));
        environment.insert(u"CRASH_CONVERSATION"_s, QString::number(m_conversation));
        environment.insert(u"CRASH_WRITE"_s, QString::number(toWrite));
        child->setProcessEnvironment(environment);
        child->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        connect(child, &QProcess::readyReadStandardOutput, child, [child, lines] {
            while (child->canReadLine())
                lines->append(QString::fromUtf8(child->readLine()).trimmed());
        });
        child->start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child->waitForStarted(Timeout));
    }

    //! What the killed client left on disk is whole and owes what it has not been thanked for.
    void checkStoreAfterKill(qint64 bobId)
    {
        LocalStore store;
        QVERIFY(awaited(store.open(m_fixture->storePath(u"bob"_s))));
        const QList<Protocol::MessageRecord> stored =
            awaited(store.messagesFrom(m_conversation, 1, 0));
        // Whole pages only: the entries are 1..k without a hole, and the cursor says k.
        for (int i = 0; i < stored.size(); ++i)
            QCOMPARE(stored.at(i).seq, qint64(i + 1));
        const qint64 k = stored.size();
        QCOMPARE(store.syncedSeq(m_conversation), stored.isEmpty() ? -1 : k);
        // Nothing the server was told it has is missing, and nothing stored from others goes
        // unacknowledged and unowed.
        const qint64 acknowledged = deliveredSeqOnServer(bobId);
        QVERIFY2(acknowledged <= k,
                 qPrintable(u"delivered %1, stored %2"_s.arg(acknowledged).arg(k)));
        qint64 newestFromOthers = 0;
        for (const Protocol::MessageRecord &m : stored) {
            if (m.senderId != bobId)
                newestFromOthers = m.seq;
        }
        QVERIFY(std::max(acknowledged, store.unsentReceipt(m_conversation).deliveredSeq)
                >= newestFromOthers);
        // The outbox written before the first connection is on disk, in order, until sent.
        const QList<OutboxEntry> outbox = store.outbox(m_conversation);
        for (int i = 1; i < outbox.size(); ++i)
            QVERIFY(outbox.at(i - 1).position < outbox.at(i).position);
    }

    qint64 deliveredSeqOnServer(qint64 userId)
    {
        return m_server
            ->queryValue(
                u"SELECT delivered_seq FROM members WHERE conversation_id = ? AND user_id = ?"_s,
                {m_conversation, userId})
            .toLongLong();
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientFixture> m_fixture;
    qint64 m_conversation = 0;
};

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsSet("MESSENGER_CRASH_CHILD")) {
        QCoreApplication app(argc, argv);
        return runChild();
    }
    QCoreApplication app(argc, argv);
    TestClientCrash test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_client_crash.moc"
