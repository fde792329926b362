// Blobs on transfer connections: blob.create / put / status / get (chunk order, resume, repeats,
// gaps, the digest check, idempotent create, ranged reads, others' blobs), the transfer
// connection's rules (blob requests only there, nothing else there, no events), and client ids
// that look like paths stored harmlessly.

#include "Blobs.h"
#include "TestClient.h"
#include "TestServer.h"

#include <QDir>
#include <QDirIterator>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Blobs;
using Protocol::ErrorCode;

class TestBlobs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void uploadInOrderThenRead();
    void resumeAfterReconnect();
    void repeatsAreAcknowledged();
    void gapsAreRefusedWithTheOffset();
    void digestMismatchDiscardsTheUpload();
    void createIsIdempotentByClientId();
    void renamedButUncommittedIsCommitted();
    void rangesAreByteIdentical();
    void othersBlobsAreNotFound();
    void blobRequestsOnlyOnTransferConnections();
    void transferConnectionsServeNothingElse();
    void transferConnectionsGetNoEvents();
    void revokingTheDeviceClosesItsTransferConnection();
    void pathLikeClientIdsAreHarmless();
    void welcomeAnnouncesTheLimits();

private:
    //! A user with a chat connection, and a transfer connection of the same device.
    using User = Blobs::User;
    User newUser(const QString &name) { return Blobs::newUser(*m_server, name); }

    std::unique_ptr<TestServer> m_server;
};

void TestBlobs::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestBlobs::cleanup()
{
    m_server.reset();
}

void TestBlobs::uploadInOrderThenRead()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(2 * Chunk + 1000);
    const Frame created = create(alice.transfer, blob, u"c1"_s);
    VERIFY_OK(created);
    const QString id = created.body.value("blobId"_L1).toString();
    QVERIFY(Protocol::isValidBlobId(id));
    QCOMPARE(created.body.value("chunkBytes"_L1).toInteger(), Chunk);
    QCOMPARE(created.body.value("offset"_L1).toInteger(), 0);
    QCOMPARE(created.body.value("complete"_L1).toBool(), false);

    Frame answer = put(alice.transfer, id, 0, blob.first(Chunk));
    VERIFY_OK(answer);
    QCOMPARE(answer.body.value("offset"_L1).toInteger(), Chunk);
    QCOMPARE(answer.body.value("complete"_L1).toBool(), false);
    answer = status(alice.transfer, id);
    VERIFY_OK(answer);
    QCOMPARE(answer.body.value("size"_L1).toInteger(), blob.size());
    QCOMPARE(answer.body.value("offset"_L1).toInteger(), Chunk);
    QCOMPARE(answer.body.value("complete"_L1).toBool(), false);
    // Not readable before it is complete.
    COMPARE_ERROR(get(alice.transfer, id, 0, 10), ErrorCode::NotFound);

    VERIFY_OK(put(alice.transfer, id, Chunk, blob.mid(Chunk, Chunk)));
    answer = put(alice.transfer, id, 2 * Chunk, blob.mid(2 * Chunk));
    VERIFY_OK(answer);
    QCOMPARE(answer.body.value("offset"_L1).toInteger(), blob.size());
    QCOMPARE(answer.body.value("complete"_L1).toBool(), true);
    answer = status(alice.transfer, id);
    QCOMPARE(answer.body.value("complete"_L1).toBool(), true);
    QCOMPARE(download(alice.transfer, id, blob.size()), blob);
    QCOMPARE(m_server->queryValue(u"SELECT state FROM blobs WHERE id = ?"_s, {id}).toInt(), 1);
}

void TestBlobs::resumeAfterReconnect()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(3 * Chunk, 7);
    const Frame created = create(alice.transfer, blob, u"resume-me"_s);
    const QString id = created.body.value("blobId"_L1).toString();
    VERIFY_OK(put(alice.transfer, id, 0, blob.first(Chunk)));
    alice.transfer->close();

    // Another transfer connection (the app restarted): the same clientId gives the same blob and
    // where to go on.
    TestClient *again = m_server->newClient();
    QVERIFY(signInForTransfer(again, alice.chat->token()));
    const Frame resumed = create(again, blob, u"resume-me"_s);
    VERIFY_OK(resumed);
    QCOMPARE(resumed.body.value("blobId"_L1).toString(), id);
    QCOMPARE(resumed.body.value("offset"_L1).toInteger(), Chunk);
    QCOMPARE(upload(again, blob, u"resume-me"_s), id);
    QCOMPARE(download(again, id, blob.size()), blob);

    // After a restart of the server the offset is the partial file's size, and the hash is
    // rebuilt from it.
    const QByteArray second = bytes(2 * Chunk, 8);
    const QString secondId = create(again, second, u"second"_s).body.value("blobId"_L1).toString();
    VERIFY_OK(put(again, secondId, 0, second.first(Chunk)));
    QVERIFY(m_server->restart());
    TestClient *afterRestart = m_server->newClient();
    QVERIFY(signInForTransfer(afterRestart, alice.chat->token()));
    const Frame state = status(afterRestart, secondId);
    QCOMPARE(state.body.value("offset"_L1).toInteger(), Chunk);
    const Frame last = put(afterRestart, secondId, Chunk, second.mid(Chunk));
    VERIFY_OK(last);
    QCOMPARE(last.body.value("complete"_L1).toBool(), true);
    QCOMPARE(download(afterRestart, secondId, second.size()), second);
}

