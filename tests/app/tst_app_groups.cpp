// GroupController and MessageInfoController, driven as the group screens drive them, against the
// real server: alice uses the app (AppController, as the QML does), bob and carol are accounts of
// their own. Creating a group, the owner's and an admin's powers, a member refused (and told so
// in words, after the can* properties said so), a rename seen by another member, leaving with the
// ownership handed over, and who has read a message, and when.
#include "AppTestSupport.h"
#include "ChatListController.h"

#include "ClientTestSupport.h"
#include "GroupController.h"
#include "MessageInfoController.h"
#include "TestServer.h"
#include "account/Account.h"
#include "activity/ReadMarker.h"
#include "models/ConversationListModel.h"
#include "models/MemberListModel.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace App;

using namespace Qt::StringLiterals;
using Action = GroupController::Action;

namespace {

constexpr int Timeout = 15'000;

//! The role of a user in a member model, or "" when they are not in it.
QString roleIn(const QAbstractItemModel *members, qint64 userId)
{
    for (int row = 0; members && row < members->rowCount(); ++row) {
        const QModelIndex index = members->index(row, 0);
        if (index.data(MemberListModel::UserIdRole).toLongLong() == userId)
            return index.data(MemberListModel::RoleRole).toString();
    }
    return {};
}

//! The seq of the newest own message of a conversation in the store, 0 while it is not stored.
qint64 newestOwnSeq(Account *account, qint64 conversationId)
{
    const QList<Protocol::MessageRecord> messages =
        awaited(account->store()->messages(conversationId, 0, 20));
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (it->senderId == account->store()->selfId() && !it->isEvent())
            return it->seq;
    }
    return 0;
}

QStringList names(const QVariantList &people)
{
    QStringList list;
    for (const QVariant &person : people)
        list.append(person.toMap().value(u"displayName"_s).toString());
    return list;
}

bool allTimed(const QVariantList &people)
{
    return std::all_of(people.cbegin(), people.cend(), [](const QVariant &person) {
        return person.toMap().value(u"at"_s).toDateTime().isValid();
    });
}

} // namespace

