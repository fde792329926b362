// Groups: every role rule allowed and forbidden, not_member for outsiders, ownership hand-over,
// the member limit, and membership events in the conversation's sequence, history and sync.

#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <memory>

using namespace Server;

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

using Cbor::conversationOf;
using Cbor::eventOf;
using Cbor::rolesOf;

class TestGroups : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void addRules();
    void removeRules();
    void renameRules();
    void roleRules();
    void nonMembersGetNotMember();
    void ownerLeavingPassesToAdmin();
    void ownerLeavingPassesToMember();
    void groupMemberLimit();
    void membershipEventsInSequence();

private:
    //! owner, admin, member and other in one group; outsider in none.
    struct Cast
    {
        TestClient *owner = nullptr;
        TestClient *admin = nullptr;
        TestClient *member = nullptr;
        TestClient *other = nullptr;
        TestClient *outsider = nullptr;
        qint64 group = 0;
    };
    void setUpCast(Cast *cast);
    QHash<qint64, QString> roles(TestClient *client, qint64 conversationId);

    std::unique_ptr<TestServer> m_server;
};

void TestGroups::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestGroups::cleanup()
{
    m_server.reset();
}

void TestGroups::setUpCast(Cast *cast)
{
    cast->owner = m_server->newUser(u"owner"_s);
    cast->admin = m_server->newUser(u"admin"_s);
    cast->member = m_server->newUser(u"member"_s);
    cast->other = m_server->newUser(u"other"_s);
    cast->outsider = m_server->newUser(u"outsider"_s);
    QVERIFY(cast->owner && cast->admin && cast->member && cast->other && cast->outsider);
    cast->group = cast->owner->createGroup(
        u"Cast"_s, {cast->admin->userId(), cast->member->userId(), cast->other->userId()});
    QVERIFY(cast->group > 0);
    VERIFY_OK(cast->owner->request(Request::SetRole,
                                   {{u"conversationId"_s, cast->group},
                                    {u"userId"_s, cast->admin->userId()},
                                    {u"role"_s, u"admin"_s}}));
}

QHash<qint64, QString> TestGroups::roles(TestClient *client, qint64 conversationId)
{
    const auto response =
        client->request(Request::GetConversation, {{u"conversationId"_s, conversationId}});
    if (!response.isOk())
        qWarning("conversation.get failed: %s", qPrintable(TestClient::describe(response)));
    return rolesOf(response);
}

void TestGroups::addRules()
{
    Cast cast;
    setUpCast(&cast);
    if (QTest::currentTestFailed())
        return;
    TestClient *late1 = m_server->newUser(u"late1"_s);
    TestClient *late2 = m_server->newUser(u"late2"_s);
    TestClient *late3 = m_server->newUser(u"late3"_s);
    QVERIFY(late1 && late2 && late3);
    const auto add = [&cast](TestClient *who, TestClient *whom) {
        return who->request(
            Request::AddMembers,
            {{u"conversationId"_s, cast.group}, {u"userIds"_s, Cbor::ids({whom->userId()})}});
    };

    const auto byOwner = add(cast.owner, late1);
    VERIFY_OK(byOwner);
    QVERIFY(byOwner.body.value(u"seq"_s).toInteger() > 0);
    VERIFY_OK(add(cast.admin, late2));
    COMPARE_ERROR(add(cast.member, late3), ErrorCode::Forbidden);
    COMPARE_ERROR(add(cast.outsider, late3), ErrorCode::NotMember);

    const auto memberRoles = roles(cast.owner, cast.group);
    QCOMPARE(memberRoles.value(late1->userId()), u"member"_s);
    QCOMPARE(memberRoles.value(late2->userId()), u"member"_s);
    QVERIFY(!memberRoles.contains(late3->userId()));

    // The added users hear of the conversation.
    const auto event = late1->waitEvent(Protocol::Event::Conversation);
    QVERIFY(event);
    QCOMPARE(conversationOf(*event).value(u"id"_s).toInteger(), cast.group);
}

