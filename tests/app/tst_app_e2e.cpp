// End to end: the real app window (Main.qml and everything under it) against the real server on
// loopback, with a second user scripted on the client core. Every step goes through the GUI —
// keys typed into fields, clicks on buttons — and is checked on what the window shows; each step
// leaves a screenshot in the artifacts folder (MESSENGER_TEST_ARTIFACTS, else
// <build>/tests/app/artifacts): e2e-01-choose-server.png … e2e-15-archived-row.png; the rich
// messages of tst_app_e2e_rich.cpp e2e-20-… to e2e-35-….
#include "tst_app_e2e.h"

#include "E2eSupport.h"

#include "AppController.h"
#include "ClientTestSupport.h"
#include "TestServer.h"
#include "account/Account.h"
#include "core/MessengerServer.h"
#include "store/LocalStore.h"

#include <QGuiApplication>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Server;
using namespace Client;
using namespace App;

using namespace Qt::StringLiterals;

using namespace E2e;

void TestAppEndToEnd::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    m_fixture = std::make_unique<ClientFixture>();
}

void TestAppEndToEnd::cleanup()
{
    m_window.reset();
    m_bob.reset();
    m_carol.reset();
    m_fixture.reset();
    m_server.reset();
}

void TestAppEndToEnd::signUpChatCreateAGroupAndSearch()
{
    m_window = std::make_unique<MainWindowFixture>();
    QVERIFY(m_window->load(u"light"_s));
    QQuickWindow *window = m_window->window();
    window->resize(1100, 720);
    // In front, as a user's window is (read receipts and notifications depend on it).
    window->requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(window));
    AppController *app = m_window->app();
    QCOMPARE(app->onboarding()->stage(), Onboarding::Stage::ChooseServer);
    QVERIFY(m_window->screenshot(u"e2e-01-choose-server"_s));

    // 1. The server's address, typed in; Enter.
    typeInto(window, named(window, u"serverAddress"_s), m_server->url().toString());
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_COMPARE(app->onboarding()->stage(), Onboarding::Stage::SignIn);

    // 2. "Create an account": username, display name, password; the button.
    click(window, named(window, u"registerToggle"_s));
    QTRY_VERIFY(named(window, u"displayName"_s));
    typeInto(window, named(window, u"username"_s), u"alice"_s);
    typeInto(window, named(window, u"displayName"_s), u"Alice Liddell"_s);
    typeInto(window, named(window, u"password"_s), u"correct horse battery"_s);
    QVERIFY(m_window->screenshot(u"e2e-02-sign-up"_s));
    QTRY_VERIFY_WITH_TIMEOUT(named(window, u"submitButton"_s)->isEnabled(), Timeout);
    click(window, named(window, u"submitButton"_s));
    QTRY_COMPARE_WITH_TIMEOUT(app->onboarding()->stage(), Onboarding::Stage::Done, Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(app->connectionState(), AppController::ConnectionState::Online,
                              Timeout);
    QVERIFY(m_window->screenshot(u"e2e-03-signed-in"_s));

    // Bob and Carol: scripted users on the client core.
    m_bob = m_fixture->account(m_server->url(), u"bob"_s);
    m_carol = m_fixture->account(m_server->url(), u"carol"_s);
    QVERIFY(registerOnline(m_bob.get(), u"Bob Builder"_s));
    QVERIFY(registerOnline(m_carol.get(), u"Carol Danvers"_s));

    // 3. New chat: find bob by name, open the chat.
    click(window, named(window, u"newChatButton"_s));
    QTRY_VERIFY(m_window->find(u"newChatDialog"_s)->property("opened").toBool());
    typeInto(window, named(window, u"userQuery"_s), u"bo"_s);
    QTRY_VERIFY_WITH_TIMEOUT(named(window, u"userResult_bob"_s), Timeout);
    click(window, named(window, u"userResult_bob"_s));
    QTRY_COMPARE_WITH_TIMEOUT(named(window, u"headerName"_s)
                                  ? named(window, u"headerName"_s)->property("text").toString()
                                  : QString(),
                              u"Bob Builder"_s, Timeout);

    // 4. A message, typed and sent with Enter; Bob gets it.
    typeInto(window, named(window, u"composerInput"_s), u"Hello Bob, lunch today?"_s);
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_VERIFY(bubbleWithText(window, u"Hello Bob, lunch today?"_s));
    const qint64 direct = m_window->account()->store()->conversationIds().constFirst();
    QTRY_VERIFY_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(direct)) >= 1, Timeout);
    QVERIFY(m_window->screenshot(u"e2e-04-sent"_s));

    // 5. Bob answers: the reply shows up. Bob reads: Alice's tick turns read.
    m_bob->sendMessage(direct, u"Sure! 12:30 at the usual place 🍕"_s);
    QTRY_VERIFY_WITH_TIMEOUT(bubbleWithText(window, u"Sure! 12:30 at the usual place 🍕"_s),
                             Timeout);
    // On screen in a window in front: read at once, no unread badge.
    QTRY_COMPARE_WITH_TIMEOUT(m_window->account()->store()->summary(direct)->info.unread, qint64(0),
                              Timeout);
    QQuickItem *own = delegateOf(bubbleWithText(window, u"Hello Bob, lunch today?"_s));
    QVERIFY(own);
    QVERIFY(own->property("status").toInt() != StatusRead);
    m_bob->setConversationOnScreen(direct);
    QList<qint64> seqs;
    for (const auto &message : awaited(m_bob->store()->messages(direct, 0, 10)))
        seqs.append(message.seq);
    m_bob->setVisibleMessages(direct, seqs);
    QTRY_COMPARE_WITH_TIMEOUT(delegateOf(bubbleWithText(window, u"Hello Bob, lunch today?"_s))
                                  ->property("status")
                                  .toInt(),
                              StatusRead, Timeout);
    QVERIFY(m_window->screenshot(u"e2e-05-reply-and-read"_s));

    // 6. New group: a name, Bob and Carol picked by name, create.
    click(window, named(window, u"newGroupButton"_s));
    QTRY_VERIFY(m_window->find(u"newGroupDialog"_s)->property("opened").toBool());
    typeInto(window, named(window, u"groupName"_s), u"Lunch crew"_s);
    for (const QString &who : {u"bob"_s, u"carol"_s}) {
        QQuickItem *query = named(window, u"memberQuery"_s);
        typeInto(window, query, who);
        const auto result = [&] {
            return findInWindow(window, [&](QQuickItem *item) {
                return item->isVisible() && item->property("username").toString() == who
                    && item->property("userId").isValid() && item->property("picked").isValid();
            });
        };
        QTRY_VERIFY_WITH_TIMEOUT(result(), Timeout);
        // The results are replaced as answers for "b", "bo", "bob" come in: a click on a row
        // that was just replaced is lost, so click again until the pick shows.
        const auto pick = [&] {
            QQuickItem *row = result();
            if (row && !row->property("picked").toBool())
                click(window, row);
            row = result();
            return row && row->property("picked").toBool();
        };
        QTRY_VERIFY_WITH_TIMEOUT(pick(), Timeout);
        query->setProperty("text", QString());
    }
    QVERIFY(m_window->screenshot(u"e2e-06-new-group"_s));
    click(window, named(window, u"createGroupButton"_s));
    QTRY_COMPARE_WITH_TIMEOUT(named(window, u"headerName"_s)->property("text").toString(),
                              u"Lunch crew"_s, Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->conversationIds().size() == 2, Timeout);
    qint64 group = 0;
    for (qint64 id : m_bob->store()->conversationIds())
        group = id != direct ? id : group;
    m_bob->sendMessage(group, u"I'll book a table for three"_s);
    QTRY_VERIFY_WITH_TIMEOUT(awaited(m_carol->store()->messageCount(group)) >= 1, Timeout);
    m_carol->sendMessage(group, u"Count me in!"_s);
    QTRY_VERIFY_WITH_TIMEOUT(bubbleWithText(window, u"Count me in!"_s), Timeout);
    typeInto(window, named(window, u"composerInput"_s), u"See you there 👋"_s);
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_VERIFY(bubbleWithText(window, u"See you there 👋"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->account()->store()->summary(group)->info.unread, qint64(0),
                              Timeout);
    QVERIFY(m_window->screenshot(u"e2e-07-group"_s));

    // Group info (the header's ⓘ): ✎ shows the name to type over; Enter renames the group.
    click(window, named(window, u"groupInfoButton"_s));
    QTRY_VERIFY(m_window->find(u"groupInfoPanel"_s)->property("opened").toBool());
    click(window, named(window, u"renameButton"_s));
    QTRY_VERIFY(named(window, u"renameField"_s));
    QTRY_COMPARE(named(window, u"renameField"_s)->property("text").toString(), u"Lunch crew"_s);
    typeInto(window, named(window, u"renameField"_s), u"Team lunch"_s);
    QTest::keyClick(window, Qt::Key_Return);
    const auto shows = [window](const QString &objectName, const QString &text) {
        QQuickItem *item = named(window, objectName);
        return item && item->property("text").toString() == text;
    };
    QTRY_VERIFY_WITH_TIMEOUT(shows(u"groupNameLabel"_s, u"Team lunch"_s), Timeout);
    QTRY_VERIFY(shows(u"headerName"_s, u"Team lunch"_s));
    QVERIFY(m_window->screenshot(u"e2e-07b-group-renamed"_s));
    click(window, named(window, u"closeGroupInfo"_s));
    // Gone once its slide-out ends (until then it still holds the window's shortcuts).
    QTRY_VERIFY(!m_window->find(u"groupInfoPanel"_s)->property("visible").toBool());

    // 7. Search (Ctrl+F): the matches of "lunch" in every chat.
    QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(named(window, u"searchField"_s));
    // Faded in before a click: a control still moving can miss the click.
    QTRY_VERIFY(m_window->find(u"searchPanel"_s)->property("opened").toBool());
    typeInto(window, named(window, u"searchField"_s), u"lunch"_s);
    // Opened in a chat, it searches that chat first; "All chats" widens it.
    QVERIFY(named(window, u"scopeAll"_s));
    click(window, named(window, u"scopeAll"_s));
    QTRY_VERIFY_WITH_TIMEOUT(named(window, u"searchResults"_s)
                                 && named(window, u"searchResults"_s)->property("count").toInt()
                                     >= 1,
                             Timeout);
    QVERIFY(m_window->screenshot(u"e2e-08-search"_s));

    // 8. The same window in the dark theme (Settings → Appearance does this).
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!m_window->find(u"searchPanel"_s)->property("opened").toBool());
    app->appearance()->setTheme(u"dark"_s);
    QVERIFY(m_window->screenshot(u"e2e-09-group-dark"_s));
}