void TestBlobs::repeatsAreAcknowledged()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(Chunk + 10, 3);
    const QString id = create(alice.transfer, blob, u"r"_s).body.value("blobId"_L1).toString();
    VERIFY_OK(put(alice.transfer, id, 0, blob.first(Chunk)));
    const Frame repeat = put(alice.transfer, id, 0, blob.first(Chunk));
    VERIFY_OK(repeat);
    QCOMPARE(repeat.body.value("offset"_L1).toInteger(), Chunk);
    VERIFY_OK(put(alice.transfer, id, Chunk, blob.mid(Chunk)));
    // A repeat of the last chunk after completion: acknowledged as complete.
    const Frame late = put(alice.transfer, id, Chunk, blob.mid(Chunk));
    VERIFY_OK(late);
    QCOMPARE(late.body.value("complete"_L1).toBool(), true);
    QCOMPARE(download(alice.transfer, id, blob.size()), blob);
}

void TestBlobs::gapsAreRefusedWithTheOffset()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(3 * Chunk, 4);
    const QString id = create(alice.transfer, blob, u"g"_s).body.value("blobId"_L1).toString();
    Frame answer = put(alice.transfer, id, Chunk, blob.mid(Chunk, Chunk));
    COMPARE_ERROR(answer, ErrorCode::InvalidField);
    QCOMPARE(answer.body.value("field"_L1).toString(), u"offset"_s);
    QCOMPARE(answer.body.value("offset"_L1).toInteger(), 0);
    VERIFY_OK(put(alice.transfer, id, 0, blob.first(Chunk)));
    // An overlap (starts inside what is there, ends beyond it) is refused too.
    answer = put(alice.transfer, id, 100, blob.mid(100, Chunk));
    COMPARE_ERROR(answer, ErrorCode::InvalidField);
    QCOMPARE(answer.body.value("offset"_L1).toInteger(), Chunk);
    // Beyond the declared size.
    answer = put(alice.transfer, id, 3 * Chunk, "x"_ba);
    COMPARE_ERROR(answer, ErrorCode::InvalidField);
    QCOMPARE(answer.body.value("field"_L1).toString(), u"data"_s);
}

void TestBlobs::digestMismatchDiscardsTheUpload()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(Chunk + 5, 5);
    const QString id = create(alice.transfer, blob, u"d"_s).body.value("blobId"_L1).toString();
    VERIFY_OK(put(alice.transfer, id, 0, blob.first(Chunk)));
    QByteArray wrong = blob.mid(Chunk);
    wrong[0] = char(wrong[0] ^ 1);
    const Frame answer = put(alice.transfer, id, Chunk, wrong);
    COMPARE_ERROR(answer, ErrorCode::InvalidField);
    QCOMPARE(answer.body.value("field"_L1).toString(), u"sha256"_s);
    COMPARE_ERROR(status(alice.transfer, id), ErrorCode::NotFound);
    QCOMPARE(m_server->queryValue(u"SELECT COUNT(*) FROM blobs"_s).toInt(), 0);
    // The clientId is free again: a fresh upload under it works.
    QVERIFY(!upload(alice.transfer, blob, u"d"_s).isEmpty());
}

void TestBlobs::createIsIdempotentByClientId()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(1000, 6);
    const QString id = upload(alice.transfer, blob, u"same"_s);
    QVERIFY(!id.isEmpty());
    const Frame again = create(alice.transfer, blob, u"same"_s);
    VERIFY_OK(again);
    QCOMPARE(again.body.value("blobId"_L1).toString(), id);
    QCOMPARE(again.body.value("offset"_L1).toInteger(), blob.size());
    // The same clientId for other bytes is a mistake.
    COMPARE_ERROR(create(alice.transfer, bytes(1000, 99), u"same"_s), ErrorCode::InvalidField);
    // Another user's clientId is theirs: the same text gives another blob.
    const User bob = newUser(u"bob"_s);
    const Frame bobs = create(bob.transfer, blob, u"same"_s);
    VERIFY_OK(bobs);
    QVERIFY(bobs.body.value("blobId"_L1).toString() != id);
}

