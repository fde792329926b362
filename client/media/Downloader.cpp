#include "Downloader.h"

#include "ClientLogging.h"
#include "media/BlobCipher.h"
#include "media/BlobFiles.h"
#include "media/TransferClient.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QDateTime>
#include <QDir>
#include <QtConcurrent/QtConcurrentRun>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::Body::Attachment;

Downloader::Downloader(TransferClient *transfer, const MediaCache *cache, LocalStore *store,
                       QObject *parent)
    : QObject(parent)
    , m_transfer(transfer)
    , m_cache(cache)
    , m_store(store)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Downloader::step);
    connect(m_transfer, &TransferClient::ready, this, &Downloader::step);
    connect(m_transfer, &TransferClient::chunkSlotFree, this, &Downloader::pumpGets);
    connect(m_transfer, &TransferClient::lost, this, [this] {
        if (!m_active.attachment.blobId.isEmpty() && !m_active.verifying)
            requeueActive(); // goes on from the partial file
    });
}

void Downloader::load()
{
    const auto loaded = [this] {
        m_loaded = true;
        step();
    };
    if (!m_store)
        return loaded();
    m_store->downloads()
        .then(this,
              [this, loaded](const QList<DownloadRow> &rows) {
                  // Asked for while the queue was being read: behind the last run's queue (the
                  // store has them already).
                  const QList<Queued> early = std::exchange(m_queue, {});
                  for (const DownloadRow &row : rows) {
                      m_lastQueuedAt = std::max(m_lastQueuedAt, row.queuedAt);
                      if (QFile::exists(m_cache->blobPath(row.attachment.blobId))) {
                          forget(row.attachment.blobId); // done just before the app stopped
                          continue;
                      }
                      enqueue({row.attachment, row.urgent, row.sentAt});
                      Q_EMIT resumed(row.attachment, row.sentAt);
                  }
                  for (const Queued &queued : early)
                      enqueue(queued);
                  if (!rows.isEmpty())
                      qCInfo(lcClientMedia) << "resuming" << m_queue.size() << "downloads";
                  loaded();
              })
        .onCanceled(this, loaded);
}

void Downloader::fetch(const Attachment &attachment, bool urgent, qint64 sentAt)
{
    if (!Protocol::isValidBlobId(attachment.blobId)
        || attachment.cipherSize != Media::cipherSizeFor(attachment.size)
        || attachment.sha256.size() != Media::Sha256Bytes) {
        Q_EMIT failed(attachment.blobId, u"the attachment's description is not valid"_s);
        return;
    }
    if (m_active.attachment.blobId == attachment.blobId
        || QFile::exists(m_cache->blobPath(attachment.blobId)))
        return;
    const auto it = std::find_if(m_queue.cbegin(), m_queue.cend(), [&](const Queued &queued) {
        return queued.attachment.blobId == attachment.blobId;
    });
    if (it != m_queue.cend() && (it->urgent || !urgent))
        return;
    enqueue({attachment, urgent, sentAt});
    m_lastQueuedAt = std::max(QDateTime::currentMSecsSinceEpoch(), m_lastQueuedAt + 1);
    if (m_store)
        m_store->addDownload({attachment, m_lastQueuedAt, urgent, sentAt});
    step();
}

void Downloader::enqueue(const Queued &queued)
{
    const Attachment &attachment = queued.attachment;
    const bool urgent = queued.urgent;
    if (m_active.attachment.blobId == attachment.blobId)
        return;
    const auto it = std::find_if(m_queue.begin(), m_queue.end(), [&](const Queued &other) {
        return other.attachment.blobId == attachment.blobId;
    });
    if (it != m_queue.end()) {
        if (it->urgent || !urgent)
            return;
        m_queue.erase(it);
    }
    if (!urgent) {
        m_queue.append(queued);
        return;
    }
    const auto firstNormal = std::find_if(m_queue.cbegin(), m_queue.cend(),
                                          [](const Queued &other) { return !other.urgent; });
    m_queue.insert(firstNormal, queued);
}

void Downloader::requeueActive()
{
    m_queue.prepend({m_active.attachment, m_active.urgent, m_active.sentAt});
    abandonActive();
}

void Downloader::forget(const QString &blobId)
{
    if (m_store)
        m_store->removeDownload(blobId);
}

bool Downloader::isQueued(const QString &blobId) const
{
    return m_active.attachment.blobId == blobId
        || std::any_of(m_queue.begin(), m_queue.end(), [&blobId](const Queued &queued) {
               return queued.attachment.blobId == blobId;
           });
}

QStringList Downloader::queued() const
{
    QStringList blobIds;
    for (const Queued &queued : m_queue)
        blobIds.append(queued.attachment.blobId);
    return blobIds;
}

QStringList Downloader::partPaths() const
{
    QStringList paths;
    if (!m_active.attachment.blobId.isEmpty())
        paths.append(m_cache->partPath(m_active.attachment.blobId));
    for (const Queued &queued : m_queue)
        paths.append(m_cache->partPath(queued.attachment.blobId));
    return paths;
}

bool Downloader::cancel(const QString &blobId)
{
    const bool queued =
        m_queue.removeIf([&blobId](const Queued &q) { return q.attachment.blobId == blobId; }) > 0;
    const bool active = m_active.attachment.blobId == blobId && !m_active.verifying;
    if (active)
        abandonActive();
    if (queued || active) {
        forget(blobId);
        Q_EMIT failed(blobId, u"canceled"_s);
        step();
    }
    return queued || active;
}

