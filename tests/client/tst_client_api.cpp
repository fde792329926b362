// The core's typed calls (client/api: GroupApi, ProfileApi, DeviceApi) against the real server:
// each call's typed result, and the server's refusals as the Reply's error. What the server
// holds afterwards is read through a second connection (TestClient), not through the calls.
#include "ClientTestSupport.h"

#include "TestClient.h"
#include "TestServer.h"
#include "api/DeviceApi.h"
#include "api/GroupApi.h"
#include "api/ProfileApi.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QCborArray>
#include <QTest>

#include <optional>

using namespace Server;
using namespace Client;

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
using Protocol::Role;

namespace {
constexpr int Timeout = 15'000;
const QString Password = u"correct horse battery"_s;

std::optional<Reply> await(const ApiCall<void> &call)
{
    std::optional<Reply> answer;
    QObject context;
    call.onFinished(&context, [&answer](const Reply &reply) { answer = reply; });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, Timeout))
        qWarning() << "no answer within" << Timeout << "ms";
    return answer;
}

std::optional<Reply> await(Request *request)
{
    return await(ApiCall<void>(request));
}

//! A refusal by the server (not by the connection), with this code.
bool refused(const Reply &reply, ErrorCode code)
{
    if (reply.origin == Reply::Origin::Server && reply.error == code)
        return true;
    qWarning() << "expected" << Protocol::errorCodeName(code) << "got" << reply.describe();
    return false;
}

//! The member `userId` of a group as `viewer` gets it from conversation.get; empty when absent.
QCborMap memberAs(TestClient *viewer, qint64 conversationId, qint64 userId)
{
    const Protocol::Frame frame = viewer->request(Protocol::Request::GetConversation,
                                                  {{"conversationId"_L1, conversationId}});
    for (const QCborValue &member : frame.body.value("members"_L1).toArray()) {
        if (member.toMap().value("id"_L1).toInteger() == userId)
            return member.toMap();
    }
    return {};
}
} // namespace

