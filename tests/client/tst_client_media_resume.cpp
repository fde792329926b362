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
constexpr int Timeout = 30'000;
} // namespace

//! Uploads that survive what happens to them: the server restarting mid-way, the app restarting
//! with a queue, a refusal that the user retries or discards.
class TestClientMediaResume : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        startPair();
        QVERIFY(m_files.isValid());
    }

    void cleanup() { stopPair(); }

    void uploadResumesAfterServerRestart()
    {
        const QByteArray bytes = randomBytes(6 << 20);
        const QString path = m_files.filePath(u"movie.bin"_s);
        QVERIFY(writeFile(path, bytes));
        // Stopped as soon as the first chunks are in: the rest goes after the restart.
        bool stopped = false;
        bool restarted = false;
        QList<qint64> doneAfterRestart;
        m_server->config().port = m_server->server()->port();
        connect(m_alice->media(), &MediaTransfers::progress, this,
                [&](const QString &, qint64 done, qint64 total) {
                    if (restarted)
                        doneAfterRestart.append(done);
                    if (!stopped && done > 0 && done < total) {
                        stopped = true;
                        m_server->stop();
                    }
                });
        const OutboxEntry entry = m_alice->media()->sendAttachments(
            m_conversation, Body::text(u"resumed"_s), {fileAttachment(path, u"movie.bin"_s)});
        QTRY_VERIFY_WITH_TIMEOUT(stopped, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!m_alice->media()->transferClient()->isReady(), Timeout);
        QVERIFY(m_alice->store()->outboxEntry(entry.clientId).has_value());
        QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
        restarted = true;

        QVERIFY(outboxDrained(m_alice.get()));
        // It went on from where the server was, not from the start.
        QVERIFY(!doneAfterRestart.isEmpty());
        QVERIFY(doneAfterRestart.first() > 0);
        QTRY_COMPARE_WITH_TIMEOUT(attachmentMessages(m_bob.get(), m_conversation).size(), 1,
                                  Timeout);
        const Body::Attachment a =
            attachmentsOf(attachmentMessages(m_bob.get(), m_conversation).first()).first();
        // The server's blob is byte for byte the ciphertext Alice encrypted.
        const QString serverFile = serverBlobFile(m_server->config().effectiveBlobDir(), a.blobId);
        QVERIFY(!serverFile.isEmpty());
        QCOMPARE(readFile(serverFile), readFile(m_alice->media()->cache().blobPath(a.blobId)));
        m_bob->media()->fetch(a);
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->media()->isAvailable(a.blobId), Timeout);
        QCOMPARE(plaintext(m_bob->media(), a), bytes);
    }

    void uploadResumesAfterAppRestart()
    {
        const QByteArray bytes = randomBytes(6 << 20);
        const QString path = m_files.filePath(u"long.bin"_s);
        QVERIFY(writeFile(path, bytes));
        bool started = false;
        connect(m_alice->media(), &MediaTransfers::progress, this,
                [&](const QString &, qint64 done, qint64 total) {
                    started = started || (done > 0 && done < total);
                });
        const OutboxEntry entry = m_alice->media()->sendAttachments(
            m_conversation, Body::text(u"long"_s), {fileAttachment(path, u"long.bin"_s)});
        QTRY_VERIFY_WITH_TIMEOUT(started, Timeout);

        // The app quits mid-upload and starts again on the same store.
        m_alice.reset();
        m_alice = m_fixture->account(m_server->url(), u"alice"_s);
        m_alice->connectToServer();
        QVERIFY(outboxDrained(m_alice.get()));
        QTRY_COMPARE_WITH_TIMEOUT(attachmentMessages(m_bob.get(), m_conversation).size(), 1,
                                  Timeout);
        const Protocol::MessageRecord message =
            attachmentMessages(m_bob.get(), m_conversation).first();
        QCOMPARE(message.clientId, entry.clientId);
        QCOMPARE(awaited(m_bob->store()->messageCount(m_conversation)), 1);
        const Body::Attachment a = attachmentsOf(message).first();
        m_bob->media()->fetch(a);
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->media()->isAvailable(a.blobId), Timeout);
        QCOMPARE(plaintext(m_bob->media(), a), bytes);
    }

    void queueSurvivesAppRestartAndSendsOnce()
    {
        const QByteArray bytes = randomBytes(900'000);
        const QString path = m_files.filePath(u"notes.bin"_s);
        QVERIFY(writeFile(path, bytes));
        m_alice->disconnectFromServer();
        const OutboxEntry entry = m_alice->media()->sendAttachments(
            m_conversation, Body::text(u"offline"_s), {fileAttachment(path, u"notes.txt"_s)});
        const OutboxEntry after = m_alice->sendMessage(m_conversation, u"then this"_s);
        // Encrypted into the cache while offline; the queue is in the store.
        const auto encrypted = [&] {
            const QList<UploadRow> rows = awaited(m_alice->store()->uploads());
            return rows.size() == 1 && rows.first().state == UploadRow::State::Encrypted;
        };
        QTRY_VERIFY_WITH_TIMEOUT(encrypted(), Timeout);

        // The app stops and starts again on the same store.
        m_alice.reset();
        m_alice = m_fixture->account(m_server->url(), u"alice"_s);
        const QList<UploadRow> rows = awaited(m_alice->store()->uploads());
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().clientId, entry.clientId);
        QVERIFY(QFile::exists(rows.first().cachePath));
        const QList<OutboxEntry> outbox = m_alice->store()->outbox();
        QCOMPARE(outbox.size(), 2);
        QVERIFY(outbox[0].held);
        m_alice->connectToServer();
        QVERIFY(outboxDrained(m_alice.get()));
        QVERIFY(awaited(m_alice->store()->uploads()).isEmpty());

        QTRY_COMPARE_WITH_TIMEOUT(awaited(m_bob->store()->messageCount(m_conversation)), 2,
                                  Timeout);
        const QList<Protocol::MessageRecord> messages =
            awaited(m_bob->store()->messages(m_conversation, 0, 10));
        QCOMPARE(messages.size(), 2); // exactly once, in order
        QCOMPARE(messages[0].clientId, entry.clientId);
        QCOMPARE(messages[1].clientId, after.clientId);
        const Body::Attachment a = attachmentsOf(messages[0]).first();
        m_bob->media()->fetch(a);
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->media()->isAvailable(a.blobId), Timeout);
        QCOMPARE(plaintext(m_bob->media(), a), bytes);
    }

    void refusedUploadFailsAndRetries()
    {
        // Queued offline within the limits the app knew; then the server takes at most 100 KB:
        // the upload is refused for good.
        m_alice->disconnectFromServer();
        const QByteArray bytes = randomBytes(300'000);
        QSignalSpy failed(m_alice->media(), &MediaTransfers::failed);
        const OutboxEntry entry = m_alice->media()->sendAttachments(
            m_conversation, Body::text(QString()), {imageAttachment(bytes)});
        QVERIFY(!entry.clientId.isEmpty());
        m_server->config().port = m_server->server()->port();
        m_server->config().maxBlobBytes = 100'000;
        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        m_alice->connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), Timeout);
        // What the server announces now, the app checks before queuing.
        QCOMPARE(m_alice->media()->limits().blobBytes, 100'000);
        QVERIFY(
            m_alice->media()
                ->sendAttachments(m_conversation, Body::text(QString()), {imageAttachment(bytes)})
                .clientId.isEmpty());
        QCOMPARE(failed.first().at(0).toString(), entry.clientId);
        QTRY_VERIFY(m_alice->store()->outboxEntry(entry.clientId)->failed);
        QVERIFY(!m_alice->store()->outboxEntry(entry.clientId)->error.isEmpty());

        // Room again: retry sends it (as the app's retry of a failed text does).
        m_server->config().maxBlobBytes = 100 << 20;
        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->state(), Connection::State::Online, Timeout);
        QVERIFY(m_alice->retryMessage(entry.clientId));
        QVERIFY(outboxDrained(m_alice.get()));
        QTRY_COMPARE_WITH_TIMEOUT(attachmentMessages(m_bob.get(), m_conversation).size(), 1,
                                  Timeout);
        const Body::Attachment a =
            attachmentsOf(attachmentMessages(m_bob.get(), m_conversation).first()).first();
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->media()->isAvailable(a.blobId), Timeout); // an image
        QCOMPARE(plaintext(m_bob->media(), a), bytes);
    }

    void discardForgetsTheUploads()
    {
        m_alice->disconnectFromServer();
        const QString path = m_files.filePath(u"gone.bin"_s);
        QVERIFY(writeFile(path, randomBytes(1000)));
        const OutboxEntry entry = m_alice->media()->sendAttachments(
            m_conversation, Body::text(QString()), {fileAttachment(path, u"gone.bin"_s)});
        QTRY_COMPARE(awaited(m_alice->store()->uploads()).size(), 1);
        const QString cachePath = awaited(m_alice->store()->uploads()).first().cachePath;
        QTRY_VERIFY(QFile::exists(cachePath));
        // Canceled by the user: failed, then discarded like a failed text.
        m_alice->media()->cancel(entry.clientId);
        QTRY_VERIFY(m_alice->store()->outboxEntry(entry.clientId)->failed);
        QVERIFY(m_alice->discardMessage(entry.clientId));
        QTRY_VERIFY(m_alice->store()->outbox().isEmpty());
        QTRY_VERIFY(awaited(m_alice->store()->uploads()).isEmpty());
        QTRY_VERIFY(!QFile::exists(cachePath));
    }

private:
    QTemporaryDir m_files;
};

QTEST_GUILESS_MAIN(TestClientMediaResume)
#include "tst_client_media_resume.moc"
