#include "MediaTestSupport.h"

#include "TestServer.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Client;
using namespace MediaTest;
using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace {
constexpr int Timeout = 20'000;
} // namespace

//! Attachments between real clients through the real server: encrypted into the cache,
//! uploaded on the transfer connection, sent with the message, downloaded, verified, decrypted.
class TestClientMedia : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        startPair();
        QVERIFY(m_files.isValid());
    }

    void cleanup() { stopPair(); }

    void sendsAndReceivesAttachments()
    {
        const QByteArray fileBytes = randomBytes(700'000); // 3 transfer chunks, 11 cipher chunks
        const QByteArray imageBytes = randomBytes(150'000);
        const QString path = m_files.filePath(u"report.bin"_s);
        QVERIFY(writeFile(path, fileBytes));
        QSignalSpy finished(m_alice->media(), &MediaTransfers::finished);
        m_alice->media()->transferClient()->setIdleCloseMs(50);

        const OutboxEntry entry = m_alice->media()->sendAttachments(
            m_conversation, Body::text(u"look"_s),
            {fileAttachment(path, u"report.pdf"_s), imageAttachment(imageBytes)});
        QVERIFY(!entry.clientId.isEmpty());
        QVERIFY(entry.held);
        // Pending at once, with what its bubble shows.
        const QList<Body::Attachment> pending =
            Body::attachmentsOf(Body::decode(entry.content).body);
        QCOMPARE(pending.size(), 2);
        QCOMPARE(pending[0].name, u"report.pdf"_s);
        QCOMPARE(pending[0].size, qint64(fileBytes.size()));
        QCOMPARE(pending[1].kind, Body::AttachmentKind::Image);
        QCOMPARE(pending[1].thumbnail, imageAttachment(imageBytes).meta.thumbnail);
        QCOMPARE(pending[0].blobId, MediaTransfers::pendingBlobId());
        QTRY_VERIFY(m_alice->store()->outboxEntry(entry.clientId).has_value());

        QVERIFY(outboxDrained(m_alice.get()));
        QTRY_VERIFY(finished.contains(QVariantList {entry.clientId}));
        QTRY_COMPARE_WITH_TIMEOUT(attachmentMessages(m_bob.get(), m_conversation).size(), 1,
                                  Timeout);
        const Protocol::MessageRecord message =
            attachmentMessages(m_bob.get(), m_conversation).first();
        QCOMPARE(message.clientId, entry.clientId);
        QCOMPARE(Body::decode(message.content).body.text, u"look"_s);
        const QList<Body::Attachment> received = attachmentsOf(message);
        QCOMPARE(received.size(), 2);
        for (const Body::Attachment &a : received) {
            QVERIFY(Protocol::isValidBlobId(a.blobId));
            QVERIFY(a.blobId != MediaTransfers::pendingBlobId());
        }
        QCOMPARE(received[0].name, u"report.pdf"_s);
        QCOMPARE(received[0].key, pending[0].key);

        // The image downloads by itself; the file waits to be asked for.
        MediaTransfers *bob = m_bob->media();
        QTRY_VERIFY_WITH_TIMEOUT(bob->isAvailable(received[1].blobId), Timeout);
        QVERIFY(!bob->isAvailable(received[0].blobId));
        QCOMPARE(plaintext(bob, received[1]), imageBytes);
        QSignalSpy progress(bob, &MediaTransfers::progress);
        bob->download(received[0].blobId);
        QTRY_VERIFY_WITH_TIMEOUT(bob->isAvailable(received[0].blobId), Timeout);
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.last().at(0).toString(), received[0].blobId);
        QCOMPARE(progress.last().at(1).toLongLong(), received[0].cipherSize);
        QCOMPARE(plaintext(bob, received[0]), fileBytes);

        // The cache holds ciphertext only, byte for byte what the server stores.
        const QByteArray cached = readFile(bob->cache().blobPath(received[0].blobId));
        QCOMPARE(cached.size(), received[0].cipherSize);
        QVERIFY(!cached.contains(fileBytes.left(64)));
        const QString serverFile =
            serverBlobFile(m_server->config().effectiveBlobDir(), received[0].blobId);
        QVERIFY(!serverFile.isEmpty());
        QCOMPARE(readFile(serverFile), cached);

        // Save as: the plaintext where the user chose.
        const QString saved = m_files.filePath(u"saved.pdf"_s);
        QVERIFY(awaited(bob->saveAs(received[0], saved)));
        QCOMPARE(readFile(saved), fileBytes);

        // The sender's own copy opens without a download.
        QVERIFY(m_alice->media()->isAvailable(received[1].blobId));
        QCOMPARE(plaintext(m_alice->media(), received[1]), imageBytes);
        // Nothing more to transfer: the transfer connection closes, the chat stays.
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->media()->transferClient()->connection()->state(),
                                  Connection::State::Offline, Timeout);
        QCOMPARE(m_alice->state(), Connection::State::Online);

        // Clearing the cache forgets them; a download brings them back.
        QVERIFY(bob->cacheBytes() >= received[0].cipherSize + received[1].cipherSize);
        bob->clearCache();
        QCOMPARE(bob->cacheBytes(), 0);
        QVERIFY(!bob->isAvailable(received[0].blobId));
        QVERIFY(!bob->open(received[0]));
        bob->retry(received[0].blobId);
        QTRY_VERIFY_WITH_TIMEOUT(bob->isAvailable(received[0].blobId), Timeout);
        QCOMPARE(plaintext(bob, received[0]), fileBytes);
    }

    void laterMessagesWaitForTheAttachment()
    {
        // A text typed after a photo goes after it, although it is ready first.
        const QString path = m_files.filePath(u"big.bin"_s);
        QVERIFY(writeFile(path, randomBytes(1'500'000)));
        const OutboxEntry photo = m_alice->media()->sendAttachments(
            m_conversation, Body::text(QString()), {fileAttachment(path, u"big.bin"_s)});
        QVERIFY(!photo.clientId.isEmpty());
        const OutboxEntry text = m_alice->sendMessage(m_conversation, u"after the file"_s);
        QVERIFY(outboxDrained(m_alice.get()));

        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 2,
                                  Timeout);
        const QList<Protocol::MessageRecord> messages =
            awaited(m_bob->store()->messages(m_conversation, 0, 10));
        QCOMPARE(messages.size(), 2);
        QCOMPARE(messages[0].clientId, photo.clientId);
        QCOMPARE(messages[1].clientId, text.clientId);
        QVERIFY(messages[0].seq < messages[1].seq);
    }

    void tamperedCacheFailsToOpen()
    {
        const QByteArray imageBytes = randomBytes(200'000);
        m_alice->media()->sendAttachments(m_conversation, Body::text(QString()),
                                          {imageAttachment(imageBytes)});
        QTRY_COMPARE_WITH_TIMEOUT(attachmentMessages(m_bob.get(), m_conversation).size(), 1,
                                  Timeout);
        const Body::Attachment a =
            attachmentsOf(attachmentMessages(m_bob.get(), m_conversation).first()).first();
        MediaTransfers *bob = m_bob->media();
        QTRY_VERIFY_WITH_TIMEOUT(bob->isAvailable(a.blobId), Timeout);
        const QString path = bob->cache().blobPath(a.blobId);
        const QByteArray original = readFile(path);
        QCOMPARE(plaintext(bob, a), imageBytes);

        // A flipped bit inside a chunk: its tag fails, reading stops with an error.
        QByteArray damaged = original;
        damaged[100'000] = char(damaged[100'000] ^ 1);
        QVERIFY(writeFile(path, damaged));
        {
            const std::unique_ptr<QIODevice> device = bob->open(a);
            QVERIFY(device);
            QVERIFY(device->seek(90'000));
            QCOMPARE(device->read(20'000), QByteArray());
            QCOMPARE(device->errorString(), u"attachment is damaged"_s);
        }
        QVERIFY(plaintext(bob, a).isNull());
        // A damaged header or a cut file does not open at all.
        damaged = original;
        damaged[0] = 'X';
        QVERIFY(writeFile(path, damaged));
        QVERIFY(!bob->open(a));
        QVERIFY(writeFile(path, original.left(original.size() - 1)));
        QVERIFY(!bob->open(a));
        QVERIFY(writeFile(path, original));
        QCOMPARE(plaintext(bob, a), imageBytes);
        // Another key (a descriptor that lies) reads nothing.
        Body::Attachment otherKey = a;
        otherKey.key[0] = char(otherKey.key[0] ^ 1);
        QVERIFY(plaintext(bob, otherKey).isNull());

        // A download whose SHA-256 does not match the descriptor is refused and not kept.
        Body::Attachment wrongHash = a;
        wrongHash.sha256[0] = char(wrongHash.sha256[0] ^ 1);
        QVERIFY(QFile::remove(path));
        QSignalSpy failed(bob, &MediaTransfers::failed);
        bob->fetch(wrongHash);
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), Timeout);
        QCOMPARE(failed.first().at(0).toString(), a.blobId);
        QVERIFY(failed.first().at(1).toString().contains(u"damaged"_s));
        QVERIFY(!bob->isAvailable(a.blobId));
        QVERIFY(!QFile::exists(bob->cache().partPath(a.blobId)));
    }

    void chatKeepsFlowingDuringUpload()
    {
        const QString path = m_files.filePath(u"video.bin"_s);
        QVERIFY(writeFile(path, randomBytes(12 << 20)));
        QSignalSpy progress(m_alice->media(), &MediaTransfers::progress);
        const OutboxEntry entry = m_alice->media()->sendAttachments(
            m_conversation, Body::text(u"a video"_s), {fileAttachment(path, u"video.bin"_s)});
        const auto uploading = [&] {
            for (const QList<QVariant> &args : progress) {
                if (args.at(0).toString() == entry.clientId && args.at(1).toLongLong() > 0)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(uploading(), Timeout);
        QVERIFY(m_alice->media()->transferClient()->isReady());
        // Chat goes on its own connection meanwhile, both ways.
        for (int i = 0; i < 5; ++i)
            m_bob->sendMessage(m_conversation, u"during %1"_s.arg(i));
        QTRY_VERIFY_WITH_TIMEOUT(awaited(m_alice->store()->messageCount(m_conversation)) >= 5,
                                 Timeout);
        QCOMPARE(m_alice->state(), Connection::State::Online);

        QVERIFY(outboxDrained(m_alice.get()));
        QTRY_COMPARE_WITH_TIMEOUT(attachmentMessages(m_bob.get(), m_conversation).size(), 1,
                                  Timeout);
        const Body::Attachment a =
            attachmentsOf(attachmentMessages(m_bob.get(), m_conversation).first()).first();
        QCOMPARE(a.size, qint64(12 << 20));
        // Larger than an image and not one: not downloaded by itself.
        QVERIFY(!m_bob->media()->isAvailable(a.blobId));
    }

private:
    QTemporaryDir m_files;
};

QTEST_GUILESS_MAIN(TestClientMedia)
#include "tst_client_media.moc"
