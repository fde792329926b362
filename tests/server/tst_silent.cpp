// Silent sends (reactions and edits) and refSeq: a silent entry is never counted as unread and
// never the conversation's lastMessage; refSeq must name an existing, not erased message of the
// conversation, also when sends are batched together.

#include "RichMessages.h"
#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace RichMessages;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

class TestSilent : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void silentEntriesAreNotUnreadNorThePreview();
    void silentAndRefSeqTravelWithTheEntry();
    void refSeqMustNameAMessage();
    void batchedSendsCheckEachRefSeq();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestSilent::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestSilent::cleanup()
{
    m_server.reset();
}

void TestSilent::silentEntriesAreNotUnreadNorThePreview()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 hello = alice->sendText(chat, u"hello"_s);
    QVERIFY(hello);

    // Bob reacts: nothing unread for Alice, and her own "hello" stays the preview.
    QVERIFY(sendSilent(bob, chat, hello));
    QCborMap mine = conversationOf(alice, chat);
    QCOMPARE(mine.value(u"unread"_s).toInteger(), 0);
    QCOMPARE(mine.value(u"lastMessage"_s).toMap().value(u"seq"_s).toInteger(), hello);
    QCOMPARE(mine.value(u"lastSeq"_s).toInteger(), hello + 1);

    const qint64 reply = bob->sendText(chat, u"hi"_s);
    QVERIFY(sendSilent(bob, chat, reply, "edited hi"));
    QVERIFY(sendSilent(bob, chat, hello, "\xE2\x9D\xA4"));
    mine = conversationOf(alice, chat);
    QCOMPARE(mine.value(u"unread"_s).toInteger(), 1);
    QCOMPARE(mine.value(u"lastMessage"_s).toMap().value(u"seq"_s).toInteger(), reply);

    // The list and sync say the same.
    const Protocol::Frame list = alice->request(Request::ListConversations);
    VERIFY_OK(list);
    const QCborMap listed = list.body.value(u"conversations"_s).toArray().at(0).toMap();
    QCOMPARE(listed.value(u"unread"_s).toInteger(), 1);
    QCOMPARE(listed.value(u"lastMessage"_s).toMap().value(u"seq"_s).toInteger(), reply);
    const Protocol::Frame sync = alice->request(Request::Sync, {});
    VERIFY_OK(sync);
    const QCborMap synced = sync.body.value(u"conversations"_s).toArray().at(0).toMap();
    QCOMPARE(synced.value(u"unread"_s).toInteger(), 1);
    QCOMPARE(synced.value(u"lastMessage"_s).toMap().value(u"seq"_s).toInteger(), reply);

    // Read up to the end: nothing unread, whatever follows silently.
    VERIFY_OK(alice->request(Request::MarkRead,
                             {{u"conversationId"_s, chat}, {u"seq"_s, mine.value(u"lastSeq"_s)}}));
    QVERIFY(sendSilent(bob, chat, reply, "again"));
    QCOMPARE(conversationOf(alice, chat).value(u"unread"_s).toInteger(), 0);
}

void TestSilent::silentAndRefSeqTravelWithTheEntry()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 target = alice->sendText(chat, u"target"_s);
    bob->clearEvents();
    const qint64 reaction = sendSilent(alice, chat, target, "\xF0\x9F\x91\x8D");
    QVERIFY(reaction);

    const auto event = bob->waitEvent(Protocol::Event::Message, [reaction](const auto &frame) {
        return frame.body.value(u"message"_s).toMap().value(u"seq"_s).toInteger() == reaction;
    });
    QVERIFY(event);
    const QCborMap pushed = event->body.value(u"message"_s).toMap();
    QCOMPARE(pushed.value(u"silent"_s).toBool(), true);
    QCOMPARE(pushed.value(u"refSeq"_s).toInteger(), target);
    QCOMPARE(pushed.value(u"content"_s).toByteArray(), QByteArray("\xF0\x9F\x91\x8D"));

    const QCborMap stored = entryOf(historyOf(bob, chat), reaction);
    QCOMPARE(stored.value(u"silent"_s).toBool(), true);
    QCOMPARE(stored.value(u"refSeq"_s).toInteger(), target);
    // A plain message carries neither key.
    const QCborMap plain = entryOf(historyOf(bob, chat), target);
    QVERIFY(!plain.contains(u"silent"_s));
    QVERIFY(!plain.contains(u"refSeq"_s));
    QVERIFY(!plain.contains(u"expiresAt"_s));
}

void TestSilent::refSeqMustNameAMessage()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    TestClient *member = m_server->newUser(u"member"_s);
    QVERIFY(owner && member);
    const qint64 group = owner->createGroup(u"g"_s, {member->userId()});
    const qint64 other = owner->openDirect(member->userId());
    const qint64 text = owner->sendText(group, u"text"_s);
    const qint64 elsewhere = owner->sendText(other, u"elsewhere"_s);
    QVERIFY(text && elsewhere);

    const auto refused = [&](qint64 refSeq) {
        return member->request(Request::Send, sendFields(group, "x", true, refSeq));
    };
    // Missing, the `created` event entry (seq 1), and a seq of another conversation only.
    for (qint64 refSeq : {text + 100, qint64(1), elsewhere + 10}) {
        const Protocol::Frame answer = refused(refSeq);
        COMPARE_ERROR(answer, ErrorCode::NotFound);
        QCOMPARE(answer.body.value(u"field"_s).toString(), u"refSeq"_s);
    }
    QCborMap zero = sendFields(group, "x", true);
    zero.insert(u"refSeq"_s, 0);
    COMPARE_ERROR(member->request(Request::Send, zero), ErrorCode::InvalidField);
    // Nothing was stored: the next entry follows the text directly.
    QCOMPARE(sendSilent(member, group, text), text + 1);
    // refSeq without silent is fine too (the server does not care what the body is).
    VERIFY_OK(member->request(Request::Send, sendFields(group, "y", false, text)));
}

void TestSilent::batchedSendsCheckEachRefSeq()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 target = alice->sendText(chat, u"target"_s);
    QVERIFY(target);

    // Sent without waiting, so the writer commits them together in one batch (or a few).
    QList<qint64> good;
    QList<qint64> bad;
    for (int i = 0; i < 20; ++i) {
        good.append(alice->send(Request::Send, sendFields(chat, "ok", true, target)));
        bad.append(alice->send(Request::Send, sendFields(chat, "bad", true, target + 1000 + i)));
    }
    QList<qint64> seqs;
    for (qint64 id : good) {
        const Protocol::Frame answer = alice->waitResponse(id);
        VERIFY_OK(answer);
        seqs.append(answer.body.value(u"seq"_s).toInteger());
    }
    for (qint64 id : bad) {
        const Protocol::Frame answer = alice->waitResponse(id);
        COMPARE_ERROR(answer, ErrorCode::NotFound);
        QCOMPARE(answer.body.value(u"field"_s).toString(), u"refSeq"_s);
    }
    std::sort(seqs.begin(), seqs.end());
    for (int i = 0; i < seqs.size(); ++i)
        QCOMPARE(seqs.at(i), target + 1 + i); // gapless: refused sends took no number
}

QTEST_GUILESS_MAIN(TestSilent)
#include "tst_silent.moc"