void TestAppEndToEnd::opensAtTheFirstUnreadAndJumpsToTheBottom()
{
    qint64 direct = 0;
    aliceInTheWindowAndBobWrites(u"An old one"_s, &direct);
    if (QTest::currentTestFailed())
        return;
    QQuickWindow *window = m_window->window();
    // Alice reads that one; then 60 more arrive while the chat is closed.
    m_window->account()->store()->markRead(
        direct, awaited(m_window->account()->store()->messages(direct, 0, 1)).constLast().seq);
    for (int i = 1; i <= 60; ++i)
        m_bob->sendMessage(direct, u"news %1"_s.arg(i));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->account()->store()->summary(direct)->info.unread,
                              qint64(60), Timeout);

    // Opened: at "news 1" under the "Unread messages" line, not at the bottom.
    QQuickItem *row = chatRow(window, direct);
    click(window, row);
    QTRY_VERIFY(named(window, u"unreadLine"_s));
    QTRY_VERIFY(bubbleWithText(window, u"news 1"_s));
    QVERIFY(!bubbleWithText(window, u"news 60"_s));
    QQuickItem *jump = named(window, u"jumpToBottom"_s);
    QVERIFY(jump);
    QVERIFY(m_window->screenshot(u"e2e-10-first-unread"_s));

    // Two more arrive while reading further up: the jump button counts them.
    m_bob->sendMessage(direct, u"news 61"_s);
    m_bob->sendMessage(direct, u"news 62"_s);
    QTRY_VERIFY_WITH_TIMEOUT(named(window, u"newCountBadge"_s), Timeout);
    QTRY_COMPARE_WITH_TIMEOUT(named(window, u"messageList"_s)->property("newCount").toInt(), 2,
                              Timeout);
    QVERIFY(m_window->screenshot(u"e2e-11-new-below"_s));
    click(window, named(window, u"jumpToBottom"_s));
    QTRY_VERIFY(bubbleWithText(window, u"news 62"_s));
    QTRY_VERIFY(!named(window, u"jumpToBottom"_s));
    QCOMPARE(named(window, u"messageList"_s)->property("newCount").toInt(), 0);
    // Everything seen: nothing unread.
    QTRY_COMPARE_WITH_TIMEOUT(m_window->account()->store()->summary(direct)->info.unread, qint64(0),
                              Timeout);
}

