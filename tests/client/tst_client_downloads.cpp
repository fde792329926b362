#include "MediaTestSupport.h"

#include "TcpProxy.h"
#include "TestServer.h"
#include "media/Downloader.h"

#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Client;
using namespace MediaTest;
using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace {
constexpr int Timeout = 30'000;

QStringList blobIdsOf(const QList<Body::Attachment> &attachments)
{
    QStringList ids;
    for (const Body::Attachment &a : attachments)
        ids.append(a.blobId);
    return ids;
}

QStringList rowIds(const QList<DownloadRow> &rows)
{
    QStringList ids;
    for (const DownloadRow &row : rows)
        ids.append(row.attachment.blobId);
    return ids;
}

//! The ids of the signals in a spy (progress, finished, failed), in order.
QStringList idsOf(const QSignalSpy &spy)
{
    QStringList ids;
    for (const QList<QVariant> &args : spy)
        ids.append(args.at(0).toString());
    return ids;
}

//! The `done` values of one download's progress signals, in order.
QList<qint64> doneOf(const QSignalSpy &progress, const QString &blobId)
{
    QList<qint64> done;
    for (const QList<QVariant> &args : progress) {
        if (args.at(0).toString() == blobId)
            done.append(args.at(1).toLongLong());
    }
    return done;
}
} // namespace