class TestClientApi : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startPair(); }

    void cleanup() { stopPair(); }

    void groupCalls()
    {
        const qint64 bobId = m_bob->store()->selfId();
        TestClient *carol = m_server->newUser(u"carol"_s);
        QVERIFY(carol);
        const auto created = await(m_alice->createGroup(u"Team"_s, {bobId, carol->userId()}));
        QVERIFY(created && created->isOk());
        const qint64 group =
            Protocol::ConversationInfo::fromCbor(created->body.value("conversation"_L1).toMap()).id;
        QVERIFY(group > 0);
        const GroupApi alices(m_alice->connection()); // the owner
        const GroupApi bobs(m_bob->connection()); // a member

        // Only the owner and admins rename: a member is refused, and there is no result.
        auto answer = await(bobs.rename(group, u"Bob's team"_s));
        QVERIFY(answer);
        QVERIFY(refused(answer->reply, ErrorCode::Forbidden));
        QCOMPARE(answer->result.seq, 0);
        answer = await(alices.rename(group, u"Team 🚀"_s));
        QVERIFY(answer);
        QVERIFY2(answer->reply.isOk(), qPrintable(answer->reply.describe()));
        QVERIFY(answer->result.seq > 0);
        qint64 lastSeq = answer->result.seq;
        const Protocol::Frame info =
            carol->request(Protocol::Request::GetConversation, {{"conversationId"_L1, group}});
        QCOMPARE(info.body.value("conversation"_L1).toMap().value("name"_L1).toString(),
                 u"Team 🚀"_s);

        // Roles are typed; the server gets its own names for them.
        answer = await(alices.setRole(group, bobId, Role::Admin));
        QVERIFY(answer && answer->reply.isOk());
        QVERIFY(answer->result.seq > lastSeq);
        lastSeq = answer->result.seq;
        QCOMPARE(memberAs(carol, group, bobId).value("role"_L1).toString(), u"admin"_s);
        answer = await(alices.setRole(group, bobId, Role::Member));
        QVERIFY(answer && answer->reply.isOk());
        QCOMPARE(memberAs(carol, group, bobId).value("role"_L1).toString(), u"member"_s);
        answer = await(bobs.removeMember(group, carol->userId())); // a member removes nobody
        QVERIFY(answer && refused(answer->reply, ErrorCode::Forbidden));

        // Add: a new member; the same again is refused (everyone listed is a member already).
        TestClient *dave = m_server->newUser(u"dave"_s);
        QVERIFY(dave);
        answer = await(alices.addMembers(group, {dave->userId()}));
        QVERIFY(answer && answer->reply.isOk());
        QVERIFY(answer->result.seq > lastSeq);
        QVERIFY(!memberAs(carol, group, dave->userId()).isEmpty());
        answer = await(alices.addMembers(group, {dave->userId()}));
        QVERIFY(answer && refused(answer->reply, ErrorCode::InvalidField));

        // Remove: dave goes; someone who is not a member is not found.
        answer = await(alices.removeMember(group, dave->userId()));
        QVERIFY(answer && answer->reply.isOk());
        QVERIFY(memberAs(carol, group, dave->userId()).isEmpty());
        answer = await(alices.removeMember(group, dave->userId()));
        QVERIFY(answer && refused(answer->reply, ErrorCode::NotFound));

        // Leave: a direct conversation cannot be left; a group can, and then nothing else goes.
        answer = await(bobs.leave(m_conversation));
        QVERIFY(answer && refused(answer->reply, ErrorCode::Forbidden));
        answer = await(bobs.leave(group));
        QVERIFY(answer && answer->reply.isOk());
        QVERIFY(answer->result.seq > 0);
        QVERIFY(memberAs(carol, group, bobId).isEmpty());
        answer = await(bobs.rename(group, u"Gone"_s));
        QVERIFY(answer && refused(answer->reply, ErrorCode::NotMember));
    }

    void profileUpdates()
    {
        const ProfileApi profile(m_alice->connection(), m_alice->store());

        ProfileUpdate name;
        name.displayName = u"Alice L."_s;
        auto answer = await(profile.update(name));
        QVERIFY(answer);
        QVERIFY2(answer->reply.isOk(), qPrintable(answer->reply.describe()));
        QCOMPARE(answer->result.user.username, u"alice"_s);
        QCOMPARE(answer->result.user.displayName, u"Alice L."_s);
        QVERIFY(!answer->result.hideLastSeen);
        QVERIFY(answer->result.sendReadReceipts);
        // The store has what the server answered, for every screen.
        QCOMPARE(m_alice->store()->profile().user.displayName, u"Alice L."_s);

        // Privacy: only the fields given change.
        ProfileUpdate privacy;
        privacy.hideLastSeen = true;
        privacy.sendReadReceipts = false;
        answer = await(profile.update(privacy));
        QVERIFY(answer && answer->reply.isOk());
        QCOMPARE(answer->result.user.displayName, u"Alice L."_s);
        QVERIFY(answer->result.hideLastSeen);
        QVERIFY(!answer->result.sendReadReceipts);
        QVERIFY(m_alice->store()->profile().hideLastSeen);
        QVERIFY(!m_alice->store()->profile().sendReadReceipts);

        // A blank name is refused, and the store keeps the last one.
        name.displayName = u"   "_s;
        answer = await(profile.update(name));
        QVERIFY(answer && refused(answer->reply, ErrorCode::InvalidField));
        QVERIFY(answer->result.user.displayName.isEmpty());
        QCOMPARE(m_alice->store()->profile().user.displayName, u"Alice L."_s);
    }

    void passwordChange()
    {
        const ProfileApi profile(m_alice->connection(), m_alice->store());
        const QString newPassword = u"staple battery horse"_s;

        auto reply = await(profile.changePassword(u"not her password"_s, newPassword));
        QVERIFY(reply && refused(*reply, ErrorCode::InvalidCredentials));
        TestClient *old = m_server->newClient();
        QVERIFY(old && old->login(u"alice"_s, Password)); // nothing changed

        reply = await(profile.changePassword(Password, newPassword));
        QVERIFY(reply);
        QVERIFY2(reply->isOk(), qPrintable(reply->describe()));
        TestClient *withNew = m_server->newClient();
        QVERIFY(withNew && withNew->login(u"alice"_s, newPassword));
        QCOMPARE(m_alice->state(), Connection::State::Online); // this device stays signed in
    }

    void devicesListAndRevoke()
    {
        const DeviceApi devices(m_alice->connection());
        auto listed = await(devices.list());
        QVERIFY(listed);
        QVERIFY2(listed->reply.isOk(), qPrintable(listed->reply.describe()));
        QCOMPARE(listed->result.size(), 1);
        QCOMPARE(listed->result.constFirst().id, m_alice->connection()->deviceId());
        QVERIFY(listed->result.constFirst().current);
        QVERIFY(listed->result.constFirst().online);
        QVERIFY(listed->result.constFirst().createdAt > 0);

        TestClient *phone = m_server->newClient();
        QVERIFY(phone && phone->login(u"alice"_s, Password, u"Phone"_s));
        listed = await(devices.list());
        QVERIFY(listed && listed->reply.isOk());
        QCOMPARE(listed->result.size(), 2);
        const auto it = std::find_if(
            listed->result.cbegin(), listed->result.cend(),
            [phone](const Protocol::DeviceInfo &device) { return device.id == phone->deviceId(); });
        QVERIFY(it != listed->result.cend());
        QCOMPARE(it->name, u"Phone"_s);
        QVERIFY(!it->current);
        QVERIFY(it->online);

        auto reply = await(devices.revoke(phone->deviceId()));
        QVERIFY(reply);
        QVERIFY2(reply->isOk(), qPrintable(reply->describe()));
        QVERIFY(phone->waitEvent(Protocol::Event::SignedOut));
        reply = await(devices.revoke(phone->deviceId()));
        QVERIFY(reply && refused(*reply, ErrorCode::NotFound));
        // bob's devices are not alice's to sign out.
        reply = await(devices.revoke(m_bob->connection()->deviceId()));
        QVERIFY(reply && refused(*reply, ErrorCode::NotFound));

        listed = await(devices.list());
        QVERIFY(listed && listed->reply.isOk());
        QCOMPARE(listed->result.size(), 1);
    }

    void offlineCallsFinishWithoutAnAnswer()
    {
        m_alice->disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->state(), Connection::State::Offline, Timeout);
        const auto listed = await(DeviceApi(m_alice->connection()).list());
        QVERIFY(listed);
        QCOMPARE(listed->reply.origin, Reply::Origin::NotConnected);
        QVERIFY(listed->result.isEmpty());
        const auto renamed = await(GroupApi(m_alice->connection()).rename(m_conversation, u"x"_s));
        QVERIFY(renamed);
        QCOMPARE(renamed->reply.origin, Reply::Origin::NotConnected);
        ProfileUpdate hide;
        hide.hideLastSeen = true;
        const auto updated =
            await(ProfileApi(m_alice->connection(), m_alice->store()).update(hide));
        QVERIFY(updated);
        QCOMPARE(updated->reply.origin, Reply::Origin::NotConnected);
        QVERIFY(!m_alice->store()->profile().hideLastSeen);
    }
};

QTEST_MAIN(TestClientApi)
#include "tst_client_api.moc"