void TestGroups::removeRules()
{
    Cast cast;
    setUpCast(&cast);
    if (QTest::currentTestFailed())
        return;
    const auto remove = [&cast](TestClient *who, TestClient *whom) {
        return who->request(Request::RemoveMember,
                            {{u"conversationId"_s, cast.group}, {u"userId"_s, whom->userId()}});
    };
    // A second admin, so that admin-on-admin can be tried.
    VERIFY_OK(cast.owner->request(Request::SetRole,
                                  {{u"conversationId"_s, cast.group},
                                   {u"userId"_s, cast.other->userId()},
                                   {u"role"_s, u"admin"_s}}));

    COMPARE_ERROR(remove(cast.member, cast.other), ErrorCode::Forbidden);
    COMPARE_ERROR(remove(cast.admin, cast.other), ErrorCode::Forbidden); // admin on admin
    COMPARE_ERROR(remove(cast.admin, cast.owner), ErrorCode::Forbidden);
    COMPARE_ERROR(remove(cast.outsider, cast.member), ErrorCode::NotMember);
    QCOMPARE(roles(cast.owner, cast.group).size(), 4);

    const auto byAdmin = remove(cast.admin, cast.member);
    VERIFY_OK(byAdmin);
    QVERIFY(byAdmin.body.value(u"seq"_s).toInteger() > 0);
    VERIFY_OK(remove(cast.owner, cast.other)); // the owner removes an admin...
    TestClient *late = m_server->newUser(u"late"_s);
    QVERIFY(late);
    VERIFY_OK(cast.owner->request(
        Request::AddMembers,
        {{u"conversationId"_s, cast.group}, {u"userIds"_s, Cbor::ids({late->userId()})}}));
    VERIFY_OK(remove(cast.owner, late)); // ...and a member

    const auto memberRoles = roles(cast.owner, cast.group);
    QCOMPARE(memberRoles.size(), 2);
    QVERIFY(memberRoles.contains(cast.owner->userId()));
    QVERIFY(memberRoles.contains(cast.admin->userId()));

    // The removed are out: their requests on the group now get not_member.
    COMPARE_ERROR(cast.member->request(Request::History, {{u"conversationId"_s, cast.group}}),
                  ErrorCode::NotMember);
}

void TestGroups::renameRules()
{
    Cast cast;
    setUpCast(&cast);
    if (QTest::currentTestFailed())
        return;
    const auto rename = [&cast](TestClient *who, const QString &name) {
        return who->request(Request::RenameGroup,
                            {{u"conversationId"_s, cast.group}, {u"name"_s, name}});
    };
    VERIFY_OK(rename(cast.owner, u"By owner"_s));
    VERIFY_OK(rename(cast.admin, u"By admin"_s));
    COMPARE_ERROR(rename(cast.member, u"By member"_s), ErrorCode::Forbidden);
    COMPARE_ERROR(rename(cast.outsider, u"By outsider"_s), ErrorCode::NotMember);

    const auto response =
        cast.member->request(Request::GetConversation, {{u"conversationId"_s, cast.group}});
    VERIFY_OK(response);
    QCOMPARE(conversationOf(response).value(u"name"_s).toString(), u"By admin"_s);
    // Members hear of the new name through a conversation event too.
    QVERIFY(cast.member->waitEvent(Protocol::Event::Conversation, [](const Protocol::Frame &f) {
        return conversationOf(f).value(u"name"_s).toString() == u"By admin"_s;
    }));
}

