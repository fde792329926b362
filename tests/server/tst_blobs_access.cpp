// Blobs and messages: message.send's blobIds (linked in the send's transaction), who may read a
// blob (uploader; members of a conversation holding a live message with it; not others, not
// removed members, not after the message was deleted), forwarding; and the limits: too_large,
// quota_exceeded (bytes and pending uploads), outstanding chunks and the byte bucket.

#include "Blobs.h"
#include "TestClient.h"
#include "TestServer.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Blobs;
using Protocol::ErrorCode;

class TestBlobsAccess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void membersReadWhatIsSentToThem();
    void removedMembersAndDeletedMessagesLoseAccess();
    void accessDecisionIsReusedForAWhile();
    void forwardingReusesTheBlob();
    void sendRefusesForeignUnknownOrUnfinishedBlobs();
    void tooLarge();
    void quotaOfBytes();
    void pendingUploads();
    void diskReserve();
    void outstandingChunks();
    void byteBucket();
    void uploadBytesPerHour();

private:
    using User = Blobs::User;
    User newUser(const QString &name) { return Blobs::newUser(*m_server, name); }
    Frame sendWithBlobs(TestClient *client, qint64 conversationId, const QStringList &blobIds);

    std::unique_ptr<TestServer> m_server;
    int m_sent = 0;
};

void TestBlobsAccess::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestBlobsAccess::cleanup()
{
    m_server.reset();
}

Frame TestBlobsAccess::sendWithBlobs(TestClient *client, qint64 conversationId,
                                     const QStringList &blobIds)
{
    QCborArray ids;
    for (const QString &id : blobIds)
        ids.append(id);
    return client->request(Request::Send,
                           {{u"conversationId"_s, conversationId},
                            {u"clientId"_s, u"send-%1"_s.arg(++m_sent)},
                            {u"contentType"_s, u"application/x-test"_s},
                            {u"content"_s, "descriptor"_ba},
                            {u"blobIds"_s, ids}});
}

void TestBlobsAccess::membersReadWhatIsSentToThem()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    QVERIFY(alice.transfer && bob.transfer && carol.transfer);
    const QByteArray blob = bytes(Chunk + 50, 20);
    const QString id = upload(alice.transfer, blob, u"photo"_s);
    QVERIFY(!id.isEmpty());
    COMPARE_ERROR(get(bob.transfer, id, 0, 10), ErrorCode::NotFound); // not sent yet

    const qint64 direct = alice.chat->openDirect(bob.id());
    const Frame sent = sendWithBlobs(alice.chat, direct, {id, id}); // repeats count once
    VERIFY_OK(sent);
    const qint64 seq = sent.body.value("seq"_L1).toInteger();
    QCOMPARE(m_server
                 ->queryValue(u"SELECT COUNT(*) FROM message_blobs WHERE conversation_id = ? AND "
                              "seq = ? AND blob_id = ?"_s,
                              {direct, seq, id})
                 .toInt(),
             1);
    QCOMPARE(download(bob.transfer, id, blob.size()), blob);
    COMPARE_ERROR(get(carol.transfer, id, 0, 10), ErrorCode::NotFound); // not a member
    // Only the uploader sees the upload's state.
    COMPARE_ERROR(status(bob.transfer, id), ErrorCode::NotFound);
}

