// Message search: SearchController over the account's local index, fed by the real server (a
// direct chat with bob, a group of carol's), and the search panel in the real window — Ctrl+F,
// typing, Up/Down, Enter opens the message's conversation, the scope chips, Escape.
//
// The panel is saved as search-light.png and search-dark.png, the chat filter offering the
// search as search-from-filter.png, in the artifacts folder (MainWindowFixture::screenshot).
#include "AppTestSupport.h"
#include "ClientTestSupport.h"
#include "MainWindowFixture.h"
#include "SearchController.h"
#include "SearchResultModel.h"

#include "TestClient.h"
#include "TestServer.h"
#include "account/Account.h"
#include "models/MessageSearchModel.h"
#include "store/LocalStore.h"

#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace App;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;

QVariant role(const QAbstractItemModel *model, int row, int role)
{
    return model->index(row, 0).data(role);
}

QStringList column(const QAbstractItemModel *model, int role)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row)
        values.append(model->index(row, 0).data(role).toString());
    return values;
}
} // namespace

class TestAppSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        m_fixture = std::make_unique<ClientFixture>();
    }

    void cleanup()
    {
        m_alice.reset();
        m_bob.reset();
        m_fixture.reset();
        m_server.reset();
    }

    void searchesEveryConversationOrOne()
    {
        QVERIFY(setUpConversations());
        SearchController search(m_alice.get());
        testModel(search.results());
        search.setHighlightColor(QColor(u"#009688"_s));

        search.setQuery(u"lunch"_s);
        QVERIFY(search.isPending()); // typing pauses before the search
        QTRY_COMPARE_WITH_TIMEOUT(search.count(), 3, Timeout);
        QVERIFY(!search.isPending());
        const QAbstractItemModel *results = search.results();
        // Newest first, with the conversation, the sender and the highlighted text.
        QCOMPARE(column(results, MessageSearchModel::TextRole),
                 (QStringList {u"Lunch <b>moved</b> to 1pm & the usual place"_s,
                               u"Lunch at Luigi's?"_s, u"Is lunch on Friday still on?"_s}));
        QCOMPARE(column(results, MessageSearchModel::ConversationNameRole),
                 (QStringList {u"Team"_s, u"Bob"_s, u"Bob"_s}));
        QCOMPARE(column(results, MessageSearchModel::SenderNameRole),
                 (QStringList {u"Display carol"_s, u"Bob"_s, u"Bob"_s}));
        QCOMPARE(
            role(results, 0, SearchResultModel::HighlightedTextRole).toString(),
            u"<b><font color=\"#009688\">Lunch</font></b> &lt;b&gt;moved&lt;/b&gt; to 1pm &amp; the usual place"_s);
        QCOMPARE(role(results, 0, MessageSearchModel::ConversationIdRole).toLongLong(), m_group);
        QVERIFY(role(results, 0, MessageSearchModel::SeqRole).toLongLong() > 0);
        QCOMPARE(role(results, 1, SearchResultModel::InitialsRole).toString(), u"B"_s);
        QVERIFY(role(results, 1, SearchResultModel::AvatarColorRole).toString().startsWith(u'#'));

        // One conversation: searched at once, no typing pause (answered from the search thread).
        search.setConversationId(m_direct);
        QVERIFY(search.isPending());
        QTRY_VERIFY(!search.isPending());
        QCOMPARE(search.count(), 2);
        QCOMPARE(column(results, MessageSearchModel::ConversationNameRole),
                 (QStringList {u"Bob"_s, u"Bob"_s}));
        search.setConversationId(0);
        QTRY_VERIFY(!search.isPending());
        QCOMPARE(search.count(), 3);

        // The highlight colour follows the theme: the rows say so.
        QSignalSpy changed(results, &QAbstractItemModel::dataChanged);
        search.setHighlightColor(QColor(u"#80cbc4"_s));
        QCOMPARE(changed.size(), 1);
        QVERIFY(role(results, 0, SearchResultModel::HighlightedTextRole)
                    .toString()
                    .contains(u"#80cbc4"_s));

        // Two characters go through the LIKE fallback; the highlight does not care.
        search.setQuery(u"1p"_s);
        search.searchNow();
        QTRY_VERIFY(!search.isPending());
        QCOMPARE(search.count(), 1);
        QVERIFY(role(results, 0, SearchResultModel::HighlightedTextRole)
                    .toString()
                    .contains(u">1p</font>"_s));

        // Clearing the field clears the list at once.
        search.clear();
        QCOMPARE(search.count(), 0);
        QVERIFY(!search.isPending());
    }

    void newQueryReplacesTheList()
    {
        QVERIFY(setUpConversations());
        SearchController search(m_alice.get());
        testModel(search.results());
        QSignalSpy finished(&search, &SearchController::searchFinished);
        search.setQuery(u"l"_s);
        search.setQuery(u"lu"_s);
        search.setQuery(u"lunch"_s);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1,
                                  Timeout); // one search for the three keystrokes
        QCOMPARE(search.count(), 3);
        search.setQuery(u"Привет"_s);
        search.searchNow();
        QTRY_VERIFY(!search.isPending());
        QCOMPARE(search.count(), 1);
        QVERIFY(role(search.results(), 0, SearchResultModel::HighlightedTextRole)
                    .toString()
                    .contains(u"<b>Привет</b>"_s));
        search.setQuery(u"nothing like this"_s);
        search.searchNow();
        QTRY_VERIFY(!search.isPending());
        QCOMPARE(search.count(), 0);
    }

    void followsTheAppsAccount()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        TestClient *carol = m_server->newUser(u"carol"_s);
        QVERIFY(carol);
        const qint64 direct = carol->openDirect(app.account()->store()->selfId());
        QVERIFY(direct > 0);
        QVERIFY(carol->sendText(direct, u"the invoice is attached"_s) > 0);

        QTRY_VERIFY_WITH_TIMEOUT(awaited(app.account()->store()->messageCount(direct)) > 0,
                                 Timeout);

        SearchController search; // as in QML: given the account on screen
        search.setAccount(app.account());
        search.setQuery(u"invoice"_s);
        search.searchNow();
        QTRY_VERIFY(!search.isPending());
        QCOMPARE(search.count(), 1);

        // Signed out: once the account is gone, no results, nothing that still points at its store.
        app.app()->accountList()->signOut();
        QTRY_COMPARE(search.count(), 0);
        search.searchNow();
        QCOMPARE(search.count(), 0);
    }

    void searchPanelInTheWindow()
    {
        MainWindowFixture ui;
        QVERIFY(ui.signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        m_aliceInApp = ui.account();
        QVERIFY(setUpConversations());
        QQuickWindow *window = ui.window();
        QQuickItem *page = ui.page();
        QVERIFY(page);
        window->requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(window));
        // The list shows both conversations before the search starts.
        QTRY_COMPARE_WITH_TIMEOUT(ui.find(u"conversationList"_s)->property("count").toInt(), 2,
                                  Timeout);

        QObject *panel = ui.find(u"searchPanel"_s);
        QVERIFY(panel);
        QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(panel->property("opened").toBool());
        QObject *field = ui.find(u"searchField"_s);
        QVERIFY(field && field->property("activeFocus").toBool());
        QCOMPARE(ui.find(u"emptyLabel"_s)->property("visible").toBool(), true);

        type(window, u"lunch"_s);
        QObject *results = ui.find(u"searchResults"_s);
        QTRY_COMPARE(results->property("count").toInt(), 3);
        QCOMPARE(results->property("currentIndex").toInt(), 0);
        QCOMPARE(ui.find(u"resultCount"_s)->property("text").toString(), u"3 messages"_s);
        // The message text is StyledText made from escaped text: the user's <b> is not a tag.
        auto *current = results->property("currentItem").value<QQuickItem *>();
        QVERIFY(current);
        auto *message = current->findChild<QObject *>(u"messageLabel"_s);
        QVERIFY(message);
        QCOMPARE(message->property("textFormat").toInt(), 4); // Text.StyledText
        QVERIFY(message->property("text").toString().contains(u"&lt;b&gt;moved&lt;/b&gt;"_s));
        QCOMPARE(current->findChild<QObject *>(u"titleLabel"_s)->property("text").toString(),
                 u"Team"_s);
        QCOMPARE(current->findChild<QObject *>(u"senderLabel"_s)->property("text").toString(),
                 u"Display carol: "_s);
        QVERIFY(ui.screenshot(u"search-light"_s));

        // Down, Down, Up: the second result, Bob's "Lunch at Luigi's?"; Enter opens its chat.
        QTest::keyClick(window, Qt::Key_Down);
        QTest::keyClick(window, Qt::Key_Down);
        QTest::keyClick(window, Qt::Key_Up);
        QCOMPARE(results->property("currentIndex").toInt(), 1);
        QTest::keyClick(window, Qt::Key_Return);
        QTRY_VERIFY(!panel->property("opened").toBool());
        QCOMPARE(page->property("currentId").toLongLong(), m_direct);

        // With a chat open, Ctrl+F searches in it; the "All chats" chip widens it again.
        QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(panel->property("opened").toBool());
        QTRY_COMPARE(results->property("count").toInt(), 2);
        QObject *inConversation = ui.find(u"scopeConversation"_s);
        QVERIFY(inConversation->property("checked").toBool());
        QCOMPARE(inConversation->property("text").toString(), u"In Bob"_s);
        click(window, ui.find(u"scopeAll"_s));
        QTRY_COMPARE(results->property("count").toInt(), 3);
        QVERIFY(!inConversation->property("checked").toBool());

        // A click on a result opens it too.
        click(window, results->property("currentItem").value<QQuickItem *>());
        QTRY_VERIFY(!panel->property("opened").toBool());
        QCOMPARE(page->property("currentId").toLongLong(), m_group);

        // Escape closes without opening anything.
        QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(panel->property("opened").toBool());
        type(window, u"Привет"_s);
        QTRY_COMPARE(results->property("count").toInt(), 0); // in Team there is none
        QVERIFY(ui.find(u"emptyLabel"_s)->property("text").toString().contains(u"No messages"_s));
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY(!panel->property("opened").toBool());
        QCOMPARE(page->property("currentId").toLongLong(), m_group);

        // Words typed in the chat filter can go to the message search, in every chat.
        QObject *filter = ui.find(u"filter"_s);
        filter->setProperty("text", u"luigi"_s);
        QObject *searchMessages = ui.find(u"searchMessagesRow"_s);
        QTRY_VERIFY(searchMessages->property("visible").toBool());
        QCOMPARE(searchMessages->property("text").toString(), u"Search messages for “luigi”"_s);
        QVERIFY(ui.screenshot(u"search-from-filter"_s));
        click(window, searchMessages);
        QTRY_VERIFY(panel->property("opened").toBool());
        QCOMPARE(field->property("text").toString(), u"luigi"_s);
        QCOMPARE(results->property("count").toInt(), 1);
        QVERIFY(ui.find(u"scopeAll"_s)->property("checked").toBool());
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY(!panel->property("opened").toBool());
        filter->setProperty("text", QString());
        QTRY_VERIFY(!searchMessages->property("visible").toBool());

        // Dark, in the chat with Bob.
        ui.app()->appearance()->setTheme(u"dark"_s);
        QMetaObject::invokeMethod(page, "open", Q_ARG(QVariant, QVariant(m_direct)));
        QTest::keyClick(window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(panel->property("opened").toBool());
        field->setProperty("text", u"lunch"_s);
        QTRY_COMPARE(results->property("count").toInt(), 2);
        QVERIFY(ui.screenshot(u"search-dark"_s));
        m_aliceInApp = nullptr;
    }

private:
    //! Alice (m_alice, or the window's account) gets a direct chat with bob and a group "Team"
    //! made by carol, with a few messages in each.
    bool setUpConversations()
    {
        Account *alice = m_aliceInApp;
        if (!alice) {
            m_alice = m_fixture->account(m_server->url(), u"alice"_s);
            if (!registerOnline(m_alice.get(), u"Alice"_s))
                return false;
            alice = m_alice.get();
        }
        m_bob = m_fixture->account(m_server->url(), u"bob"_s);
        if (!registerOnline(m_bob.get(), u"Bob"_s))
            return false;
        const qint64 aliceId = alice->store()->selfId();
        m_bob->openDirect(aliceId);
        if (!QTest::qWaitFor([&] { return m_bob->store()->conversationIds().size() == 1; },
                             Timeout))
            return false;
        m_direct = m_bob->store()->conversationIds().constFirst();
        TestClient *carol = m_server->newUser(u"carol"_s);
        if (!carol)
            return false;
        m_group = carol->createGroup(u"Team"_s, {aliceId, m_bob->store()->selfId()});
        if (m_group <= 0)
            return false;
        // One at a time, so that the order (and "newest first") is certain.
        const auto say = [&](qint64 conversation, const QString &text, TestClient *from) {
            const int before = awaited(alice->store()->messageCount(conversation));
            if (from)
                from->sendText(conversation, text);
            else
                m_bob->sendMessage(conversation, text);
            return QTest::qWaitFor(
                [&] { return awaited(alice->store()->messageCount(conversation)) > before; },
                Timeout);
        };
        return say(m_direct, u"Is lunch on Friday still on?"_s, nullptr)
            && say(m_direct, u"Привет! Как дела?"_s, nullptr)
            && say(m_direct, u"Lunch at Luigi's?"_s, nullptr)
            && say(m_group, u"Lunch <b>moved</b> to 1pm & the usual place"_s, carol);
    }

    //! Types the text into the focused field, a key at a time (QTest::keyClicks is for widgets).
    static void type(QQuickWindow *window, const QString &text)
    {
        for (const QChar c : text) {
            const auto key = c.unicode() < 0x80 ? Qt::Key(c.toUpper().unicode()) : Qt::Key_unknown;
            QTest::sendKeyEvent(QTest::Click, window, key, QString(c), Qt::NoModifier);
        }
    }

    static void click(QQuickWindow *window, QObject *object)
    {
        auto *item = qobject_cast<QQuickItem *>(object);
        QVERIFY(item);
        QTest::mouseClick(
            window, Qt::LeftButton, {},
            item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientFixture> m_fixture;
    std::unique_ptr<Account> m_alice;
    std::unique_ptr<Account> m_bob;
    Account *m_aliceInApp = nullptr;
    qint64 m_direct = 0;
    qint64 m_group = 0;
};

QTEST_MAIN(TestAppSearch)
#include "tst_app_search.moc"
