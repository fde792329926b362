#include "ClientTestSupport.h"

#include "TestServer.h"

#include <QFile>
#include <QSignalSpy>
#include <QSslSocket>
#include <QTest>

using namespace Server;
using namespace Client;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;

QString dataFile(const QString &name)
{
    return QStringLiteral(CLIENT_TEST_DATA "/") + name;
}

QString fingerprintOf(const QString &name)
{
    QFile file(dataFile(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return TrustStore::fingerprint(QSslCertificate(file.readAll(), QSsl::Pem));
}
} // namespace

//! wss:// to a server with a self-signed certificate: refused until the user trusts its
//! fingerprint, remembered afterwards, and refused again when the certificate changes.
class TestClientTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("this Qt has no TLS backend");
    }

    void init()
    {
        m_server = std::make_unique<TestServer>();
        useCertificate(u"server-a"_s);
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        QCOMPARE(m_server->url().scheme(), u"wss"_s);
    }

    void cleanup() { m_server.reset(); }

    void selfSignedIsTrustedOnlyAfterConfirmation()
    {
        QTemporaryDir dir;
        TrustStore trust(dir.filePath(u"trusted.json"_s));
        MemoryTokenVault vault;
        Account account(m_server->url(), u"alice"_s, dir.filePath(u"alice.sqlite"_s), &vault,
                        &trust, fastSettings());
        QVERIFY(awaited(account.openStore()));
        QSignalSpy offered(&account, &Account::certificateNotTrusted);
        account.registerUser(u"Alice"_s, u"correct horse battery"_s);
        QVERIFY(offered.wait(Timeout));
        const QString fingerprint = offered.first().at(2).toString();
        QCOMPARE(fingerprint, fingerprintOf(u"server-a.crt"_s));
        QCOMPARE(account.state(), Connection::State::Offline);
        QVERIFY(account.lastError().contains(fingerprint));

        // A different fingerprint than the one offered is not accepted.
        QVERIFY(!account.connection()->trustCertificate(fingerprintOf(u"server-b.crt"_s)));
        QVERIFY(account.connection()->trustCertificate(fingerprint));
        QTRY_COMPARE_WITH_TIMEOUT(account.state(), Connection::State::Online, Timeout);
        QCOMPARE(offered.size(), 1);

        // Remembered: a new app start trusts it without asking.
        TrustStore reloaded(dir.filePath(u"trusted.json"_s));
        QCOMPARE(reloaded.pinnedFingerprint(m_server->url().host(), m_server->url().port()),
                 fingerprint);
        account.disconnectFromServer();
        Account again(m_server->url(), u"alice"_s, dir.filePath(u"alice.sqlite"_s), &vault,
                      &reloaded, fastSettings());
        QVERIFY(awaited(again.openStore()));
        QSignalSpy offeredAgain(&again, &Account::certificateNotTrusted);
        again.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(again.state(), Connection::State::Online, Timeout);
        QCOMPARE(offeredAgain.size(), 0);
    }

    void changedCertificateIsRefused()
    {
        QTemporaryDir dir;
        TrustStore trust;
        trust.trust(m_server->url().host(), m_server->url().port(),
                    fingerprintOf(u"server-a.crt"_s));
        MemoryTokenVault vault;
        Account account(m_server->url(), u"bob"_s, dir.filePath(u"bob.sqlite"_s), &vault, &trust,
                        fastSettings());
        QVERIFY(awaited(account.openStore()));
        account.registerUser(u"Bob"_s, u"correct horse battery"_s);
        QTRY_COMPARE_WITH_TIMEOUT(account.state(), Connection::State::Online, Timeout);

        // The server comes back on the same address with another certificate.
        m_server->config().port = m_server->server()->port();
        m_server->stop();
        useCertificate(u"server-b"_s);
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        QSignalSpy offered(&account, &Account::certificateNotTrusted);
        QTRY_VERIFY_WITH_TIMEOUT(account.lastError().contains(u"changed"_s), Timeout);
        QCOMPARE(account.state(), Connection::State::Offline);
        QVERIFY(account.lastError().contains(fingerprintOf(u"server-b.crt"_s)));
        QCOMPARE(offered.size(), 0); // refused, not offered
        // It stays refused until the user trusts the new certificate explicitly.
        QVERIFY(!account.connection()->trustCertificate(fingerprintOf(u"server-a.crt"_s)));
        QCOMPARE(account.state(), Connection::State::Offline);
        QVERIFY(account.connection()->trustCertificate(fingerprintOf(u"server-b.crt"_s)));
        QTRY_COMPARE_WITH_TIMEOUT(account.state(), Connection::State::Online, Timeout);
        QCOMPARE(trust.pinnedFingerprint(m_server->url().host(), m_server->url().port()),
                 fingerprintOf(u"server-b.crt"_s));
    }

private:
    void useCertificate(const QString &name)
    {
        m_server->config().tlsCertificate = dataFile(name + u".crt"_s);
        m_server->config().tlsPrivateKey = dataFile(name + u".key"_s);
    }

    std::unique_ptr<TestServer> m_server;
};

QTEST_GUILESS_MAIN(TestClientTls)
#include "tst_client_tls.moc"