void TestBlobsAccess::removedMembersAndDeletedMessagesLoseAccess()
{
    m_server->config().blobReadGrantMs = 0; // every chunk asks the database
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    QVERIFY(alice.transfer && bob.transfer && carol.transfer);
    const QByteArray blob = bytes(1000, 21);
    const QString id = upload(alice.transfer, blob, u"doc"_s);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id(), carol.id()});
    QVERIFY(group > 0);
    const Frame sent = sendWithBlobs(alice.chat, group, {id});
    VERIFY_OK(sent);
    VERIFY_OK(get(bob.transfer, id, 0, 10));
    VERIFY_OK(get(carol.transfer, id, 0, 10));

    VERIFY_OK(alice.chat->request(Request::RemoveMember,
                                  {{u"conversationId"_s, group}, {u"userId"_s, carol.id()}}));
    COMPARE_ERROR(get(carol.transfer, id, 0, 10), ErrorCode::NotFound);
    VERIFY_OK(get(bob.transfer, id, 0, 10));

    VERIFY_OK(alice.chat->request(
        Request::DeleteMessage,
        {{u"conversationId"_s, group}, {u"seq"_s, sent.body.value("seq"_L1).toInteger()}}));
    COMPARE_ERROR(get(bob.transfer, id, 0, 10), ErrorCode::NotFound);
    VERIFY_OK(get(alice.transfer, id, 0, 10)); // the uploader still may, until it is swept
}

// blob.get reuses an account's access decision for a blob for blobReadGrantMs (docs/protocol.md
// "blob.get"): a member removed mid-download reads on within that window; nobody else does.
void TestBlobsAccess::accessDecisionIsReusedForAWhile()
{
    m_server->config().blobReadGrantMs = 3'600'000;
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    QVERIFY(alice.transfer && bob.transfer && carol.transfer);
    const QByteArray blob = bytes(Chunk + 10, 22);
    const QString id = upload(alice.transfer, blob, u"doc"_s);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id()});
    QVERIFY(group > 0);
    COMPARE_ERROR(get(carol.transfer, id, 0, 10), ErrorCode::NotFound); // refusals are not kept
    VERIFY_OK(alice.chat->request(
        Request::AddMembers,
        {{u"conversationId"_s, group}, {u"userIds"_s, QCborArray {carol.id()}}}));
    const Frame sent = sendWithBlobs(alice.chat, group, {id});
    VERIFY_OK(sent);
    VERIFY_OK(get(carol.transfer, id, 0, 10));
    VERIFY_OK(alice.chat->request(Request::RemoveMember,
                                  {{u"conversationId"_s, group}, {u"userId"_s, carol.id()}}));
    QCOMPARE(get(carol.transfer, id, Chunk, 10).body.value("data"_L1).toByteArray(),
             blob.mid(Chunk, 10)); // within the window
    COMPARE_ERROR(get(carol.transfer, id, blob.size(), 1), ErrorCode::InvalidField);

    // A restart forgets every decision: the database is asked again.
    const QString carolToken = carol.chat->token();
    QVERIFY(m_server->restart());
    TestClient *transfer = m_server->newClient();
    QVERIFY(transfer && signInForTransfer(transfer, carolToken));
    COMPARE_ERROR(get(transfer, id, 0, 10), ErrorCode::NotFound);
}

void TestBlobsAccess::forwardingReusesTheBlob()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User dave = newUser(u"dave"_s);
    QVERIFY(alice.transfer && bob.transfer && dave.transfer);
    const QByteArray blob = bytes(3000, 22);
    const QString id = upload(alice.transfer, blob, u"video"_s);
    VERIFY_OK(sendWithBlobs(alice.chat, alice.chat->openDirect(bob.id()), {id}));

    // Bob forwards it to Dave without uploading it again.
    COMPARE_ERROR(get(dave.transfer, id, 0, 10), ErrorCode::NotFound);
    VERIFY_OK(sendWithBlobs(bob.chat, bob.chat->openDirect(dave.id()), {id}));
    QCOMPARE(download(dave.transfer, id, blob.size()), blob);
    // Dave never saw it in a conversation with Alice, but he may forward what he received.
    VERIFY_OK(sendWithBlobs(dave.chat, dave.chat->openDirect(alice.id()), {id}));
}