void TestGroups::roleRules()
{
    Cast cast;
    setUpCast(&cast);
    if (QTest::currentTestFailed())
        return;
    const auto setRole = [&cast](TestClient *who, TestClient *whom, const QString &role) {
        return who->request(
            Request::SetRole,
            {{u"conversationId"_s, cast.group}, {u"userId"_s, whom->userId()}, {u"role"_s, role}});
    };

    COMPARE_ERROR(setRole(cast.member, cast.other, u"admin"_s), ErrorCode::Forbidden);
    COMPARE_ERROR(setRole(cast.outsider, cast.other, u"admin"_s), ErrorCode::NotMember);
    // The owner's role cannot be changed, by anyone.
    COMPARE_ERROR(setRole(cast.admin, cast.owner, u"member"_s), ErrorCode::Forbidden);
    COMPARE_ERROR(setRole(cast.owner, cast.owner, u"admin"_s), ErrorCode::Forbidden);

    // An admin promotes a member, but cannot demote an admin.
    const auto promoted = setRole(cast.admin, cast.other, u"admin"_s);
    VERIFY_OK(promoted);
    QVERIFY(promoted.body.value(u"seq"_s).toInteger() > 0);
    QCOMPARE(roles(cast.owner, cast.group).value(cast.other->userId()), u"admin"_s);
    COMPARE_ERROR(setRole(cast.admin, cast.other, u"member"_s), ErrorCode::Forbidden);
    QCOMPARE(roles(cast.owner, cast.group).value(cast.other->userId()), u"admin"_s);

    // The owner demotes an admin and promotes a member.
    VERIFY_OK(setRole(cast.owner, cast.other, u"member"_s));
    VERIFY_OK(setRole(cast.owner, cast.member, u"admin"_s));
    // A member demoted cannot act as an admin any more.
    COMPARE_ERROR(setRole(cast.other, cast.owner, u"member"_s), ErrorCode::Forbidden);
    COMPARE_ERROR(cast.other->request(Request::RenameGroup,
                                      {{u"conversationId"_s, cast.group}, {u"name"_s, u"x"_s}}),
                  ErrorCode::Forbidden);

    const auto memberRoles = roles(cast.owner, cast.group);
    QCOMPARE(memberRoles.value(cast.owner->userId()), u"owner"_s);
    QCOMPARE(memberRoles.value(cast.admin->userId()), u"admin"_s);
    QCOMPARE(memberRoles.value(cast.member->userId()), u"admin"_s);
    QCOMPARE(memberRoles.value(cast.other->userId()), u"member"_s);
}

