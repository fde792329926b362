// The window as a whole (Main.qml, MainPage): what it brings back when the app starts again.
#include "AppTestSupport.h"
#include "ClientTestSupport.h"
#include "MainWindowFixture.h"

#include "TestServer.h"
#include "account/Account.h"
#include "account/MemoryTokenVault.h"
#include "store/LocalStore.h"

#include <QQuickItem>
#include <QQuickWindow>
#include <QTcpServer>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace App;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;
} // namespace

class TestAppShell : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    }

    void cleanup() { m_server.reset(); }

    //! As Telegram and Signal do: the conversation open when the app quit is open again when it
    //! starts (the client benchmark's cold start measures that first frame).
    void theLastConversationOpensAgain()
    {
        MainWindowFixture ui;
        QVERIFY(ui.signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        ClientFixture clients;
        std::unique_ptr<Account> bob = clients.account(m_server->url(), u"bob"_s);
        QVERIFY(registerOnline(bob.get(), u"Bob"_s));
        bob->openDirect(ui.account()->store()->selfId());
        QTRY_COMPARE_WITH_TIMEOUT(ui.account()->store()->conversationIds().size(), 1, Timeout);
        const qint64 direct = ui.account()->store()->conversationIds().constFirst();

        QQuickItem *page = ui.page();
        QVERIFY(QMetaObject::invokeMethod(page, "open", Q_ARG(QVariant, direct)));
        QCOMPARE(page->property("currentId").toLongLong(), direct);
        QCOMPARE(ui.app()->lastConversation(), direct);

        // Started again: the account is there, without its token (it was in memory only).
        QVERIFY(ui.restart());
        QTRY_COMPARE_WITH_TIMEOUT(ui.app()->onboarding()->stage(), Onboarding::Stage::SignIn,
                                  Timeout);
        ui.app()->onboarding()->signIn(u"alice"_s, u"correct horse battery"_s);
        QTRY_COMPARE_WITH_TIMEOUT(ui.app()->onboarding()->stage(), Onboarding::Stage::Done,
                                  Timeout);
        QTRY_VERIFY(ui.page());
        QCOMPARE(ui.page()->property("currentId").toLongLong(), direct);
        QObject *name = ui.find(u"headerName"_s);
        QVERIFY(name);
        QTRY_COMPARE(name->property("text").toString(), u"Bob"_s);
        QVERIFY(ui.screenshot(u"shell-last-conversation"_s));
    }

    //! The server this app hosts cannot start because another program holds its port: someone
    //! with an account still gets the chats, with the problem and a retry above them (never the
    //! first-run page); on a first run the page offers another port.
    void hostingProblemsKeepTheChatsOnScreen()
    {
        MemoryTokenVault vault; // kept across the restart, as the keychain keeps it
        int port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::AnyIPv4, 0));
            port = probe.serverPort();
        }
        MainWindowFixture ui;
        ui.adjustOptions = [&vault, port](AppController::Options &options) {
            options.memoryVault = false;
            options.vault = &vault;
            options.hostedPort = port;
            options.hostOnFirstRun = true;
        };
        QVERIFY(ui.load());
        QTRY_COMPARE_WITH_TIMEOUT(ui.app()->onboarding()->stage(), Onboarding::Stage::SignIn,
                                  Timeout);
        ui.app()->onboarding()->registerUser(u"alice"_s, u"Alice"_s, u"correct horse battery"_s,
                                             {});
        QTRY_COMPARE_WITH_TIMEOUT(ui.app()->onboarding()->stage(), Onboarding::Stage::Done,
                                  Timeout);

        ui.quit();
        QTcpServer other; // another program, on the port the hosted server listened on
        QVERIFY(other.listen(QHostAddress::AnyIPv4, quint16(port)));
        QVERIFY(ui.load());
        QTRY_VERIFY_WITH_TIMEOUT(!ui.app()->onboarding()->hostingProblem().isEmpty(), Timeout);
        QCOMPARE(ui.app()->onboarding()->stage(), Onboarding::Stage::Done);
        QTRY_VERIFY(ui.page());
        QObject *problem = ui.find(u"hostingProblemText"_s);
        QVERIFY(problem);
        QTRY_VERIFY(problem->property("visible").toBool());
        QVERIFY(problem->property("text").toString().contains(QString::number(port)));
        QVERIFY(ui.screenshot(u"hosting-port-taken"_s));

        // "Try again" once the other program is gone: hosting, signed in, the banner gone.
        other.close();
        QObject *retry = ui.find(u"retryHostingButton"_s);
        QVERIFY(retry);
        QVERIFY(QMetaObject::invokeMethod(retry, "clicked"));
        QTRY_VERIFY_WITH_TIMEOUT(ui.app()->onboarding()->isHosting(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(ui.app()->connectionState(),
                                  AppController::ConnectionState::Online, Timeout);
        QTRY_VERIFY(!problem->property("visible").toBool());
    }

    void hostingProblemOnTheFirstRunOffersAnotherPort()
    {
        QTcpServer other;
        QVERIFY(other.listen(QHostAddress::AnyIPv4, 0));
        const int port = other.serverPort();
        MainWindowFixture ui;
        ui.adjustOptions = [port](AppController::Options &options) {
            options.hostedPort = port;
            options.hostOnFirstRun = true;
        };
        QVERIFY(ui.load());
        QTRY_VERIFY_WITH_TIMEOUT(!ui.app()->onboarding()->hostingProblem().isEmpty(), Timeout);
        QCOMPARE(ui.app()->onboarding()->stage(), Onboarding::Stage::ChooseServer);
        QObject *another = ui.find(u"anotherPortButton"_s);
        QVERIFY(another);
        QTRY_VERIFY(another->property("visible").toBool());
        QVERIFY(ui.screenshot(u"hosting-port-taken-first-run"_s));
        QVERIFY(QMetaObject::invokeMethod(another, "clicked"));
        QTRY_COMPARE_WITH_TIMEOUT(ui.app()->onboarding()->stage(), Onboarding::Stage::SignIn,
                                  Timeout);
        QVERIFY(ui.app()->onboarding()->isHosting());
    }

private:
    std::unique_ptr<TestServer> m_server;
};

QTEST_MAIN(TestAppShell)
#include "tst_app_shell.moc"
