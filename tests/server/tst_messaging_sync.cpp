// Messages over time: history paging, sync after a reconnect and a long absence, a restart that
// loses nothing acknowledged, awkward texts and bytes, mixed batches (fixture: MessagingTest.h).

#include "MessagingTest.h"

using namespace Server;
using namespace MessagingTest;

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

void TestMessaging::historyPaging()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);
    QList<qint64> seqs;
    for (int i = 0; i < 30; ++i) {
        seqs.append(alice->sendText(id, u"message %1"_s.arg(i)));
        QVERIFY(seqs.last() > 0);
    }
    QCOMPARE(seqs.last() - seqs.first(), 29);
    const qint64 first = seqs.first();
    const qint64 last = seqs.last();

    const auto page = [bob, id](QCborMap anchor, QList<qint64> *pageSeqs, bool *more) {
        anchor.insert(u"conversationId"_s, id);
        anchor.insert(u"limit"_s, 10);
        const auto response = bob->request(Request::History, anchor);
        VERIFY_OK(response);
        *pageSeqs = Cbor::seqs(response.body.value(u"messages"_s).toArray());
        // Always in ascending seq order, whichever the direction.
        QVERIFY2(std::is_sorted(pageSeqs->begin(), pageSeqs->end()),
                 qPrintable(TestClient::describe(response)));
        *more = response.body.value(u"more"_s).toBool();
    };
    QList<qint64> got;
    bool more = false;

    // Backwards from the newest.
    page({}, &got, &more);
    QCOMPARE(got, range(last - 9, last));
    QVERIFY(more);
    page({{u"before"_s, last - 9}}, &got, &more);
    QCOMPARE(got, range(last - 19, last - 10));
    QVERIFY(more);
    page({{u"before"_s, first + 10}}, &got, &more);
    QCOMPARE(got, range(first, first + 9));
    QCOMPARE(more, first > 1);

    // Forwards from a point.
    page({{u"after"_s, first - 1}}, &got, &more);
    QCOMPARE(got, range(first, first + 9));
    QVERIFY(more);
    page({{u"after"_s, first + 9}}, &got, &more);
    QCOMPARE(got, range(first + 10, first + 19));
    QVERIFY(more);
    page({{u"after"_s, first + 19}}, &got, &more);
    QCOMPARE(got, range(first + 20, last));
    QVERIFY(!more);
    page({{u"after"_s, last}}, &got, &more);
    QVERIFY(got.isEmpty());
    QVERIFY(!more);

    // The very beginning of the conversation has nothing before it.
    page({{u"before"_s, 1}}, &got, &more);
    QVERIFY(got.isEmpty());
    QVERIFY(!more);
}

void TestMessaging::syncAfterReconnect()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 direct = alice->openDirect(bob->userId());
    QVERIFY(direct);
    const qint64 seen = alice->sendText(direct, u"seen live"_s);
    QVERIFY(seen);
    QVERIFY(bob->waitEvent(Protocol::Event::Message));
    const QString token = bob->token();
    bob->close();

    // While bob is away: more in the direct conversation, and a group he has never seen.
    QList<qint64> missed;
    for (int i = 0; i < 5; ++i)
        missed.append(alice->sendText(direct, u"missed %1"_s.arg(i)));
    const qint64 group = alice->createGroup(u"New"_s, {bob->userId()});
    QVERIFY(group);
    for (int i = 0; i < 3; ++i)
        QVERIFY(alice->sendText(group, u"group %1"_s.arg(i)));

    TestClient *back = m_server->newClient();
    QVERIFY(back);
    QVERIFY(back->resume(token));
    QCborArray cursors;
    cursors.append(QCborArray {direct, seen});
    const auto sync = back->request(Request::Sync, {{u"cursors"_s, cursors}});
    VERIFY_OK(sync);
    QVERIFY(!sync.body.value(u"more"_s).toBool());
    QVERIFY(sync.body.value(u"conversations"_s).isArray());

    QHash<qint64, QList<qint64>> byConversation;
    QList<qint64> order;
    for (const QCborValue &value : sync.body.value(u"messages"_s).toArray()) {
        const qint64 conversation = value.toMap().value(u"conversationId"_s).toInteger();
        if (order.isEmpty() || order.last() != conversation) {
            QVERIFY2(!order.contains(conversation),
                     "sync messages must be grouped by conversation");
            order.append(conversation);
        }
        byConversation[conversation].append(value.toMap().value(u"seq"_s).toInteger());
    }
    QCOMPARE(byConversation.value(direct), missed); // only after the cursor, in order
    const QList<qint64> groupSeqs = byConversation.value(group);
    QVERIFY(!groupSeqs.isEmpty());
    QCOMPARE(groupSeqs, range(1, groupSeqs.last())); // all of it: fewer than 50

    // And live delivery resumes.
    const qint64 live = alice->sendText(direct, u"live again"_s);
    const auto event = back->waitEvent(
        Protocol::Event::Message, [live](const Protocol::Frame &f) { return seqOf(f) == live; });
    QVERIFY(event);
}

