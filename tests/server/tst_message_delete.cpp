// message.delete (delete for everyone): the rules (own within 48 h, a group's owner and admins
// any, nobody else), the `deleted` event entry fanned out like any entry, the erased content in
// history, sync and the database row itself, refSeq dependants erased with their target, and
// repeats answered with the first deletion.
//
// The 48-hour window is tested by ageing the row directly in the test's own database (its
// created_at moved back), not by a clock hook in the server.

#include "RichMessages.h"
#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QFile>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace RichMessages;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

class TestMessageDelete : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void ownMessageWithinTheWindow();
    void ownMessageOutsideTheWindow();
    void groupOwnerAndAdminsDeleteAnyMessage();
    void othersMayNot();
    void whatCannotBeDeleted();
    void repeatAnswersTheFirstDeletion();
    void dependantsAreErasedWithTheirTarget();
    void sharesTheSendRateLimit();
    void deletedBytesLeaveTheSqliteFile();
    void committedReachesOthersAfterTheCallerLeft();
    void erasedAndHiddenAreNotUnread();

private:
    QCborMap deleteFields(qint64 conversationId, qint64 seq)
    {
        return {{u"conversationId"_s, conversationId}, {u"seq"_s, seq}};
    }
    //! Moves an entry's timestamp back by `ms` in the database (for the window).
    bool age(qint64 conversationId, qint64 seq, qint64 ms);
    //! Whether the stored row still holds bytes (content not NULL or content_type not empty).
    bool rowHasContent(qint64 conversationId, qint64 seq);

    std::unique_ptr<TestServer> m_server;
};

void TestMessageDelete::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestMessageDelete::cleanup()
{
    m_server.reset();
}

bool TestMessageDelete::age(qint64 conversationId, qint64 seq, qint64 ms)
{
    return m_server
        ->queryValue(u"UPDATE messages SET created_at = created_at - ? WHERE conversation_id = ? "
                     "AND seq = ? RETURNING seq"_s,
                     {ms, conversationId, seq})
        .isValid();
}

bool TestMessageDelete::rowHasContent(qint64 conversationId, qint64 seq)
{
    return m_server
               ->queryValue(
                   u"SELECT CASE WHEN content IS NULL AND content_type = '' THEN 0 ELSE 1 END "
                   "FROM messages WHERE conversation_id = ? AND seq = ?"_s,
                   {conversationId, seq})
               .toInt()
        != 0;
}

void TestMessageDelete::ownMessageWithinTheWindow()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    TestClient *aliceLaptop = m_server->newDevice(alice, u"laptop"_s);
    QVERIFY(aliceLaptop);
    const qint64 chat = alice->openDirect(bob->userId());
    QVERIFY(chat);
    const qint64 target = alice->sendText(chat, u"a secret"_s);
    QVERIFY(target);
    QVERIFY(rowHasContent(chat, target));
    bob->clearEvents();
    aliceLaptop->clearEvents();

    const Protocol::Frame answer =
        alice->request(Request::DeleteMessage, deleteFields(chat, target));
    VERIFY_OK(answer);
    const qint64 deletedSeq = answer.body.value(u"seq"_s).toInteger();
    QCOMPARE(deletedSeq, target + 1); // a new entry in the sequence
    QVERIFY(answer.body.value(u"timestamp"_s).toInteger() > 0);

    // Every device of every member gets the `deleted` event entry, the other devices included.
    for (TestClient *device : {bob, aliceLaptop, alice}) {
        const auto event =
            device->waitEvent(Protocol::Event::Message, entryEvent(chat, u"deleted"_s));
        QVERIFY2(event, qPrintable(device->username()));
        const QCborMap message = event->body.value(u"message"_s).toMap();
        QCOMPARE(message.value(u"seq"_s).toInteger(), deletedSeq);
        QCOMPARE(message.value(u"senderId"_s).toInteger(), alice->userId());
        const QCborMap deleted = Cbor::eventOf(message);
        QCOMPARE(deleted.value(u"targetSeq"_s).toInteger(), target);
        QCOMPARE(deleted.value(u"actorId"_s).toInteger(), alice->userId());
    }

    // A tombstone in history and in sync: the seq stays, the content is gone.
    const QCborArray history = historyOf(bob, chat);
    const QCborMap tombstone = entryOf(history, target);
    QCOMPARE(tombstone.value(u"erased"_s).toString(), u"deleted"_s);
    QCOMPARE(tombstone.value(u"content"_s).toByteArray(), QByteArray());
    QCOMPARE(tombstone.value(u"contentType"_s).toString(), QString());
    QCOMPARE(Cbor::eventOf(entryOf(history, deletedSeq)).value(u"action"_s).toString(),
             u"deleted"_s);
    const Protocol::Frame sync = bob->request(Request::Sync, {});
    VERIFY_OK(sync);
    const QCborArray synced = sync.body.value(u"messages"_s).toArray();
    QCOMPARE(entryOf(synced, target).value(u"erased"_s).toString(), u"deleted"_s);
    QCOMPARE(entryOf(synced, target).value(u"content"_s).toByteArray(), QByteArray());
    QVERIFY(!entryOf(synced, deletedSeq).isEmpty());

    // The bytes are gone from the row itself.
    QVERIFY(!rowHasContent(chat, target));

    // The numbering goes on without a gap.
    QCOMPARE(bob->sendText(chat, u"next"_s), deletedSeq + 1);
}

