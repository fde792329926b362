// The real messengerd's lifecycle: SIGTERM drains (every acknowledged message is stored, clients
// see close code 1001, a second SIGTERM ends it at once), systemd hears READY=1 and STOPPING=1
// (and WATCHDOG=1) on its notify socket, and --log-format journal prefixes every line with a
// syslog priority.

#include "common/Daemon.h"
#include "common/TestClient.h"
#include "common/TestServer.h"

#include "protocol/Requests.h"

#include <QRegularExpression>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {
constexpr int MessagesPerSender = 90; // below the default per-connection send burst
constexpr int Timeout = 30'000;

//! A datagram socket standing in for systemd's notify socket, in the abstract namespace.
class NotifySocket
{
public:
    NotifySocket()
    {
        m_name = "@messengerd-test-" + QByteArray::number(::getpid()) + '-'
            + QByteArray::number(quintptr(this), 16);
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        sockaddr_un address {};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, m_name.constData(), std::size_t(m_name.size()));
        address.sun_path[0] = '\0';
        m_bound = m_fd >= 0
            && ::bind(m_fd, reinterpret_cast<const sockaddr *>(&address),
                      socklen_t(offsetof(sockaddr_un, sun_path) + std::size_t(m_name.size())))
                == 0;
    }
    ~NotifySocket()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool isBound() const { return m_bound; }
    QString name() const { return QString::fromLatin1(m_name); }
    //! Every datagram received so far, in order.
    const QList<QByteArray> &received()
    {
        char buffer[4096];
        for (ssize_t n; (n = ::recv(m_fd, buffer, sizeof buffer, 0)) > 0;)
            m_received.append(QByteArray(buffer, qsizetype(n)));
        return m_received;
    }
    bool saw(const QByteArray &assignment)
    {
        const auto &all = received();
        return std::any_of(all.cbegin(), all.cend(), [&](const QByteArray &datagram) {
            return datagram.split('\n').contains(assignment);
        });
    }

private:
    QByteArray m_name;
    int m_fd = -1;
    bool m_bound = false;
    QList<QByteArray> m_received;
};
} // namespace

class TestLifecycle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void sigtermDrainsAndLosesNothingAcknowledged();
    void secondSigtermEndsTheDrainAtOnce();
    void systemdHearsReadyStoppingAndWatchdog();
    void journalFormatPrefixesEveryLine();

private:
    std::unique_ptr<TestServer> m_fixture;
    std::unique_ptr<Daemon> m_daemon;
};

void TestLifecycle::init()
{
    m_fixture = std::make_unique<TestServer>();
    QVERIFY2(m_fixture->setUp(), qPrintable(m_fixture->errorString()));
    m_fixture->stop(); // the server under test is the real executable on the same database
    m_daemon = std::make_unique<Daemon>(QStringLiteral(MESSENGERD_PATH), m_fixture.get());
}

void TestLifecycle::cleanup()
{
    m_daemon.reset();
    m_fixture.reset();
}