void TestMessaging::syncAfterLongAbsence()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 direct = alice->openDirect(bob->userId());
    QVERIFY(direct);
    const qint64 seen = alice->sendText(direct, u"before"_s);
    QVERIFY(seen);
    const QString token = bob->token();
    bob->close();

    constexpr int Missed = 120;
    constexpr int Page = 50;
    QList<qint64> requestIds;
    for (int i = 0; i < Missed; ++i) {
        requestIds.append(alice->send(
            Request::Send, sendFields(direct, u"missed-%1"_s.arg(i), QByteArray::number(i))));
    }
    for (qint64 requestId : requestIds)
        VERIFY_OK(alice->waitResponse(requestId));

    TestClient *back = m_server->newClient();
    QVERIFY(back);
    QVERIFY(back->resume(token));

    QList<qint64> synced;
    qint64 cursor = seen;
    int pages = 0;
    for (bool more = true; more;) {
        QVERIFY2(++pages <= Missed, "sync never reports more: false");
        QCborArray cursors;
        cursors.append(QCborArray {direct, cursor});
        const auto sync =
            back->request(Request::Sync, {{u"cursors"_s, cursors}, {u"limit"_s, Page}});
        VERIFY_OK(sync);
        const QCborArray messages = sync.body.value(u"messages"_s).toArray();
        QVERIFY(messages.size() <= Page);
        more = sync.body.value(u"more"_s).toBool();
        QVERIFY2(!messages.isEmpty() || !more, "an empty page that says more");
        for (const QCborValue &message : messages) {
            QCOMPARE(message.toMap().value(u"conversationId"_s).toInteger(), direct);
            synced.append(message.toMap().value(u"seq"_s).toInteger());
        }
        if (!synced.isEmpty())
            cursor = synced.last();
    }
    QVERIFY(pages >= 3);
    QCOMPARE(synced, range(seen + 1, seen + Missed));

    // A device that has never seen the conversation gets only its latest 50.
    TestClient *fresh = m_server->newDevice(alice);
    QVERIFY(fresh);
    const auto initial = fresh->request(Request::Sync);
    VERIFY_OK(initial);
    QVERIFY(!initial.body.value(u"more"_s).toBool());
    QCOMPARE(Cbor::seqs(initial.body.value(u"messages"_s).toArray()),
             range(seen + Missed - Protocol::Limits::SyncInitialWindow + 1, seen + Missed));
}

