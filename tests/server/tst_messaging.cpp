// Messages: acknowledgement, fan-out to every device, idempotent retries, ordering under
// concurrent senders, history paging, offline sync, and durability across a restart.
#include "MessagingTest.h"

using namespace Server;
using namespace MessagingTest;

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

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

QTEST_GUILESS_MAIN(TestMessaging)
