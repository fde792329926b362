// Messages: acknowledgement, fan-out to every device, idempotent retries, ordering under
// concurrent senders, history paging, offline sync, and durability across a restart.

#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

namespace {

QCborMap messageOf(const Protocol::Frame &event)
{
    return event.body.value(u"message"_s).toMap();
}

qint64 seqOf(const Protocol::Frame &event)
{
    return messageOf(event).value(u"seq"_s).toInteger();
}

QCborMap sendFields(qint64 conversationId, const QString &clientId, const QByteArray &content,
                    const QString &contentType = u"text/plain"_s)
{
    return {{u"conversationId"_s, conversationId},
            {u"clientId"_s, clientId},
            {u"contentType"_s, contentType},
            {u"content"_s, content}};
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> list;
    for (qint64 seq = first; seq <= last; ++seq)
        list.append(seq);
    return list;
}

} // namespace

class TestMessaging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void sendAndAcknowledge();
    void contentIsOpaqueBytes();
    void fanOutToEveryDevice();
    void idempotentRetry();
    void concurrentSendersKeepOneOrder();
    void historyPaging();
    void syncAfterReconnect();
    void syncAfterLongAbsence();
    void restartLosesNothingAcknowledged();

private:
    //! Every message of a conversation through history, oldest first.
    QCborArray fullHistory(TestClient *client, qint64 conversationId);

    std::unique_ptr<TestServer> m_server;
};

void TestMessaging::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestMessaging::cleanup()
{
    m_server.reset();
}

QCborArray TestMessaging::fullHistory(TestClient *client, qint64 conversationId)
{
    QCborArray all;
    qint64 after = 0;
    for (;;) {
        const auto page = client->request(Request::History,
                                          {{u"conversationId"_s, conversationId},
                                           {u"after"_s, after},
                                           {u"limit"_s, Protocol::Limits::MaxHistoryPage}});
        if (!page.isOk()) {
            qWarning("history failed: %s", qPrintable(TestClient::describe(page)));
            return {};
        }
        QCborArray messages = page.body.value(u"messages"_s).toArray();
        QList<QCborValue> sorted(messages.begin(), messages.end());
        std::sort(sorted.begin(), sorted.end(), [](const QCborValue &a, const QCborValue &b) {
            return a.toMap().value(u"seq"_s).toInteger() < b.toMap().value(u"seq"_s).toInteger();
        });
        for (const QCborValue &message : sorted)
            all.append(message);
        if (!page.body.value(u"more"_s).toBool() || sorted.isEmpty())
            return all;
        after = sorted.last().toMap().value(u"seq"_s).toInteger();
    }
}

void TestMessaging::sendAndAcknowledge()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const auto opened = alice->request(Request::OpenDirect, {{u"userId"_s, bob->userId()}});
    VERIFY_OK(opened);
    const QCborMap conversation = opened.body.value(u"conversation"_s).toMap();
    const qint64 id = conversation.value(u"id"_s).toInteger();
    const qint64 lastSeq = conversation.value(u"lastSeq"_s).toInteger();

    const QByteArray content("hello, bob");
    const auto ack = alice->request(Request::Send, sendFields(id, u"client-1"_s, content));
    VERIFY_OK(ack);
    const qint64 seq = ack.body.value(u"seq"_s).toInteger();
    const qint64 timestamp = ack.body.value(u"timestamp"_s).toInteger();
    QCOMPARE(seq, lastSeq + 1);
    QVERIFY(timestamp > 0);

    const auto event = bob->waitEvent(Protocol::Event::Message);
    QVERIFY(event);
    const QCborMap message = messageOf(*event);
    QCOMPARE(message.value(u"conversationId"_s).toInteger(), id);
    QCOMPARE(message.value(u"seq"_s).toInteger(), seq);
    QCOMPARE(message.value(u"senderId"_s).toInteger(), alice->userId());
    QCOMPARE(message.value(u"timestamp"_s).toInteger(), timestamp);
    QCOMPARE(message.value(u"clientId"_s).toString(), u"client-1"_s);
    QCOMPARE(message.value(u"contentType"_s).toString(), u"text/plain"_s);
    QCOMPARE(message.value(u"content"_s).toByteArray(), content);

    QCOMPARE(alice->sendText(id, u"again"_s), seq + 1);
}