void TestMessaging::restartLosesNothingAcknowledged()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);
    const QString aliceToken = alice->token();
    const QString bobToken = bob->token();

    // Sends in flight together, then a stop right after the last acknowledgement.
    QList<qint64> requestIds;
    for (int i = 0; i < 40; ++i)
        requestIds.append(alice->send(
            Request::Send, sendFields(id, u"durable-%1"_s.arg(i), QByteArray::number(i))));
    QHash<qint64, QByteArray> acknowledged;
    for (qsizetype i = 0; i < requestIds.size(); ++i) {
        const auto ack = alice->waitResponse(requestIds.at(i));
        VERIFY_OK(ack);
        acknowledged.insert(ack.body.value(u"seq"_s).toInteger(), QByteArray::number(i));
    }
    QCOMPARE(acknowledged.size(), 40);

    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));

    TestClient *bobAgain = m_server->newClient();
    QVERIFY(bobAgain);
    QVERIFY(bobAgain->resume(bobToken));
    const QCborArray history = fullHistory(bobAgain, id);
    QCOMPARE(history.size(), 40);
    for (const QCborValue &value : history) {
        const QCborMap message = value.toMap();
        const qint64 seq = message.value(u"seq"_s).toInteger();
        QVERIFY(acknowledged.contains(seq));
        QCOMPARE(message.value(u"content"_s).toByteArray(), acknowledged.value(seq));
        QCOMPARE(message.value(u"senderId"_s).toInteger(), alice->userId());
    }

    // Tokens survive too, and sequencing carries on where it stopped.
    TestClient *aliceAgain = m_server->newClient();
    QVERIFY(aliceAgain);
    QVERIFY(aliceAgain->resume(aliceToken));
    const qint64 maxSeq = *std::max_element(acknowledged.keyBegin(), acknowledged.keyEnd());
    QCOMPARE(aliceAgain->sendText(id, u"after the restart"_s), maxSeq + 1);
}

void TestMessaging::arrayLiteralsRoundTrip()
{
    // The text form PostgreSQL parses as an array parameter (SendBatch binds whole columns so).
    QCOMPARE(PgArray::bigints({}), u"{}"_s);
    QCOMPARE(PgArray::bigints({1, -2, std::numeric_limits<qint64>::max()}),
             u"{1,-2,9223372036854775807}"_s);
    QCOMPARE(PgArray::texts({u"a\"b\\c"_s, QString(u""_s), QString(), u"NULL"_s, u"{x, y}"_s}),
             u"{\"a\\\"b\\\\c\",\"\",NULL,\"NULL\",\"{x, y}\"}"_s);
    QCOMPARE(PgArray::byteas({QByteArray("\x00\xff\\\"", 4), QByteArray(""), QByteArray()}),
             u"{\"\\\\x00ff5c22\",\"\\\\x\",NULL}"_s);
    if (m_server->backend() != TestServer::Backend::Postgres)
        return;

    // Each element comes back out of PostgreSQL as it went in.
    const QStringList texts {u"plain"_s,
                             u"with \"quotes\""_s,
                             u"back\\slash\\"_s,
                             u"\\"_s,
                             u"comma, and {braces}"_s,
                             u"}{"_s,
                             QString(u""_s),
                             u"NULL"_s,
                             u"  spaces  "_s,
                             u"Grüße, 日本語, 🙂"_s,
                             u"tab\tnewline\n"_s,
                             u"'single'"_s};
    for (qsizetype i = 0; i < texts.size(); ++i) {
        const QVariant back =
            m_server->queryValue(u"SELECT (CAST(? AS TEXT[]))[CAST(? AS INTEGER)]"_s,
                                 {PgArray::texts(texts), int(i + 1)});
        QVERIFY2(back.isValid(), qPrintable(m_server->errorString()));
        QCOMPARE(back.toString(), texts.at(i));
    }
    QCOMPARE(
        m_server
            ->queryValue(u"SELECT (CAST(? AS TEXT[]))[1] IS NULL"_s, {PgArray::texts({QString()})})
            .toBool(),
        true);

    QByteArray everyByte;
    for (int b = 0; b < 256; ++b)
        everyByte.append(char(b));
    const QList<QByteArray> blobs {everyByte, QByteArray("\0", 1), QByteArray(""),
                                   QByteArray("\\x41\"}")};
    for (qsizetype i = 0; i < blobs.size(); ++i) {
        const QVariant back =
            m_server->queryValue(u"SELECT (CAST(? AS BYTEA[]))[CAST(? AS INTEGER)]"_s,
                                 {PgArray::byteas(blobs), int(i + 1)});
        QVERIFY2(back.isValid(), qPrintable(m_server->errorString()));
        QCOMPARE(back.toByteArray(), blobs.at(i));
    }
    const QList<qint64> numbers {0, -1, std::numeric_limits<qint64>::min(),
                                 std::numeric_limits<qint64>::max()};
    for (qsizetype i = 0; i < numbers.size(); ++i) {
        const QVariant back =
            m_server->queryValue(u"SELECT (CAST(? AS BIGINT[]))[CAST(? AS INTEGER)]"_s,
                                 {PgArray::bigints(numbers), int(i + 1)});
        QVERIFY2(back.isValid(), qPrintable(m_server->errorString()));
        QCOMPARE(back.toLongLong(), numbers.at(i));
    }
    QCOMPARE(
        m_server->queryValue(u"SELECT cardinality(CAST(? AS BIGINT[]))"_s, {PgArray::bigints({})})
            .toInt(),
        0);
}