void TestMessageDelete::ownMessageOutsideTheWindow()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 old = alice->sendText(chat, u"old"_s);
    const qint64 recent = alice->sendText(chat, u"recent"_s);
    QVERIFY(old && recent);
    QVERIFY2(age(chat, old, Protocol::Limits::DeleteWindowMs + 60'000),
             qPrintable(m_server->errorString()));
    // Just inside: 48 h less a minute is still allowed.
    QVERIFY2(age(chat, recent, Protocol::Limits::DeleteWindowMs - 60'000),
             qPrintable(m_server->errorString()));

    COMPARE_ERROR(alice->request(Request::DeleteMessage, deleteFields(chat, old)),
                  ErrorCode::Forbidden);
    QVERIFY(rowHasContent(chat, old));
    VERIFY_OK(alice->request(Request::DeleteMessage, deleteFields(chat, recent)));
    QVERIFY(!rowHasContent(chat, recent));
}

void TestMessageDelete::groupOwnerAndAdminsDeleteAnyMessage()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    TestClient *admin = m_server->newUser(u"admin"_s);
    TestClient *member = m_server->newUser(u"member"_s);
    QVERIFY(owner && admin && member);
    const qint64 group = owner->createGroup(u"g"_s, {admin->userId(), member->userId()});
    QVERIFY(group);
    VERIFY_OK(owner->request(
        Request::SetRole,
        {{u"conversationId"_s, group}, {u"userId"_s, admin->userId()}, {u"role"_s, u"admin"_s}}));
    const qint64 first = member->sendText(group, u"one"_s);
    const qint64 second = member->sendText(group, u"two"_s);
    QVERIFY(first && second);
    // Any age: the window is only for one's own messages.
    QVERIFY(age(group, first, 10 * Protocol::Limits::DeleteWindowMs));

    VERIFY_OK(admin->request(Request::DeleteMessage, deleteFields(group, first)));
    VERIFY_OK(owner->request(Request::DeleteMessage, deleteFields(group, second)));
    const QCborArray history = historyOf(member, group);
    QCOMPARE(entryOf(history, first).value(u"erased"_s).toString(), u"deleted"_s);
    QCOMPARE(entryOf(history, second).value(u"erased"_s).toString(), u"deleted"_s);
    const auto event = member->waitEvent(Protocol::Event::Message, entryEvent(group, u"deleted"_s));
    QVERIFY(event);
    QCOMPARE(Cbor::eventOf(*event).value(u"actorId"_s).toInteger(), admin->userId());
}

void TestMessageDelete::othersMayNot()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    TestClient *member = m_server->newUser(u"member"_s);
    TestClient *outsider = m_server->newUser(u"outsider"_s);
    QVERIFY(owner && member && outsider);
    const qint64 group = owner->createGroup(u"g"_s, {member->userId()});
    const qint64 ownersMessage = owner->sendText(group, u"mine"_s);
    QVERIFY(ownersMessage);

    COMPARE_ERROR(member->request(Request::DeleteMessage, deleteFields(group, ownersMessage)),
                  ErrorCode::Forbidden);
    COMPARE_ERROR(outsider->request(Request::DeleteMessage, deleteFields(group, ownersMessage)),
                  ErrorCode::NotMember);

    // In a direct conversation nobody deletes the peer's messages.
    const qint64 chat = owner->openDirect(member->userId());
    const qint64 peers = member->sendText(chat, u"yours"_s);
    COMPARE_ERROR(owner->request(Request::DeleteMessage, deleteFields(chat, peers)),
                  ErrorCode::Forbidden);
    QVERIFY(rowHasContent(group, ownersMessage));
    QVERIFY(rowHasContent(chat, peers));
}

