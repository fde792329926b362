// Conversations: direct (exactly one per pair, also when opened from both sides at once), group
// creation, flags, and the conversation list (order, unread, last message).

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

class TestConversations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void directOpenIsUnique();
    void directOpenSimultaneously();
    void directOpenErrors();
    void groupCreate();
    void flags();
    void listOrderUnreadAndLastMessage();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestConversations::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestConversations::cleanup()
{
    m_server.reset();
}

void TestConversations::directOpenIsUnique()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);

    const auto first = alice->request(Request::OpenDirect, {{u"userId"_s, bob->userId()}});
    VERIFY_OK(first);
    const QCborMap conversation = conversationOf(first);
    const qint64 id = conversation.value(u"id"_s).toInteger();
    QVERIFY(id > 0);
    QCOMPARE(conversation.value(u"kind"_s).toString(), u"direct"_s);
    QCOMPARE(conversation.value(u"memberCount"_s).toInteger(), 2);
    QVERIFY(conversation.value(u"role"_s).isString());
    QVERIFY(conversation.value(u"lastSeq"_s).isInteger());
    QVERIFY(conversation.value(u"lastActivity"_s).isInteger());
    QCOMPARE(conversation.value(u"peer"_s).toMap().value(u"id"_s).toInteger(), bob->userId());

    QCOMPARE(alice->openDirect(bob->userId()), id);
    const auto fromBob = bob->request(Request::OpenDirect, {{u"userId"_s, alice->userId()}});
    VERIFY_OK(fromBob);
    QCOMPARE(conversationOf(fromBob).value(u"id"_s).toInteger(), id);
    QCOMPARE(conversationOf(fromBob).value(u"peer"_s).toMap().value(u"id"_s).toInteger(),
             alice->userId());

    for (TestClient *client : {alice, bob}) {
        const auto list = client->request(Request::ListConversations);
        VERIFY_OK(list);
        const QCborArray conversations = list.body.value(u"conversations"_s).toArray();
        QCOMPARE(conversations.size(), 1);
        QCOMPARE(conversations.at(0).toMap().value(u"id"_s).toInteger(), id);
    }
}

void TestConversations::directOpenSimultaneously()
{
    // Several pairs, each opening from both sides with both requests in flight at once.
    for (int pair = 0; pair < 5; ++pair) {
        TestClient *a = m_server->newUser(u"left%1"_s.arg(pair));
        TestClient *b = m_server->newUser(u"right%1"_s.arg(pair));
        QVERIFY(a && b);
        const qint64 fromA = a->send(Request::OpenDirect, {{u"userId"_s, b->userId()}});
        const qint64 fromB = b->send(Request::OpenDirect, {{u"userId"_s, a->userId()}});
        const auto responseA = a->waitResponse(fromA);
        const auto responseB = b->waitResponse(fromB);
        VERIFY_OK(responseA);
        VERIFY_OK(responseB);
        const qint64 id = conversationOf(responseA).value(u"id"_s).toInteger();
        QVERIFY(id > 0);
        QCOMPARE(conversationOf(responseB).value(u"id"_s).toInteger(), id);

        for (TestClient *client : {a, b}) {
            const auto list = client->request(Request::ListConversations);
            VERIFY_OK(list);
            QCOMPARE(list.body.value(u"conversations"_s).toArray().size(), 1);
        }
    }
}