void TestMessaging::awkwardTextsAndBytesSurvive()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);

    QByteArray everyByte;
    for (int b = 255; b >= 0; --b)
        everyByte.append(char(b));
    struct Case
    {
        QString clientId;
        QString contentType;
        QByteArray content;
    };
    const QList<Case> cases {
        {u"quote\"d"_s, u"text/plain; charset=\"utf-8\""_s, QByteArray("say \"hi\"")},
        {u"back\\slash\\"_s, u"a\\b"_s, QByteArray("C:\\dir\\")},
        {u"comma,{brace}"_s, u"{x,y}"_s, QByteArray("{1,2},\"3\"")},
        {u"NULL"_s, u"NULL"_s, QByteArray("NULL")},
        {u"nul-content"_s, u"application/octet-stream"_s, QByteArray("a\0b\0", 4)},
        {u"every-byte"_s, u"application/octet-stream"_s, everyByte},
        {u"empty-content"_s, u"text/plain"_s, QByteArray()},
        {u"Grüße 日本語 🙂"_s, u"text/plain; lang=ü"_s,
         u"Grüße 日本語 🙂"_s.toUtf8()},
        {u"  spaced  "_s, u" t "_s, QByteArray("  ")},
        {u"\\x41"_s, u"'single'"_s, QByteArray("\\x41")},
    };
    // All in flight together (one batch, or a few), then every one again: duplicates of stored
    // messages must find them by the exact same client id.
    for (int round = 0; round < 2; ++round) {
        QList<qint64> requestIds;
        for (const Case &c : cases)
            requestIds.append(
                alice->send(Request::Send, sendFields(id, c.clientId, c.content, c.contentType)));
        for (qsizetype i = 0; i < requestIds.size(); ++i) {
            const auto ack = alice->waitResponse(requestIds.at(i));
            VERIFY_OK(ack);
            QCOMPARE(ack.body.value(u"seq"_s).toInteger(), qint64(i + 1));
        }
    }

    const QCborArray history = fullHistory(bob, id);
    QCOMPARE(history.size(), cases.size());
    for (qsizetype i = 0; i < cases.size(); ++i) {
        const QCborMap message = history.at(i).toMap();
        QCOMPARE(message.value(u"seq"_s).toInteger(), qint64(i + 1));
        QCOMPARE(message.value(u"clientId"_s).toString(), cases.at(i).clientId);
        QCOMPARE(message.value(u"contentType"_s).toString(), cases.at(i).contentType);
        QCOMPARE(message.value(u"content"_s).toByteArray(), cases.at(i).content);
    }
    // The live events carried what was stored.
    for (qsizetype i = 0; i < cases.size(); ++i) {
        const auto event = bob->waitEvent(
            Protocol::Event::Message, [i](const Protocol::Frame &f) { return seqOf(f) == i + 1; });
        QVERIFY(event);
        QCOMPARE(messageOf(*event).value(u"clientId"_s).toString(), cases.at(i).clientId);
        QCOMPARE(messageOf(*event).value(u"content"_s).toByteArray(), cases.at(i).content);
    }
}