void TestMessaging::contentIsOpaqueBytes()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);

    QByteArray binary;
    for (int i = 0; i < 256; ++i)
        binary.append(char(i));
    // Exactly the limit is allowed; an empty content too.
    const QByteArray largest(Protocol::Limits::MaxContentBytes, '\x7f');
    const QList<QByteArray> contents {binary, largest, QByteArray()};
    QList<qint64> seqs;
    for (qsizetype i = 0; i < contents.size(); ++i) {
        const auto ack = alice->request(
            Request::Send,
            sendFields(id, u"bytes-%1"_s.arg(i), contents.at(i), u"application/octet-stream"_s));
        VERIFY_OK(ack);
        seqs.append(ack.body.value(u"seq"_s).toInteger());
    }

    const QCborArray history = fullHistory(bob, id);
    QHash<qint64, QByteArray> stored;
    for (const QCborValue &message : history)
        stored.insert(message.toMap().value(u"seq"_s).toInteger(),
                      message.toMap().value(u"content"_s).toByteArray());
    for (qsizetype i = 0; i < contents.size(); ++i)
        QCOMPARE(stored.value(seqs.at(i)), contents.at(i));
}

void TestMessaging::fanOutToEveryDevice()
{
    TestClient *alice1 = m_server->newUser(u"alice"_s);
    TestClient *bob1 = m_server->newUser(u"bob"_s);
    QVERIFY(alice1 && bob1);
    TestClient *alice2 = m_server->newDevice(alice1, u"second"_s);
    TestClient *bob2 = m_server->newDevice(bob1, u"second"_s);
    QVERIFY(alice2 && bob2);
    const qint64 id = alice1->openDirect(bob1->userId());
    QVERIFY(id);

    const qint64 seq = alice1->sendText(id, u"to every device"_s);
    QVERIFY(seq);
    for (TestClient *device : {alice2, bob1, bob2}) {
        const auto event = device->waitEvent(Protocol::Event::Message);
        QVERIFY(event);
        QCOMPARE(seqOf(*event), seq);
        QCOMPARE(messageOf(*event).value(u"content"_s).toByteArray(),
                 QByteArray("to every device"));
    }
    // The sending connection has its ack and no echo of its own message.
    QVERIFY(alice1->flush());
    QCOMPARE(alice1->events(Protocol::Event::Message).size(), 0);

    // A device that signs in later still gets the next message live.
    TestClient *bob3 = m_server->newDevice(bob1, u"third"_s);
    QVERIFY(bob3);
    const qint64 next = alice2->sendText(id, u"from the other device"_s);
    QVERIFY(next);
    for (TestClient *device : {alice1, bob1, bob2, bob3}) {
        const auto event =
            device->waitEvent(Protocol::Event::Message,
                              [next](const Protocol::Frame &f) { return seqOf(f) == next; });
        QVERIFY(event);
    }
}

void TestMessaging::idempotentRetry()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 id = alice->openDirect(bob->userId());
    QVERIFY(id);

    const auto first = alice->request(Request::Send, sendFields(id, u"retry-me"_s, "once"));
    VERIFY_OK(first);
    QVERIFY(bob->waitEvent(Protocol::Event::Message));
    const auto retry = alice->request(Request::Send, sendFields(id, u"retry-me"_s, "once"));
    VERIFY_OK(retry);
    QCOMPARE(retry.body.value(u"seq"_s).toInteger(), first.body.value(u"seq"_s).toInteger());
    QCOMPARE(retry.body.value(u"timestamp"_s).toInteger(),
             first.body.value(u"timestamp"_s).toInteger());

    // From another device of the same user, after a reconnect: still the same message.
    TestClient *alice2 = m_server->newDevice(alice);
    QVERIFY(alice2);
    const auto fromOtherDevice =
        alice2->request(Request::Send, sendFields(id, u"retry-me"_s, "once"));
    VERIFY_OK(fromOtherDevice);
    QCOMPARE(fromOtherDevice.body.value(u"seq"_s).toInteger(),
             first.body.value(u"seq"_s).toInteger());

    // Nothing new was stored or delivered.
    QVERIFY(bob->flush());
    QCOMPARE(bob->events(Protocol::Event::Message).size(), 0);
    const QCborArray history = fullHistory(bob, id);
    QCOMPARE(history.size(), 1);

    // clientIds are per user: bob may use the same one for his own message.
    const auto bobs = bob->request(Request::Send, sendFields(id, u"retry-me"_s, "bob's"));
    VERIFY_OK(bobs);
    QCOMPARE(bobs.body.value(u"seq"_s).toInteger(), first.body.value(u"seq"_s).toInteger() + 1);
    // A new clientId is a new message.
    const auto next = alice->request(Request::Send, sendFields(id, u"another"_s, "twice"));
    VERIFY_OK(next);
    QCOMPARE(next.body.value(u"seq"_s).toInteger(), first.body.value(u"seq"_s).toInteger() + 2);
}

