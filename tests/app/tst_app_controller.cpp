// AppController, the app's composition root, driven as the first-run pages and the settings
// drive it, against the real server: signing up, errors in words, accounts side by side, theme.
#include "AppTestSupport.h"

#include "TestServer.h"
#include "account/Account.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace App;

using namespace Qt::StringLiterals;
using Stage = AppController::Stage;

namespace {
constexpr int Timeout = 15'000;
}

class TestAppController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    }

    void cleanup() { m_server.reset(); }

    void signUpReachesTheMainStage()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        QCOMPARE(app.app()->username(), u"alice"_s);
        QVERIFY(app.account());
        QTRY_COMPARE_WITH_TIMEOUT(app.app()->connectionState(),
                                  AppController::ConnectionState::Online, Timeout);
        const QVariantList accounts = app.app()->accounts();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts.constFirst().toMap().value(u"username"_s).toString(), u"alice"_s);
        QVERIFY(accounts.constFirst().toMap().value(u"current"_s).toBool());
    }

    void addressesAreCheckedBeforeAnyConnection()
    {
        QTemporaryDir dir;
        AppController::setOptions({dir.path(), true, {}});
        AppController app;
        app.useServer(u"   "_s);
        QCOMPARE(app.stage(), Stage::ChooseServer);
        QVERIFY(!app.errorMessage().isEmpty());
        app.useServer(u"http://example.org"_s);
        QCOMPARE(app.stage(), Stage::ChooseServer);
        QVERIFY(app.errorMessage().contains(u"http://example.org"_s));
        app.useServer(u"chat.example.org"_s);
        QCOMPARE(app.stage(), Stage::SignIn);
        QCOMPARE(app.serverAddress(),
                 u"wss://chat.example.org:7400"_s); // TLS unless said otherwise
        app.useServer(u"localhost"_s);
        QCOMPARE(app.serverAddress(), u"ws://localhost:7400"_s); // this computer: plain is fine
        app.useServer(u"ws://10.0.0.5:7500"_s);
        QCOMPARE(app.serverAddress(), u"ws://10.0.0.5:7500"_s);
    }

    void wrongPasswordAndTakenNameAreSaidInWords()
    {
        SignedInApp first;
        QVERIFY(first.signUp(m_server->url(), u"alice"_s));

        QTemporaryDir dir;
        AppController::setOptions({dir.path(), true, {}});
        AppController app;
        app.useServer(m_server->url().toString());
        app.signIn(u"alice"_s, u"not her password"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!app.isBusy(), Timeout);
        QCOMPARE(app.stage(), Stage::SignIn);
        QVERIFY2(app.errorMessage().contains(u"password"_s, Qt::CaseInsensitive),
                 qPrintable(app.errorMessage()));

        app.registerUser(u"alice"_s, {}, u"another long password"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(!app.isBusy(), Timeout);
        QCOMPARE(app.stage(), Stage::SignIn);
        QVERIFY2(app.errorMessage().contains(u"taken"_s, Qt::CaseInsensitive),
                 qPrintable(app.errorMessage()));
        QVERIFY(app.accounts().isEmpty()); // the failed attempts left no account behind
    }

    void unreachableServerIsSaid()
    {
        QTemporaryDir dir;
        AppController::setOptions({dir.path(), true, {}});
        AppController app;
        QUrl url = m_server->url();
        m_server->stop();
        app.useServer(url.toString());
        app.signIn(u"alice"_s, u"whatever password"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!app.isBusy(), Timeout);
        QCOMPARE(app.stage(), Stage::SignIn);
        QVERIFY2(app.errorMessage().contains(u"reach"_s, Qt::CaseInsensitive),
                 qPrintable(app.errorMessage()));
    }

    void accountsSideBySideAndSwitching()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        Account *alice = app.account();

        app.app()->addAccount();
        QCOMPARE(app.app()->stage(), Stage::ChooseServer);
        QVERIFY(app.app()->isAddingAccount());
        app.app()->cancelAddAccount();
        QCOMPARE(app.app()->stage(), Stage::Main);
        QCOMPARE(app.account(), alice);

        app.app()->addAccount();
        app.app()->useServer(m_server->url().toString());
        app.app()->registerUser(u"bob"_s, {}, u"correct horse battery"_s, {});
        QTRY_COMPARE_WITH_TIMEOUT(app.app()->stage(), Stage::Main, Timeout);
        QCOMPARE(app.app()->username(), u"bob"_s);
        QCOMPARE(app.app()->accounts().size(), 2);

        QSignalSpy changed(app.app(), &AppController::accountChanged);
        app.app()->switchAccount(alice->key());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(app.account(), alice);
        QCOMPARE(app.app()->username(), u"alice"_s);

        // Signing out removes the account and goes on with the other one.
        app.app()->signOut();
        QCOMPARE(app.app()->accounts().size(), 1);
        QCOMPARE(app.app()->username(), u"bob"_s);
        QCOMPARE(app.app()->stage(), Stage::Main);
    }

    void laterStartsGoStraightInToTheLastAccount()
    {
        QTemporaryDir dir;
        AppController::setOptions({dir.path(), true, {}});
        {
            AppController app;
            app.useServer(m_server->url().toString());
            app.registerUser(u"alice"_s, {}, u"correct horse battery"_s, {});
            QTRY_COMPARE_WITH_TIMEOUT(app.stage(), Stage::Main, Timeout);
            app.setTheme(u"dark"_s);
        }
        AppController again;
        QCOMPARE(again.stage(), Stage::Main);
        QCOMPARE(again.username(), u"alice"_s);
        QCOMPARE(again.theme(), u"dark"_s);
        QSignalSpy themeChanged(&again, &AppController::themeChanged);
        again.setTheme(u"purple"_s); // not a theme: ignored
        QCOMPARE(themeChanged.size(), 0);
        again.setTheme(u"system"_s);
        QCOMPARE(again.theme(), u"system"_s);
        QCOMPARE(themeChanged.size(), 1);
    }

    void hostServerOptionHostsOnTheFirstRunOnly()
    {
        // scripts/run's `messenger --host-server`: no question on the first start, the sign-up
        // page of the server it started; and on the next start, that server again.
        QTemporaryDir dir;
        AppController::Options options {dir.path(), true, {}};
        options.hostedPort = 0;
        options.hostOnFirstRun = true;
        AppController::setOptions(options);
        QString address;
        {
            AppController app;
            QTRY_COMPARE_WITH_TIMEOUT(app.stage(), Stage::SignIn, Timeout);
            QVERIFY(app.isHosting());
            address = app.serverAddress();
            QVERIFY2(address.startsWith(u"wss://127.0.0.1:"_s), qPrintable(address));
        }
        AppController again;
        QTRY_COMPARE_WITH_TIMEOUT(again.stage(), Stage::SignIn, Timeout);
        QVERIFY(again.isHosting());
        QVERIFY(again.serverAddress().startsWith(u"wss://127.0.0.1:"_s));
    }

    void hostingServesTlsAndFriendsCompareTheFingerprint()
    {
        // "Host a server on this computer": the real messengerd, on a self-signed certificate
        // the hosting app trusts by itself; a friend's app asks before trusting it.
        QTemporaryDir hostDir;
        AppController::Options options {hostDir.path(), true, {}};
        options.hostedPort = 0;
        AppController::setOptions(options);
        AppController host;
        host.hostServer();
        QTRY_COMPARE_WITH_TIMEOUT(host.stage(), Stage::SignIn, Timeout);
        QVERIFY(host.isHosting());
        QVERIFY2(host.serverAddress().startsWith(u"wss://127.0.0.1:"_s),
                 qPrintable(host.serverAddress()));
        QVERIFY2(host.addressForFriends().startsWith(u"wss://"_s),
                 qPrintable(host.addressForFriends()));
        const QString fingerprint = host.hostedFingerprint();
        QCOMPARE(fingerprint.size(), 95);
        QVERIFY(host.certificateQuestion().isEmpty());
        host.registerUser(u"host"_s, {}, u"correct horse battery"_s, {});
        QTRY_COMPARE_WITH_TIMEOUT(host.stage(), Stage::Main, Timeout);
        QVERIFY(host.certificateQuestion().isEmpty()); // its own server: nothing to ask

        QTemporaryDir friendDir;
        AppController::setOptions({friendDir.path(), true, {}});
        AppController friendApp;
        friendApp.useServer(host.serverAddress()); // the friend types the address it was told
        friendApp.registerUser(u"friend"_s, {}, u"correct horse battery"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(!friendApp.certificateQuestion().isEmpty(), Timeout);
        QCOMPARE(friendApp.certificateQuestion().value(u"fingerprint"_s).toString(), fingerprint);
        QVERIFY(!friendApp.isBusy());
        QCOMPARE(friendApp.stage(), Stage::SignIn);

        // Not trusted: the attempt ends and nothing is kept.
        friendApp.rejectCertificate();
        QVERIFY(friendApp.certificateQuestion().isEmpty());
        QVERIFY(friendApp.errorMessage().contains(u"certificate"_s));
        QVERIFY(friendApp.accounts().isEmpty());

        // Asked again, trusted: the sign-up goes on.
        friendApp.registerUser(u"friend"_s, {}, u"correct horse battery"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(!friendApp.certificateQuestion().isEmpty(), Timeout);
        friendApp.trustCertificate();
        QTRY_COMPARE_WITH_TIMEOUT(friendApp.stage(), Stage::Main, Timeout);
        QCOMPARE(friendApp.username(), u"friend"_s);
    }

private:
    std::unique_ptr<TestServer> m_server;
};

QTEST_MAIN(TestAppController)
#include "tst_app_controller.moc"