void TestGroups::nonMembersGetNotMember()
{
    Cast cast;
    setUpCast(&cast);
    if (QTest::currentTestFailed())
        return;
    // A conversation that does not exist reads exactly like one the caller is not in.
    for (const qint64 conversation : {cast.group, qint64(987'654)}) {
        TestClient *caller = conversation == cast.group ? cast.outsider : cast.owner;
        const QCborMap id {{u"conversationId"_s, conversation}};
        COMPARE_ERROR(caller->request(Request::GetConversation, id), ErrorCode::NotMember);
        COMPARE_ERROR(caller->request(Request::LeaveGroup, id), ErrorCode::NotMember);
        QCborMap add = id;
        add.insert(u"userIds"_s, Cbor::ids({cast.member->userId()}));
        COMPARE_ERROR(caller->request(Request::AddMembers, add), ErrorCode::NotMember);
        QCborMap rename = id;
        rename.insert(u"name"_s, u"Mine"_s);
        COMPARE_ERROR(caller->request(Request::RenameGroup, rename), ErrorCode::NotMember);
        QCborMap flags = id;
        flags.insert(u"pinned"_s, true);
        COMPARE_ERROR(caller->request(Request::SetConversationFlags, flags), ErrorCode::NotMember);
    }
}

void TestGroups::ownerLeavingPassesToAdmin()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    TestClient *member = m_server->newUser(u"member"_s);
    TestClient *admin1 = m_server->newUser(u"admin1"_s);
    TestClient *admin2 = m_server->newUser(u"admin2"_s);
    QVERIFY(owner && member && admin1 && admin2);
    // member joined first, admin1 before admin2; admin1 was also promoted first.
    const qint64 group = owner->createGroup(u"Succession"_s, {member->userId()});
    QVERIFY(group > 0);
    for (TestClient *admin : {admin1, admin2}) {
        VERIFY_OK(owner->request(
            Request::AddMembers,
            {{u"conversationId"_s, group}, {u"userIds"_s, Cbor::ids({admin->userId()})}}));
    }
    for (TestClient *admin : {admin1, admin2}) {
        VERIFY_OK(owner->request(Request::SetRole,
                                 {{u"conversationId"_s, group},
                                  {u"userId"_s, admin->userId()},
                                  {u"role"_s, u"admin"_s}}));
    }

    const auto left = owner->request(Request::LeaveGroup, {{u"conversationId"_s, group}});
    VERIFY_OK(left);
    const qint64 leftSeq = left.body.value(u"seq"_s).toInteger();
    QVERIFY(leftSeq > 0);

    const auto memberRoles = roles(member, group);
    QCOMPARE(memberRoles.size(), 3);
    QCOMPARE(memberRoles.value(admin1->userId()), u"owner"_s);
    QCOMPARE(memberRoles.value(admin2->userId()), u"admin"_s);
    QCOMPARE(memberRoles.value(member->userId()), u"member"_s);

    // "left" and "owner" are in the sequence, seen by the remaining members.
    const auto leftEvent =
        member->waitEvent(Protocol::Event::Message, [](const Protocol::Frame &f) {
            return eventOf(f).value(u"action"_s).toString() == u"left"_s;
        });
    QVERIFY(leftEvent);
    QCOMPARE(eventOf(*leftEvent).value(u"actorId"_s).toInteger(), owner->userId());
    const auto ownerEvent =
        member->waitEvent(Protocol::Event::Message, [](const Protocol::Frame &f) {
            return eventOf(f).value(u"action"_s).toString() == u"owner"_s;
        });
    QVERIFY(ownerEvent);
    QCOMPARE(Cbor::integers(eventOf(*ownerEvent).value(u"userIds"_s).toArray()),
             QList<qint64> {admin1->userId()});

    // The new owner has the owner's powers; the old one is out.
    VERIFY_OK(admin1->request(
        Request::SetRole,
        {{u"conversationId"_s, group}, {u"userId"_s, admin2->userId()}, {u"role"_s, u"member"_s}}));
    COMPARE_ERROR(owner->request(Request::History, {{u"conversationId"_s, group}}),
                  ErrorCode::NotMember);
}

void TestGroups::ownerLeavingPassesToMember()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    TestClient *first = m_server->newUser(u"first"_s);
    TestClient *second = m_server->newUser(u"second"_s);
    QVERIFY(owner && first && second);
    const qint64 group = owner->createGroup(u"No admins"_s, {});
    QVERIFY(group > 0);
    for (TestClient *member : {first, second}) {
        VERIFY_OK(owner->request(
            Request::AddMembers,
            {{u"conversationId"_s, group}, {u"userIds"_s, Cbor::ids({member->userId()})}}));
    }
    VERIFY_OK(owner->request(Request::LeaveGroup, {{u"conversationId"_s, group}}));

    const auto memberRoles = roles(second, group);
    QCOMPARE(memberRoles.size(), 2);
    QCOMPARE(memberRoles.value(first->userId()), u"owner"_s);
    QCOMPARE(memberRoles.value(second->userId()), u"member"_s);
    VERIFY_OK(first->request(Request::RenameGroup,
                             {{u"conversationId"_s, group}, {u"name"_s, u"Mine"_s}}));
}

