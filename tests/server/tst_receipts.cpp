// Receipts: delivered and read cursors in a direct conversation, per-message receipts in a group,
// and read receipts switched off.

#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <memory>

using namespace Server;

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

namespace {

QCborMap seqFields(qint64 conversationId, qint64 seq)
{
    return {{u"conversationId"_s, conversationId}, {u"seq"_s, seq}};
}

//! A receipt event about `userId` whose `key` cursor has reached `seq`.
TestClient::Predicate receiptOf(qint64 userId, const QString &key, qint64 seq)
{
    return [userId, key, seq](const Protocol::Frame &f) {
        return f.body.value(u"userId"_s).toInteger() == userId
            && f.body.value(key).toInteger() == seq;
    };
}

} // namespace

class TestReceipts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void directDeliveredAndRead();
    void cursorsOnlyMoveForward();
    void readImpliesDelivered();
    void groupReceiptsGet();
    void readReceiptsSwitchedOff();

private:
    //! conversation.get's conversation map and its members by user id.
    void getConversation(TestClient *client, qint64 id, QCborMap *conversation,
                         QHash<qint64, QCborMap> *members);

    std::unique_ptr<TestServer> m_server;
};

void TestReceipts::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestReceipts::cleanup()
{
    m_server.reset();
}

void TestReceipts::getConversation(TestClient *client, qint64 id, QCborMap *conversation,
                                   QHash<qint64, QCborMap> *members)
{
    const auto response = client->request(Request::GetConversation, {{u"conversationId"_s, id}});
    VERIFY_OK(response);
    *conversation = response.body.value(u"conversation"_s).toMap();
    members->clear();
    for (const QCborValue &value : response.body.value(u"members"_s).toArray())
        members->insert(value.toMap().value(u"id"_s).toInteger(), value.toMap());
}

void TestReceipts::directDeliveredAndRead()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    TestClient *bobPhone = m_server->newDevice(bob, u"phone"_s);
    QVERIFY(bobPhone);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);
    const qint64 first = alice->sendText(id, u"one"_s);
    const qint64 second = alice->sendText(id, u"two"_s);
    QVERIFY(first && second);

    VERIFY_OK(bob->request(Request::MarkDelivered, seqFields(id, second)));
    const auto delivered = alice->waitEvent(Protocol::Event::Receipt,
                                            receiptOf(bob->userId(), u"deliveredSeq"_s, second));
    QVERIFY(delivered);
    QCOMPARE(delivered->body.value(u"conversationId"_s).toInteger(), id);
    QVERIFY(delivered->body.value(u"at"_s).toInteger() > 0);
    QVERIFY(!delivered->body.contains(u"readSeq"_s));

    QCborMap conversation;
    QHash<qint64, QCborMap> members;
    getConversation(alice, id, &conversation, &members);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(conversation.value(u"deliveredSeq"_s).toInteger(), second);
    QCOMPARE(conversation.value(u"othersReadSeq"_s).toInteger(), 0);
    QCOMPARE(members.value(bob->userId()).value(u"deliveredSeq"_s).toInteger(), second);
    QVERIFY(!members.value(bob->userId()).contains(u"readSeq"_s));

    VERIFY_OK(bob->request(Request::MarkRead, seqFields(id, first)));
    QVERIFY(
        alice->waitEvent(Protocol::Event::Receipt, receiptOf(bob->userId(), u"readSeq"_s, first)));
    VERIFY_OK(bob->request(Request::MarkRead, seqFields(id, second)));
    QVERIFY(
        alice->waitEvent(Protocol::Event::Receipt, receiptOf(bob->userId(), u"readSeq"_s, second)));
    // bob's other device learns it too, to clear its unread count.
    QVERIFY(bobPhone->waitEvent(Protocol::Event::Receipt,
                                receiptOf(bob->userId(), u"readSeq"_s, second)));

    getConversation(alice, id, &conversation, &members);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(conversation.value(u"othersReadSeq"_s).toInteger(), second);
    QCOMPARE(members.value(bob->userId()).value(u"readSeq"_s).toInteger(), second);

    // bob's own view: nothing unread, his read cursor where he put it.
    getConversation(bob, id, &conversation, &members);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(conversation.value(u"unread"_s).toInteger(), 0);
    QCOMPARE(conversation.value(u"readSeq"_s).toInteger(), second);
}

