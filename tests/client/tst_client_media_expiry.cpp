#include "MediaTestSupport.h"

#include "TestServer.h"
#include "media/Downloader.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Client;
using namespace MediaTest;
using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace {
constexpr int Timeout = 30'000;
constexpr qint64 Day = 86'400'000;
} // namespace

//! Attachments past the server's media retention (`--media-retention-days`, welcome's
//! limits.mediaRetentionDays): a download that gets `not_found` for a message older than the
//! retention ends expired, remembered in the store and never asked for again (across a
//! restart); a `not_found` for a newer message, or with retention off, stays a failure that a
//! retry asks again. The real server deletes the blobs: their rows (and messages) are aged in
//! its database and its sweeper runs every 50 ms.
class TestClientMediaExpiry : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        startPair([](TestServer &server) {
            server.config().mediaRetentionDays = 1;
            server.config().blobSweepIntervalMs = 50;
        });
        QVERIFY(m_files.isValid());
        QTRY_COMPARE(m_bob->media()->limits().retentionDays, 1);
    }

    void cleanup() { stopPair(); }

    void oldMessageAttachmentExpires()
    {
        // Sent while Bob is away; two days later on the server, when the sweeper has removed it.
        m_bob->disconnectFromServer();
        const QString blobId = sendFile(randomBytes(200'000));
        QVERIFY(!blobId.isEmpty());
        QVERIFY(ageMessages(2 * Day));
        QVERIFY(ageBlob(blobId, 2 * Day));
        QTRY_VERIFY_WITH_TIMEOUT(!blobRowExists(blobId), Timeout);

        m_bob->connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(attachmentMessages(m_bob.get(), m_conversation).size() == 1,
                                 Timeout);
        const Protocol::MessageRecord message =
            attachmentMessages(m_bob.get(), m_conversation).first();
        QVERIFY(QDateTime::currentMSecsSinceEpoch() - message.timestamp > Day);
        QCOMPARE(attachmentsOf(message).first().blobId, blobId);

        QSignalSpy expired(m_bob->media(), &MediaTransfers::expired);
        QSignalSpy failed(m_bob->media(), &MediaTransfers::failed);
        m_bob->media()->download(blobId);
        QTRY_COMPARE_WITH_TIMEOUT(expired.size(), 1, Timeout);
        QCOMPARE(expired.first().at(0).toString(), blobId);
        QVERIFY(failed.isEmpty());
        QVERIFY(m_bob->media()->isExpired(blobId));
        QVERIFY(!m_bob->media()->isAvailable(blobId));
        QCOMPARE(awaited(m_bob->store()->expiredBlobs()), QStringList {blobId});
        QVERIFY(awaited(m_bob->store()->downloads()).isEmpty());

        // Asked again: answered at once, from what is known (no request, nothing queued).
        m_bob->media()->download(blobId);
        m_bob->media()->retry(blobId);
        QCOMPARE(expired.size(), 3);
        QVERIFY(m_bob->media()->downloader()->queued().isEmpty());
        QVERIFY(!m_bob->media()->downloader()->isQueued(blobId));

        // The app started again: still expired, still never asked for.
        m_bob.reset();
        m_bob = m_fixture->account(m_server->url(), u"bob"_s);
        QTRY_VERIFY(m_bob->media()->isExpired(blobId));
        QSignalSpy expiredAgain(m_bob->media(), &MediaTransfers::expired);
        QSignalSpy failedAgain(m_bob->media(), &MediaTransfers::failed);
        m_bob->media()->fetch(attachmentsOf(message).first(), false, message.timestamp);
        QCOMPARE(expiredAgain.size(), 1);
        QVERIFY(failedAgain.isEmpty());
        QVERIFY(awaited(m_bob->store()->downloads()).isEmpty());
    }

    void recentMessageNotFoundFails()
    {
        const QString blobId = sendFile(randomBytes(150'000));
        QVERIFY(!blobId.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(attachmentMessages(m_bob.get(), m_conversation).size() == 1,
                                 Timeout);
        // The blob is gone (its upload aged past the retention) but the message is recent.
        QVERIFY(ageBlob(blobId, 2 * Day));
        QTRY_VERIFY_WITH_TIMEOUT(!blobRowExists(blobId), Timeout);

        QSignalSpy expired(m_bob->media(), &MediaTransfers::expired);
        QSignalSpy failed(m_bob->media(), &MediaTransfers::failed);
        m_bob->media()->download(blobId);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, Timeout);
        QCOMPARE(failed.first().at(0).toString(), blobId);
        QVERIFY(expired.isEmpty());
        QVERIFY(!m_bob->media()->isExpired(blobId));
        QVERIFY(awaited(m_bob->store()->expiredBlobs()).isEmpty());

        // A retry asks the server again (and fails again).
        m_bob->media()->retry(blobId);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, Timeout);
        QVERIFY(expired.isEmpty());
    }

    void notFoundWithRetentionOffFails()
    {
        // A descriptor of a blob the server does not have, from a message ten days old.
        const QString blobId = sendFile(randomBytes(50'000));
        QVERIFY(!blobId.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(attachmentMessages(m_bob.get(), m_conversation).size() == 1,
                                 Timeout);
        Body::Attachment gone =
            attachmentsOf(attachmentMessages(m_bob.get(), m_conversation).first()).first();
        gone.blobId = QString(Body::Limits::BlobIdLength, u'c');
        const qint64 tenDaysAgo = QDateTime::currentMSecsSinceEpoch() - 10 * Day;

        // Retention on: expired.
        QSignalSpy expired(m_bob->media(), &MediaTransfers::expired);
        QSignalSpy failed(m_bob->media(), &MediaTransfers::failed);
        m_bob->media()->fetch(gone, false, tenDaysAgo);
        QTRY_COMPARE_WITH_TIMEOUT(expired.size(), 1, Timeout);
        QVERIFY(failed.isEmpty());

        // Retention off (the server restarted without it): the same answer is a failure.
        m_server->config().port = m_server->server()->port();
        m_server->config().mediaRetentionDays = 0;
        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->state(), Connection::State::Online, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->media()->limits().retentionDays, 0, Timeout);
        Body::Attachment other = gone;
        other.blobId = QString(Body::Limits::BlobIdLength, u'd');
        m_bob->media()->fetch(other, false, tenDaysAgo);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, Timeout);
        QCOMPARE(failed.first().at(0).toString(), other.blobId);
        QCOMPARE(expired.size(), 1);
        QVERIFY(!m_bob->media()->isExpired(other.blobId));
    }

private:
    //! Alice sends one file; its blob id once it has left her outbox, else empty.
    QString sendFile(const QByteArray &content)
    {
        const QString path = m_files.filePath(u"file-%1.bin"_s.arg(content.size()));
        if (!writeFile(path, content))
            return {};
        const OutboxEntry entry = m_alice->media()->sendAttachments(
            m_conversation, Body::text(u"a file"_s), {fileAttachment(path, u"file.bin"_s)});
        if (entry.clientId.isEmpty() || !outboxDrained(m_alice.get()))
            return {};
        const QList<Protocol::MessageRecord> sent =
            attachmentMessages(m_alice.get(), m_conversation);
        return sent.isEmpty() ? QString() : attachmentsOf(sent.last()).first().blobId;
    }

    //! Moves every message of the conversation `ms` back in time on the server.
    bool ageMessages(qint64 ms)
    {
        return m_server
            ->queryValue(u"UPDATE messages SET created_at = created_at - ? "
                         "WHERE conversation_id = ? RETURNING seq"_s,
                         {ms, m_conversation})
            .isValid();
    }

    //! Moves a blob's upload `ms` back in time on the server.
    bool ageBlob(const QString &blobId, qint64 ms)
    {
        return m_server
            ->queryValue(u"UPDATE blobs SET created_at = created_at - ?, "
                         "completed_at = completed_at - ? WHERE id = ? RETURNING id"_s,
                         {ms, ms, blobId})
            .isValid();
    }

    bool blobRowExists(const QString &blobId)
    {
        return m_server->queryValue(u"SELECT COUNT(*) FROM blobs WHERE id = ?"_s, {blobId}).toInt()
            == 1;
    }

    QTemporaryDir m_files;
};

QTEST_GUILESS_MAIN(TestClientMediaExpiry)
#include "tst_client_media_expiry.moc"
