// ConversationController and the conversation list as the main window uses them, against the
// real server: where a conversation opens (first unread), jumping to an old message, drafts,
// pin / mute / archive and the archived section.
#include "AppTestSupport.h"
#include "ChatListController.h"

#include "ClientTestSupport.h"
#include "ConversationController.h"
#include "TestServer.h"
#include "account/Account.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace App;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;

//! The row of the conversation in the app's (filtered) list, or -1.
int listRow(QAbstractItemModel *list, qint64 conversationId)
{
    for (int row = 0; row < list->rowCount(); ++row) {
        if (list->index(row, 0).data(ConversationListModel::IdRole).toLongLong() == conversationId)
            return row;
    }
    return -1;
}
} // namespace

class TestAppConversation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        m_app = std::make_unique<SignedInApp>();
        QVERIFY(m_app->signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        m_fixture = std::make_unique<ClientFixture>();
        m_bob = m_fixture->account(m_server->url(), u"bob"_s);
        QVERIFY(registerOnline(m_bob.get(), u"Bob"_s));
        m_conversation = m_app->directChatWith(m_bob.get());
        QVERIFY(m_conversation);
    }

    void cleanup()
    {
        m_bob.reset();
        m_fixture.reset();
        m_app.reset();
        m_server.reset();
    }

    void opensAtTheFirstUnreadAndJumpsToOldMessages()
    {
        // 80 messages from Bob, more than one page (50): Alice reads none of them.
        for (int i = 1; i <= 80; ++i)
            m_bob->sendMessage(m_conversation, u"message %1"_s.arg(i));
        Account *alice = m_app->account();
        QTRY_COMPARE_WITH_TIMEOUT(alice->store()->summary(m_conversation)->info.unread, qint64(80),
                                  Timeout);
        const qint64 firstSeq = alice->store()->summary(m_conversation)->info.readSeq + 1;

        ConversationController controller(alice, m_conversation);
        QAbstractItemModel *messages = controller.messages();
        testModel(messages); // from the start: the first page and every older row loaded below
        QCOMPARE(controller.firstUnreadSeq(), firstSeq);
        QSignalSpy loaded(&controller, &ConversationController::loadedChanged);
        QVERIFY(loaded.wait());
        QVERIFY(controller.isLoaded());
        QVERIFY(messages->rowCount() < 80); // one page shown at first

        QSignalSpy revealed(&controller, &ConversationController::messageRevealed);
        controller.revealMessage(firstSeq);
        QVERIFY(revealed.wait());
        QCOMPARE(revealed.last().at(0).toLongLong(), firstSeq);
        const int row = revealed.last().at(1).toInt();
        QVERIFY(row >= 0);
        QCOMPARE(messages->index(row, 0).data(MessageListModel::TextRole).toString(),
                 u"message 1"_s);
        QCOMPARE(messages->index(messages->rowCount() - 1, 0)
                     .data(MessageListModel::TextRole)
                     .toString(),
                 u"message 80"_s);
        const int rows = messages->rowCount();
        controller.revealMessage(firstSeq); // loaded once: answered at once, nothing reloaded
        QTRY_COMPARE(revealed.size(), 2);
        QCOMPARE(revealed.last().at(1).toInt(), row);
        QCOMPARE(messages->rowCount(), rows);
        controller.revealMessage(100'000); // not stored: nothing happens
        QTRY_COMPARE(revealed.size(), 3);
        QCOMPARE(revealed.last().at(1).toInt(), -1);
        QCOMPARE(messages->rowCount(), rows);
    }

    void nothingUnreadOpensAtTheBottom()
    {
        ConversationController controller(m_app->account(), m_conversation);
        QCOMPARE(controller.firstUnreadSeq(), 0);
    }

    void draftsAreKeptAndShownInTheList()
    {
        Account *alice = m_app->account();
        {
            ConversationController controller(alice, m_conversation);
            QSignalSpy changed(&controller, &ConversationController::draftChanged);
            controller.setDraft(u"half a <b>thought</b>"_s);
            QCOMPARE(changed.size(), 1);
        }
        // Another controller (the conversation opened again) finds it; so does the list.
        ConversationController again(alice, m_conversation);
        QCOMPARE(again.draft(), u"half a <b>thought</b>"_s);
        ChatListController chats(alice);
        QAbstractItemModel *list = chats.conversations();
        QTRY_COMPARE(list->index(listRow(list, m_conversation), 0)
                         .data(ConversationListModel::DraftRole)
                         .toString(),
                     u"half a <b>thought</b>"_s);
        // Sent (the composer is empty again): the draft goes.
        again.setDraft({});
        QCOMPARE(alice->store()->draft(m_conversation), QString());
        QTRY_COMPARE(list->index(listRow(list, m_conversation), 0)
                         .data(ConversationListModel::DraftRole)
                         .toString(),
                     QString());
    }

    void pinMuteAndArchiveGoThroughTheServer()
    {
        Account *alice = m_app->account();
        ChatListController chats(alice); // as the chat list pane shows them
        ConversationController controller(alice, m_conversation);
        QVERIFY(!controller.isPinned() && !controller.isMuted() && !controller.isArchived());

        controller.setPinned(true);
        controller.setMuted(true);
        QTRY_VERIFY_WITH_TIMEOUT(controller.isPinned() && controller.isMuted(), Timeout);

        // Archived: out of the chats, into the archived section (and its count).
        QSignalSpy countChanged(&chats, &ChatListController::archivedCountChanged);
        QCOMPARE(chats.archivedCount(), 0);
        controller.setArchived(true);
        QTRY_VERIFY_WITH_TIMEOUT(controller.isArchived(), Timeout);
        QCOMPARE(chats.archivedCount(), 1);
        QVERIFY(!countChanged.isEmpty());
        QCOMPARE(listRow(chats.conversations(), m_conversation), -1);
        chats.setShowArchived(true);
        QVERIFY(listRow(chats.conversations(), m_conversation) >= 0);
        // A search looks in archived chats too.
        chats.setShowArchived(false);
        chats.setFilter(u"bo"_s);
        QVERIFY(listRow(chats.conversations(), m_conversation) >= 0);
        chats.setFilter(u"zzz"_s);
        QCOMPARE(listRow(chats.conversations(), m_conversation), -1);
        chats.setFilter({});

        // The server keeps the flags: another device of Alice's sees them.
        std::unique_ptr<Account> secondDevice = m_fixture->account(m_server->url(), u"alice"_s);
        QSignalSpy signedIn(secondDevice->connection(), &Connection::stateChanged);
        secondDevice->signIn(u"correct horse battery"_s);
        QTRY_VERIFY_WITH_TIMEOUT(secondDevice->store()->summary(m_conversation).has_value(),
                                 Timeout);
        const auto info = secondDevice->store()->summary(m_conversation)->info;
        QVERIFY(info.pinned && info.muted && info.archived);
    }

private:
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<SignedInApp> m_app;
    std::unique_ptr<ClientFixture> m_fixture;
    std::unique_ptr<Account> m_bob;
    qint64 m_conversation = 0;
};

QTEST_MAIN(TestAppConversation)
#include "tst_app_conversation.moc"