void TestGroups::groupMemberLimit()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    QVERIFY(owner);
    // 256 more accounts, registered 32 connections at a time with their requests in flight
    // together; the cheap Argon2 setting keeps this fast.
    constexpr int Others = Protocol::Limits::MaxGroupMembers;
    QList<qint64> ids;
    for (int start = 0; start < Others; start += 32) {
        std::vector<std::unique_ptr<TestClient>> batch;
        QList<qint64> requests;
        for (int i = start; i < std::min(Others, start + 32); ++i) {
            auto client = std::make_unique<TestClient>();
            QVERIFY(client->connectTo(m_server->url()));
            requests.append(client->send(Request::Register,
                                         {{u"username"_s, u"user%1"_s.arg(i)},
                                          {u"displayName"_s, u"User %1"_s.arg(i)},
                                          {u"password"_s, TestClient::DefaultPassword},
                                          {u"protocol"_s, 1}}));
            batch.push_back(std::move(client));
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const auto response = batch[i]->waitResponse(requests.at(qsizetype(i)));
            VERIFY_OK(response);
            ids.append(response.body.value(u"user"_s).toMap().value(u"id"_s).toInteger());
        }
    }
    QCOMPARE(ids.size(), Others);

    // 256 including the owner is too many at creation...
    COMPARE_ERROR(owner->request(Request::CreateGroup,
                                 {{u"name"_s, u"Too big"_s}, {u"memberIds"_s, Cbor::ids(ids)}}),
                  ErrorCode::GroupFull);
    // ...255 plus the owner is exactly the limit...
    const auto full = owner->request(
        Request::CreateGroup,
        {{u"name"_s, u"Full"_s}, {u"memberIds"_s, Cbor::ids(ids.first(Others - 1))}});
    VERIFY_OK(full);
    const qint64 group = conversationOf(full).value(u"id"_s).toInteger();
    QCOMPARE(conversationOf(full).value(u"memberCount"_s).toInteger(),
             Protocol::Limits::MaxGroupMembers);
    // ...and one more does not fit.
    COMPARE_ERROR(
        owner->request(Request::AddMembers,
                       {{u"conversationId"_s, group}, {u"userIds"_s, Cbor::ids({ids.last()})}}),
        ErrorCode::GroupFull);
    const auto after = owner->request(Request::GetConversation, {{u"conversationId"_s, group}});
    VERIFY_OK(after);
    QCOMPARE(after.body.value(u"members"_s).toArray().size(), Protocol::Limits::MaxGroupMembers);
}