void TestReceipts::cursorsOnlyMoveForward()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);
    const qint64 first = alice->sendText(id, u"one"_s);
    const qint64 second = alice->sendText(id, u"two"_s);
    QVERIFY(first && second);

    VERIFY_OK(bob->request(Request::MarkRead, seqFields(id, second)));
    QVERIFY(
        alice->waitEvent(Protocol::Event::Receipt, receiptOf(bob->userId(), u"readSeq"_s, second)));
    // Going back is accepted and changes nothing.
    VERIFY_OK(bob->request(Request::MarkRead, seqFields(id, first)));
    VERIFY_OK(bob->request(Request::MarkDelivered, seqFields(id, first)));

    QCborMap conversation;
    QHash<qint64, QCborMap> members;
    getConversation(alice, id, &conversation, &members);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(members.value(bob->userId()).value(u"readSeq"_s).toInteger(), second);
    QCOMPARE(members.value(bob->userId()).value(u"deliveredSeq"_s).toInteger(), second);
    QCOMPARE(conversation.value(u"othersReadSeq"_s).toInteger(), second);
    // Nobody was told of a cursor moving back.
    QVERIFY(alice->flush());
    for (const Protocol::Frame &event : alice->events(Protocol::Event::Receipt)) {
        const qint64 read = event.body.value(u"readSeq"_s).toInteger();
        const qint64 deliveredSeq = event.body.value(u"deliveredSeq"_s).toInteger();
        QVERIFY2((read == 0 || read == second) && (deliveredSeq == 0 || deliveredSeq == second),
                 qPrintable(TestClient::describe(event)));
    }
}

void TestReceipts::readImpliesDelivered()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);
    const qint64 seq = alice->sendText(id, u"read me"_s);
    QVERIFY(seq);

    VERIFY_OK(bob->request(Request::MarkRead, seqFields(id, seq)));
    QVERIFY(
        alice->waitEvent(Protocol::Event::Receipt, receiptOf(bob->userId(), u"readSeq"_s, seq)));

    QCborMap conversation;
    QHash<qint64, QCborMap> members;
    getConversation(alice, id, &conversation, &members);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(members.value(bob->userId()).value(u"deliveredSeq"_s).toInteger(), seq);
    QCOMPARE(members.value(bob->userId()).value(u"readSeq"_s).toInteger(), seq);
    QCOMPARE(conversation.value(u"deliveredSeq"_s).toInteger(), seq);
    QCOMPARE(conversation.value(u"othersReadSeq"_s).toInteger(), seq);
}

