#include "ClientTestSupport.h"

#include "TestServer.h"
#include "account/KeychainTokenVault.h"
#include "store/LocalStore.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;

//! Runs a vault operation and waits for its callback.
QString readToken(TokenVault &vault, const QString &key, QString *error = nullptr)
{
    QString token;
    bool done = false;
    QObject context;
    vault.readToken(key, &context, [&](const QString &value, const QString &failure) {
        token = value;
        if (error)
            *error = failure;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, Timeout))
        qWarning("the keychain did not answer in time");
    return token;
}
} // namespace

//! The device token in a real keychain: run under run-with-keyring.sh (a private D-Bus session
//! with GNOME Keyring), as CTest does.
class TestClientKeychain : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"),
                 "no D-Bus session: run this test through tests/client/run-with-keyring.sh");
    }

    void vaultRoundTrip()
    {
        KeychainTokenVault vault(u"messenger-test"_s);
        QString error;
        QCOMPARE(readToken(vault, u"nobody@example.org:443"_s, &error), QString());
        QCOMPARE(error, QString()); // none stored is not an error

        bool written = false;
        QObject context;
        vault.writeToken(u"alice@example.org:443"_s, u"s3cret-token"_s, &context,
                         [&](const QString &failure) {
                             QVERIFY2(failure.isEmpty(), qPrintable(failure));
                             written = true;
                         });
        QTRY_VERIFY_WITH_TIMEOUT(written, Timeout);
        QCOMPARE(readToken(vault, u"alice@example.org:443"_s), u"s3cret-token"_s);

        bool removed = false;
        vault.removeToken(u"alice@example.org:443"_s, &context, [&](const QString &failure) {
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
            removed = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(removed, Timeout);
        QCOMPARE(readToken(vault, u"alice@example.org:443"_s), QString());
    }

    void accountResumesWithTheKeychainToken()
    {
        TestServer server;
        QVERIFY2(server.setUp(), qPrintable(server.errorString()));
        QTemporaryDir dir;
        TrustStore trust;
        const QString storePath = dir.filePath(u"alice.sqlite"_s);
        QString token;
        {
            KeychainTokenVault vault(u"messenger-test"_s);
            Account account(server.url(), u"alice"_s, storePath, &vault, &trust, fastSettings());
            QVERIFY(awaited(account.openStore()));
            QVERIFY(registerOnline(&account, u"Alice"_s));
            QTRY_VERIFY_WITH_TIMEOUT(!(token = readToken(vault, account.key())).isEmpty(), Timeout);
            QCOMPARE(token, account.connection()->token());
        }
        // Never in a plain file: not in the store.
        for (const QString &suffix : {QString(), u"-wal"_s}) {
            QFile file(storePath + suffix);
            if (file.open(QIODevice::ReadOnly))
                QVERIFY(!file.readAll().contains(token.toUtf8()));
        }

        // The app starts again and resumes with the token from the keychain, no password asked.
        KeychainTokenVault vault(u"messenger-test"_s);
        Account account(server.url(), u"alice"_s, storePath, &vault, &trust, fastSettings());
        QVERIFY(awaited(account.openStore()));
        QSignalSpy passwordAsked(&account, &Account::signInRequired);
        account.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(account.state(), Connection::State::Online, Timeout);
        QCOMPARE(passwordAsked.size(), 0);

        // Signing out forgets it.
        account.signOut();
        QTRY_COMPARE_WITH_TIMEOUT(readToken(vault, account.key()), QString(), Timeout);
    }
};

QTEST_GUILESS_MAIN(TestClientKeychain)
#include "tst_client_keychain.moc"