void TestMessaging::concurrentSendersKeepOneOrder()
{
    constexpr int Senders = 4;
    constexpr int PerSender = 25;
    constexpr int Total = Senders * PerSender;
    TestClient *observer = m_server->newUser(u"observer"_s);
    QVERIFY(observer);
    QList<TestClient *> senders;
    QList<qint64> senderIds;
    for (int i = 0; i < Senders; ++i) {
        senders.append(m_server->newUser(u"sender%1"_s.arg(i)));
        QVERIFY(senders.last());
        senderIds.append(senders.last()->userId());
    }
    const auto created = observer->request(
        Request::CreateGroup, {{u"name"_s, u"Busy"_s}, {u"memberIds"_s, Cbor::ids(senderIds)}});
    VERIFY_OK(created);
    const qint64 group = created.body.value(u"conversation"_s).toMap().value(u"id"_s).toInteger();
    const qint64 base =
        created.body.value(u"conversation"_s).toMap().value(u"lastSeq"_s).toInteger();

    // Every sender has all its messages in flight at once, interleaved with the others.
    QList<QList<qint64>> requestIds(Senders);
    for (int n = 0; n < PerSender; ++n) {
        for (int s = 0; s < Senders; ++s) {
            requestIds[s].append(senders[s]->send(
                Request::Send,
                sendFields(group, u"s%1-%2"_s.arg(s).arg(n), QByteArray::number(n))));
        }
    }
    QList<QList<qint64>> acked(Senders);
    for (int s = 0; s < Senders; ++s) {
        for (qint64 requestId : requestIds.at(s)) {
            const auto ack = senders[s]->waitResponse(requestId);
            VERIFY_OK(ack);
            acked[s].append(ack.body.value(u"seq"_s).toInteger());
        }
    }

    const auto received = [base](TestClient *client, int count, QList<qint64> *seqs) {
        while (seqs->size() < count) {
            const auto event =
                client->waitEvent(Protocol::Event::Message,
                                  [base](const Protocol::Frame &f) { return seqOf(f) > base; });
            QVERIFY(event);
            seqs->append(seqOf(*event));
        }
    };

    // The observer sees exactly base+1 .. base+Total, in that order.
    QList<qint64> observed;
    received(observer, Total, &observed);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(observed, range(base + 1, base + Total));

    // Each sender sees everyone else's messages in rising order; with its own acks they make
    // up the same gapless range.
    for (int s = 0; s < Senders; ++s) {
        QList<qint64> seen;
        received(senders[s], Total - PerSender, &seen);
        if (QTest::currentTestFailed())
            return;
        for (qsizetype i = 1; i < seen.size(); ++i)
            QVERIFY2(
                seen.at(i) > seen.at(i - 1),
                qPrintable(
                    u"sender %1 got seq %2 after %3"_s.arg(s).arg(seen.at(i)).arg(seen.at(i - 1))));
        QList<qint64> all = seen + acked.at(s);
        std::sort(all.begin(), all.end());
        QCOMPARE(all, range(base + 1, base + Total));
        // No echo of its own messages, no duplicates.
        QVERIFY(senders[s]->flush());
        for (const Protocol::Frame &extra : senders[s]->events(Protocol::Event::Message))
            QVERIFY2(seqOf(extra) <= base, qPrintable(TestClient::describe(extra)));
    }

    // History agrees.
    const QCborArray history = fullHistory(observer, group);
    QCOMPARE(Cbor::seqs(history), range(1, base + Total));
}

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

QTEST_GUILESS_MAIN(TestMessaging)
#include "tst_messaging.moc"
