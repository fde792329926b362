// The client core against a real messengerd that is stopped with SIGTERM while it sends: the
// connection closes with 1001 "server going away", the client reconnects with backoff once the
// server is back, and its outbox goes out: every message exactly once, in order.

#include "ClientTestSupport.h"

#include "Daemon.h"
#include "TestServer.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace Client;
using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 30'000;
constexpr int Messages = 40;
} // namespace

class TestClientDrain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outboxSurvivesADrain()
    {
        TestServer fixture;
        QVERIFY2(fixture.setUp(), qPrintable(fixture.errorString()));
        fixture.stop();
        Daemon daemon(QStringLiteral(MESSENGERD_PATH), &fixture);
        QVERIFY(daemon.start());
        ClientFixture clients;
        std::unique_ptr<Account> alice, bob;
        const qint64 conversation = clients.directPair(daemon.url(), &alice, &bob);
        QVERIFY(conversation);
        QSignalSpy errors(alice->connection(), &Connection::lastErrorChanged);

        // Written while the server drains: some go out before, the rest wait in the outbox.
        for (int i = 1; i <= Messages / 2; ++i)
            alice->sendMessage(conversation, u"before %1"_s.arg(i));
        QVERIFY(daemon.signal(SIGTERM));
        for (int i = Messages / 2 + 1; i <= Messages; ++i)
            alice->sendMessage(conversation, u"during %1"_s.arg(i));
        QVERIFY(daemon.waitFinished(Timeout));
        QCOMPARE(daemon.exitCode(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(std::any_of(errors.cbegin(), errors.cend(),
                                             [](const QList<QVariant> &arguments) {
                                                 return arguments.value(0).toString().contains(
                                                     u"server going away"_s);
                                             }),
                                 Timeout);

        // Back on the same port: both reconnect by themselves, and everything arrives once.
        QVERIFY(daemon.start());
        QVERIFY(outboxDrained(alice.get()));
        QTRY_COMPARE_WITH_TIMEOUT(awaited(bob->store()->messageCount(conversation)), Messages,
                                  Timeout);
        const QList<Protocol::MessageRecord> all =
            awaited(bob->store()->messagesFrom(conversation, 1, 0));
        QCOMPARE(all.size(), Messages);
        for (int i = 0; i < all.size(); ++i) {
            QCOMPARE(all.at(i).seq, qint64(i + 1));
            QCOMPARE(QString::fromUtf8(all.at(i).content),
                     (i < Messages / 2 ? u"before %1"_s : u"during %1"_s).arg(i + 1));
        }
    }
};

QTEST_GUILESS_MAIN(TestClientDrain)
#include "tst_client_drain.moc"
