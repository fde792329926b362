#include "ClientTestSupport.h"

#include "TestClient.h"
#include "TestServer.h"
#include "account/AccountManager.h"
#include "activity/TypingTracker.h"
#include "models/ConversationListModel.h"
#include "models/MemberListModel.h"
#include "models/MessageListModel.h"
#include "models/ReceiptListModel.h"
#include "models/UserSearchModel.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"
#include "sync/Outbox.h"

#include <QCborArray>
#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;

using namespace Qt::StringLiterals;
using Status = MessageListModel::Status;

namespace {
constexpr int Timeout = 15'000;

Status statusAt(const QAbstractItemModel *model, int row)
{
    return model->index(row, 0).data(MessageListModel::StatusRole).value<Status>();
}
} // namespace

//! Two (or more) Accounts chatting through the real messengerd, on SQLite and on PostgreSQL.
class TestClientChat : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startPair(); }

    void cleanup() { stopPair(); }

    void twoClientsChat()
    {
        std::unique_ptr<MessageListModel> aliceView(
            m_alice->createMessageModel(m_conversation, nullptr));
        std::unique_ptr<MessageListModel> bobView(
            m_bob->createMessageModel(m_conversation, nullptr));
        testModel(aliceView.get());
        testModel(bobView.get());
        testModel(m_alice->conversationModel());
        testModel(m_bob->conversationModel());

        m_alice->sendMessage(m_conversation, u"Hello Bob"_s);
        // Shown as soon as the outbox has it on disk, pending until the server acknowledges it.
        QTRY_COMPARE(aliceView->rowCount(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(statusAt(aliceView.get(), 0), Status::Delivered, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(rowTexts(bobView.get()), QStringList {u"Hello Bob"_s}, Timeout);
        QCOMPARE(bobView->index(0).data(MessageListModel::SenderNameRole).toString(), u"Alice"_s);
        QVERIFY(bobView->index(0).data(MessageListModel::FirstOfDayRole).toBool());

        m_bob->sendMessage(m_conversation, u"Hi Alice 👋"_s);
        QTRY_COMPARE_WITH_TIMEOUT(rowTexts(aliceView.get()),
                                  (QStringList {u"Hello Bob"_s, u"Hi Alice 👋"_s}), Timeout);
        QCOMPARE(aliceView->index(1).data(MessageListModel::IsOwnRole).toBool(), false);
        QVERIFY(!aliceView->index(1).data(MessageListModel::FirstOfDayRole).toBool());

        // The conversation list of each side.
        ConversationListModel *bobList = m_bob->conversationModel();
        QCOMPARE(bobList->rowCount(), 1);
        QCOMPARE(bobList->index(0).data(ConversationListModel::NameRole).toString(), u"Alice"_s);
        QCOMPARE(bobList->index(0).data(ConversationListModel::InitialsRole).toString(), u"A"_s);
        QVERIFY(bobList->index(0)
                    .data(ConversationListModel::AvatarColorRole)
                    .toString()
                    .startsWith(u'#'));
        QCOMPARE(bobList->index(0).data(ConversationListModel::PeerPresenceRole).toString(),
                 u"online"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            bobList->index(0).data(ConversationListModel::LastMessageRole).toString(),
            u"Hi Alice 👋"_s, Timeout);
        QCOMPARE(m_alice->conversationModel()
                     ->index(0)
                     .data(ConversationListModel::UnreadCountRole)
                     .toInt(),
                 1);

        // Alice reads Bob's message; Bob sees it read.
        m_alice->setVisibleMessages(m_conversation, {1, 2});
        QTRY_COMPARE(m_alice->conversationModel()
                         ->index(0)
                         .data(ConversationListModel::UnreadCountRole)
                         .toInt(),
                     0);
        QTRY_COMPARE_WITH_TIMEOUT(statusAt(bobView.get(), 1), Status::Read, Timeout);
    }

    void offlineClientCatchesUpOnceInOrder()
    {
        std::unique_ptr<MessageListModel> bobView(
            m_bob->createMessageModel(m_conversation, nullptr));
        testModel(bobView.get());
        m_bob->sendMessage(m_conversation, u"before"_s);
        QTRY_COMPARE_WITH_TIMEOUT(statusAt(bobView.get(), 0), Status::Delivered, Timeout);

        m_bob->disconnectFromServer();
        QCOMPARE(m_bob->state(), Connection::State::Offline);
        QStringList expected {u"before"_s};
        for (int i = 1; i <= 30; ++i) {
            m_alice->sendMessage(m_conversation, u"missed %1"_s.arg(i));
            expected.append(u"missed %1"_s.arg(i));
        }
        QVERIFY(outboxDrained(m_alice.get()));
        QCOMPARE(rowTexts(bobView.get()), QStringList {u"before"_s});

        m_bob->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->state(), Connection::State::Online, Timeout);
        QCOMPARE(rowTexts(bobView.get()), expected);
        for (int row = 0; row < bobView->rowCount(); ++row)
            QCOMPARE(bobView->index(row).data(MessageListModel::SeqRole).toLongLong(), row + 1);
        QCOMPARE(awaited(m_bob->store()->messageCount(m_conversation)), 31);
        QCOMPARE(m_bob->conversationModel()
                     ->index(0)
                     .data(ConversationListModel::UnreadCountRole)
                     .toInt(),
                 30);
    }

    void serverRestartIsRecoveredFrom()
    {
        std::unique_ptr<MessageListModel> bobView(
            m_bob->createMessageModel(m_conversation, nullptr));
        testModel(bobView.get());
        m_alice->sendMessage(m_conversation, u"one"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bobView->rowCount(), 1, Timeout);

        // The same port again, as an operator's restart would.
        m_server->config().port = m_server->server()->port();
        m_server->stop();
        QTRY_VERIFY_WITH_TIMEOUT(m_alice->state() != Connection::State::Online, Timeout);
        m_alice->sendMessage(m_conversation, u"written while the server was down"_s);
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));

        QTRY_COMPARE_WITH_TIMEOUT(m_alice->state(), Connection::State::Online, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->state(), Connection::State::Online, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(rowTexts(bobView.get()),
                                  (QStringList {u"one"_s, u"written while the server was down"_s}),
                                  Timeout);
        m_bob->sendMessage(m_conversation, u"back"_s);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_alice->store()->messageCount(m_conversation)), 3,
                                  Timeout);
    }

    void outboxSurvivesRestartAndSendsOnce()
    {
        m_alice->disconnectFromServer();
        m_alice->sendMessage(m_conversation, u"first"_s);
        m_alice->sendMessage(m_conversation, u"second"_s);
        {
            std::unique_ptr<MessageListModel> view(
                m_alice->createMessageModel(m_conversation, nullptr));
            QTRY_COMPARE(rowTexts(view.get()), (QStringList {u"first"_s, u"second"_s}));
            QCOMPARE(statusAt(view.get(), 0), Status::Pending);
        }
        m_alice.reset(); // the app quits with its outbox full

        m_alice = m_fixture->account(m_server->url(), u"alice"_s);
        std::unique_ptr<MessageListModel> view(
            m_alice->createMessageModel(m_conversation, nullptr));
        testModel(view.get());
        QCOMPARE(rowTexts(view.get()), (QStringList {u"first"_s, u"second"_s}));
        m_alice->connectToServer();
        QVERIFY(outboxDrained(m_alice.get()));
        QCOMPARE(rowTexts(view.get()), (QStringList {u"first"_s, u"second"_s}));
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 2,
                                  Timeout);
        QCOMPARE(awaited(m_bob->store()->messages(m_conversation, 0, 10)).last().content,
                 "second"_ba);
    }

    void killedMidSendIsSentOnce()
    {
        // The app wrote the message, sent it, and died before the answer arrived: the server has
        // it, the outbox still has it too.
        m_alice->disconnectFromServer();
        const OutboxEntry entry = m_alice->sendMessage(m_conversation, u"exactly once"_s);
        const QString token = m_fixture->vault.token(m_alice->key());
        m_alice.reset();
        TestClient *sameDevice = m_server->newClient();
        QVERIFY(sameDevice);
        QVERIFY(sameDevice->resume(token));
        VERIFY_OK(sameDevice->request(Protocol::Request::Send,
                                      {{"conversationId"_L1, m_conversation},
                                       {"clientId"_L1, entry.clientId},
                                       {"contentType"_L1, entry.contentType},
                                       {"content"_L1, entry.content}}));
        sameDevice->close();

        m_alice = m_fixture->account(m_server->url(), u"alice"_s);
        std::unique_ptr<MessageListModel> view(
            m_alice->createMessageModel(m_conversation, nullptr));
        testModel(view.get());
        m_alice->connectToServer();
        QVERIFY(outboxDrained(m_alice.get()));
        QTRY_COMPARE_WITH_TIMEOUT(rowTexts(view.get()), QStringList {u"exactly once"_s}, Timeout);
        QCOMPARE(awaited(m_alice->store()->messageCount(m_conversation)), 1);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 1,
                                  Timeout);
        // One row on the server too: the resend with the same clientId stored nothing new.
        QCOMPARE(m_server
                     ->queryValue(u"SELECT COUNT(*) FROM messages WHERE conversation_id = ?"_s,
                                  {m_conversation})
                     .toInt(),
                 1);
    }

    void duplicateDeliveryIsShownOnce()
    {
        std::unique_ptr<MessageListModel> bobView(
            m_bob->createMessageModel(m_conversation, nullptr));
        testModel(bobView.get());
        m_alice->sendMessage(m_conversation, u"once"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bobView->rowCount(), 1, Timeout);

        // The same entry again as an event, and again in a history page.
        Protocol::Frame duplicate;
        duplicate.type = Protocol::Event::Message;
        duplicate.body.insert(
            "message"_L1, awaited(m_bob->store()->messages(m_conversation, 0, 1)).first().toCbor());
        m_bob->syncEngine()->applyEvent(duplicate);
        m_bob->syncEngine()->applyEvent(duplicate);
        QSignalSpy history(m_bob->syncEngine(), &SyncEngine::historyLoaded);
        m_bob->syncEngine()->fetchHistory(m_conversation, 0, 50);
        QVERIFY(history.wait(Timeout));
        m_bob->syncEngine()->syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(!m_bob->syncEngine()->isSyncing(), Timeout);

        QCOMPARE(rowTexts(bobView.get()), QStringList {u"once"_s});
        QCOMPARE(awaited(m_bob->store()->messageCount(m_conversation)), 1);
        QCOMPARE(m_bob->conversationModel()
                     ->index(0)
                     .data(ConversationListModel::UnreadCountRole)
                     .toInt(),
                 1);
    }

    void refusedSendFailsAndCanBeRetriedOrDiscarded()
    {
        // A group Bob owns; he removes Alice, whose next message cannot be delivered.
        m_bob->createGroup(u"Team"_s, {m_alice->store()->selfId()});
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->store()->conversationIds().size(), 2, Timeout);
        const qint64 group = m_alice->store()->conversationIds().last();
        TestClient *bobDevice = m_server->newClient();
        QVERIFY(bobDevice && bobDevice->resume(m_fixture->vault.token(m_bob->key())));
        VERIFY_OK(bobDevice->request(
            Protocol::Request::RemoveMember,
            {{"conversationId"_L1, group}, {"userId"_L1, m_alice->store()->selfId()}}));

        std::unique_ptr<MessageListModel> view(m_alice->createMessageModel(group, nullptr));
        testModel(view.get());
        QSignalSpy failed(m_alice->outbox(), &Outbox::sendFailed);
        const OutboxEntry entry = m_alice->sendMessage(group, u"anyone there?"_s);
        QVERIFY(failed.wait(Timeout));
        const int row = view->rowCount() - 1;
        QCOMPARE(view->index(row).data(MessageListModel::TextRole).toString(), u"anyone there?"_s);
        QCOMPARE(statusAt(view.get(), row), Status::Failed);
        QVERIFY(!view->index(row).data(MessageListModel::ErrorRole).toString().isEmpty());

        // Retried: pending again (the store requeues it on its thread), then failed again.
        QList<Status> seen;
        {
            QObject watching;
            connect(view.get(), &QAbstractItemModel::dataChanged, &watching,
                    [&seen, &view, row] { seen.append(statusAt(view.get(), row)); });
            QVERIFY(m_alice->retryMessage(entry.clientId));
            QVERIFY(failed.wait(Timeout));
        }
        QVERIFY(seen.contains(Status::Pending));
        QCOMPARE(statusAt(view.get(), row), Status::Failed);

        const int rows = view->rowCount();
        QVERIFY(m_alice->discardMessage(entry.clientId));
        QTRY_COMPARE(view->rowCount(), rows - 1);
        QVERIFY(m_alice->store()->outbox().isEmpty());
        // Messages to Bob still go out: one failure does not block the queue.
        m_alice->sendMessage(m_conversation, u"still here"_s);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 1,
                                  Timeout);
    }

    void readReceiptsOffClearOnlyLocally()
    {
        std::unique_ptr<MessageListModel> aliceView(
            m_alice->createMessageModel(m_conversation, nullptr));
        m_bob->setSendReadReceipts(false);
        QTRY_VERIFY_WITH_TIMEOUT(!m_bob->store()->profile().sendReadReceipts, Timeout);
        m_alice->sendMessage(m_conversation, u"did you read this?"_s);
        QTRY_COMPARE_WITH_TIMEOUT(statusAt(aliceView.get(), 0), Status::Delivered, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->conversationModel()
                                      ->index(0)
                                      .data(ConversationListModel::UnreadCountRole)
                                      .toInt(),
                                  1, Timeout);

        m_bob->setVisibleMessages(m_conversation, {1});
        QTRY_COMPARE(m_bob->conversationModel()
                         ->index(0)
                         .data(ConversationListModel::UnreadCountRole)
                         .toInt(),
                     0);
        // Bob answers; once Alice has the answer, anything Bob sent before it has arrived too.
        m_bob->sendMessage(m_conversation, u"no comment"_s);
        QTRY_COMPARE_WITH_TIMEOUT(aliceView->rowCount(), 2, Timeout);
        QCOMPARE(statusAt(aliceView.get(), 0), Status::Delivered);
        QCOMPARE(
            m_server
                ->queryValue(
                    u"SELECT read_seq FROM members WHERE conversation_id = ? AND user_id = ?"_s,
                    {m_conversation, m_bob->store()->selfId()})
                .toLongLong(),
            0);
    }

    void typingAndNotifications()
    {
        ConversationListModel *bobList = m_bob->conversationModel();
        testModel(bobList);
        QSignalSpy notifications(m_bob.get(), &Account::notification);

        m_alice->userTyping(m_conversation);
        m_alice->userTyping(m_conversation); // within the repeat interval: not sent again
        QTRY_COMPARE_WITH_TIMEOUT(
            bobList->index(0).data(ConversationListModel::TypingRole).toString(),
            u"Alice is typing\u2026"_s, Timeout);
        m_alice->sendMessage(m_conversation, u"typed"_s); // stops typing
        QTRY_COMPARE_WITH_TIMEOUT(
            bobList->index(0).data(ConversationListModel::TypingRole).toString(), QString(),
            Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(notifications.size(), 1, Timeout);
        const auto notification = notifications.first().first().value<Notification>();
        QCOMPARE(notification.conversationId, m_conversation);
        QCOMPARE(notification.senderName, u"Alice"_s);
        QCOMPARE(notification.preview, u"typed"_s);

        // Idle typing stops by itself.
        m_alice->userTyping(m_conversation);
        QTRY_VERIFY_WITH_TIMEOUT(
            !bobList->index(0).data(ConversationListModel::TypingRole).toString().isEmpty(),
            Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(
            bobList->index(0).data(ConversationListModel::TypingRole).toString(), QString(),
            Timeout);

        // On screen or muted: no notification.
        m_bob->setConversationOnScreen(m_conversation);
        m_alice->sendMessage(m_conversation, u"seen"_s);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 2,
                                  Timeout);
        m_bob->setConversationOnScreen(0);
        m_bob->setConversationFlags(m_conversation, true, std::nullopt, std::nullopt);
        QTRY_VERIFY_WITH_TIMEOUT(bobList->index(0).data(ConversationListModel::MutedRole).toBool(),
                                 Timeout);
        m_alice->sendMessage(m_conversation, u"muted"_s);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 3,
                                  Timeout);
        QCOMPARE(notifications.size(), 1);
    }

    void memberReceiptAndUserSearchModels()
    {
        std::unique_ptr<MemberListModel> members(
            m_alice->createMemberModel(m_conversation, nullptr));
        testModel(members.get());
        members->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(members->rowCount(), 2, Timeout);
        QStringList names {members->index(0).data(MemberListModel::DisplayNameRole).toString(),
                           members->index(1).data(MemberListModel::DisplayNameRole).toString()};
        names.sort();
        QCOMPARE(names, (QStringList {u"Alice"_s, u"Bob"_s}));
        QCOMPARE(members->index(0).data(MemberListModel::RoleRole).toString(), u"member"_s);

        m_alice->sendMessage(m_conversation, u"receipts please"_s);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 1,
                                  Timeout);
        std::unique_ptr<ReceiptListModel> receipts(
            m_alice->createReceiptModel(m_conversation, 1, nullptr));
        testModel(receipts.get());
        QTRY_COMPARE_WITH_TIMEOUT(receipts->rowCount(), 1, Timeout);
        QCOMPARE(receipts->index(0).data(ReceiptListModel::UserIdRole).toLongLong(),
                 m_bob->store()->selfId());
        QTRY_VERIFY_WITH_TIMEOUT(
            receipts->index(0).data(ReceiptListModel::DeliveredAtRole).toDateTime().isValid(),
            Timeout);
        m_bob->setVisibleMessages(m_conversation, {1});
        QTRY_VERIFY_WITH_TIMEOUT(
            receipts->rowCount() == 1
                && receipts->index(0).data(ReceiptListModel::IsReadRole).toBool(),
            Timeout);

        std::unique_ptr<UserSearchModel> users(m_alice->createUserSearchModel(nullptr));
        testModel(users.get());
        users->setQuery(u"BO"_s);
        QTRY_COMPARE_WITH_TIMEOUT(users->rowCount(), 1, Timeout);
        QCOMPARE(users->index(0).data(UserSearchModel::UsernameRole).toString(), u"bob"_s);
        QCOMPARE(users->index(0).data(UserSearchModel::InitialsRole).toString(), u"B"_s);
        users->setQuery(u"nobody"_s);
        QTRY_COMPARE_WITH_TIMEOUT(users->rowCount(), 0, Timeout);
    }

    void olderHistoryComesFromTheServer()
    {
        // Bob signs in on a new device: sync brings the newest 50 entries of the busy
        // conversation, the rest comes page by page as he scrolls up.
        TestClient *aliceDevice = m_server->newClient();
        QVERIFY(aliceDevice && aliceDevice->resume(m_fixture->vault.token(m_alice->key())));
        for (int i = 1; i <= 80; ++i)
            QVERIFY(aliceDevice->sendText(m_conversation, u"history %1"_s.arg(i)) > 0);
        m_bob.reset();
        auto bobNewDevice =
            std::make_unique<Account>(m_server->url(), u"bob"_s, m_fixture->storePath(u"bob-new"_s),
                                      &m_fixture->vault, &m_fixture->trustStore, fastSettings());
        QVERIFY(awaited(bobNewDevice->openStore()));
        bobNewDevice->signIn(u"correct horse battery"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bobNewDevice->state(), Connection::State::Online, Timeout);
        QCOMPARE(awaited(bobNewDevice->store()->messageCount(m_conversation)), 50);

        std::unique_ptr<MessageListModel> view(
            bobNewDevice->createMessageModel(m_conversation, nullptr));
        const int page = fastSettings().messagePageSize;
        QTRY_COMPARE(view->rowCount(), page);
        while (view->rowCount() < 80) {
            QVERIFY(view->canFetchMore({}));
            const int before = view->rowCount();
            const qint64 topSeq = view->index(0).data(MessageListModel::SeqRole).toLongLong();
            view->fetchMore({});
            QTRY_VERIFY_WITH_TIMEOUT(view->rowCount() > before, Timeout);
            // The row that was on top is still there, just further down.
            QCOMPARE(
                view->index(view->rowCount() - before).data(MessageListModel::SeqRole).toLongLong(),
                topSeq);
        }
        QCOMPARE(view->index(0).data(MessageListModel::TextRole).toString(), u"history 1"_s);
        QTRY_VERIFY_WITH_TIMEOUT(!view->canFetchMore({}), Timeout);
        testModel(view.get());
    }

    void accountsSideBySide()
    {
        QTemporaryDir dir;
        AccountManager manager(dir.path(), &m_fixture->vault, fastSettings());
        Account *carol = manager.addAccount(m_server->url(), u"carol"_s);
        Account *dave = manager.addAccount(m_server->url(), u"Dave"_s);
        QVERIFY(carol && dave && carol != dave);
        QCOMPARE(manager.addAccount(m_server->url(), u"carol"_s), carol);
        QVERIFY(carol->store()->filePath() != dave->store()->filePath());
        QVERIFY(registerOnline(carol, u"Carol"_s));
        QVERIFY(registerOnline(dave, u"Dave"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!m_fixture->vault.token(carol->key()).isEmpty()
                                     && !m_fixture->vault.token(dave->key()).isEmpty(),
                                 Timeout);
        QVERIFY(m_fixture->vault.token(carol->key()) != m_fixture->vault.token(dave->key()));
        carol->openDirect(dave->store()->selfId());
        QTRY_COMPARE_WITH_TIMEOUT(dave->store()->conversationIds().size(), 1, Timeout);
        const qint64 conversation = dave->store()->conversationIds().first();
        carol->sendMessage(conversation, u"from one account to the other"_s);
        QTRY_COMPARE_WITH_TIMEOUT(awaited(dave->store()->messageCount(conversation)), 1, Timeout);

        // The app starts again: both accounts come back, from their stores and their tokens.
        AccountManager again(dir.path(), &m_fixture->vault, fastSettings());
        again.load();
        QCOMPARE(again.accounts().size(), 2);
        Account *daveAgain = again.account(dave->key());
        QVERIFY(daveAgain);
        QCOMPARE(awaited(daveAgain->store()->messageCount(conversation)), 1);
        manager.accounts().first()->disconnectFromServer();
        manager.accounts().last()->disconnectFromServer();
        again.connectAll();
        QTRY_VERIFY_WITH_TIMEOUT(again.accounts().first()->state() == Connection::State::Online
                                     && again.accounts().last()->state()
                                         == Connection::State::Online,
                                 Timeout);
    }
};

QTEST_GUILESS_MAIN(TestClientChat)
#include "tst_client_chat.moc"