class TestAppGroups : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        m_app = std::make_unique<SignedInApp>();
        QVERIFY(m_app->signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        m_clients = std::make_unique<ClientFixture>();
        m_bob = m_clients->account(m_server->url(), u"bob"_s);
        m_carol = m_clients->account(m_server->url(), u"carol"_s);
        QVERIFY(registerOnline(m_bob.get(), u"Bob"_s));
        QVERIFY(registerOnline(m_carol.get(), u"Carol"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_app->app()->connectionState(),
                                  AppController::ConnectionState::Online, Timeout);
    }

    void cleanup()
    {
        m_bob.reset();
        m_carol.reset();
        m_clients.reset();
        m_app.reset();
        m_server.reset();
    }

    void creatingAGroupShowsItWithItsMembers()
    {
        GroupController controller; // as in QML: given the account on screen
        controller.setAccount(m_app->account());
        QSignalSpy created(&controller, &GroupController::created);
        controller.create(u"  Team  "_s, {bobId(), carolId()});
        QVERIFY(controller.isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(created.size(), 1, Timeout);
        QVERIFY(!controller.isBusy());
        QVERIFY(controller.error().isEmpty());
        const qint64 id = created.constFirst().constFirst().toLongLong();
        QVERIFY(id > 0);
        QCOMPARE(controller.conversationId(), id);

        // In the app's conversation list at once, named as typed (trimmed).
        ChatListController chats(m_app->account());
        QAbstractItemModel *list = chats.conversations();
        bool listed = false;
        for (int row = 0; row < list->rowCount(); ++row) {
            const QModelIndex index = list->index(row, 0);
            if (index.data(ConversationListModel::IdRole).toLongLong() == id) {
                listed = true;
                QCOMPARE(index.data(ConversationListModel::NameRole).toString(), u"Team"_s);
                QCOMPARE(index.data(ConversationListModel::KindRole).toString(), u"group"_s);
            }
        }
        QVERIFY(listed);

        QVERIFY(controller.isGroup());
        QVERIFY(controller.isMember());
        QCOMPARE(controller.name(), u"Team"_s);
        QCOMPARE(controller.myRole(), u"owner"_s);
        QCOMPARE(controller.memberCount(), 3);
        QAbstractItemModel *members = controller.members();
        QVERIFY(members);
        testModel(members);
        QTRY_COMPARE_WITH_TIMEOUT(members->rowCount(), 3, Timeout);
        QCOMPARE(roleIn(members, aliceId()), u"owner"_s);
        QCOMPARE(roleIn(members, bobId()), u"member"_s);
        QCOMPARE(roleIn(members, carolId()), u"member"_s);
        QCOMPARE(members->index(0, 0).data(MemberListModel::DisplayNameRole).toString(),
                 u"Alice"_s);
        QVERIFY(members->index(0, 0).data(MemberListModel::IsSelfRole).toBool());
        QVERIFY(!members->index(0, 0).data(MemberListModel::PresenceRole).toString().isEmpty());
        QCOMPARE(controller.memberIds().size(), 3);

        // The others have it too.
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->conversation(id).has_value(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_carol->store()->conversation(id).has_value(), Timeout);
        QCOMPARE(m_bob->store()->conversation(id)->name, u"Team"_s);

        // A blank name is refused here, before any request.
        QSignalSpy failed(&controller, &GroupController::failed);
        controller.create(u"   "_s, {});
        QCOMPARE(failed.size(), 1);
        QVERIFY(!controller.isBusy());
        QVERIFY(controller.error().contains(u"name"_s));
    }

    void ownerAndAdminAddPromoteDemoteRemove()
    {
        GroupController alice(m_app->account(), 0);
        const qint64 id = createGroup(&alice, {bobId()});
        std::unique_ptr<Account> dave = m_clients->account(m_server->url(), u"dave"_s);
        QVERIFY(registerOnline(dave.get(), u"Dave"_s));

        // The owner adds carol and dave.
        QVERIFY(alice.canAddMembers());
        QVERIFY(succeeds(
            &alice,
            [&] {
                alice.addMembers({carolId(), dave->store()->selfId()});
            },
            Action::Add));
        QTRY_COMPARE_WITH_TIMEOUT(alice.members()->rowCount(), 4, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(alice.memberCount(), 4, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_carol->store()->conversation(id).has_value(), Timeout);

        // The owner promotes bob: an admin, as bob's own screen sees.
        QVERIFY(alice.canPromote(bobId()));
        QVERIFY(!alice.canDemote(bobId()));
        QVERIFY(succeeds(
            &alice, [&] { alice.promote(bobId()); }, Action::Promote));
        QTRY_COMPARE_WITH_TIMEOUT(roleIn(alice.members(), bobId()), u"admin"_s, Timeout);
        QVERIFY(alice.canDemote(bobId()));
        QVERIFY(!alice.canPromote(bobId()));

        GroupController bob(m_bob.get(), id);
        QTRY_COMPARE_WITH_TIMEOUT(bob.myRole(), u"admin"_s, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bob.members()->rowCount(), 4, Timeout);
        // An admin: adds, renames, promotes and removes members; never the owner, never demotes.
        QVERIFY(bob.canAddMembers());
        QVERIFY(bob.canRename());
        QVERIFY(bob.canRemove(carolId()));
        QVERIFY(bob.canPromote(carolId()));
        QVERIFY(!bob.canRemove(aliceId()));
        QVERIFY(!bob.canPromote(aliceId()));
        QVERIFY(!bob.canDemote(aliceId()));
        QVERIFY(!bob.canRemove(bobId())); // oneself: leave instead

        // The admin promotes dave, removes carol.
        QVERIFY(succeeds(
            &bob, [&] { bob.promote(dave->store()->selfId()); }, Action::Promote));
        QTRY_COMPARE_WITH_TIMEOUT(roleIn(alice.members(), dave->store()->selfId()), u"admin"_s,
                                  Timeout);
        QVERIFY(succeeds(
            &bob, [&] { bob.removeMember(carolId()); }, Action::Remove));
        QTRY_COMPARE_WITH_TIMEOUT(roleIn(alice.members(), carolId()), QString(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(alice.memberCount(), 3, Timeout);
        GroupController carol(m_carol.get(), id);
        QTRY_VERIFY_WITH_TIMEOUT(!carol.isMember(), Timeout);
        QCOMPARE(carol.myRole(), QString());
        QVERIFY(!carol.canLeave());

        // Between admins: bob may not remove or demote dave; the owner may both.
        QTRY_VERIFY_WITH_TIMEOUT(!bob.canRemove(dave->store()->selfId()), Timeout);
        QVERIFY(!bob.canDemote(dave->store()->selfId()));
        QVERIFY(alice.canRemove(dave->store()->selfId()));
        QVERIFY(succeeds(
            &alice, [&] { alice.demote(bobId()); }, Action::Demote));
        QTRY_COMPARE_WITH_TIMEOUT(roleIn(alice.members(), bobId()), u"member"_s, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bob.myRole(), u"member"_s, Timeout);
        QVERIFY(!bob.canAddMembers());
        QVERIFY(succeeds(
            &alice, [&] { alice.removeMember(dave->store()->selfId()); }, Action::Remove));
        QTRY_COMPARE_WITH_TIMEOUT(alice.members()->rowCount(), 2, Timeout);
    }

    void aMemberIsRefusedWhatOnlyAdminsMayDo()
    {
        GroupController alice(m_app->account(), 0);
        const qint64 id = createGroup(&alice, {bobId(), carolId()});
        GroupController bob(m_bob.get(), id);
        QTRY_COMPARE_WITH_TIMEOUT(bob.myRole(), u"member"_s, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bob.members()->rowCount(), 3, Timeout);

        // What the panel would offer: nothing but leaving.
        QVERIFY(!bob.canRename());
        QVERIFY(!bob.canAddMembers());
        QVERIFY(!bob.canRemove(carolId()));
        QVERIFY(!bob.canPromote(carolId()));
        QVERIFY(!bob.canDemote(carolId()));
        QVERIFY(!bob.canRemove(aliceId()));
        QVERIFY(bob.canLeave());
        QVERIFY(bob.heirName().isEmpty());

        // Tried anyway (a stale screen), the server refuses, and the user reads why.
        const QString rename = refusal(
            &bob, [&] { bob.rename(u"Mine now"_s); }, Action::Rename);
        QVERIFY2(rename.contains(u"owner and admins"_s), qPrintable(rename));
        const QString add = refusal(
            &bob, [&] { bob.addMembers({carolId()}); }, Action::Add);
        QVERIFY2(add.contains(u"add members"_s), qPrintable(add));
        const QString remove = refusal(
            &bob, [&] { bob.removeMember(carolId()); }, Action::Remove);
        QVERIFY2(remove.contains(u"remove members"_s), qPrintable(remove));
        const QString promote = refusal(
            &bob, [&] { bob.promote(carolId()); }, Action::Promote);
        QVERIFY2(promote.contains(u"admins"_s), qPrintable(promote));
        QCOMPARE(bob.error(), promote);
        QCOMPARE(roleIn(alice.members(), carolId()), u"member"_s);
        QCOMPARE(alice.name(), u"Team"_s);

        // An admin is refused what only the owner may do.
        QVERIFY(succeeds(
            &alice, [&] { alice.promote(bobId()); }, Action::Promote));
        QVERIFY(succeeds(
            &alice, [&] { alice.promote(carolId()); }, Action::Promote));
        QTRY_COMPARE_WITH_TIMEOUT(roleIn(bob.members(), carolId()), u"admin"_s, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bob.myRole(), u"admin"_s, Timeout);
        QVERIFY(!bob.canDemote(carolId()));
        QVERIFY(!bob.canRemove(carolId()));
        const QString demote = refusal(
            &bob, [&] { bob.demote(carolId()); }, Action::Demote);
        QVERIFY2(demote.contains(u"Only the owner"_s), qPrintable(demote));
        const QString removeAdmin = refusal(
            &bob, [&] { bob.removeMember(carolId()); }, Action::Remove);
        QVERIFY2(removeAdmin.contains(u"not other admins"_s), qPrintable(removeAdmin));
        // A success clears the error.
        QVERIFY(succeeds(
            &bob, [&] { bob.rename(u"Team 2"_s); }, Action::Rename));
        QVERIFY(bob.error().isEmpty());
    }

    void renameIsSeenByAnotherMember()
    {
        GroupController alice(m_app->account(), 0);
        const qint64 id = createGroup(&alice, {bobId()});
        GroupController bob(m_bob.get(), id);
        QTRY_COMPARE_WITH_TIMEOUT(bob.name(), u"Team"_s, Timeout);
        QSignalSpy changed(&bob, &GroupController::groupChanged);

        QVERIFY(alice.canRename());
        QVERIFY(succeeds(
            &alice, [&] { alice.rename(u"Lunch <b>crew</b> 🍜"_s); }, Action::Rename));
        QTRY_COMPARE_WITH_TIMEOUT(alice.name(), u"Lunch <b>crew</b> 🍜"_s, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bob.name(), u"Lunch <b>crew</b> 🍜"_s, Timeout);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(m_bob->store()->conversation(id)->name, u"Lunch <b>crew</b> 🍜"_s);

        // A blank or too long name never leaves the app.
        QSignalSpy failed(&alice, &GroupController::failed);
        alice.rename(u"  "_s);
        alice.rename(QString(Protocol::Limits::MaxGroupNameLength + 1, u'x'));
        QCOMPARE(failed.size(), 2);
        QVERIFY(alice.error().contains(u"too long"_s));
        QVERIFY(!alice.isBusy());
    }

    void leavingHandsTheOwnershipOver()
    {
        GroupController alice(m_app->account(), 0);
        const qint64 id = createGroup(&alice, {bobId(), carolId()});
        QTRY_COMPARE_WITH_TIMEOUT(alice.members()->rowCount(), 3, Timeout);
        // Bob joined first, but an admin comes before members.
        QCOMPARE(alice.heirName(), u"Bob"_s);
        QVERIFY(succeeds(
            &alice, [&] { alice.promote(carolId()); }, Action::Promote));
        QTRY_COMPARE_WITH_TIMEOUT(alice.heirName(), u"Carol"_s, Timeout);

        GroupController carol(m_carol.get(), id);
        GroupController bob(m_bob.get(), id);
        QTRY_COMPARE_WITH_TIMEOUT(carol.myRole(), u"admin"_s, Timeout);
        QVERIFY(alice.canLeave());
        QVERIFY(succeeds(
            &alice, [&] { alice.leave(); }, Action::Leave));

        QTRY_VERIFY_WITH_TIMEOUT(!alice.isMember(), Timeout);
        QCOMPARE(alice.myRole(), QString());
        QVERIFY(!alice.canLeave());
        QVERIFY(!alice.canRename());
        QVERIFY(!alice.canAddMembers());
        QTRY_COMPARE_WITH_TIMEOUT(carol.myRole(), u"owner"_s, Timeout);
        QVERIFY(carol.canDemote(bobId()) == false); // bob is a member
        QVERIFY(carol.canRemove(bobId()));
        QTRY_COMPARE_WITH_TIMEOUT(roleIn(bob.members(), carolId()), u"owner"_s, Timeout);
        QCOMPARE(roleIn(bob.members(), aliceId()), QString());
        QTRY_COMPARE_WITH_TIMEOUT(bob.memberCount(), 2, Timeout);

        // The app keeps the conversation, read-only.
        ChatListController chats(m_app->account());
        QAbstractItemModel *list = chats.conversations();
        bool inactive = false;
        for (int row = 0; row < list->rowCount(); ++row) {
            const QModelIndex index = list->index(row, 0);
            if (index.data(ConversationListModel::IdRole).toLongLong() == id)
                inactive = !index.data(ConversationListModel::ActiveRole).toBool();
        }
        QVERIFY(inactive);
    }

    void messageInfoShowsWhoHasReadItAndWhen()
    {
        GroupController group(m_app->account(), 0);
        const qint64 id = createGroup(&group, {bobId(), carolId()});
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->conversation(id).has_value(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_carol->store()->conversation(id).has_value(), Timeout);

        Account *alice = m_app->account();
        alice->sendMessage(id, u"Lunch at <b>noon</b>?"_s);
        QTRY_VERIFY_WITH_TIMEOUT(newestOwnSeq(alice, id) > 0, Timeout);
        const qint64 seq = newestOwnSeq(alice, id);

        MessageInfoController info; // as in QML: given the account on screen
        info.setAccount(alice);
        info.setConversationId(id);
        info.setSeq(seq);
        QVERIFY(info.isGroup());
        QTRY_COMPARE(info.text(), u"Lunch at <b>noon</b>?"_s); // read on the store's thread
        QVERIFY(info.sentAt().isValid());

        // Bob and carol are online: their devices confirm delivery by themselves.
        QTRY_COMPARE_WITH_TIMEOUT(names(info.deliveredTo()), (QStringList {u"Bob"_s, u"Carol"_s}),
                                  Timeout);
        QVERIFY(allTimed(info.deliveredTo()));
        QVERIFY(info.readBy().isEmpty());
        QVERIFY(info.waiting().isEmpty());

        // Bob reads it; the open dialog follows.
        QSignalSpy changed(&info, &MessageInfoController::receiptsChanged);
        m_bob->readMarker()->markReadUpTo(id, seq);
        QTRY_COMPARE_WITH_TIMEOUT(names(info.readBy()), QStringList {u"Bob"_s}, Timeout);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(names(info.deliveredTo()), QStringList {u"Carol"_s});
        QVERIFY(allTimed(info.readBy()));
        const QVariantMap bob = info.readBy().constFirst().toMap();
        QCOMPARE(bob.value(u"userId"_s).toLongLong(), bobId());
        QVERIFY(bob.value(u"at"_s).toDateTime() >= info.sentAt());
        QVERIFY(!bob.value(u"initials"_s).toString().isEmpty());

        m_carol->readMarker()->markReadUpTo(id, seq);
        QTRY_COMPARE_WITH_TIMEOUT(names(info.readBy()), (QStringList {u"Bob"_s, u"Carol"_s}),
                                  Timeout);
        QVERIFY(info.deliveredTo().isEmpty());

        // Someone offline has not received the next one: waiting.
        m_carol->disconnectFromServer();
        alice->sendMessage(id, u"Anyone?"_s);
        QTRY_VERIFY_WITH_TIMEOUT(newestOwnSeq(alice, id) > seq, Timeout);
        MessageInfoController second(alice, id, newestOwnSeq(alice, id));
        QTRY_COMPARE_WITH_TIMEOUT(names(second.deliveredTo()), QStringList {u"Bob"_s}, Timeout);
        QCOMPARE(names(second.waiting()), QStringList {u"Carol"_s});
        QVERIFY(!second.waiting().constFirst().toMap().value(u"at"_s).toDateTime().isValid());
    }

    void messageInfoInADirectChat()
    {
        Account *alice = m_app->account();
        ChatListController chats(alice); // "Message" on a member, or the new chat dialog
        QSignalSpy ready(&chats, &ChatListController::conversationReady);
        chats.openDirect(bobId());
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, Timeout);
        QCOMPARE(alice->store()->conversationIds().size(), 1);
        const qint64 id = alice->store()->conversationIds().constFirst();
        QCOMPARE(ready.constFirst().constFirst().toLongLong(), id);
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->conversation(id).has_value(), Timeout);

        // No group actions in a direct chat.
        GroupController direct(alice, id);
        QVERIFY(!direct.isGroup());
        QVERIFY(!direct.canLeave());
        QVERIFY(!direct.canRename());
        QVERIFY(!direct.canAddMembers());

        alice->sendMessage(id, u"Hi Bob"_s);
        QTRY_VERIFY_WITH_TIMEOUT(newestOwnSeq(alice, id) > 0, Timeout);
        MessageInfoController info(alice, id, newestOwnSeq(alice, id));
        QVERIFY(!info.isGroup());
        QTRY_VERIFY(info.sentAt().isValid());
        QTRY_VERIFY_WITH_TIMEOUT(info.deliveredAt().isValid(), Timeout);
        QVERIFY(!info.readAt().isValid());
        m_bob->readMarker()->markReadUpTo(id, info.seq());
        QTRY_VERIFY_WITH_TIMEOUT(info.readAt().isValid(), Timeout);
        QVERIFY(info.readAt() >= info.deliveredAt());
        QVERIFY(info.deliveredAt() >= info.sentAt());
    }

private:
    qint64 aliceId() const { return m_app->account()->store()->selfId(); }
    qint64 bobId() const { return m_bob->store()->selfId(); }
    qint64 carolId() const { return m_carol->store()->selfId(); }

    //! Creates "Team" through the controller with these members; its id (0 on failure).
    qint64 createGroup(GroupController *controller, const QVariantList &memberIds)
    {
        QSignalSpy created(controller, &GroupController::created);
        controller->create(u"Team"_s, memberIds);
        if (!QTest::qWaitFor([&] { return !created.isEmpty(); }, Timeout))
            return 0;
        const auto everyone = [&] {
            return controller->members()->rowCount() == memberIds.size() + 1;
        };
        return QTest::qWaitFor(everyone, Timeout) ? controller->conversationId() : 0;
    }

    //! Runs an action and waits for its outcome: true when it succeeded.
    bool succeeds(GroupController *controller, const std::function<void()> &act, Action action)
    {
        QSignalSpy succeeded(controller, &GroupController::succeeded);
        QSignalSpy failed(controller, &GroupController::failed);
        act();
        if (!QTest::qWaitFor([&] { return !succeeded.isEmpty() || !failed.isEmpty(); }, Timeout))
            return false;
        if (!failed.isEmpty())
            qWarning() << "failed:" << failed.constFirst().at(1).toString();
        return !succeeded.isEmpty()
            && succeeded.constFirst().constFirst().value<Action>() == action;
    }

    //! Runs an action that must be refused: the error in words (empty when it was not refused).
    QString refusal(GroupController *controller, const std::function<void()> &act, Action action)
    {
        QSignalSpy succeeded(controller, &GroupController::succeeded);
        QSignalSpy failed(controller, &GroupController::failed);
        act();
        if (!QTest::qWaitFor([&] { return !succeeded.isEmpty() || !failed.isEmpty(); }, Timeout))
            return {};
        if (failed.isEmpty() || failed.constFirst().constFirst().value<Action>() != action)
            return {};
        return failed.constFirst().at(1).toString();
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<SignedInApp> m_app;
    std::unique_ptr<ClientFixture> m_clients;
    std::unique_ptr<Account> m_bob;
    std::unique_ptr<Account> m_carol;
};

QTEST_MAIN(TestAppGroups)
#include "tst_app_groups.moc"