//! The download queue survives the app: kept in the store when a download is asked for, gone on
//! with after a restart in the same order, each from its partial file; avatars (urgent) before
//! the rest; a cancel or a failure for good forgets it. Bob talks to the real server through a
//! TcpProxy, which the tests turn into a black hole to hold a download mid-way.
class TestClientDownloads : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        m_proxy = std::make_unique<TcpProxy>();
        QVERIFY(m_proxy->start(m_server->url()));
        m_fixture = std::make_unique<ClientFixture>();
        m_alice = m_fixture->account(m_server->url(), u"alice"_s);
        m_bob = m_fixture->account(m_proxy->url(), u"bob"_s);
        QVERIFY(registerOnline(m_alice.get(), u"Alice"_s));
        QVERIFY(registerOnline(m_bob.get(), u"Bob"_s));
        m_alice->openDirect(m_bob->store()->selfId());
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->conversationIds().size() == 1, Timeout);
        m_conversation = m_bob->store()->conversationIds().first();
        QVERIFY(m_files.isValid());
    }

    void cleanup()
    {
        m_alice.reset();
        m_bob.reset();
        m_fixture.reset();
        m_proxy.reset();
        m_server.reset();
    }

    void queueGoesOnAfterAppRestart()
    {
        const QList<QByteArray> contents {randomBytes(4 << 20), randomBytes(700'000),
                                          randomBytes(300'000)};
        QList<Body::Attachment> a;
        QVERIFY(sendFiles(contents, &a));
        const QStringList ids = blobIdsOf(a);

        // Asked for by the user (download(), as a click does); the first held mid-way.
        QObject scope;
        bool held = false;
        connect(m_bob->media(), &MediaTransfers::progress, &scope,
                [&](const QString &id, qint64 done, qint64 total) {
                    if (!held && id == a[0].blobId && done > 0 && done < total) {
                        held = true;
                        m_proxy->setForwarding(false);
                    }
                });
        for (const Body::Attachment &attachment : std::as_const(a))
            m_bob->media()->download(attachment.blobId);
        QCOMPARE(rowIds(awaited(m_bob->store()->downloads())), ids);
        QTRY_VERIFY_WITH_TIMEOUT(held, Timeout);
        QCOMPARE(m_bob->media()->downloader()->queued(), ids.mid(1));

        // The app stops mid-way through the first one.
        const MediaCache cache = m_bob->media()->cache();
        m_bob.reset();
        const qint64 partial = QFileInfo(cache.partPath(a[0].blobId)).size();
        QVERIFY(partial > 0);
        QVERIFY(partial < a[0].cipherSize);
        for (const Body::Attachment &attachment : std::as_const(a))
            QVERIFY(!QFile::exists(cache.blobPath(attachment.blobId)));

        // Started again on the same store: the same queue, in the same order, before any network.
        m_proxy->setForwarding(true);
        m_bob = m_fixture->account(m_proxy->url(), u"bob"_s);
        QCOMPARE(rowIds(awaited(m_bob->store()->downloads())), ids);
        QTRY_COMPARE(m_bob->media()->downloader()->queued(), ids);
        QSignalSpy progress(m_bob->media(), &MediaTransfers::progress);
        QSignalSpy finished(m_bob->media(), &MediaTransfers::finished);
        QSignalSpy failed(m_bob->media(), &MediaTransfers::failed);
        m_bob->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, Timeout);
        QCOMPARE(idsOf(finished), ids);
        QVERIFY(failed.isEmpty());

        // The first went on from its partial file, not from the start.
        const QList<qint64> done = doneOf(progress, a[0].blobId);
        QVERIFY(!done.isEmpty());
        QCOMPARE(done.first(), partial);
        QVERIFY(std::all_of(done.begin(), done.end(), [&](qint64 d) { return d >= partial; }));
        QCOMPARE(done.last(), a[0].cipherSize);
        QCOMPARE(doneOf(progress, a[1].blobId).first(), 0);

        // Byte for byte what the server stores, and the plaintext Alice sent.
        for (int i = 0; i < a.size(); ++i) {
            const QString serverFile =
                serverBlobFile(m_server->config().effectiveBlobDir(), a[i].blobId);
            QVERIFY(!serverFile.isEmpty());
            QCOMPARE(readFile(cache.blobPath(a[i].blobId)), readFile(serverFile));
            QCOMPARE(plaintext(m_bob->media(), a[i]), contents[i]);
            QVERIFY(!QFile::exists(cache.partPath(a[i].blobId)));
        }
        QTRY_VERIFY(awaited(m_bob->store()->downloads()).isEmpty());
        QVERIFY(m_bob->media()->downloader()->queued().isEmpty());
    }

    void urgentGoesBeforeQueuedOnes()
    {
        const QList<QByteArray> contents {randomBytes(3 << 20), randomBytes(200'000),
                                          randomBytes(150'000), randomBytes(100'000)};
        QList<Body::Attachment> a;
        QVERIFY(sendFiles(contents, &a));
        const Body::Attachment &running = a[0], &first = a[1], &second = a[2], &avatar = a[3];

        QObject scope;
        bool held = false;
        connect(m_bob->media(), &MediaTransfers::progress, &scope,
                [&](const QString &id, qint64 done, qint64 total) {
                    if (!held && id == running.blobId && done > 0 && done < total) {
                        held = true;
                        m_proxy->setForwarding(false);
                    }
                });
        QSignalSpy finished(m_bob->media(), &MediaTransfers::finished);
        m_bob->media()->fetch(running);
        m_bob->media()->fetch(first);
        m_bob->media()->fetch(second);
        QTRY_VERIFY_WITH_TIMEOUT(held, Timeout);

        // An avatar goes before the queued ones, not before the one running.
        m_bob->media()->fetch(avatar, /*urgent*/ true);
        const Downloader *downloader = m_bob->media()->downloader();
        QCOMPARE(downloader->queued(), blobIdsOf({avatar, first, second}));
        // Asked for again as urgent, a queued one goes right behind the urgent ones before it;
        // asked for again as normal, nothing moves.
        m_bob->media()->fetch(second, /*urgent*/ true);
        m_bob->media()->fetch(avatar);
        m_bob->media()->fetch(first);
        QCOMPARE(downloader->queued(), blobIdsOf({avatar, second, first}));
        // The store keeps that order (urgent ones first), for a restart.
        QCOMPARE(rowIds(awaited(m_bob->store()->downloads())),
                 blobIdsOf({avatar, second, running, first}));
        const QList<DownloadRow> rows = awaited(m_bob->store()->downloads());
        QVERIFY(rows[0].urgent && rows[1].urgent && !rows[2].urgent && !rows[3].urgent);
        QCOMPARE(rows[0].attachment, avatar);

        m_proxy->setForwarding(true);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, Timeout);
        QCOMPARE(idsOf(finished), blobIdsOf({running, avatar, second, first}));
        for (int i = 0; i < a.size(); ++i)
            QCOMPARE(plaintext(m_bob->media(), a[i]), contents[i]);
        QTRY_VERIFY(awaited(m_bob->store()->downloads()).isEmpty());
    }

    void cancelForgetsTheDownload()
    {
        const QList<QByteArray> contents {randomBytes(3 << 20), randomBytes(250'000),
                                          randomBytes(120'000)};
        QList<Body::Attachment> a;
        QVERIFY(sendFiles(contents, &a));

        // Offline: queued, nothing runs.
        m_bob->disconnectFromServer();
        QSignalSpy failed(m_bob->media(), &MediaTransfers::failed);
        for (const Body::Attachment &attachment : std::as_const(a))
            m_bob->media()->fetch(attachment);
        QCOMPARE(rowIds(awaited(m_bob->store()->downloads())), blobIdsOf(a));
        m_bob->media()->cancel(a[1].blobId);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toString(), a[1].blobId);
        QCOMPARE(failed.first().at(1).toString(), u"canceled"_s);
        QCOMPARE(rowIds(awaited(m_bob->store()->downloads())), blobIdsOf({a[0], a[2]}));

        // Still forgotten after a restart.
        m_bob.reset();
        m_bob = m_fixture->account(m_proxy->url(), u"bob"_s);
        QCOMPARE(rowIds(awaited(m_bob->store()->downloads())), blobIdsOf({a[0], a[2]}));
        QTRY_COMPARE(m_bob->media()->downloader()->queued(), blobIdsOf({a[0], a[2]}));

        // The running one, canceled mid-way: forgotten, its partial file kept for a retry.
        QObject scope;
        bool held = false;
        connect(m_bob->media(), &MediaTransfers::progress, &scope,
                [&](const QString &id, qint64 done, qint64 total) {
                    if (!held && id == a[0].blobId && done > 0 && done < total) {
                        held = true;
                        m_proxy->setForwarding(false);
                    }
                });
        QSignalSpy finished(m_bob->media(), &MediaTransfers::finished);
        m_bob->connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(held, Timeout);
        m_bob->media()->cancel(a[0].blobId);
        QCOMPARE(rowIds(awaited(m_bob->store()->downloads())), blobIdsOf({a[2]}));
        const QString part = m_bob->media()->cache().partPath(a[0].blobId);
        const qint64 partial = QFileInfo(part).size();
        QVERIFY(partial > 0);
        m_proxy->setForwarding(true);
        QTRY_COMPARE_WITH_TIMEOUT(idsOf(finished), blobIdsOf({a[2]}), Timeout);
        QVERIFY(!m_bob->media()->isAvailable(a[0].blobId));
        QVERIFY(!m_bob->media()->isAvailable(a[1].blobId));
        QCOMPARE(QFileInfo(part).size(), partial);
        QTRY_VERIFY(awaited(m_bob->store()->downloads()).isEmpty());

        // Asked for again, it goes on from there.
        QSignalSpy progress(m_bob->media(), &MediaTransfers::progress);
        m_bob->media()->fetch(a[0]);
        QCOMPARE(rowIds(awaited(m_bob->store()->downloads())), blobIdsOf({a[0]}));
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->media()->isAvailable(a[0].blobId), Timeout);
        QCOMPARE(doneOf(progress, a[0].blobId).first(), partial);
        QCOMPARE(plaintext(m_bob->media(), a[0]), contents[0]);
        QTRY_VERIFY(awaited(m_bob->store()->downloads()).isEmpty());
    }

    void failureForGoodForgetsTheDownload()
    {
        QList<Body::Attachment> a;
        QVERIFY(sendFiles({randomBytes(90'000)}, &a));
        // A descriptor whose SHA-256 does not match what the server sends: damaged, for good.
        Body::Attachment wrongHash = a[0];
        wrongHash.sha256[0] = char(wrongHash.sha256[0] ^ 1);
        QSignalSpy failed(m_bob->media(), &MediaTransfers::failed);
        m_bob->media()->fetch(wrongHash);
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), Timeout);
        QVERIFY(failed.first().at(1).toString().contains(u"damaged"_s));
        QVERIFY(awaited(m_bob->store()->downloads()).isEmpty());
        QVERIFY(!m_bob->media()->isAvailable(a[0].blobId));

        // A blob the server does not have (anymore): the same.
        Body::Attachment gone = a[0];
        gone.blobId = QString(Body::Limits::BlobIdLength, u'b');
        m_bob->media()->fetch(gone);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, Timeout);
        QCOMPARE(failed.last().at(0).toString(), gone.blobId);
        QVERIFY(awaited(m_bob->store()->downloads()).isEmpty());

        // An invalid descriptor is refused at once and never queued.
        Body::Attachment invalid = a[0];
        invalid.cipherSize += 1;
        m_bob->media()->fetch(invalid);
        QCOMPARE(failed.size(), 3);
        QVERIFY(awaited(m_bob->store()->downloads()).isEmpty());
        QVERIFY(m_bob->media()->downloader()->queued().isEmpty());
    }

    void resumedDownloadIsRetriedById()
    {
        QByteArray content;
        Body::Attachment attachment;
        std::optional<MediaCache> cache;
        QVERIFY(stoppedMidway(3 << 20, &content, &attachment, &cache));
        const QString id = attachment.blobId;
        const qint64 partial = QFileInfo(cache->partPath(id)).size();
        QVERIFY(partial > 0);

        // Started again with the server unreachable: resumed from the store, waiting. The user
        // gives up on it (the only way it ends while nothing answers): failed.
        m_bob = m_fixture->account(m_proxy->url(), u"bob"_s);
        QTRY_COMPARE(m_bob->media()->downloader()->queued(), QStringList {id});
        m_bob->connectToServer();
        QSignalSpy failed(m_bob->media(), &MediaTransfers::failed);
        QSignalSpy finished(m_bob->media(), &MediaTransfers::finished);
        QSignalSpy progress(m_bob->media(), &MediaTransfers::progress);
        m_bob->media()->cancel(id);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(0).toString(), id);
        QVERIFY(awaited(m_bob->store()->downloads()).isEmpty());

        // The server is back; a retry by blob id alone (the app never passed the descriptor in
        // this run) goes on from the partial file and ends byte for byte what the server has.
        m_proxy->setForwarding(true);
        m_bob->media()->retry(id);
        QTRY_COMPARE_WITH_TIMEOUT(idsOf(finished), QStringList {id}, Timeout);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(doneOf(progress, id).first(), partial);
        expectServersBytes(attachment, content);
    }

    void resumedDownloadThatFailsForGoodIsRetriedById()
    {
        QByteArray content;
        Body::Attachment attachment;
        std::optional<MediaCache> cache;
        QVERIFY(stoppedMidway(2 << 20, &content, &attachment, &cache));
        const QString id = attachment.blobId;

        // The partial file is damaged while the app is stopped: the resumed download completes,
        // its checksum does not match, it fails for good (and the bad bytes go).
        {
            QFile part(cache->partPath(id));
            QVERIFY(part.open(QIODevice::ReadWrite));
            QVERIFY(part.size() > 10);
            QVERIFY(part.seek(10));
            const char byte = part.peek(1).at(0);
            QCOMPARE(part.write(QByteArray(1, char(byte ^ 0x5a))), 1);
        }
        m_proxy->setForwarding(true);
        m_bob = m_fixture->account(m_proxy->url(), u"bob"_s);
        QSignalSpy failed(m_bob->media(), &MediaTransfers::failed);
        QSignalSpy finished(m_bob->media(), &MediaTransfers::finished);
        m_bob->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, Timeout);
        QCOMPARE(failed.first().at(0).toString(), id);
        QVERIFY(failed.first().at(1).toString().contains(u"damaged"_s));
        QVERIFY(finished.isEmpty());

        // Retried by blob id: downloaded again from the start, byte for byte the server's.
        m_bob->media()->retry(id);
        QTRY_COMPARE_WITH_TIMEOUT(idsOf(finished), QStringList {id}, Timeout);
        QCOMPARE(failed.size(), 1);
        expectServersBytes(attachment, content);
    }

private:
    //! Alice sends one file of `size` random bytes; Bob's download of it stops part-way and his
    //! client is torn down. True when so, with the file's bytes, descriptor and Bob's cache.
    bool stoppedMidway(qsizetype size, QByteArray *content, Body::Attachment *attachment,
                       std::optional<MediaCache> *cache)
    {
        const QList<QByteArray> contents {randomBytes(size)};
        QList<Body::Attachment> received;
        if (!sendFiles(contents, &received) || !holdMidway(received[0].blobId))
            return false;
        *content = contents[0];
        *attachment = received[0];
        cache->emplace(m_bob->media()->cache());
        m_bob.reset();
        return true;
    }

    //! Bob's cached blob is byte for byte the server's and decrypts to `content`.
    void expectServersBytes(const Body::Attachment &attachment, const QByteArray &content)
    {
        const QString serverFile =
            serverBlobFile(m_server->config().effectiveBlobDir(), attachment.blobId);
        QVERIFY(!serverFile.isEmpty());
        QCOMPARE(readFile(m_bob->media()->cache().blobPath(attachment.blobId)),
                 readFile(serverFile));
        QCOMPARE(plaintext(m_bob->media(), attachment), content);
    }

    //! Bob asks for the download (as a click does); true once it is part-way, with the server
    //! then unreachable (the proxy a black hole).
    bool holdMidway(const QString &blobId)
    {
        QObject scope;
        bool held = false;
        connect(m_bob->media(), &MediaTransfers::progress, &scope,
                [&](const QString &id, qint64 done, qint64 total) {
                    if (!held && id == blobId && done > 0 && done < total) {
                        held = true;
                        m_proxy->setForwarding(false);
                    }
                });
        m_bob->media()->download(blobId);
        return QTest::qWaitFor([&] { return held; }, Timeout);
    }

    //! Alice sends one message with these files (kind File: nothing downloads by itself); true
    //! when Bob has it, with its descriptors in *received.
    bool sendFiles(const QList<QByteArray> &contents, QList<Body::Attachment> *received)
    {
        QList<OutgoingAttachment> files;
        for (int i = 0; i < contents.size(); ++i) {
            const QString name = u"file%1.bin"_s.arg(i);
            const QString path = m_files.filePath(name);
            if (!writeFile(path, contents[i]))
                return false;
            files.append(fileAttachment(path, name));
        }
        if (m_alice->media()
                ->sendAttachments(m_conversation, Body::text(u"files"_s), files)
                .clientId.isEmpty()
            || !outboxDrained(m_alice.get()))
            return false;
        const bool arrived = QTest::qWaitFor(
            [&] { return attachmentMessages(m_bob.get(), m_conversation).size() == 1; }, Timeout);
        if (!arrived)
            return false;
        *received = attachmentsOf(attachmentMessages(m_bob.get(), m_conversation).first());
        return received->size() == contents.size();
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TcpProxy> m_proxy;
    std::unique_ptr<ClientFixture> m_fixture;
    std::unique_ptr<Account> m_alice;
    std::unique_ptr<Account> m_bob;
    qint64 m_conversation = 0;
    QTemporaryDir m_files;
};

QTEST_GUILESS_MAIN(TestClientDownloads)
#include "tst_client_downloads.moc"