void TestReceipts::groupReceiptsGet()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *carol = m_server->newUser(u"carol"_s);
    TestClient *dave = m_server->newUser(u"dave"_s);
    TestClient *outsider = m_server->newUser(u"outsider"_s);
    QVERIFY(alice && bob && carol && dave && outsider);
    const qint64 group =
        alice->createGroup(u"Readers"_s, {bob->userId(), carol->userId(), dave->userId()});
    QVERIFY(group);
    const qint64 seq = alice->sendText(group, u"did you get this?"_s);
    QVERIFY(seq);

    VERIFY_OK(bob->request(Request::MarkDelivered, seqFields(group, seq)));
    VERIFY_OK(carol->request(Request::MarkDelivered, seqFields(group, seq)));
    VERIFY_OK(bob->request(Request::MarkRead, seqFields(group, seq)));
    // Every member's online devices hear of each receipt.
    QVERIFY(dave->waitEvent(Protocol::Event::Receipt, receiptOf(bob->userId(), u"readSeq"_s, seq)));
    QVERIFY(alice->waitEvent(Protocol::Event::Receipt,
                             receiptOf(carol->userId(), u"deliveredSeq"_s, seq)));

    const auto usersIn = [](const QCborArray &list) {
        QHash<qint64, qint64> at;
        for (const QCborValue &value : list)
            at.insert(value.toMap().value(u"userId"_s).toInteger(),
                      value.toMap().value(u"at"_s).toInteger());
        return at;
    };
    const auto receipts = alice->request(Request::GetReceipts, seqFields(group, seq));
    VERIFY_OK(receipts);
    const auto delivered = usersIn(receipts.body.value(u"delivered"_s).toArray());
    const auto read = usersIn(receipts.body.value(u"read"_s).toArray());
    QVERIFY(delivered.contains(bob->userId()));
    QVERIFY(delivered.contains(carol->userId()));
    QVERIFY(!delivered.contains(dave->userId()));
    QVERIFY(read.contains(bob->userId()));
    QVERIFY(!read.contains(carol->userId()));
    QVERIFY(!read.contains(dave->userId()));
    QVERIFY(delivered.value(bob->userId()) > 0);
    QVERIFY(read.value(bob->userId()) > 0);

    // Any member may ask; others may not.
    VERIFY_OK(dave->request(Request::GetReceipts, seqFields(group, seq)));
    COMPARE_ERROR(outsider->request(Request::GetReceipts, seqFields(group, seq)),
                  ErrorCode::NotMember);

    // The conversation's summary is the minimum over the other members.
    QCborMap conversation;
    QHash<qint64, QCborMap> members;
    getConversation(alice, group, &conversation, &members);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(conversation.value(u"deliveredSeq"_s).toInteger() < seq); // dave has not
    QVERIFY(conversation.value(u"othersReadSeq"_s).toInteger() < seq);
    VERIFY_OK(dave->request(Request::MarkDelivered, seqFields(group, seq)));
    QVERIFY(alice->waitEvent(Protocol::Event::Receipt,
                             receiptOf(dave->userId(), u"deliveredSeq"_s, seq)));
    getConversation(alice, group, &conversation, &members);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(conversation.value(u"deliveredSeq"_s).toInteger(), seq);
    QVERIFY(conversation.value(u"othersReadSeq"_s).toInteger() < seq);
}

void TestReceipts::readReceiptsSwitchedOff()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const auto profile = bob->request(Request::UpdateProfile, {{u"sendReadReceipts"_s, false}});
    VERIFY_OK(profile);
    QCOMPARE(profile.body.value(u"user"_s).toMap().value(u"sendReadReceipts"_s).toBool(true),
             false);

    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);
    const qint64 seq = alice->sendText(id, u"you will not tell"_s);
    QVERIFY(seq);
    VERIFY_OK(bob->request(Request::MarkRead, seqFields(id, seq)));

    // Reading still counts as delivery, and that is all alice learns.
    const auto receipt = alice->waitEvent(Protocol::Event::Receipt,
                                          receiptOf(bob->userId(), u"deliveredSeq"_s, seq));
    QVERIFY(receipt);
    QVERIFY2(!receipt->body.contains(u"readSeq"_s), qPrintable(TestClient::describe(*receipt)));
    QVERIFY(alice->flush());
    for (const Protocol::Frame &event : alice->events(Protocol::Event::Receipt))
        QVERIFY2(!event.body.contains(u"readSeq"_s), qPrintable(TestClient::describe(event)));

    QCborMap conversation;
    QHash<qint64, QCborMap> members;
    getConversation(alice, id, &conversation, &members);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(members.value(bob->userId()).value(u"deliveredSeq"_s).toInteger(), seq);
    QVERIFY(!members.value(bob->userId()).contains(u"readSeq"_s));
    QCOMPARE(conversation.value(u"othersReadSeq"_s).toInteger(), 0);
    const auto receipts = alice->request(Request::GetReceipts, seqFields(id, seq));
    VERIFY_OK(receipts);
    QCOMPARE(receipts.body.value(u"read"_s).toArray().size(), 0);
    QCOMPARE(receipts.body.value(u"delivered"_s).toArray().size(), 1);

    // bob's own unread count still follows his reading.
    getConversation(bob, id, &conversation, &members);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(conversation.value(u"unread"_s).toInteger(), 0);
}

QTEST_GUILESS_MAIN(TestReceipts)
#include "tst_receipts.moc"