void TestGroups::membershipEventsInSequence()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *carol = m_server->newUser(u"carol"_s);
    TestClient *dave = m_server->newUser(u"dave"_s);
    QVERIFY(alice && bob && carol && dave);

    const auto created = alice->request(
        Request::CreateGroup,
        {{u"name"_s, u"Club"_s}, {u"memberIds"_s, Cbor::ids({bob->userId(), carol->userId()})}});
    VERIFY_OK(created);
    const qint64 group = conversationOf(created).value(u"id"_s).toInteger();
    const qint64 base = conversationOf(created).value(u"lastSeq"_s).toInteger();
    QVERIFY(base >= 1);
    const QCborMap conversationId {{u"conversationId"_s, group}};
    const auto with = [&conversationId](QCborMap fields) {
        for (auto it = conversationId.begin(); it != conversationId.end(); ++it)
            fields.insert(it.key(), it.value());
        return fields;
    };

    const auto added =
        alice->request(Request::AddMembers, with({{u"userIds"_s, Cbor::ids({dave->userId()})}}));
    const auto renamed = alice->request(Request::RenameGroup, with({{u"name"_s, u"Book club"_s}}));
    const auto promoted = alice->request(
        Request::SetRole, with({{u"userId"_s, bob->userId()}, {u"role"_s, u"admin"_s}}));
    const auto removed =
        alice->request(Request::RemoveMember, with({{u"userId"_s, carol->userId()}}));
    const auto left = dave->request(Request::LeaveGroup, conversationId);
    const QList<Protocol::Frame> responses {added, renamed, promoted, removed, left};
    for (qsizetype i = 0; i < responses.size(); ++i) {
        VERIFY_OK(responses.at(i));
        QCOMPARE(responses.at(i).body.value(u"seq"_s).toInteger(), base + 1 + i);
    }

    // dave heard of the conversation when he was added.
    const auto invitation = dave->waitEvent(Protocol::Event::Conversation);
    QVERIFY(invitation);
    QCOMPARE(conversationOf(*invitation).value(u"id"_s).toInteger(), group);

    // carol got her own removal.
    const auto removal = carol->waitEvent(Protocol::Event::Message, [](const Protocol::Frame &f) {
        return eventOf(f).value(u"action"_s).toString() == u"removed"_s;
    });
    QVERIFY(removal);
    QCOMPARE(removal->body.value(u"message"_s).toMap().value(u"seq"_s).toInteger(), base + 4);
    COMPARE_ERROR(carol->request(Request::History, conversationId), ErrorCode::NotMember);

    // bob, a member throughout, got every change live, in order.
    QList<qint64> liveSeqs;
    QStringList liveActions;
    while (liveSeqs.size() < 5) {
        const auto event =
            bob->waitEvent(Protocol::Event::Message, [base](const Protocol::Frame &f) {
                return f.body.value(u"message"_s).toMap().value(u"seq"_s).toInteger() > base;
            });
        QVERIFY(event);
        liveSeqs.append(event->body.value(u"message"_s).toMap().value(u"seq"_s).toInteger());
        liveActions.append(eventOf(*event).value(u"action"_s).toString());
    }
    const QStringList expected {u"added"_s, u"renamed"_s, u"role"_s, u"removed"_s, u"left"_s};
    QCOMPARE(liveSeqs, QList<qint64>({base + 1, base + 2, base + 3, base + 4, base + 5}));
    QCOMPARE(liveActions, expected);

    // History has them too, with their details, after the "created" event at seq 1.
    const auto history = alice->request(Request::History, conversationId);
    VERIFY_OK(history);
    const QCborArray messages = history.body.value(u"messages"_s).toArray();
    QList<qint64> seqs = Cbor::seqs(messages);
    QCOMPARE(seqs.size(), base + 5);
    std::sort(seqs.begin(), seqs.end());
    for (qsizetype i = 0; i < seqs.size(); ++i)
        QCOMPARE(seqs.at(i), i + 1);
    QHash<qint64, QCborMap> bySeq;
    for (const QCborValue &message : messages)
        bySeq.insert(message.toMap().value(u"seq"_s).toInteger(), eventOf(message));
    QCOMPARE(bySeq.value(1).value(u"action"_s).toString(), u"created"_s);
    QCOMPARE(bySeq.value(1).value(u"actorId"_s).toInteger(), alice->userId());
    QCOMPARE(bySeq.value(1).value(u"name"_s).toString(), u"Club"_s);
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(bySeq.value(base + 1 + i).value(u"action"_s).toString(), expected.at(i));
    QCOMPARE(Cbor::integers(bySeq.value(base + 1).value(u"userIds"_s).toArray()),
             QList<qint64> {dave->userId()});
    QCOMPARE(bySeq.value(base + 2).value(u"name"_s).toString(), u"Book club"_s);
    QCOMPARE(Cbor::integers(bySeq.value(base + 3).value(u"userIds"_s).toArray()),
             QList<qint64> {bob->userId()});
    QCOMPARE(bySeq.value(base + 3).value(u"role"_s).toString(), u"admin"_s);
    QCOMPARE(Cbor::integers(bySeq.value(base + 4).value(u"userIds"_s).toArray()),
             QList<qint64> {carol->userId()});
    QCOMPARE(bySeq.value(base + 5).value(u"actorId"_s).toInteger(), dave->userId());

    // And sync, for a device that has seen nothing of the conversation.
    const auto sync = bob->request(Request::Sync);
    VERIFY_OK(sync);
    QList<qint64> synced;
    for (const QCborValue &message : sync.body.value(u"messages"_s).toArray()) {
        if (message.toMap().value(u"conversationId"_s).toInteger() == group)
            synced.append(message.toMap().value(u"seq"_s).toInteger());
    }
    QCOMPARE(synced.size(), base + 5);
    QCOMPARE(synced.first(), 1);
    QCOMPARE(synced.last(), base + 5);

    // A device of carol's that had seen only the "created" event syncs up to and including her
    // removal, and nothing later.
    QVERIFY(alice->sendText(group, u"after carol"_s));
    QCborArray cursors;
    cursors.append(QCborArray {group, 1});
    const auto carolSync = carol->request(Request::Sync, {{u"cursors"_s, cursors}});
    VERIFY_OK(carolSync);
    QList<qint64> carolSeqs;
    for (const QCborValue &message : carolSync.body.value(u"messages"_s).toArray()) {
        if (message.toMap().value(u"conversationId"_s).toInteger() == group)
            carolSeqs.append(message.toMap().value(u"seq"_s).toInteger());
    }
    QList<qint64> expectedSeqs;
    for (qint64 seq = 2; seq <= base + 4; ++seq)
        expectedSeqs.append(seq);
    QCOMPARE(carolSeqs, expectedSeqs);
}

QTEST_GUILESS_MAIN(TestGroups)
#include "tst_groups.moc"