void TestBlobsAccess::sendRefusesForeignUnknownOrUnfinishedBlobs()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const qint64 direct = alice.chat->openDirect(bob.id());
    const QString bobs = upload(bob.transfer, bytes(100, 23), u"bobs"_s);
    const QString unfinished =
        create(alice.transfer, bytes(Chunk + 1, 24), u"half"_s).body.value("blobId"_L1).toString();
    const QString mine = upload(alice.transfer, bytes(100, 25), u"mine"_s);
    for (const QStringList &ids :
         QList<QStringList> {{bobs}, {unfinished}, {QString(26, u'b')}, {mine, bobs}}) {
        const Frame answer = sendWithBlobs(alice.chat, direct, ids);
        COMPARE_ERROR(answer, ErrorCode::NotFound);
        QCOMPARE(answer.body.value("field"_L1).toString(), u"blobIds"_s);
    }
    // Malformed ids and too many are refused by validation.
    COMPARE_ERROR(sendWithBlobs(alice.chat, direct, {u"../x"_s}), ErrorCode::InvalidField);
    QStringList many;
    for (int i = 0; i <= Protocol::Limits::MaxBlobIds; ++i)
        many.append(mine);
    COMPARE_ERROR(sendWithBlobs(alice.chat, direct, many), ErrorCode::InvalidField);
    // Nothing of the refused sends was stored.
    QCOMPARE(m_server->queryValue(u"SELECT COUNT(*) FROM message_blobs"_s).toInt(), 0);
    VERIFY_OK(sendWithBlobs(alice.chat, direct, {mine}));
}

void TestBlobsAccess::tooLarge()
{
    m_server->config().maxBlobBytes = 1 << 20;
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    QCOMPARE(alice.transfer->welcome()
                 .body.value("limits"_L1)
                 .toMap()
                 .value("maxBlobBytes"_L1)
                 .toInteger(),
             1 << 20);
    const Frame answer = alice.transfer->request(Request::CreateBlob,
                                                 {{u"size"_s, (1 << 20) + 1},
                                                  {u"sha256"_s, QByteArray(32, 'x')},
                                                  {u"clientId"_s, u"big"_s}});
    COMPARE_ERROR(answer, ErrorCode::TooLarge);
    QCOMPARE(answer.body.value("field"_L1).toString(), u"size"_s);
    VERIFY_OK(create(alice.transfer, bytes(1 << 20, 26), u"fits"_s));
}

void TestBlobsAccess::quotaOfBytes()
{
    m_server->config().blobQuotaBytes = 3 * Chunk;
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    QVERIFY(!upload(alice.transfer, bytes(2 * Chunk, 27), u"one"_s).isEmpty());
    const Frame over = create(alice.transfer, bytes(Chunk + 1, 28), u"two"_s);
    COMPARE_ERROR(over, ErrorCode::QuotaExceeded);
    VERIFY_OK(create(alice.transfer, bytes(Chunk, 29), u"three"_s)); // exactly up to the quota
    VERIFY_OK(create(bob.transfer, bytes(2 * Chunk, 30), u"one"_s)); // per user
}

void TestBlobsAccess::pendingUploads()
{
    m_server->config().maxPendingUploads = 2;
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    VERIFY_OK(create(alice.transfer, bytes(10, 31), u"p1"_s));
    VERIFY_OK(create(alice.transfer, bytes(10, 32), u"p2"_s));
    COMPARE_ERROR(create(alice.transfer, bytes(10, 33), u"p3"_s), ErrorCode::QuotaExceeded);
    // Asking again for an upload already started is no new upload.
    VERIFY_OK(create(alice.transfer, bytes(10, 31), u"p1"_s));
    // Finishing one frees a place.
    QVERIFY(!upload(alice.transfer, bytes(10, 31), u"p1"_s).isEmpty());
    VERIFY_OK(create(alice.transfer, bytes(10, 33), u"p3"_s));
}