void TestConversations::directOpenErrors()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    QVERIFY(alice);
    const auto self = alice->request(Request::OpenDirect, {{u"userId"_s, alice->userId()}});
    COMPARE_ERROR(self, ErrorCode::InvalidField);
    QCOMPARE(self.body.value(u"field"_s).toString(), u"userId"_s);
    COMPARE_ERROR(alice->request(Request::OpenDirect, {{u"userId"_s, 999'999}}),
                  ErrorCode::NotFound);
    const auto list = alice->request(Request::ListConversations);
    VERIFY_OK(list);
    QCOMPARE(list.body.value(u"conversations"_s).toArray().size(), 0);
}

void TestConversations::groupCreate()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *carol = m_server->newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);

    const auto response = alice->request(
        Request::CreateGroup,
        {{u"name"_s, u"Team"_s}, {u"memberIds"_s, Cbor::ids({bob->userId(), carol->userId()})}});
    VERIFY_OK(response);
    const QCborMap conversation = conversationOf(response);
    const qint64 id = conversation.value(u"id"_s).toInteger();
    QVERIFY(id > 0);
    QCOMPARE(conversation.value(u"kind"_s).toString(), u"group"_s);
    QCOMPARE(conversation.value(u"name"_s).toString(), u"Team"_s);
    QCOMPARE(conversation.value(u"role"_s).toString(), u"owner"_s);
    QCOMPARE(conversation.value(u"memberCount"_s).toInteger(), 3);

    // The members hear of it through the "created" event in the conversation's sequence.
    const auto created = bob->waitEvent(Protocol::Event::Message);
    QVERIFY(created);
    QCOMPARE(created->body.value(u"message"_s).toMap().value(u"conversationId"_s).toInteger(), id);
    QCOMPARE(eventOf(*created).value(u"action"_s).toString(), u"created"_s);
    QCOMPARE(eventOf(*created).value(u"actorId"_s).toInteger(), alice->userId());

    const auto details = bob->request(Request::GetConversation, {{u"conversationId"_s, id}});
    VERIFY_OK(details);
    const auto memberRoles = rolesOf(details);
    QCOMPARE(memberRoles.size(), 3);
    QCOMPARE(memberRoles.value(alice->userId()), u"owner"_s);
    QCOMPARE(memberRoles.value(bob->userId()), u"member"_s);
    QCOMPARE(memberRoles.value(carol->userId()), u"member"_s);

    const auto list = carol->request(Request::ListConversations);
    VERIFY_OK(list);
    const QCborArray conversations = list.body.value(u"conversations"_s).toArray();
    QCOMPARE(conversations.size(), 1);
    QCOMPARE(conversations.at(0).toMap().value(u"role"_s).toString(), u"member"_s);
}

void TestConversations::flags()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 direct = alice->openDirect(bob->userId());
    QVERIFY(direct > 0);

    const auto set = alice->request(Request::SetConversationFlags,
                                    {{u"conversationId"_s, direct},
                                     {u"muted"_s, true},
                                     {u"pinned"_s, true},
                                     {u"archived"_s, true}});
    VERIFY_OK(set);
    QVERIFY(conversationOf(set).value(u"muted"_s).toBool());
    QVERIFY(conversationOf(set).value(u"pinned"_s).toBool());
    QVERIFY(conversationOf(set).value(u"archived"_s).toBool());

    // Only the given flags change.
    const auto unpin = alice->request(Request::SetConversationFlags,
                                      {{u"conversationId"_s, direct}, {u"pinned"_s, false}});
    VERIFY_OK(unpin);
    QVERIFY(conversationOf(unpin).value(u"muted"_s).toBool());
    QVERIFY(!conversationOf(unpin).value(u"pinned"_s).toBool());
    QVERIFY(conversationOf(unpin).value(u"archived"_s).toBool());

    const auto list = alice->request(Request::ListConversations);
    VERIFY_OK(list);
    const QCborMap listed = list.body.value(u"conversations"_s).toArray().at(0).toMap();
    QVERIFY(listed.value(u"muted"_s).toBool());
    QVERIFY(!listed.value(u"pinned"_s).toBool());
    QVERIFY(listed.value(u"archived"_s).toBool());

    // Flags are the caller's own: bob's view is untouched.
    const auto bobs = bob->request(Request::ListConversations);
    VERIFY_OK(bobs);
    const QCborMap bobView = bobs.body.value(u"conversations"_s).toArray().at(0).toMap();
    QVERIFY(!bobView.value(u"muted"_s).toBool());
    QVERIFY(!bobView.value(u"archived"_s).toBool());
}

