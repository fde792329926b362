// SIGHUP on the real messengerd: a renewed certificate applies to new connections while the open
// ones keep theirs, the registration policy changes live, what needs a restart is logged, and a
// bad configuration or an unreadable certificate keeps what runs.

#include "common/Daemon.h"
#include "common/TestServer.h"

#include "core/SelfSignedCertificate.h"
#include "protocol/Frame.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

#include <csignal>

using namespace Server;
using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 30'000;

//! A wss:// connection that accepts any certificate (the test compares fingerprints itself).
struct WssClient
{
    QWebSocket socket;
    Protocol::Frame welcome;

    bool open(const QUrl &url)
    {
        QObject::connect(&socket, &QWebSocket::sslErrors, &socket,
                         [this](const QList<QSslError> &) { socket.ignoreSslErrors(); });
        QObject::connect(&socket, &QWebSocket::binaryMessageReceived, &socket,
                         [this](const QByteArray &bytes) {
                             if (welcome.type.isEmpty())
                                 welcome = Protocol::decodeFrame(bytes).frame;
                         });
        socket.open(url);
        return QTest::qWaitFor([this] { return !welcome.type.isEmpty(); }, Timeout);
    }
    QString fingerprint() const
    {
        return QString::fromLatin1(socket.sslConfiguration()
                                       .peerCertificate()
                                       .digest(QCryptographicHash::Sha256)
                                       .toHex(':')
                                       .toUpper());
    }
    bool stillServes()
    {
        QSignalSpy pong(&socket, &QWebSocket::pong);
        socket.ping("still there?");
        return pong.wait(Timeout);
    }
};
} // namespace

class TestReload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void newCertificateForNewConnections();
    void badConfigurationKeepsWhatRuns();

private:
    bool writeConfig(const QByteArray &contents);
    bool waitLog(const QByteArray &text);

    QTemporaryDir m_dir;
    SelfSignedCertificate::Files m_old, m_new;
    QString m_config;
    std::unique_ptr<TestServer> m_fixture;
    std::unique_ptr<Daemon> m_daemon;
};

void TestReload::init()
{
    m_fixture = std::make_unique<TestServer>();
    QVERIFY2(m_fixture->setUp(), qPrintable(m_fixture->errorString()));
    m_fixture->stop();
    m_daemon = std::make_unique<Daemon>(QStringLiteral(MESSENGERD_PATH), m_fixture.get());
    QString error;
    QVERIFY2(SelfSignedCertificate::ensure(m_dir.filePath(u"old"_s), &m_old, &error),
             qPrintable(error));
    QVERIFY2(SelfSignedCertificate::ensure(m_dir.filePath(u"new"_s), &m_new, &error),
             qPrintable(error));
    m_config = m_dir.filePath(u"messengerd.conf"_s);
}

void TestReload::cleanup()
{
    m_daemon.reset();
    m_fixture.reset();
}

bool TestReload::writeConfig(const QByteArray &contents)
{
    QFile file(m_config);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && file.write(contents) == contents.size();
}

bool TestReload::waitLog(const QByteArray &text)
{
    const bool seen = QTest::qWaitFor(
        [this, &text] { return m_daemon->standardError().contains(text); }, Timeout);
    if (!seen)
        qWarning().noquote() << "not in the log:" << text << "\nlog:" << m_daemon->standardError();
    return seen;
}

void TestReload::newCertificateForNewConnections()
{
    QVERIFY(writeConfig("tls-cert=" + m_old.certificate.toUtf8()
                        + "\ntls-key=" + m_old.privateKey.toUtf8() + "\nregistration=open\n"));
    QVERIFY(m_daemon->start({u"--config"_s, m_config}));
    QCOMPARE(m_daemon->url().scheme(), u"wss"_s);
    const QString oldFingerprint = SelfSignedCertificate::fingerprintOfFile(m_old.certificate);
    const QString newFingerprint = SelfSignedCertificate::fingerprintOfFile(m_new.certificate);
    QVERIFY(oldFingerprint != newFingerprint);

    WssClient before;
    QVERIFY(before.open(m_daemon->url()));
    QCOMPARE(before.fingerprint(), oldFingerprint);
    QCOMPARE(before.welcome.body.value(u"registration"_s).toString(), u"open"_s);

    // The renewed certificate, another policy, and a setting only a restart applies.
    QVERIFY(writeConfig("tls-cert=" + m_new.certificate.toUtf8()
                        + "\ntls-key=" + m_new.privateKey.toUtf8()
                        + "\nregistration=closed\nmax-connections=5\n"));
    QVERIFY(m_daemon->signal(SIGHUP));
    QVERIFY(waitLog("reloaded"));
    QVERIFY(m_daemon->standardError().contains("new TLS certificate, SHA-256 "
                                               + newFingerprint.toLatin1()));
    QVERIFY(m_daemon->standardError().contains("max-connections changed"));

    WssClient after;
    QVERIFY(after.open(m_daemon->url()));
    QCOMPARE(after.fingerprint(), newFingerprint);
    QCOMPARE(after.welcome.body.value(u"registration"_s).toString(), u"closed"_s);
    // The connection opened before keeps its certificate and is still served.
    QCOMPARE(before.fingerprint(), oldFingerprint);
    QVERIFY(before.stillServes());
}

void TestReload::badConfigurationKeepsWhatRuns()
{
    QVERIFY(writeConfig("tls-cert=" + m_old.certificate.toUtf8()
                        + "\ntls-key=" + m_old.privateKey.toUtf8() + "\n"));
    QVERIFY(m_daemon->start({u"--config"_s, m_config}));
    const QString oldFingerprint = SelfSignedCertificate::fingerprintOfFile(m_old.certificate);

    // An invalid value: nothing changes.
    QVERIFY(writeConfig("tls-cert=" + m_new.certificate.toUtf8()
                        + "\ntls-key=" + m_new.privateKey.toUtf8() + "\nregistration=sometimes\n"));
    QVERIFY(m_daemon->signal(SIGHUP));
    QVERIFY(waitLog("the configuration is not valid, keeping the current one"));
    WssClient first;
    QVERIFY(first.open(m_daemon->url()));
    QCOMPARE(first.fingerprint(), oldFingerprint);

    // A key that is not the certificate's: the old pair stays.
    QVERIFY(writeConfig("tls-cert=" + m_new.certificate.toUtf8()
                        + "\ntls-key=" + m_old.privateKey.toUtf8() + "\n"));
    QVERIFY(m_daemon->signal(SIGHUP));
    QVERIFY(waitLog("does not belong to the certificate"));
    // An unreadable certificate: the old pair stays too.
    QVERIFY(writeConfig("tls-cert=" + m_dir.filePath(u"missing.pem"_s).toUtf8()
                        + "\ntls-key=" + m_old.privateKey.toUtf8() + "\n"));
    QVERIFY(m_daemon->signal(SIGHUP));
    QVERIFY(waitLog("cannot read the TLS certificate"));
    WssClient second;
    QVERIFY(second.open(m_daemon->url()));
    QCOMPARE(second.fingerprint(), oldFingerprint);
    QVERIFY(first.stillServes());
}

QTEST_GUILESS_MAIN(TestReload)
#include "tst_reload.moc"