void TestMessaging::mixedBatchKeepsItsAnswers()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *carol = m_server->newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 withBob = alice->openDirect(bob->userId());
    const qint64 withCarol = alice->openDirect(carol->userId());
    const qint64 notAlices = bob->openDirect(carol->userId());
    QVERIFY(withBob && withCarol && notAlices);
    const auto stored = alice->request(Request::Send, sendFields(withBob, u"stored"_s, "first"));
    VERIFY_OK(stored);
    QCOMPARE(stored.body.value(u"seq"_s).toInteger(), 1);

    // One burst: new messages to two conversations interleaved, a retry of a stored message, a
    // retry of a message earlier in the burst, sends to a conversation alice is not in (and to
    // one that does not exist), and after the refused one the same client id where she is a member
    // (stored; the refused send stays refused, as it would were the two sent one after the other).
    struct Send
    {
        qint64 conversationId;
        QString clientId;
        QByteArray content;
    };
    const QList<Send> burst {
        {withBob, u"b1"_s, "b1"},        {withCarol, u"c1"_s, "c1"},
        {withBob, u"stored"_s, "again"}, {withBob, u"b2"_s, "b2"},
        {notAlices, u"x1"_s, "x1"},      {withCarol, u"c1"_s, "c1 again"},
        {withCarol, u"x1"_s, "x1 here"}, {withBob, u"b3"_s, "b3"},
        {999999, u"ghost"_s, "boo"},     {withCarol, u"c2"_s, "c2"},
    };
    QList<qint64> requestIds;
    for (const Send &send : burst)
        requestIds.append(alice->send(
            Request::Send, sendFields(send.conversationId, send.clientId, send.content)));
    QList<Protocol::Frame> acks;
    for (qint64 requestId : requestIds)
        acks.append(alice->waitResponse(requestId));
    const auto seqAt = [&acks](int i) { return acks.at(i).body.value(u"seq"_s).toInteger(); };
    const auto timeAt = [&acks](int i) {
        return acks.at(i).body.value(u"timestamp"_s).toInteger();
    };

    COMPARE_ERROR(acks.at(4), ErrorCode::NotMember);
    COMPARE_ERROR(acks.at(8), ErrorCode::NotMember);
    for (int i : {0, 1, 2, 3, 5, 6, 7, 9})
        VERIFY_OK(acks.at(i));
    // Gapless, in burst order, per conversation.
    QCOMPARE(QList<qint64>({seqAt(0), seqAt(3), seqAt(7)}), QList<qint64>({2, 3, 4}));
    QCOMPARE(QList<qint64>({seqAt(1), seqAt(6), seqAt(9)}), QList<qint64>({1, 2, 3}));
    // Retries answer with the first message.
    QCOMPARE(seqAt(2), 1);
    QCOMPARE(timeAt(2), stored.body.value(u"timestamp"_s).toInteger());
    QCOMPARE(seqAt(5), seqAt(1));
    QCOMPARE(timeAt(5), timeAt(1));

    const QCborArray bobs = fullHistory(bob, withBob);
    QCOMPARE(Cbor::seqs(bobs), range(1, 4));
    QCOMPARE(bobs.at(0).toMap().value(u"content"_s).toByteArray(), QByteArray("first"));
    QCOMPARE(bobs.at(1).toMap().value(u"content"_s).toByteArray(), QByteArray("b1"));
    QCOMPARE(bobs.at(3).toMap().value(u"content"_s).toByteArray(), QByteArray("b3"));
    const QCborArray carols = fullHistory(carol, withCarol);
    QCOMPARE(Cbor::seqs(carols), range(1, 3));
    QCOMPARE(carols.at(0).toMap().value(u"content"_s).toByteArray(), QByteArray("c1"));
    QCOMPARE(carols.at(1).toMap().value(u"content"_s).toByteArray(), QByteArray("x1 here"));
    QCOMPARE(carols.at(1).toMap().value(u"clientId"_s).toString(), u"x1"_s);
    // Nothing reached the conversation alice is not in.
    QVERIFY(fullHistory(bob, notAlices).isEmpty());
    const QVariant lastSeq =
        m_server->queryValue(u"SELECT last_seq FROM conversations WHERE id = ?"_s, {notAlices});
    QVERIFY2(lastSeq.isValid(), qPrintable(m_server->errorString()));
    QCOMPARE(lastSeq.toLongLong(), 0);
    const QVariant fromAlice = m_server->queryValue(
        u"SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND sender_id = ?"_s,
        {notAlices, alice->userId()});
    QCOMPARE(fromAlice.toInt(), 0);
}