void TestConversations::listOrderUnreadAndLastMessage()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *carol = m_server->newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 withBob = alice->openDirect(bob->userId());
    const qint64 withCarol = alice->openDirect(carol->userId());
    const qint64 group = alice->createGroup(u"Three"_s, {bob->userId(), carol->userId()});
    QVERIFY(withBob && withCarol && group);

    // Activity in the order withBob, group, withCarol.
    QVERIFY(bob->sendText(withBob, u"one"_s));
    QVERIFY(bob->sendText(withBob, u"two"_s));
    const qint64 lastFromBob = bob->sendText(withBob, u"three"_s);
    QVERIFY(lastFromBob);
    QVERIFY(bob->sendText(group, u"hello all"_s));
    QVERIFY(carol->sendText(withCarol, u"hi alice"_s));

    struct Entry
    {
        qint64 id;
        QCborMap map;
    };
    const auto fetch = [alice](QList<Entry> *entries) {
        const auto list = alice->request(Request::ListConversations);
        VERIFY_OK(list);
        for (const QCborValue &value : list.body.value(u"conversations"_s).toArray())
            entries->append({value.toMap().value(u"id"_s).toInteger(), value.toMap()});
        QCOMPARE(entries->size(), 3);
        // Pinned first, then the latest activity first.
        for (qsizetype i = 1; i < entries->size(); ++i) {
            const QCborMap &a = entries->at(i - 1).map;
            const QCborMap &b = entries->at(i).map;
            const bool aPinned = a.value(u"pinned"_s).toBool();
            const bool bPinned = b.value(u"pinned"_s).toBool();
            QVERIFY(aPinned || !bPinned);
            if (aPinned == bPinned)
                QVERIFY(a.value(u"lastActivity"_s).toInteger()
                        >= b.value(u"lastActivity"_s).toInteger());
        }
    };
    const auto find = [](const QList<Entry> &entries, qint64 id) {
        for (const Entry &entry : entries) {
            if (entry.id == id)
                return entry.map;
        }
        return QCborMap();
    };

    QList<Entry> entries;
    fetch(&entries);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(find(entries, withBob).value(u"unread"_s).toInteger(), 3);
    QCOMPARE(find(entries, group).value(u"unread"_s).toInteger(), 1);
    QCOMPARE(find(entries, withCarol).value(u"unread"_s).toInteger(), 1);
    const QCborMap last = find(entries, withBob).value(u"lastMessage"_s).toMap();
    QCOMPARE(last.value(u"seq"_s).toInteger(), lastFromBob);
    QCOMPARE(last.value(u"senderId"_s).toInteger(), bob->userId());
    QCOMPARE(last.value(u"content"_s).toByteArray(), QByteArray("three"));
    QCOMPARE(find(entries, withBob).value(u"lastSeq"_s).toInteger(), lastFromBob);
    // Sent one after another: activity never goes backwards.
    QVERIFY(find(entries, withCarol).value(u"lastActivity"_s).toInteger()
            >= find(entries, group).value(u"lastActivity"_s).toInteger());
    QVERIFY(find(entries, group).value(u"lastActivity"_s).toInteger()
            >= find(entries, withBob).value(u"lastActivity"_s).toInteger());

    // Reading moves unread; alice's own messages never count.
    VERIFY_OK(alice->request(Request::MarkRead,
                             {{u"conversationId"_s, withBob}, {u"seq"_s, lastFromBob - 1}}));
    const qint64 own = alice->sendText(withBob, u"mine"_s);
    QVERIFY(own);
    entries.clear();
    fetch(&entries);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(find(entries, withBob).value(u"unread"_s).toInteger(), 1);
    QCOMPARE(find(entries, withBob).value(u"lastMessage"_s).toMap().value(u"seq"_s).toInteger(),
             own);
    QVERIFY(find(entries, withBob).value(u"lastActivity"_s).toInteger()
            >= find(entries, withCarol).value(u"lastActivity"_s).toInteger());

    // A pinned conversation goes first whatever its activity.
    VERIFY_OK(alice->request(Request::SetConversationFlags,
                             {{u"conversationId"_s, group}, {u"pinned"_s, true}}));
    entries.clear();
    fetch(&entries);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(entries.first().id, group);
}

QTEST_GUILESS_MAIN(TestConversations)
#include "tst_conversations.moc"
