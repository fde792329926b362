// AppController, the app's composition root, driven as the first-run pages and the settings
// drive it, against the real server: signing up, errors in words, accounts side by side, theme.
#include "AppTestSupport.h"

#include "ClientTestSupport.h"
#include "TestServer.h"
#include "account/Account.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace App;

using namespace Qt::StringLiterals;
using Stage = Onboarding::Stage;

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
        const QVariantList accounts = app.app()->accountList()->entries();
        QCOMPARE(accounts.size(), 1);
        QCOMPARE(accounts.constFirst().toMap().value(u"username"_s).toString(), u"alice"_s);
        QVERIFY(accounts.constFirst().toMap().value(u"current"_s).toBool());
    }

    void addressesAreCheckedBeforeAnyConnection()
    {
        QTemporaryDir dir;
        AppController::setOptions({dir.path(), true, {}});
        AppController app;
        app.onboarding()->useServer(u"   "_s);
        QCOMPARE(app.onboarding()->stage(), Stage::ChooseServer);
        QVERIFY(!app.onboarding()->errorMessage().isEmpty());
        app.onboarding()->useServer(u"http://example.org"_s);
        QCOMPARE(app.onboarding()->stage(), Stage::ChooseServer);
        QVERIFY(app.onboarding()->errorMessage().contains(u"http://example.org"_s));
        app.onboarding()->useServer(u"chat.example.org"_s);
        QCOMPARE(app.onboarding()->stage(), Stage::SignIn);
        QCOMPARE(app.onboarding()->serverAddress(),
                 u"wss://chat.example.org:7400"_s); // TLS unless said otherwise
        app.onboarding()->useServer(u"localhost"_s);
        QCOMPARE(app.onboarding()->serverAddress(),
                 u"ws://localhost:7400"_s); // this computer: plain is fine
        app.onboarding()->useServer(u"ws://10.0.0.5:7500"_s);
        QCOMPARE(app.onboarding()->serverAddress(), u"ws://10.0.0.5:7500"_s);
    }

    void wrongPasswordAndTakenNameAreSaidInWords()
    {
        SignedInApp first;
        QVERIFY(first.signUp(m_server->url(), u"alice"_s));

        QTemporaryDir dir;
        AppController::setOptions({dir.path(), true, {}});
        AppController app;
        app.onboarding()->useServer(m_server->url().toString());
        app.onboarding()->signIn(u"alice"_s, u"not her password"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!app.onboarding()->isBusy(), Timeout);
        QCOMPARE(app.onboarding()->stage(), Stage::SignIn);
        QVERIFY2(app.onboarding()->errorMessage().contains(u"password"_s, Qt::CaseInsensitive),
                 qPrintable(app.onboarding()->errorMessage()));

        app.onboarding()->registerUser(u"alice"_s, {}, u"another long password"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(!app.onboarding()->isBusy(), Timeout);
        QCOMPARE(app.onboarding()->stage(), Stage::SignIn);
        QVERIFY2(app.onboarding()->errorMessage().contains(u"taken"_s, Qt::CaseInsensitive),
                 qPrintable(app.onboarding()->errorMessage()));
        QVERIFY(
            app.accountList()->entries().isEmpty()); // the failed attempts left no account behind
    }

    void unreachableServerIsSaid()
    {
        QTemporaryDir dir;
        AppController::setOptions({dir.path(), true, {}});
        AppController app;
        QUrl url = m_server->url();
        m_server->stop();
        app.onboarding()->useServer(url.toString());
        app.onboarding()->signIn(u"alice"_s, u"whatever password"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!app.onboarding()->isBusy(), Timeout);
        QCOMPARE(app.onboarding()->stage(), Stage::SignIn);
        QVERIFY2(app.onboarding()->errorMessage().contains(u"reach"_s, Qt::CaseInsensitive),
                 qPrintable(app.onboarding()->errorMessage()));
    }

    void accountsSideBySideAndSwitching()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        Account *alice = app.account();

        app.app()->accountList()->addAccount();
        QCOMPARE(app.app()->onboarding()->stage(), Stage::ChooseServer);
        QVERIFY(app.app()->onboarding()->isAddingAccount());
        app.app()->onboarding()->cancelAddAccount();
        QCOMPARE(app.app()->onboarding()->stage(), Stage::Done);
        QCOMPARE(app.account(), alice);

        app.app()->accountList()->addAccount();
        app.app()->onboarding()->useServer(m_server->url().toString());
        app.app()->onboarding()->registerUser(u"bob"_s, {}, u"correct horse battery"_s, {});
        QTRY_COMPARE_WITH_TIMEOUT(app.app()->onboarding()->stage(), Stage::Done, Timeout);
        QCOMPARE(app.app()->username(), u"bob"_s);
        QCOMPARE(app.app()->accountList()->entries().size(), 2);

        QSignalSpy changed(app.app(), &AppController::accountChanged);
        app.app()->accountList()->switchAccount(alice->key());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(app.account(), alice);
        QCOMPARE(app.app()->username(), u"alice"_s);

        // Signing out removes the account and goes on with the other one.
        app.app()->accountList()->signOut();
        QCOMPARE(app.app()->accountList()->entries().size(), 1);
        QCOMPARE(app.app()->username(), u"bob"_s);
        QCOMPARE(app.app()->onboarding()->stage(), Stage::Done);
    }

    void laterStartsGoStraightInToTheLastAccount()
    {
        QTemporaryDir dir;
        AppController::setOptions({dir.path(), true, {}});
        {
            AppController app;
            app.onboarding()->useServer(m_server->url().toString());
            app.onboarding()->registerUser(u"alice"_s, {}, u"correct horse battery"_s, {});
            QTRY_COMPARE_WITH_TIMEOUT(app.onboarding()->stage(), Stage::Done, Timeout);
            app.appearance()->setTheme(u"dark"_s);
        }
        AppController again;
        QCOMPARE(again.onboarding()->stage(), Stage::Done);
        QCOMPARE(again.username(), u"alice"_s);
        QCOMPARE(again.appearance()->theme(), u"dark"_s);
        QSignalSpy themeChanged(again.appearance(), &AppearanceSettings::themeChanged);
        again.appearance()->setTheme(u"purple"_s); // not a theme: ignored
        QCOMPARE(themeChanged.size(), 0);
        again.appearance()->setTheme(u"system"_s);
        QCOMPARE(again.appearance()->theme(), u"system"_s);
        QCOMPARE(themeChanged.size(), 1);
    }

    void lastConversationIsKeptPerAccount()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        ClientFixture clients;
        std::unique_ptr<Account> bob = clients.account(m_server->url(), u"bob"_s);
        QVERIFY(registerOnline(bob.get(), u"Bob"_s));
        const qint64 direct = app.directChatWith(bob.get());
        QVERIFY(direct > 0);
        AppController *controller = app.app();
        const QString aliceKey = app.account()->key();

        QCOMPARE(controller->lastConversation(), 0);
        QSignalSpy changed(controller, &AppController::lastConversationChanged);
        controller->setLastConversation(direct);
        QCOMPARE(controller->lastConversation(), direct);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(controller->settings()->value(u"ui-state/lastConversation/"_s + aliceKey),
                 QVariant(direct)); // in app.ini, for the next start

        // Another account on screen has its own; back to alice, hers again.
        controller->accountList()->addAccount();
        controller->onboarding()->useServer(m_server->url().toString());
        controller->onboarding()->registerUser(u"carol"_s, {}, u"correct horse battery"_s, {});
        QTRY_COMPARE_WITH_TIMEOUT(controller->username(), u"carol"_s, Timeout);
        QCOMPARE(controller->lastConversation(), 0);
        controller->accountList()->switchAccount(aliceKey);
        QCOMPARE(controller->lastConversation(), direct);

        // A conversation no longer in the list is not opened again.
        controller->setLastConversation(987654);
        QCOMPARE(controller->lastConversation(), 0);
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
            QTRY_COMPARE_WITH_TIMEOUT(app.onboarding()->stage(), Stage::SignIn, Timeout);
            QVERIFY(app.onboarding()->isHosting());
            address = app.onboarding()->serverAddress();
            QVERIFY2(address.startsWith(u"wss://127.0.0.1:"_s), qPrintable(address));
        }
        AppController again;
        QTRY_COMPARE_WITH_TIMEOUT(again.onboarding()->stage(), Stage::SignIn, Timeout);
        QVERIFY(again.onboarding()->isHosting());
        QVERIFY(again.onboarding()->serverAddress().startsWith(u"wss://127.0.0.1:"_s));
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
        host.onboarding()->hostServer();
        QTRY_COMPARE_WITH_TIMEOUT(host.onboarding()->stage(), Stage::SignIn, Timeout);
        QVERIFY(host.onboarding()->isHosting());
        QVERIFY2(host.onboarding()->serverAddress().startsWith(u"wss://127.0.0.1:"_s),
                 qPrintable(host.onboarding()->serverAddress()));
        QVERIFY2(host.onboarding()->addressForFriends().startsWith(u"wss://"_s),
                 qPrintable(host.onboarding()->addressForFriends()));
        const QString fingerprint = host.onboarding()->hostedFingerprint();
        QCOMPARE(fingerprint.size(), 95);
        QVERIFY(host.onboarding()->certificateQuestion().isEmpty());
        host.onboarding()->registerUser(u"host"_s, {}, u"correct horse battery"_s, {});
        QTRY_COMPARE_WITH_TIMEOUT(host.onboarding()->stage(), Stage::Done, Timeout);
        QVERIFY(
            host.onboarding()->certificateQuestion().isEmpty()); // its own server: nothing to ask

        QTemporaryDir friendDir;
        AppController::setOptions({friendDir.path(), true, {}});
        AppController friendApp;
        friendApp.onboarding()->useServer(
            host.onboarding()->serverAddress()); // the friend types the address it was told
        friendApp.onboarding()->registerUser(u"friend"_s, {}, u"correct horse battery"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(!friendApp.onboarding()->certificateQuestion().isEmpty(), Timeout);
        QCOMPARE(friendApp.onboarding()->certificateQuestion().value(u"fingerprint"_s).toString(),
                 fingerprint);
        QVERIFY(!friendApp.onboarding()->isBusy());
        QCOMPARE(friendApp.onboarding()->stage(), Stage::SignIn);

        // Not trusted: the attempt ends and nothing is kept.
        friendApp.onboarding()->rejectCertificate();
        QVERIFY(friendApp.onboarding()->certificateQuestion().isEmpty());
        QVERIFY(friendApp.onboarding()->errorMessage().contains(u"certificate"_s));
        QVERIFY(friendApp.accountList()->entries().isEmpty());

        // Asked again, trusted: the sign-up goes on.
        friendApp.onboarding()->registerUser(u"friend"_s, {}, u"correct horse battery"_s, {});
        QTRY_VERIFY_WITH_TIMEOUT(!friendApp.onboarding()->certificateQuestion().isEmpty(), Timeout);
        friendApp.onboarding()->trustCertificate();
        QTRY_COMPARE_WITH_TIMEOUT(friendApp.onboarding()->stage(), Stage::Done, Timeout);
        QCOMPARE(friendApp.username(), u"friend"_s);
    }

private:
    std::unique_ptr<TestServer> m_server;
};

QTEST_MAIN(TestAppController)
#include "tst_app_controller.moc"