// The server stopped between renaming a finished upload into place and committing its row: the
// next blob.create or blob.status of the uploader commits it (its bytes were checked before).
void TestBlobs::renamedButUncommittedIsCommitted()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(Chunk + 3, 13);
    const QString id = upload(alice.transfer, blob, u"lost-commit"_s);
    QVERIFY(!id.isEmpty());
    m_server->stop();
    QVERIFY(m_server
                ->queryValue(u"UPDATE blobs SET state = 0, completed_at = NULL WHERE id = ? "
                             "RETURNING id"_s,
                             {id})
                .isValid());
    QVERIFY(m_server->start());
    TestClient *again = m_server->newClient();
    QVERIFY(signInForTransfer(again, alice.chat->token()));
    const Frame created = create(again, blob, u"lost-commit"_s);
    VERIFY_OK(created);
    QCOMPARE(created.body.value("offset"_L1).toInteger(), blob.size());
    QCOMPARE(created.body.value("complete"_L1).toBool(), true);
    QCOMPARE(m_server->queryValue(u"SELECT state FROM blobs WHERE id = ?"_s, {id}).toInt(), 1);
    QCOMPARE(download(again, id, blob.size()), blob);
}

void TestBlobs::rangesAreByteIdentical()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(Chunk + 777, 9);
    const QString id = upload(alice.transfer, blob, u"ranges"_s);
    QVERIFY(!id.isEmpty());
    for (const auto &[offset, length] : QList<std::pair<qint64, qint64>> {
             {0, 1}, {5, 100}, {Chunk - 3, 10}, {Chunk, Chunk}, {blob.size() - 1, 1}}) {
        const Frame answer = get(alice.transfer, id, offset, length);
        VERIFY_OK(answer);
        QCOMPARE(answer.body.value("data"_L1).toByteArray(), blob.mid(offset, length));
    }
    // Shorter at the end; nothing beyond it.
    QCOMPARE(get(alice.transfer, id, Chunk, Chunk).body.value("data"_L1).toByteArray().size(), 777);
    COMPARE_ERROR(get(alice.transfer, id, blob.size(), 1), ErrorCode::InvalidField);
    COMPARE_ERROR(get(alice.transfer, id, 0, Chunk + 1), ErrorCode::InvalidField);
}

void TestBlobs::othersBlobsAreNotFound()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const QByteArray blob = bytes(2000, 10);
    const QString done = upload(alice.transfer, blob, u"done"_s);
    const QString pending =
        create(alice.transfer, blob, u"pending"_s).body.value("blobId"_L1).toString();
    for (const QString &id : {done, pending}) {
        COMPARE_ERROR(get(bob.transfer, id, 0, 10), ErrorCode::NotFound);
        COMPARE_ERROR(status(bob.transfer, id), ErrorCode::NotFound);
        COMPARE_ERROR(put(bob.transfer, id, 0, blob.first(10)), ErrorCode::NotFound);
    }
    const QString unknown(26, u'a');
    COMPARE_ERROR(get(alice.transfer, unknown, 0, 10), ErrorCode::NotFound);
    COMPARE_ERROR(status(alice.transfer, unknown), ErrorCode::NotFound);
    // Malformed ids never reach the store.
    COMPARE_ERROR(get(alice.transfer, u"../../etc/passwd"_s, 0, 10), ErrorCode::InvalidField);
}

void TestBlobs::blobRequestsOnlyOnTransferConnections()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(100, 11);
    const QString id = upload(alice.transfer, blob, u"x"_s);
    for (const Frame &answer : {create(alice.chat, blob, u"y"_s), put(alice.chat, id, 0, blob),
                                status(alice.chat, id), get(alice.chat, id, 0, 10)}) {
        COMPARE_ERROR(answer, ErrorCode::Forbidden);
        QVERIFY(answer.body.value("message"_L1).toString().contains(u"transfer connection"_s));
    }
    // Before signing in: sign in first.
    TestClient *anonymous = m_server->newClient();
    COMPARE_ERROR(status(anonymous, id), ErrorCode::NotAuthenticated);
}

void TestBlobs::transferConnectionsServeNothingElse()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const qint64 direct = alice.chat->openDirect(bob.chat->userId());
    QVERIFY(direct > 0);
    const Frame send = alice.transfer->request(Request::Send,
                                               {{u"conversationId"_s, direct},
                                                {u"clientId"_s, u"m"_s},
                                                {u"contentType"_s, u"text/plain"_s},
                                                {u"content"_s, "hi"_ba}});
    COMPARE_ERROR(send, ErrorCode::Forbidden);
    QCOMPARE(send.body.value("message"_L1).toString(), u"this is a transfer connection"_s);
    COMPARE_ERROR(alice.transfer->request(Request::ListConversations), ErrorCode::Forbidden);
    COMPARE_ERROR(alice.transfer->request(Request::Logout), ErrorCode::Forbidden);
    COMPARE_ERROR(alice.transfer->request(
                      Request::Resume,
                      {{u"token"_s, alice.chat->token()}, {u"protocol"_s, Protocol::Version}}),
                  ErrorCode::Forbidden);
    VERIFY_OK(alice.transfer->request(Request::Ping));
}