void TestLifecycle::sigtermDrainsAndLosesNothingAcknowledged()
{
    QVERIFY(m_daemon->start());
    auto alice = std::make_unique<TestClient>();
    auto bob = std::make_unique<TestClient>();
    QVERIFY(alice->connectTo(m_daemon->url()) && bob->connectTo(m_daemon->url()));
    QVERIFY(alice->registerUser(u"alice"_s) && bob->registerUser(u"bob"_s));
    const qint64 group = alice->createGroup(u"drain"_s, {bob->userId()});
    QVERIFY(group);

    // Both send flat out, without waiting for acknowledgements; SIGTERM lands in the middle.
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
    VERIFY_OK(alice->waitResponse(pending.value(u"alice-9"_s)));
    QVERIFY(m_daemon->signal(SIGTERM));

    // Going away, not failing: 1001 to every client, then a clean exit.
    QVERIFY(alice->waitDisconnected(Timeout) && bob->waitDisconnected(Timeout));
    QCOMPARE(alice->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QCOMPARE(bob->closeCode(), QWebSocketProtocol::CloseCodeGoingAway);
    QVERIFY(m_daemon->waitFinished(Timeout));
    QCOMPARE(m_daemon->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_daemon->exitCode(), 0);
    QVERIFY(m_daemon->standardError().contains("draining"));

    QMap<QString, qint64> acknowledged; // clientId -> seq
    for (auto it = pending.constBegin(); it != pending.constEnd(); ++it) {
        const Protocol::Frame response = senderOf.value(it.key())->waitResponse(it.value(), 0);
        if (response.isOk())
            acknowledged.insert(it.key(), response.body.value(u"seq"_s).toInteger());
        else
            QVERIFY2(response.type.isEmpty(), // never an error: unanswered, so resent
                     qPrintable(TestClient::describe(response)));
    }
    QVERIFY(acknowledged.size() >= 10);
    qInfo() << acknowledged.size() << "of" << pending.size()
            << "sends were acknowledged before the connections closed";

    // Everything acknowledged is stored under its seq; the rest goes out again, each once.
    QVERIFY(m_daemon->start());
    auto aliceAgain = std::make_unique<TestClient>();
    auto bobAgain = std::make_unique<TestClient>();
    QVERIFY(aliceAgain->connectTo(m_daemon->url()) && bobAgain->connectTo(m_daemon->url()));
    QVERIFY(aliceAgain->resume(alice->token()) && bobAgain->resume(bob->token()));
    QSet<qint64> seqsSeen;
    for (auto it = pending.constBegin(); it != pending.constEnd(); ++it) {
        TestClient *client =
            senderOf.value(it.key()) == alice.get() ? aliceAgain.get() : bobAgain.get();
        const auto response = client->request(Protocol::Request::Send,
                                              {{u"conversationId"_s, group},
                                               {u"clientId"_s, it.key()},
                                               {u"contentType"_s, u"text/plain"_s},
                                               {u"content"_s, it.key().toUtf8()}});
        VERIFY_OK(response);
        const qint64 seq = response.body.value(u"seq"_s).toInteger();
        // Stored before the drain: the same seq comes back (a resend is never stored twice).
        if (acknowledged.contains(it.key()))
            QCOMPARE(seq, acknowledged.value(it.key()));
        QVERIFY2(!seqsSeen.contains(seq), qPrintable(it.key()));
        seqsSeen.insert(seq);
    }
}

void TestLifecycle::secondSigtermEndsTheDrainAtOnce()
{
    // A peer that never answers the close frame holds the drain open (up to an hour here)...
    QVERIFY(m_daemon->start({u"--drain-timeout"_s, u"3600"_s}));
    // A bare socket: Qt's would close its side when the server's FIN arrives.
    const int peer = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    QVERIFY(peer >= 0);
    const auto closePeer = qScopeGuard([peer] { ::close(peer); });
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(quint16(m_daemon->url().port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QCOMPARE(::connect(peer, reinterpret_cast<const sockaddr *>(&address), sizeof address), 0);
    const QByteArray upgrade =
        "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    QCOMPARE(::send(peer, upgrade.constData(), std::size_t(upgrade.size()), MSG_NOSIGNAL),
             ssize_t(upgrade.size()));
    QByteArray received;
    const auto readAll = [peer, &received] {
        char buffer[4096];
        for (ssize_t n; (n = ::recv(peer, buffer, sizeof buffer, MSG_DONTWAIT)) > 0;)
            received.append(buffer, qsizetype(n));
        return received;
    };
    QTRY_VERIFY_WITH_TIMEOUT(readAll().contains("\r\n\r\n"), Timeout);
    QVERIFY(received.startsWith("HTTP/1.1 101"));

    QVERIFY(m_daemon->signal(SIGTERM));
    // The close frame (opcode 8, code 1001) arrives after the welcome; the peer keeps quiet.
    const auto closeCode = [&received]() -> int {
        qsizetype at = received.indexOf("\r\n\r\n") + 4;
        while (at + 2 <= received.size()) { // server frames are unmasked
            const int opcode = quint8(received.at(at)) & 0x0f;
            qsizetype length = quint8(received.at(at + 1)) & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                if (at + 4 > received.size())
                    return -1;
                length = (quint8(received.at(at + 2)) << 8) | quint8(received.at(at + 3));
                header = 4;
            } else if (length == 127) {
                return -2; // never this large here
            }
            if (at + header + length > received.size())
                return -1;
            if (opcode == 8)
                return length >= 2
                    ? (quint8(received.at(at + header)) << 8) | quint8(received.at(at + header + 1))
                    : 0;
            at += header + length;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT((readAll(), closeCode() != -1), Timeout);
    QCOMPARE(closeCode(), 1001);
    QVERIFY(m_daemon->isRunning());

    // ...until the operator insists.
    QVERIFY(m_daemon->signal(SIGTERM));
    QVERIFY(m_daemon->waitFinished(Timeout));
    QCOMPARE(m_daemon->exitStatus(), QProcess::NormalExit);
    QCOMPARE(m_daemon->exitCode(), 1);
}

void TestLifecycle::systemdHearsReadyStoppingAndWatchdog()
{
    NotifySocket systemd;
    QVERIFY(systemd.isBound());
    QProcessEnvironment environment;
    environment.insert(u"NOTIFY_SOCKET"_s, systemd.name());
    environment.insert(u"WATCHDOG_USEC"_s, u"200000"_s); // a ping every 100 ms
    QVERIFY(m_daemon->start({}, environment));

    QTRY_VERIFY_WITH_TIMEOUT(systemd.saw("READY=1"), Timeout);
    const QByteArray ready = systemd.received().constFirst();
    QVERIFY2(ready.contains("STATUS=serving"), ready.constData());
    QVERIFY(ready.contains("MAINPID=" + QByteArray::number(m_daemon->pid())));
    QTRY_VERIFY_WITH_TIMEOUT(systemd.saw("WATCHDOG=1"), Timeout);
    QVERIFY(!systemd.saw("STOPPING=1"));

    QVERIFY(m_daemon->signal(SIGHUP)); // reload: RELOADING=1, then READY=1 again
    QTRY_VERIFY_WITH_TIMEOUT(systemd.saw("RELOADING=1"), Timeout);

    QVERIFY(m_daemon->signal(SIGTERM));
    QTRY_VERIFY_WITH_TIMEOUT(systemd.saw("STOPPING=1"), Timeout);
    QVERIFY(m_daemon->waitFinished(Timeout));
    QCOMPARE(m_daemon->exitCode(), 0);
}

void TestLifecycle::journalFormatPrefixesEveryLine()
{
    QVERIFY(m_daemon->start({u"--log-format"_s, u"journal"_s, u"--log-level"_s, u"debug"_s}));
    auto client = std::make_unique<TestClient>();
    QVERIFY(client->connectTo(m_daemon->url()));
    QVERIFY(client->registerUser(u"alice"_s));
    QVERIFY(m_daemon->signal(SIGTERM));
    QVERIFY(m_daemon->waitFinished(Timeout));
    QCOMPARE(m_daemon->exitCode(), 0);

    const QList<QByteArray> lines = m_daemon->standardError().trimmed().split('\n');
    QVERIFY(lines.size() >= 3);
    static const QRegularExpression journalLine(u"^<[0-7]>messengerd\\.[a-z.]+: \\S"_s);
    for (const QByteArray &line : lines)
        QVERIFY2(journalLine.match(QString::fromUtf8(line)).hasMatch(), line.constData());
    QVERIFY(m_daemon->standardError().contains("<7>messengerd.server: listening on"));
    QVERIFY(m_daemon->standardError().contains("<6>messengerd.ops: draining"));

    // Readable by default, when stderr is not the journal: no prefixes.
    QVERIFY(m_daemon->start());
    QVERIFY(m_daemon->signal(SIGTERM));
    QVERIFY(m_daemon->waitFinished(Timeout));
    const QByteArray readable = m_daemon->standardError().mid(
        m_daemon->standardError().indexOf("messengerd.ops: stopped") + 1);
    QVERIFY(readable.contains("messengerd.ops: draining"));
    QVERIFY(!readable.contains("<6>"));
}

QTEST_GUILESS_MAIN(TestLifecycle)
#include "tst_lifecycle.moc"