void TestMessageDelete::whatCannotBeDeleted()
{
    TestClient *owner = m_server->newUser(u"owner"_s);
    TestClient *member = m_server->newUser(u"member"_s);
    QVERIFY(owner && member);
    const qint64 group = owner->createGroup(u"g"_s, {member->userId()});
    const qint64 last = owner->sendText(group, u"text"_s);
    QVERIFY(last);
    // seq 1 is the `created` event entry.
    const Protocol::Frame event = owner->request(Request::DeleteMessage, deleteFields(group, 1));
    COMPARE_ERROR(event, ErrorCode::NotFound);
    QVERIFY(!event.body.value(u"message"_s).toString().isEmpty());
    COMPARE_ERROR(owner->request(Request::DeleteMessage, deleteFields(group, last + 1)),
                  ErrorCode::NotFound);
    // A `deleted` event entry is an event too.
    const Protocol::Frame deleted =
        owner->request(Request::DeleteMessage, deleteFields(group, last));
    VERIFY_OK(deleted);
    COMPARE_ERROR(owner->request(Request::DeleteMessage,
                                 deleteFields(group, deleted.body.value(u"seq"_s).toInteger())),
                  ErrorCode::NotFound);
    COMPARE_ERROR(owner->request(Request::DeleteMessage, {{u"conversationId"_s, group}}),
                  ErrorCode::InvalidField);
}

void TestMessageDelete::repeatAnswersTheFirstDeletion()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 target = alice->sendText(chat, u"twice"_s);
    const Protocol::Frame first =
        alice->request(Request::DeleteMessage, deleteFields(chat, target));
    VERIFY_OK(first);
    QVERIFY(bob->waitEvent(Protocol::Event::Message, entryEvent(chat, u"deleted"_s)));
    bob->clearEvents();

    const Protocol::Frame second =
        alice->request(Request::DeleteMessage, deleteFields(chat, target));
    VERIFY_OK(second);
    QCOMPARE(second.body.value(u"seq"_s).toInteger(), first.body.value(u"seq"_s).toInteger());
    QCOMPARE(second.body.value(u"timestamp"_s).toInteger(),
             first.body.value(u"timestamp"_s).toInteger());
    // Nothing new in the sequence and no second event.
    QCOMPARE(conversationOf(bob, chat).value(u"lastSeq"_s).toInteger(),
             first.body.value(u"seq"_s).toInteger());
    QVERIFY(bob->flush());
    QVERIFY(bob->events(Protocol::Event::Message).isEmpty());
}

void TestMessageDelete::dependantsAreErasedWithTheirTarget()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 target = alice->sendText(chat, u"react to me"_s);
    const qint64 other = alice->sendText(chat, u"unrelated"_s);
    const qint64 reaction = sendSilent(bob, chat, target, "\xF0\x9F\x91\x8D");
    const qint64 edit = sendSilent(alice, chat, target, "edited text");
    const qint64 otherReaction = sendSilent(bob, chat, other);
    QVERIFY(target && other && reaction && edit && otherReaction);

    VERIFY_OK(alice->request(Request::DeleteMessage, deleteFields(chat, target)));
    const QCborArray history = historyOf(bob, chat);
    for (qint64 seq : {target, reaction, edit}) {
        QCOMPARE(entryOf(history, seq).value(u"erased"_s).toString(), u"deleted"_s);
        QVERIFY(!rowHasContent(chat, seq));
    }
    QVERIFY(!entryOf(history, otherReaction).contains(u"erased"_s));
    QVERIFY(rowHasContent(chat, otherReaction));
    QCOMPARE(entryOf(history, reaction).value(u"refSeq"_s).toInteger(), target);
    QCOMPARE(entryOf(history, reaction).value(u"silent"_s).toBool(), true);

    // Nothing acts on a deleted message any more.
    const Protocol::Frame late =
        bob->request(Request::Send, sendFields(chat, "late", true, target));
    COMPARE_ERROR(late, ErrorCode::NotFound);
    QCOMPARE(late.body.value(u"field"_s).toString(), u"refSeq"_s);
}

