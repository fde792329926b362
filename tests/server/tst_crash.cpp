// The real messengerd binary, killed with SIGKILL while two clients send flat out: every message it
// acknowledged is there after a restart, sequence numbers stay gapless, and resending everything
// unacknowledged with the same client ids (what a client's outbox does) stores each message once.

#include "common/TestClient.h"
#include "common/TestServer.h"

#include "protocol/Requests.h"

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Server;

using namespace Qt::StringLiterals;
using Protocol::Request::History;

namespace {
constexpr int MessagesPerSender = 90; // below the default per-connection send burst
}

class TestCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void killedServerLosesNothingAcknowledged();

private:
    bool startDaemon();
    void killDaemon();
    QMap<QString, qint64> fullHistory(TestClient *client, qint64 conversationId,
                                      QList<qint64> *seqs);

    std::unique_ptr<TestServer> m_fixture;
    std::unique_ptr<QProcess> m_daemon;
    QUrl m_url;
};

void TestCrash::init()
{
    // The fixture prepares a clean database (SQLite file or wiped PostgreSQL schema); the server
    // under test is the real executable on that database, not the in-process one.
    m_fixture = std::make_unique<TestServer>();
    QVERIFY2(m_fixture->setUp(), qPrintable(m_fixture->errorString()));
    m_fixture->stop();
    QVERIFY(startDaemon());
}

void TestCrash::cleanup()
{
    killDaemon();
    m_fixture.reset();
}