void Downloader::updateBusy()
{
    m_transfer->setBusy(this, !m_queue.isEmpty() || !m_active.attachment.blobId.isEmpty());
}

void Downloader::step()
{
    if (m_loaded && m_active.attachment.blobId.isEmpty() && !m_queue.isEmpty()
        && !m_retryTimer.isActive() && m_transfer->isReady())
        start(m_queue.takeFirst());
    updateBusy();
}

void Downloader::start(const Queued &next)
{
    const Attachment &attachment = next.attachment;
    m_active.attachment = attachment;
    m_active.urgent = next.urgent;
    m_active.sentAt = next.sentAt;
    m_active.generation = ++m_generation;
    m_active.inFlight = 0;
    m_active.early.clear();
    QDir().mkpath(m_cache->dir());
    m_active.part.setFileName(m_cache->partPath(attachment.blobId));
    if (!m_active.part.open(QIODevice::ReadWrite)) {
        fail(attachment.blobId, u"cannot write the media cache: "_s + m_active.part.errorString());
        return;
    }
    if (m_active.part.size() > attachment.cipherSize)
        m_active.part.resize(0); // not this blob's bytes: start again
    m_active.written = m_active.next = m_active.part.size();
    m_active.part.seek(m_active.written);
    Q_EMIT progress(attachment.blobId, m_active.written, attachment.cipherSize);
    if (m_active.written == attachment.cipherSize)
        verify();
    else
        pumpGets();
}

void Downloader::pumpGets()
{
    const Attachment &a = m_active.attachment;
    if (a.blobId.isEmpty() || m_active.verifying)
        return;
    while (m_active.inFlight < Protocol::Limits::MaxOutstandingChunks
           && m_transfer->freeChunkSlots() > 0 && m_active.next < a.cipherSize) {
        const qint64 offset = m_active.next;
        const qint64 length =
            std::min<qint64>(Protocol::Limits::BlobChunkBytes, a.cipherSize - offset);
        Request *request = m_transfer->sendChunk(
            Protocol::Request::GetBlob,
            {{"blobId"_L1, a.blobId}, {"offset"_L1, offset}, {"length"_L1, length}});
        connect(request, &Request::finished, this,
                [this, generation = m_active.generation, offset, length](const Reply &reply) {
                    onGet(generation, offset, length, reply);
                });
        ++m_active.inFlight;
        m_active.next += length;
    }
}

void Downloader::onGet(quint64 generation, qint64 offset, qint64 length, const Reply &reply)
{
    if (generation != m_active.generation)
        return;
    --m_active.inFlight;
    const QString blobId = m_active.attachment.blobId;
    if (!reply.isOk()) {
        if (reply.isRetryable()) {
            qCInfo(lcClientMedia).noquote() << "download waits:" << reply.describe();
            requeueActive();
            if (reply.origin == Reply::Origin::Server || reply.origin == Reply::Origin::TimedOut)
                m_retryTimer.start(reply.retryAfterMs > 0 ? int(reply.retryAfterMs)
                                                          : m_retryDelayMs);
            return;
        }
        const bool missing = reply.error == Protocol::ErrorCode::NotFound;
        return fail(blobId,
                    missing ? u"the attachment is no longer on the server"_s : reply.describe(),
                    missing);
    }
    const QByteArray data = reply.body.value("data"_L1).toByteArray();
    if (data.size() != length)
        return fail(blobId, u"the server sent a part of the attachment of the wrong size"_s);
    m_active.early.insert(offset, data);
    // Written strictly in order, so that the partial file's size is always where to go on.
    while (!m_active.early.isEmpty() && m_active.early.firstKey() == m_active.written) {
        const QByteArray chunk = m_active.early.take(m_active.written);
        if (m_active.part.write(chunk) != chunk.size())
            return fail(blobId, u"cannot write the media cache: "_s + m_active.part.errorString());
        m_active.written += chunk.size();
    }
    Q_EMIT progress(blobId, m_active.written, m_active.attachment.cipherSize);
    if (m_active.written == m_active.attachment.cipherSize)
        verify();
    else
        pumpGets();
}

void Downloader::verify()
{
    m_active.verifying = true;
    m_active.part.close();
    const Attachment a = m_active.attachment;
    QtConcurrent::run(&BlobFiles::verifyAndCommit, m_cache->partPath(a.blobId),
                      m_cache->blobPath(a.blobId), a.sha256)
        .then(this, [this, blobId = a.blobId](const QString &error) {
            m_active.verifying = false;
            if (!error.isEmpty())
                return fail(blobId, error);
            abandonActive();
            forget(blobId);
            Q_EMIT finished(blobId);
            step();
        });
}

void Downloader::fail(const QString &blobId, const QString &error, bool missing)
{
    qCWarning(lcClientMedia).noquote() << "download of" << blobId << "failed:" << error;
    const qint64 sentAt = m_active.sentAt;
    if (m_active.attachment.blobId == blobId)
        abandonActive();
    forget(blobId); // for good: a retry asks for it again
    if (missing)
        Q_EMIT this->missing(blobId, sentAt);
    else
        Q_EMIT failed(blobId, error);
    QMetaObject::invokeMethod(this, &Downloader::step, Qt::QueuedConnection);
}

void Downloader::abandonActive()
{
    m_active.attachment = {};
    m_active.urgent = false;
    m_active.sentAt = 0;
    m_active.generation = ++m_generation;
    m_active.inFlight = 0;
    m_active.verifying = false;
    m_active.early.clear();
    m_active.part.close();
    updateBusy();
}

} // namespace Client