void TestMessageDelete::sharesTheSendRateLimit()
{
    m_server->config().sends = {0.001, 2};
    QVERIFY(m_server->restart());
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 target = alice->sendText(chat, u"one"_s);
    QVERIFY(target);
    VERIFY_OK(alice->request(Request::DeleteMessage, deleteFields(chat, target)));
    // Both tokens spent: one send, one delete.
    const Protocol::Frame limited =
        alice->request(Request::DeleteMessage, deleteFields(chat, target));
    COMPARE_ERROR(limited, ErrorCode::RateLimited);
    QVERIFY(limited.body.value(u"retryAfter"_s).toInteger() > 0);
    COMPARE_ERROR(alice->request(Request::Send, sendFields(chat, "two")), ErrorCode::RateLimited);
}

// secure_delete: once the write-ahead log is checkpointed, the erased bytes are nowhere in the
// database file (PostgreSQL keeps them in dead tuples until VACUUM: docs/self-hosting.md).
// Debian's SQLite has secure_delete on by default; messengerd sets it for builds without.
void TestMessageDelete::deletedBytesLeaveTheSqliteFile()
{
    if (m_server->backend() != TestServer::Backend::Sqlite)
        QSKIP("SQLite's secure_delete; PostgreSQL erases through VACUUM");
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const QByteArray marker = "erase-me-7f3a9c1e-" + QByteArray(200, 'Q');
    const qint64 target =
        alice->request(Request::Send, sendFields(chat, marker)).body.value(u"seq"_s).toInteger();
    QVERIFY(target);
    const QString path = m_server->config().database.sqlitePath;
    const auto fileHolds = [&path](const QByteArray &bytes) {
        QByteArray all;
        for (const QString &name : {path, path + u"-wal"_s}) {
            QFile file(name);
            if (file.open(QIODevice::ReadOnly))
                all += file.readAll();
        }
        return all.contains(bytes);
    };
    QVERIFY(fileHolds(marker));

    VERIFY_OK(alice->request(Request::DeleteMessage, deleteFields(chat, target)));
    // Column 0 of wal_checkpoint is 1 while a reader still pins an older snapshot.
    QTRY_COMPARE(m_server->queryValue(u"PRAGMA wal_checkpoint(TRUNCATE)"_s).toInt(), 0);
    QVERIFY(!fileHolds(marker));
}

// A send or a delete the server committed reaches the other members even when the connection
// that asked dropped before its answer (the answer has nowhere to go; the event still must).
void TestMessageDelete::committedReachesOthersAfterTheCallerLeft()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    QVERIFY(chat);
    const qint64 target = alice->sendText(chat, u"soon gone"_s);
    QVERIFY(target);

    TestClient *phone = m_server->newDevice(alice, u"phone"_s);
    QVERIFY(phone);
    phone->send(Request::Send, sendFields(chat, "sent while leaving"));
    phone->send(Request::DeleteMessage, deleteFields(chat, target));
    QVERIFY(phone->flush());
    phone->socket().abort();

    QVERIFY(bob->waitEvent(Protocol::Event::Message, [](const Protocol::Frame &frame) {
        return frame.body.value(u"message"_s).toMap().value(u"content"_s).toByteArray()
            == "sent while leaving";
    }));
    QVERIFY(bob->waitEvent(Protocol::Event::Message, entryEvent(chat, u"deleted"_s)));
}

// unread leaves out what nobody can read any more: a message deleted for everyone, and one the
// reader deleted for themselves.
void TestMessageDelete::erasedAndHiddenAreNotUnread()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    QVERIFY(chat);
    const qint64 first = alice->sendText(chat, u"one"_s);
    const qint64 second = alice->sendText(chat, u"two"_s);
    QVERIFY(alice->sendText(chat, u"three"_s));
    const auto unreadOfBob = [&] {
        const Protocol::Frame answer =
            bob->request(Request::GetConversation, {{u"conversationId"_s, chat}});
        return answer.body.value(u"conversation"_s).toMap().value(u"unread"_s).toInteger();
    };
    QCOMPARE(unreadOfBob(), 3);

    VERIFY_OK(alice->request(Request::DeleteMessage, deleteFields(chat, first)));
    QCOMPARE(unreadOfBob(), 2);
    VERIFY_OK(bob->request(Request::HideMessages,
                           {{u"conversationId"_s, chat}, {u"seqs"_s, QCborArray {second}}}));
    QCOMPARE(unreadOfBob(), 1);
    // Alice's own view is not Bob's: nothing of hers was unread to her.
    const Protocol::Frame mine =
        alice->request(Request::GetConversation, {{u"conversationId"_s, chat}});
    QCOMPARE(mine.body.value(u"conversation"_s).toMap().value(u"unread"_s).toInteger(), 0);
}

QTEST_GUILESS_MAIN(TestMessageDelete)
#include "tst_message_delete.moc"