bool TestCrash::startDaemon()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList arguments =
        QStringList {u"--port"_s, u"0"_s, u"--password-ops"_s, u"1"_s, u"--password-mem-kib"_s,
                     u"8"_s}
        + m_fixture->daemonArguments(&environment);
    m_daemon = std::make_unique<QProcess>();
    m_daemon->setProcessEnvironment(environment);
    m_daemon->setProcessChannelMode(QProcess::SeparateChannels);
    m_daemon->start(QStringLiteral(MESSENGERD_PATH), arguments);
    if (!m_daemon->waitForStarted(10'000))
        return false;
    // messengerd prints "messengerd <version> listening on ws://host:port" once it listens.
    const QRegularExpression listening(u"listening on (ws://\\S+)"_s);
    QByteArray output;
    QSignalSpy ready(m_daemon.get(), &QProcess::readyReadStandardOutput);
    while (true) {
        output += m_daemon->readAllStandardOutput();
        const auto match = listening.match(QString::fromUtf8(output));
        if (match.hasMatch()) {
            m_url = QUrl(match.captured(1));
            return true;
        }
        if (m_daemon->state() != QProcess::Running || !ready.wait(10'000)) {
            qWarning().noquote() << "messengerd did not start:" << m_daemon->readAllStandardError();
            return false;
        }
    }
}

void TestCrash::killDaemon()
{
    if (!m_daemon)
        return;
    m_daemon->kill(); // SIGKILL: no shutdown code runs
    m_daemon->waitForFinished(10'000);
    m_daemon.reset();
}

QMap<QString, qint64> TestCrash::fullHistory(TestClient *client, qint64 conversationId,
                                             QList<qint64> *seqs)
{
    QMap<QString, qint64> byClientId;
    qint64 after = 0;
    for (bool more = true; more;) {
        const auto page = client->request(History,
                                          {{u"conversationId"_s, conversationId},
                                           {u"after"_s, after},
                                           {u"limit"_s, Protocol::Limits::MaxHistoryPage}});
        if (!page.isOk())
            return {};
        for (const QCborValue &value : page.body.value(u"messages"_s).toArray()) {
            const QCborMap message = value.toMap();
            const qint64 seq = message.value(u"seq"_s).toInteger();
            seqs->append(seq);
            after = seq;
            if (message.contains(u"clientId"_s)) {
                const QString clientId = message.value(u"clientId"_s).toString();
                if (byClientId.contains(clientId))
                    byClientId.insert(u"DUPLICATE "_s + clientId, seq);
                byClientId.insert(clientId, seq);
                if (message.value(u"content"_s).toByteArray() != clientId.toUtf8())
                    byClientId.insert(u"WRONG CONTENT "_s + clientId, seq);
            }
        }
        more = page.body.value(u"more"_s).toBool();
    }
    return byClientId;
}

void TestCrash::killedServerLosesNothingAcknowledged()
{
    auto alice = std::make_unique<TestClient>();
    auto bob = std::make_unique<TestClient>();
    QVERIFY(alice->connectTo(m_url) && bob->connectTo(m_url));
    QVERIFY(alice->registerUser(u"alice"_s) && bob->registerUser(u"bob"_s));
    const qint64 group = alice->createGroup(u"crash"_s, {bob->userId()});
    QVERIFY(group);

    // Both send flat out, without waiting for acknowledgements.
    QMap<QString, qint64> pending; // clientId -> request id
    QMap<QString, TestClient *> senderOf;
    for (int i = 0; i < MessagesPerSender; ++i) {
        for (TestClient *client : {alice.get(), bob.get()}) {
            const QString clientId = u"%1-%2"_s.arg(client->username()).arg(i);
            pending.insert(clientId,
                           client->send(Protocol::Request::Send,
                                        {{u"conversationId"_s, group},
                                         {u"clientId"_s, clientId},
                                         {u"contentType"_s, u"text/plain"_s},
                                         {u"content"_s, clientId.toUtf8()}}));
            senderOf.insert(clientId, client);
        }
    }
    // Kill it once some acknowledgements are in and others are surely not.
    const Protocol::Frame tenth = alice->waitResponse(pending.value(u"alice-9"_s));
    VERIFY_OK(tenth);
    killDaemon();
    QVERIFY(alice->waitDisconnected() && bob->waitDisconnected());

    QMap<QString, qint64> acknowledged; // clientId -> seq
    for (auto it = pending.constBegin(); it != pending.constEnd(); ++it) {
        const Protocol::Frame response = senderOf.value(it.key())->waitResponse(it.value(), 0);
        if (response.isOk())
            acknowledged.insert(it.key(), response.body.value(u"seq"_s).toInteger());
    }
    QVERIFY(acknowledged.size() >= 10);
    qInfo() << acknowledged.size() << "of" << pending.size()
            << "sends were acknowledged before SIGKILL";

    // Restart on the same database: everything acknowledged is there, under the same seq.
    QVERIFY(startDaemon());
    auto reader = std::make_unique<TestClient>();
    QVERIFY(reader->connectTo(m_url));
    QVERIFY(reader->resume(alice->token()));
    QList<qint64> seqs;
    const QMap<QString, qint64> stored = fullHistory(reader.get(), group, &seqs);
    for (auto it = acknowledged.constBegin(); it != acknowledged.constEnd(); ++it)
        QCOMPARE(stored.value(it.key(), -1), it.value());
    for (qsizetype i = 0; i < seqs.size(); ++i)
        QCOMPARE(seqs.at(i), i + 1); // gapless, in order
    for (const QString &key : stored.keys())
        QVERIFY2(!key.startsWith(u"DUPLICATE"_s) && !key.startsWith(u"WRONG"_s), qPrintable(key));

    // The outboxes resend everything they have no acknowledgement for, with the same ids.
    auto aliceAgain = std::make_unique<TestClient>();
    auto bobAgain = std::make_unique<TestClient>();
    QVERIFY(aliceAgain->connectTo(m_url) && bobAgain->connectTo(m_url));
    QVERIFY(aliceAgain->resume(alice->token()) && bobAgain->resume(bob->token()));
    for (auto it = pending.constBegin(); it != pending.constEnd(); ++it) {
        if (acknowledged.contains(it.key()))
            continue;
        TestClient *client =
            senderOf.value(it.key()) == alice.get() ? aliceAgain.get() : bobAgain.get();
        const auto response = client->request(Protocol::Request::Send,
                                              {{u"conversationId"_s, group},
                                               {u"clientId"_s, it.key()},
                                               {u"contentType"_s, u"text/plain"_s},
                                               {u"content"_s, it.key().toUtf8()}});
        VERIFY_OK(response);
        // Stored before the crash but never acknowledged: the same seq comes back.
        if (stored.contains(it.key()))
            QCOMPARE(response.body.value(u"seq"_s).toInteger(), stored.value(it.key()));
    }

    seqs.clear();
    const QMap<QString, qint64> final = fullHistory(reader.get(), group, &seqs);
    QCOMPARE(final.size(), pending.size()); // each message exactly once
    for (qsizetype i = 0; i < seqs.size(); ++i)
        QCOMPARE(seqs.at(i), i + 1);
}

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
