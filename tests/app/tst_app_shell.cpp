// The window as a whole (Main.qml, MainPage): what it brings back when the app starts again.
#include "AppTestSupport.h"
#include "ClientTestSupport.h"
#include "MainWindowFixture.h"

#include "TestServer.h"
#include "account/Account.h"
#include "store/LocalStore.h"

#include <QQuickItem>
#include <QQuickWindow>
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

private:
    std::unique_ptr<TestServer> m_server;
};

QTEST_MAIN(TestAppShell)
#include "tst_app_shell.moc"
