// wss://: the server speaks TLS with an operator's certificate; clients check it normally, and a
// self-signed one is accepted only when the client trusts exactly that certificate.

#include "common/TestServer.h"

#include "protocol/Frame.h"
#include "protocol/Requests.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>
#include <QWebSocket>

using namespace Server;

using namespace Qt::StringLiterals;

class TestTls : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void registersOverTrustedTls();
    void refusesUnknownCertificate();
    void acceptsPinnedSelfSignedCertificate();
    void refusesPlainWebSocketOnTlsPort();
    void selfSignedIsMadeOnceAndKept();

private:
    QSslCertificate certificate() const;
    bool waitWelcome(QWebSocket &socket);

    QTemporaryDir m_dir;
    QString m_certPath;
    QString m_keyPath;
    std::unique_ptr<TestServer> m_server;
};

void TestTls::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_certPath = m_dir.filePath(u"cert.pem"_s);
    m_keyPath = m_dir.filePath(u"key.pem"_s);
    QProcess openssl;
    openssl.start(u"openssl"_s,
                  {u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                   u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s, u"2"_s, u"-subj"_s,
                   u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s,
                   m_keyPath, u"-out"_s, m_certPath});
    QVERIFY2(openssl.waitForFinished(30'000), "openssl did not finish");
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
    QVERIFY(!certificate().isNull());
}

void TestTls::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    m_server->stop(); // setUp starts a plain server; this one speaks TLS
    m_server->config().tlsCertificate = m_certPath;
    m_server->config().tlsPrivateKey = m_keyPath;
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QCOMPARE(m_server->url().scheme(), u"wss"_s);
}

void TestTls::cleanup()
{
    m_server.reset();
}

QSslCertificate TestTls::certificate() const
{
    const auto certificates = QSslCertificate::fromPath(m_certPath);
    return certificates.isEmpty() ? QSslCertificate() : certificates.first();
}

bool TestTls::waitWelcome(QWebSocket &socket)
{
    QSignalSpy frames(&socket, &QWebSocket::binaryMessageReceived);
    if (!frames.wait(10'000))
        return false;
    const auto decoded = Protocol::decodeFrame(frames.first().first().toByteArray());
    return decoded.ok() && decoded.frame.type == Protocol::Event::Welcome;
}

void TestTls::registersOverTrustedTls()
{
    QWebSocket socket;
    QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
    ssl.setCaCertificates({certificate()});
    socket.setSslConfiguration(ssl);
    socket.open(m_server->url());
    QVERIFY(waitWelcome(socket));

    QSignalSpy frames(&socket, &QWebSocket::binaryMessageReceived);
    socket.sendBinaryMessage(Protocol::encodeRequest(Protocol::Request::Register, 1,
                                                     {{u"username"_s, u"alice"_s},
                                                      {u"displayName"_s, u"Alice"_s},
                                                      {u"password"_s, u"correct horse"_s},
                                                      {u"protocol"_s, Protocol::Version}}));
    QVERIFY(frames.wait(10'000));
    const auto reply = Protocol::decodeFrame(frames.first().first().toByteArray());
    QVERIFY(reply.ok());
    QVERIFY2(reply.frame.isOk(), qPrintable(reply.frame.errorMessage()));
    QVERIFY(!reply.frame.body.value(u"token"_s).toString().isEmpty());
}

void TestTls::refusesUnknownCertificate()
{
    // Normal certificate checks: a certificate nobody vouches for is refused.
    QWebSocket socket;
    QSignalSpy errors(&socket, &QWebSocket::sslErrors);
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
    socket.open(m_server->url());
    QTRY_VERIFY_WITH_TIMEOUT(!errors.isEmpty(), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(!disconnected.isEmpty(), 10'000);
    QCOMPARE(connected.size(), 0);
    const auto sslErrors = errors.first().first().value<QList<QSslError>>();
    QVERIFY(!sslErrors.isEmpty());
    QCOMPARE(sslErrors.first().certificate(), certificate());
}

void TestTls::acceptsPinnedSelfSignedCertificate()
{
    // What a client does after its user compared and accepted the fingerprint: it ignores
    // exactly the errors of exactly this certificate, and nothing else.
    QWebSocket socket;
    const QSslCertificate pinned = certificate();
    QVERIFY(!pinned.digest(QCryptographicHash::Sha256).isEmpty());
    socket.ignoreSslErrors({QSslError(QSslError::SelfSignedCertificate, pinned)});
    socket.open(m_server->url());
    QVERIFY(waitWelcome(socket));
}

void TestTls::refusesPlainWebSocketOnTlsPort()
{
    QWebSocket socket;
    QSignalSpy connected(&socket, &QWebSocket::connected);
    QSignalSpy disconnected(&socket, &QWebSocket::disconnected);
    QUrl plain = m_server->url();
    plain.setScheme(u"ws"_s);
    socket.open(plain);
    QTRY_VERIFY_WITH_TIMEOUT(!disconnected.isEmpty(), 15'000);
    QCOMPARE(connected.size(), 0);
}

void TestTls::selfSignedIsMadeOnceAndKept()
{
    // `--tls self-signed`: no certificate given, the server makes one in its data folder, says
    // its fingerprint, and keeps it across restarts (clients pinned it).
    QTemporaryDir data;
    m_server->stop();
    m_server->config().tlsCertificate.clear();
    m_server->config().tlsPrivateKey.clear();
    m_server->config().tlsSelfSigned = true;
    m_server->config().dataDir = data.path();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QCOMPARE(m_server->url().scheme(), u"wss"_s);
    const QString fingerprint = m_server->server()->certificateFingerprint();
    QCOMPARE(fingerprint.size(), 32 * 3 - 1); // "AB:CD:…", 32 bytes
    QVERIFY(QFile::exists(data.filePath(u"tls/cert.pem"_s)));
    QCOMPARE(QFile::permissions(data.filePath(u"tls/key.pem"_s))
                 & (QFile::ReadGroup | QFile::ReadOther),
             QFile::Permissions());

    const QList<QSslCertificate> made = QSslCertificate::fromPath(data.filePath(u"tls/cert.pem"_s));
    QCOMPARE(made.size(), 1);
    QCOMPARE(
        QString::fromLatin1(made.first().digest(QCryptographicHash::Sha256).toHex(':').toUpper()),
        fingerprint);
    QVERIFY(made.first()
                .subjectAlternativeNames()
                .values(QSsl::IpAddressEntry)
                .contains(u"127.0.0.1"_s));

    // A client that pinned exactly this certificate gets in; its checks otherwise stand.
    {
        QWebSocket socket;
        socket.ignoreSslErrors({QSslError(QSslError::SelfSignedCertificate, made.first())});
        socket.open(m_server->url());
        QVERIFY(waitWelcome(socket));
    }

    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    QCOMPARE(m_server->server()->certificateFingerprint(), fingerprint);
}

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