void TestAppEndToEnd::aSelfSignedServerIsTrustedByItsFingerprint()
{
    QTemporaryDir data;
    m_server->stop();
    m_server->config().tlsSelfSigned = true;
    m_server->config().dataDir = data.path();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    const QString fingerprint = m_server->server()->certificateFingerprint();

    m_window = std::make_unique<MainWindowFixture>();
    QVERIFY(m_window->load(u"light"_s));
    QQuickWindow *window = m_window->window();
    window->resize(1100, 720);
    // The window manager answers a resize later: lay out at the final size before clicking.
    QTRY_COMPARE(window->size(), QSize(1100, 720));
    typeInto(window, named(window, u"serverAddress"_s), m_server->url().toString());
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_COMPARE(m_window->app()->onboarding()->stage(), Onboarding::Stage::SignIn);
    click(window, named(window, u"registerToggle"_s));
    QTRY_VERIFY(named(window, u"displayName"_s));
    typeInto(window, named(window, u"username"_s), u"alice"_s);
    typeInto(window, named(window, u"password"_s), u"correct horse battery"_s);
    // Enabled once both fields are in and no server check is under way: a click before is lost.
    QTRY_VERIFY_WITH_TIMEOUT(named(window, u"submitButton"_s)->isEnabled(), Timeout);
    click(window, named(window, u"submitButton"_s));

    // The dialog shows the fingerprint the server printed; trusting it lets the sign-up on.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->find(u"trustCertificateDialog"_s)->property("opened").toBool(), Timeout);
    QCOMPARE(named(window, u"certificateFingerprint"_s)->property("text").toString(), fingerprint);
    QVERIFY(m_window->screenshot(u"e2e-12-trust-certificate"_s));
    click(window, named(window, u"trustCertificate"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->app()->onboarding()->stage(), Onboarding::Stage::Done,
                              Timeout);
}

void TestAppEndToEnd::emojiPickerChatMenuAndArchivedChats()
{
    qint64 direct = 0;
    aliceInTheWindowAndBobWrites(u"Pick an emoji"_s, &direct);
    if (QTest::currentTestFailed())
        return;
    QQuickWindow *window = m_window->window();
    QQuickItem *row = chatRow(window, direct);
    click(window, row);
    QTRY_VERIFY(bubbleWithText(window, u"Pick an emoji"_s));

    // The emoji picker: opens from the composer, a click puts the emoji into the message.
    click(window, named(window, u"emojiButton"_s));
    QObject *picker = m_window->find(u"emojiPicker"_s);
    QTRY_VERIFY(picker->property("opened").toBool()); // its enter transition done
    QVERIFY(m_window->screenshot(u"e2e-13-emoji-picker"_s));
    QQuickItem *emoji = findInWindow(window, [](QQuickItem *item) {
        return item->isVisible() && item->objectName().startsWith(u"emoji_"_s);
    });
    QVERIFY(emoji);
    const QString picked = emoji->objectName().mid(6);
    click(window, emoji);
    QTRY_VERIFY(named(window, u"composerInput"_s)->property("text").toString().contains(picked));
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!picker->property("visible").toBool()); // gone, exit transition included

    // The chat's menu, then Archive: the chat leaves the list for the "Archived chats" row.
    click(window, named(window, u"conversationMenuButton"_s));
    QObject *menu = m_window->find(u"conversationMenu"_s);
    QTRY_VERIFY(menu->property("opened").toBool());
    QVERIFY(m_window->screenshot(u"e2e-14-chat-menu"_s));
    click(window, named(window, u"archiveAction"_s));
    QTRY_VERIFY_WITH_TIMEOUT(named(window, u"archivedRow"_s), Timeout);
    QTRY_VERIFY(!menu->property("visible").toBool());
    QCOMPARE(named(window, u"archivedRow"_s)->property("text").toString().left(18),
             u"Archived chats (1)"_s);
    // Not "No chats yet": there is one, in the archive.
    QVERIFY(findInWindow(window, [](QQuickItem *item) {
        return item->isVisible()
            && item->property("text").toString() == u"Every chat is archived."_s;
    }));
    QVERIFY(m_window->screenshot(u"e2e-15-archived-row"_s));
}

void TestAppEndToEnd::aliceInTheWindowAndBobWrites(const QString &text, qint64 *direct)
{
    m_window = std::make_unique<MainWindowFixture>();
    QVERIFY(m_window->signUp(m_server->url(), u"alice"_s, u"Alice"_s));
    QQuickWindow *window = m_window->window();
    window->resize(1100, 720);
    window->requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(window));
    m_bob = m_fixture->account(m_server->url(), u"bob"_s);
    QVERIFY(registerOnline(m_bob.get(), u"Bob Builder"_s));
    m_bob->openDirect(m_window->account()->store()->selfId());
    QTRY_VERIFY_WITH_TIMEOUT(!m_bob->store()->conversationIds().isEmpty(), Timeout);
    *direct = m_bob->store()->conversationIds().constFirst();
    m_bob->sendMessage(*direct, text);
    QTRY_VERIFY_WITH_TIMEOUT(awaited(m_window->account()->store()->messageCount(*direct)) == 1,
                             Timeout);
}

QTEST_MAIN(TestAppEndToEnd)