void TestBlobs::transferConnectionsGetNoEvents()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    alice.transfer->clearEvents();
    // Bob arrives (a presence event for contacts) and writes (a message event for members).
    TestClient *bob = m_server->newUser(u"bob"_s);
    const qint64 direct = bob->openDirect(alice.chat->userId());
    QVERIFY(bob->sendText(direct, u"hello"_s) > 0);
    QVERIFY(alice.chat->waitEvent(Protocol::Event::Message).has_value());
    QVERIFY(alice.transfer->flush());
    QVERIFY(alice.transfer->events(Protocol::Event::Message).isEmpty());
    QVERIFY(alice.transfer->events(Protocol::Event::Conversation).isEmpty());
    QVERIFY(alice.transfer->events(Protocol::Event::Presence).isEmpty());

    // Not counted in presence: closing the chat connection leaves Alice offline for Bob even
    // though her transfer connection stays.
    bob->clearEvents();
    alice.chat->close();
    const auto offline = bob->waitEvent(Protocol::Event::Presence, [](const Frame &f) {
        return f.body.value("presence"_L1).toString() == u"offline"_s;
    });
    QVERIFY(offline.has_value());
    VERIFY_OK(alice.transfer->request(Request::Ping));
}

void TestBlobs::revokingTheDeviceClosesItsTransferConnection()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    TestClient *laptop = m_server->newDevice(alice.chat, u"laptop"_s);
    QVERIFY(laptop);
    VERIFY_OK(laptop->request(Request::RevokeDevice, {{u"deviceId"_s, alice.chat->deviceId()}}));
    QVERIFY(alice.transfer->waitDisconnected());
    QVERIFY(alice.chat->waitDisconnected());
    // And a new transfer connection with the revoked token is refused.
    TestClient *again = m_server->newClient();
    COMPARE_ERROR(again->request(Request::Resume,
                                 {{u"token"_s, alice.chat->token()},
                                  {u"protocol"_s, Protocol::Version},
                                  {u"transfer"_s, true}}),
                  ErrorCode::InvalidToken);
}

void TestBlobs::pathLikeClientIdsAreHarmless()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(300, 12);
    const QStringList hostile {u"../../../../tmp/evil"_s, u"/etc/passwd"_s, u".."_s, u"a/b\\c"_s,
                               u"partial"_s};
    QSet<QString> ids;
    for (const QString &clientId : hostile) {
        const QString id = upload(alice.transfer, blob, clientId);
        QVERIFY2(Protocol::isValidBlobId(id), qPrintable(clientId));
        ids.insert(id);
    }
    QCOMPARE(ids.size(), hostile.size());
    // Every file under the blob folder is named by a blob id; nothing was written elsewhere.
    const QString root = m_server->config().effectiveBlobDir();
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    int files = 0;
    while (it.hasNext()) {
        it.next();
        QVERIFY2(ids.contains(it.fileName()), qPrintable(it.filePath()));
        QCOMPARE(it.fileInfo().permissions() & (QFile::ReadGroup | QFile::ReadOther),
                 QFile::Permissions());
        ++files;
    }
    QCOMPARE(files, hostile.size());
    QVERIFY(!QFile::exists(u"/tmp/evil"_s));
}

void TestBlobs::welcomeAnnouncesTheLimits()
{
    TestClient *client = m_server->newClient();
    const QCborMap limits = client->welcome().body.value("limits"_L1).toMap();
    QCOMPARE(limits.value("maxBlobBytes"_L1).toInteger(), 100ll << 20);
    QCOMPARE(limits.value("blobChunkBytes"_L1).toInteger(), Chunk);
    QCOMPARE(limits.value("maxPendingUploads"_L1).toInteger(), 5);
    QCOMPARE(limits.value("blobQuotaBytes"_L1).toInteger(), 1ll << 30);
    QCOMPARE(limits.value("maxImageBytes"_L1).toInteger(), 26'214'400);
    QCOMPARE(limits.value("maxVideoBytes"_L1).toInteger(), 104'857'600);
    QCOMPARE(limits.value("maxAudioBytes"_L1).toInteger(), 16'777'216);
    QCOMPARE(limits.value("maxFileBytes"_L1).toInteger(), 104'857'600);
}

QTEST_GUILESS_MAIN(TestBlobs)
#include "tst_blobs.moc"