void TestBlobsAccess::diskReserve()
{
    // A reserve no disk has: uploads stop, chat goes on.
    m_server->config().blobDiskReserveBytes = qint64(1) << 60;
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    COMPARE_ERROR(create(alice.transfer, bytes(10, 36), u"full"_s), ErrorCode::Unavailable);
    QVERIFY(alice.chat->sendText(alice.chat->openDirect(bob.id()), u"still here"_s) > 0);
}

void TestBlobsAccess::outstandingChunks()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(16, 34);
    const QString id = create(alice.transfer, blob, u"tiny"_s).body.value("blobId"_L1).toString();
    // Eight one-byte chunks written at once: they arrive together, before any is answered.
    QList<qint64> requests;
    for (int i = 0; i < 8; ++i)
        requests.append(alice.transfer->send(
            Request::PutBlob, {{u"blobId"_s, id}, {u"offset"_s, i}, {u"data"_s, blob.mid(i, 1)}}));
    int accepted = 0;
    int limited = 0;
    for (qint64 request : requests) {
        const Frame answer = alice.transfer->waitResponse(request);
        if (answer.isOk())
            ++accepted;
        else if (answer.body.value("code"_L1).toString() == u"rate_limited"_s)
            ++limited;
    }
    QCOMPARE(accepted + limited, 8);
    QVERIFY2(accepted >= Protocol::Limits::MaxOutstandingChunks,
             qPrintable(QString::number(accepted)));
    QVERIFY2(limited > 0, "more than 4 chunks were outstanding at once");
    // The next chunk goes where the accepted ones ended.
    const Frame state = status(alice.transfer, id);
    QCOMPARE(state.body.value("offset"_L1).toInteger(), accepted);
}

void TestBlobsAccess::byteBucket()
{
    m_server->config().blobBytes = Server::RateLimit {1.0, double(Chunk) + 10};
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(2 * Chunk, 35);
    const QString id = create(alice.transfer, blob, u"slow"_s).body.value("blobId"_L1).toString();
    VERIFY_OK(put(alice.transfer, id, 0, blob.first(Chunk)));
    const Frame limited = put(alice.transfer, id, Chunk, blob.mid(Chunk));
    COMPARE_ERROR(limited, ErrorCode::RateLimited);
    QVERIFY(limited.body.value("retryAfter"_L1).toInteger() > 1000);
    // Reads draw from the same bucket of the account, on any of its connections.
    TestClient *other = m_server->newClient();
    QVERIFY(signInForTransfer(other, alice.chat->token()));
    COMPARE_ERROR(get(other, id, 0, 100), ErrorCode::RateLimited);
}

void TestBlobsAccess::uploadBytesPerHour()
{
    m_server->config().blobUploadBytesPerHour = 2 * Chunk + 10;
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(3 * Chunk, 36);
    const QString id = create(alice.transfer, blob, u"big"_s).body.value("blobId"_L1).toString();
    VERIFY_OK(put(alice.transfer, id, 0, blob.first(Chunk)));
    VERIFY_OK(put(alice.transfer, id, Chunk, blob.mid(Chunk, Chunk)));
    const Frame limited = put(alice.transfer, id, 2 * Chunk, blob.mid(2 * Chunk));
    COMPARE_ERROR(limited, ErrorCode::RateLimited);
    // The hour's bytes refill evenly: the 262,134 missing take about half an hour.
    QVERIFY(limited.body.value("retryAfter"_L1).toInteger() > 1'000'000);
    const Frame where = status(alice.transfer, id);
    VERIFY_OK(where);
    QCOMPARE(where.body.value("offset"_L1).toInteger(), 2 * Chunk); // nothing was written
    // Downloads do not count, and another account has its own hour.
    const User bob = newUser(u"bob"_s);
    QVERIFY(bob.transfer);
    const QByteArray small = bytes(1000, 37);
    QVERIFY(!upload(bob.transfer, small, u"small"_s).isEmpty());
}

QTEST_GUILESS_MAIN(TestBlobsAccess)
#include "tst_blobs_access.moc"
