#include "ClientTestSupport.h"

#include "TestClient.h"
#include "TestServer.h"
#include "account/AccountManager.h"
#include "models/ConversationListModel.h"
#include "models/MemberListModel.h"
#include "models/MessageListModel.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QCborArray>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Server;
using namespace Client;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;

//! The conversation ids of a list model, top to bottom.
QList<qint64> rowIds(const QAbstractItemModel *model)
{
    QList<qint64> ids;
    for (int row = 0; row < model->rowCount(); ++row)
        ids.append(model->index(row, 0).data(ConversationListModel::IdRole).toLongLong());
    return ids;
}

//! The row of a user in a member model, or -1.
int memberRow(const QAbstractItemModel *model, qint64 userId)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(MemberListModel::UserIdRole).toLongLong() == userId)
            return row;
    }
    return -1;
}
} // namespace

//! The models against the real server: what they show and how they follow changes live.
class TestClientModels : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startPair(); }

    void cleanup() { stopPair(); }

    void unknownContentTypeIsShownAsUnsupported()
    {
        std::unique_ptr<MessageListModel> view(
            m_alice->createMessageModel(m_conversation, nullptr));
        testModel(view.get());
        testModel(m_alice->conversationModel());
        TestClient *bobDevice = m_server->newClient();
        QVERIFY(bobDevice && bobDevice->resume(m_fixture->vault.token(m_bob->key())));
        VERIFY_OK(bobDevice->request(Protocol::Request::Send,
                                     {{"conversationId"_L1, m_conversation},
                                      {"clientId"_L1, u"future-1"_s},
                                      {"contentType"_L1, u"application/x-sticker"_s},
                                      {"content"_L1, QByteArray("\x01\x02\x03", 3)}}));
        QTRY_COMPARE_WITH_TIMEOUT(rowTexts(view.get()), QStringList {u"[unsupported message]"_s},
                                  Timeout);
        QCOMPARE(m_alice->conversationModel()
                     ->index(0)
                     .data(ConversationListModel::LastMessageRole)
                     .toString(),
                 u"[unsupported message]"_s);
    }

    void conversationListOrder()
    {
        ConversationListModel *list = m_alice->conversationModel();
        testModel(list);
        TestClient *carol = m_server->newUser(u"carol"_s);
        QVERIFY(carol);
        m_alice->openDirect(carol->userId());
        QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 2, Timeout);
        m_alice->createGroup(u"Team"_s, {m_bob->store()->selfId()});
        QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 3, Timeout);
        const QList<qint64> ids = m_alice->store()->conversationIds();
        const qint64 bob = m_conversation;
        const qint64 withCarol = ids.at(1);
        const qint64 group = ids.at(2);

        // Last activity, newest first.
        say(bob);
        say(withCarol);
        say(group);
        QCOMPARE(rowIds(list), (QList<qint64> {group, withCarol, bob}));

        // Pinned first, whatever their activity.
        m_alice->setConversationFlags(bob, std::nullopt, true, std::nullopt);
        QTRY_COMPARE_WITH_TIMEOUT(rowIds(list), (QList<qint64> {bob, group, withCarol}), Timeout);
        QVERIFY(list->index(0).data(ConversationListModel::PinnedRole).toBool());

        // A new message moves its conversation up among the unpinned ones, not past a pinned one.
        QVERIFY(carol->sendText(withCarol, u"hello Alice"_s) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(rowIds(list), (QList<qint64> {bob, withCarol, group}), Timeout);

        // Unpinned, it falls back to its place by activity.
        m_alice->setConversationFlags(bob, std::nullopt, false, std::nullopt);
        QTRY_COMPARE_WITH_TIMEOUT(rowIds(list), (QList<qint64> {withCarol, group, bob}), Timeout);
    }

    void removeAccountForgetsEverything()
    {
        QTemporaryDir dir;
        AccountManager manager(dir.path(), &m_fixture->vault, fastSettings());
        Account *carol = manager.addAccount(m_server->url(), u"carol"_s);
        QVERIFY(carol);
        const QString key = carol->key();
        const QString storePath = carol->store()->filePath();
        QVERIFY(registerOnline(carol, u"Carol"_s));
        QTRY_VERIFY_WITH_TIMEOUT(!m_fixture->vault.token(key).isEmpty(), Timeout);
        QVERIFY(QFile::exists(storePath));
        QSignalSpy removed(&manager, &AccountManager::accountRemoved);

        manager.removeAccount(carol);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(removed.first().first().toString(), key);
        QVERIFY(manager.accounts().isEmpty());
        QVERIFY(!manager.account(key));
        QTRY_VERIFY_WITH_TIMEOUT(m_fixture->vault.token(key).isEmpty(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(storePath), Timeout);
        QVERIFY(!QFile::exists(storePath + u"-wal"_s));

        // The next start does not bring it back.
        AccountManager again(dir.path(), &m_fixture->vault, fastSettings());
        again.load();
        QVERIFY(again.accounts().isEmpty());
    }

    void memberModelFollowsMembershipLive()
    {
        TestClient *carol = m_server->newUser(u"carol"_s);
        QVERIFY(carol);
        m_alice->createGroup(u"Team"_s, {m_bob->store()->selfId()});
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->store()->conversationIds().size(), 2, Timeout);
        const qint64 group = m_bob->store()->conversationIds().last();
        std::unique_ptr<MemberListModel> members(m_bob->createMemberModel(group, nullptr));
        testModel(members.get());
        QTRY_COMPARE_WITH_TIMEOUT(members->rowCount(), 2, Timeout);

        // Bob's model follows what Alice (the owner) does; nobody calls refresh().
        const auto ok = [](Request *request) {
            std::optional<bool> result;
            QObject::connect(request, &Request::finished, request,
                             [&result](const Reply &reply) { result = reply.isOk(); });
            return QTest::qWaitFor([&result] { return result.has_value(); }, Timeout) && *result;
        };
        QVERIFY(ok(m_alice->connection()->send(
            Protocol::Request::AddMembers,
            {{"conversationId"_L1, group}, {"userIds"_L1, QCborArray {carol->userId()}}})));
        QTRY_COMPARE_WITH_TIMEOUT(members->rowCount(), 3, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(memberRow(members.get(), carol->userId()) >= 0, Timeout);
        QCOMPARE(members->index(memberRow(members.get(), carol->userId()))
                     .data(MemberListModel::RoleRole)
                     .toString(),
                 u"member"_s);

        QVERIFY(ok(m_alice->connection()->send(Protocol::Request::SetRole,
                                               {{"conversationId"_L1, group},
                                                {"userId"_L1, carol->userId()},
                                                {"role"_L1, u"admin"_s}})));
        QTRY_COMPARE_WITH_TIMEOUT(members->index(memberRow(members.get(), carol->userId()))
                                      .data(MemberListModel::RoleRole)
                                      .toString(),
                                  u"admin"_s, Timeout);

        QVERIFY(ok(m_alice->connection()->send(
            Protocol::Request::RemoveMember,
            {{"conversationId"_L1, group}, {"userId"_L1, carol->userId()}})));
        QTRY_COMPARE_WITH_TIMEOUT(members->rowCount(), 2, Timeout);
        QCOMPARE(memberRow(members.get(), carol->userId()), -1);
    }

private:
    //! Alice writes in a conversation and waits until the server has it.
    void say(qint64 conversationId)
    {
        const int before = awaited(m_alice->store()->messageCount(conversationId));
        m_alice->sendMessage(conversationId, u"news"_s);
        QTRY_VERIFY_WITH_TIMEOUT(m_alice->store()->outbox().isEmpty()
                                     && awaited(m_alice->store()->messageCount(conversationId))
                                         > before,
                                 Timeout);
    }
};

QTEST_GUILESS_MAIN(TestClientModels)
#include "tst_client_models.moc"
