#include "Uploader.h"

#include "ClientLogging.h"
#include "media/BlobCipher.h"
#include "media/BlobFiles.h"
#include "media/TransferClient.h"
#include "protocol/Attachment.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QDir>
#include <QFutureWatcher>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

namespace Client {

using namespace Qt::StringLiterals;
using State = UploadRow::State;

Uploader::Uploader(LocalStore *store, TransferClient *transfer, const QString &cacheDir,
                   QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_transfer(transfer)
    , m_cacheDir(cacheDir)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Uploader::step);
    connect(m_transfer, &TransferClient::ready, this, &Uploader::step);
    connect(m_transfer, &TransferClient::chunkSlotFree, this, &Uploader::pumpPuts);
    connect(m_transfer, &TransferClient::lost, this, [this] {
        if (!m_active.localId.isEmpty())
            abandonActive(); // blob.create tells where to go on from
    });
    // add() comes before the store has written the entry; the uploads start once it has.
    connect(m_store, &LocalStore::outboxEntryAdded, this, [this](const OutboxEntry &entry) {
        if (entry.held && hasUploads(entry.clientId))
            step();
    });
    connect(m_store, &LocalStore::outboxEntryChanged, this, &Uploader::onEntryChanged);
    connect(m_store, &LocalStore::outboxEntryRemoved, this,
            [this](qint64, const QString &clientId) { onEntryRemoved(clientId); });
}

void Uploader::load()
{
    m_store->uploads().then(this, [this](const QList<UploadRow> &rows) {
        for (const UploadRow &loaded : rows) {
            if (!row(loaded.localId))
                m_rows.append(loaded);
        }
        QSet<QString> messages;
        for (const UploadRow &r : std::as_const(m_rows))
            messages.insert(r.clientId);
        for (const QString &clientId : messages)
            releaseIfDone(clientId); // the app stopped between the last chunk and the release
        step();
    });
}

void Uploader::add(const QList<UploadRow> &rows, const QHash<QString, QByteArray> &bytes)
{
    m_rows.append(rows);
    m_bytes.insert(bytes);
    for (const UploadRow &r : rows)
        emitProgress(r.clientId);
    step();
}

UploadRow *Uploader::row(const QString &localId)
{
    for (UploadRow &r : m_rows) {
        if (r.localId == localId)
            return &r;
    }
    return nullptr;
}

bool Uploader::hasUploads(const QString &clientId) const
{
    return std::any_of(m_rows.begin(), m_rows.end(),
                       [&clientId](const UploadRow &r) { return r.clientId == clientId; });
}

QStringList Uploader::pendingCachePaths() const
{
    QStringList paths;
    for (const UploadRow &r : m_rows)
        paths.append(r.cachePath);
    return paths;
}

bool Uploader::messageFailed(const QString &clientId) const
{
    // A failed row fails its message at once; the outbox entry follows when the store wrote it.
    const auto entry = m_store->outboxEntry(clientId);
    return !entry || entry->failed
        || std::any_of(m_rows.begin(), m_rows.end(), [&clientId](const UploadRow &r) {
               return r.clientId == clientId && r.state == State::Failed;
           });
}

void Uploader::save(const UploadRow &r)
{
    m_store->updateUpload(r);
}

void Uploader::step()
{
    // Encryption runs ahead of the uploads, one file at a time.
    if (m_encrypting.isEmpty()) {
        for (const UploadRow &r : std::as_const(m_rows)) {
            if (r.state == State::Encrypting && !messageFailed(r.clientId)) {
                startEncryption(r);
                break;
            }
        }
    }
    if (m_active.localId.isEmpty() && !m_retryTimer.isActive() && m_transfer->isReady()) {
        for (const UploadRow &r : std::as_const(m_rows)) {
            if ((r.state == State::Encrypted || r.state == State::Uploading)
                && !messageFailed(r.clientId)) {
                startUpload(r);
                break;
            }
        }
    }
    updateBusy();
}

void Uploader::updateBusy()
{
    const bool busy = std::any_of(m_rows.begin(), m_rows.end(), [this](const UploadRow &r) {
        return (r.state == State::Encrypted || r.state == State::Uploading)
            && !messageFailed(r.clientId);
    });
    m_transfer->setBusy(this, busy);
}

void Uploader::startEncryption(const UploadRow &r)
{
    const QByteArray bytes = m_bytes.value(r.localId);
    if (r.sourcePath.isEmpty() && bytes.isNull()) {
        // Prepared bytes live in memory only (never plaintext on disk): an app that stopped
        // before they were encrypted has lost them.
        fail(r.localId, u"the attachment was not saved before the app closed"_s);
        return;
    }
    m_encrypting = r.localId;
    auto future =
        QtConcurrent::run(&BlobFiles::encryptToCache, r.sourcePath, bytes, r.key, r.cachePath);
    future.then(this, [this, localId = r.localId](const BlobFiles::Encrypted &result) {
        m_encrypting.clear();
        UploadRow *done = row(localId);
        if (!done) {
            QFile::remove(QDir(m_cacheDir).filePath(localId + u".blob"_s)); // discarded meanwhile
        } else if (done->state != State::Encrypting) {
            // Canceled meanwhile: it stays failed until a retry.
        } else if (!result.ok()) {
            fail(localId, result.error);
        } else {
            m_bytes.remove(localId);
            done->sha256 = result.sha256;
            done->size = result.size;
            done->cipherSize = result.cipherSize;
            done->state = State::Encrypted;
            save(*done);
            emitProgress(done->clientId);
        }
        step();
    });
}

void Uploader::startUpload(const UploadRow &r)
{
    m_active.localId = r.localId;
    m_active.generation = ++m_generation;
    m_active.creating = true;
    m_active.inFlight = 0;
    const QCborMap fields {
        {"size"_L1, r.cipherSize}, {"sha256"_L1, r.sha256}, {"clientId"_L1, r.createId}};
    Request *request = m_transfer->send(Protocol::Request::CreateBlob, fields);
    connect(request, &Request::finished, this,
            [this, localId = r.localId, generation = m_active.generation](const Reply &reply) {
                onCreated(localId, generation, reply);
            });
}

void Uploader::onCreated(const QString &localId, quint64 generation, const Reply &reply)
{
    if (generation != m_active.generation)
        return;
    m_active.creating = false;
    UploadRow *r = row(localId);
    if (!r)
        return abandonActive();
    if (!reply.isOk()) {
        if (reply.isRetryable())
            return pause(reply);
        return fail(localId, reply.describe());
    }
    const QString blobId = reply.body.value("blobId"_L1).toString();
    const qint64 offset = reply.body.value("offset"_L1).toInteger();
    if (!Protocol::isValidBlobId(blobId) || offset < 0 || offset > r->cipherSize)
        return fail(localId, u"the server answered blob.create with nonsense"_s);
    if (r->blobId != blobId || r->state != State::Uploading) {
        r->blobId = blobId;
        r->state = State::Uploading;
        save(*r);
    }
    m_active.chunkBytes = std::clamp<qint64>(reply.body.value("chunkBytes"_L1).toInteger(), 1,
                                             Protocol::Limits::BlobChunkBytes);
    m_active.acked = m_active.next = offset;
    emitProgress(r->clientId);
    if (offset == r->cipherSize)
        return confirmComplete(localId, generation);
    m_active.file.close();
    m_active.file.setFileName(r->cachePath);
    if (!m_active.file.open(QIODevice::ReadOnly) || m_active.file.size() != r->cipherSize)
        return fail(localId, u"the attachment's encrypted copy is gone from the media cache"_s);
    pumpPuts();
}

void Uploader::pumpPuts()
{
    const UploadRow *r = m_active.localId.isEmpty() ? nullptr : row(m_active.localId);
    if (!r || m_active.creating || !m_active.file.isOpen())
        return;
    while (m_active.inFlight < Protocol::Limits::MaxOutstandingChunks
           && m_transfer->freeChunkSlots() > 0 && m_active.next < r->cipherSize) {
        const qint64 offset = m_active.next;
        const qint64 length = std::min(m_active.chunkBytes, r->cipherSize - offset);
        QByteArray data;
        if (m_active.file.seek(offset))
            data = m_active.file.read(length);
        if (data.size() != length)
            return fail(m_active.localId,
                        u"cannot read the media cache: "_s + m_active.file.errorString());
        const QCborMap fields {{"blobId"_L1, r->blobId}, {"offset"_L1, offset}, {"data"_L1, data}};
        Request *request = m_transfer->sendChunk(Protocol::Request::PutBlob, fields);
        connect(request, &Request::finished, this,
                [this, generation = m_active.generation, offset, length](const Reply &reply) {
                    onPut(generation, offset, length, reply);
                });
        ++m_active.inFlight;
        m_active.next += length;
    }
}

void Uploader::onPut(quint64 generation, qint64 offset, qint64 length, const Reply &reply)
{
    if (generation != m_active.generation)
        return;
    --m_active.inFlight;
    const QString localId = m_active.localId;
    UploadRow *r = row(localId);
    if (!r)
        return abandonActive();
    if (reply.isOk()) {
        m_active.acked = std::max(
            {m_active.acked, offset + length, qint64(reply.body.value("offset"_L1).toInteger())});
        emitProgress(r->clientId);
        if (reply.body.value("complete"_L1).toBool())
            return complete(localId);
        if (m_active.acked >= r->cipherSize && m_active.inFlight == 0)
            return confirmComplete(localId, generation);
        return pumpPuts();
    }
    if (reply.error == Protocol::ErrorCode::InvalidField && reply.field == u"offset"_s) {
        // The server has a different idea of what it holds (a repeat after a restart of the
        // server lost the tail of the partial file): go on from its offset.
        const qint64 serverOffset = reply.body.value("offset"_L1).toInteger(-1);
        if (serverOffset < 0 || serverOffset > r->cipherSize)
            return fail(localId, reply.describe());
        m_active.generation = ++m_generation;
        m_active.inFlight = 0;
        m_active.acked = m_active.next = serverOffset;
        return pumpPuts();
    }
    if (reply.isRetryable())
        return pause(reply);
    fail(localId,
         reply.error == Protocol::ErrorCode::NotFound
             ? u"the upload expired on the server; retry to send it again"_s
             : reply.describe());
}

void Uploader::confirmComplete(const QString &localId, quint64 generation)
{
    const UploadRow *r = row(localId);
    Request *request = m_transfer->send(Protocol::Request::BlobStatus, {{"blobId"_L1, r->blobId}});
    connect(request, &Request::finished, this, [this, localId, generation](const Reply &reply) {
        if (generation != m_active.generation)
            return;
        if (reply.isOk() && reply.body.value("complete"_L1).toBool())
            return complete(localId);
        if (reply.isOk() || reply.isRetryable())
            return pause(reply); // the server is still finishing it: ask again later
        fail(localId, reply.describe());
    });
}

void Uploader::complete(const QString &localId)
{
    UploadRow *r = row(localId);
    abandonActive();
    if (!r)
        return;
    // The ciphertext stays in the cache under the blob's name: the sender's own copy, which
    // opens without a download.
    const QString blobPath = QDir(m_cacheDir).filePath(r->blobId + u".blob"_s);
    QFile::remove(blobPath);
    if (QFile::rename(r->cachePath, blobPath))
        r->cachePath = blobPath;
    r->state = State::Complete;
    save(*r);
    emitProgress(r->clientId);
    releaseIfDone(r->clientId);
    step();
}

void Uploader::releaseIfDone(const QString &clientId)
{
    QList<UploadRow> rows;
    for (const UploadRow &r : std::as_const(m_rows)) {
        if (r.clientId == clientId) {
            if (r.state != State::Complete)
                return;
            rows.append(r);
        }
    }
    const auto entry = m_store->outboxEntry(clientId);
    if (rows.isEmpty() || !entry || !entry->held)
        return;
    namespace Body = Protocol::Body;
    Body::DecodedBody decoded = Body::decode(entry->content);
    if (!decoded.ok())
        return fail(rows.first().localId,
                    u"the message cannot be read back: "_s + decoded.error.message);
    QList<Body::Attachment> attachments = Body::attachmentsOf(decoded.body);
    for (const UploadRow &r : rows) {
        if (r.index < 0 || r.index >= attachments.size())
            return fail(r.localId, u"the message lost an attachment"_s);
        Body::Attachment &a = attachments[r.index];
        a.blobId = r.blobId;
        a.key = r.key;
        a.sha256 = r.sha256;
        a.size = r.size;
        a.cipherSize = r.cipherSize;
    }
    Body::setAttachments(decoded.body, attachments);
    m_store->releaseOutbox(clientId, Body::encode(decoded.body))
        .then(this, [this, clientId](bool released) {
            if (!released)
                return;
            m_rows.removeIf([&clientId](const UploadRow &r) { return r.clientId == clientId; });
            Q_EMIT finished(clientId);
            updateBusy();
        });
}

void Uploader::pause(const Reply &reply)
{
    qCInfo(lcClientMedia).noquote() << "upload waits:" << reply.describe();
    abandonActive();
    if (reply.origin == Reply::Origin::Server || reply.origin == Reply::Origin::TimedOut)
        m_retryTimer.start(reply.retryAfterMs > 0 ? int(reply.retryAfterMs) : m_retryDelayMs);
    // Lost or no connection: ready() steps again.
}

void Uploader::fail(const QString &failedId, const QString &error)
{
    // failedId may be m_active.localId, which abandonActive() clears: keep a copy.
    const QString localId = failedId; // NOLINT(performance-unnecessary-copy-initialization)
    if (m_active.localId == localId)
        abandonActive();
    UploadRow *r = row(localId);
    if (!r)
        return;
    qCWarning(lcClientMedia).noquote() << "upload of" << r->clientId << "failed:" << error;
    r->state = State::Failed;
    r->error = error;
    save(*r);
    const QString clientId = r->clientId;
    m_store->markOutboxFailed(clientId, error);
    Q_EMIT failed(clientId, error);
    QMetaObject::invokeMethod(this, &Uploader::step, Qt::QueuedConnection);
}

void Uploader::abandonActive()
{
    m_active.localId.clear();
    m_active.generation = ++m_generation; // answers still on their way are ignored
    m_active.inFlight = 0;
    m_active.creating = false;
    m_active.file.close();
}

bool Uploader::cancel(const QString &clientId)
{
    bool any = false;
    for (const UploadRow &r : std::as_const(m_rows)) {
        if (r.clientId == clientId && r.state != State::Complete && r.state != State::Failed) {
            fail(r.localId, u"canceled"_s);
            any = true;
        }
    }
    return any;
}

void Uploader::onEntryChanged(const OutboxEntry &entry)
{
    // The outbox's retry of a message whose upload failed: start it again, with a new blob
    // (the server may have dropped the old one).
    if (!entry.held || entry.failed)
        return;
    for (UploadRow &r : m_rows) {
        if (r.clientId != entry.clientId || r.state != State::Failed)
            continue;
        r.error.clear();
        r.blobId.clear();
        r.createId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        r.state = !r.sha256.isEmpty() && QFile::exists(r.cachePath) ? State::Encrypted
                                                                    : State::Encrypting;
        save(r);
    }
    step();
}

void Uploader::onEntryRemoved(const QString &clientId)
{
    if (!hasUploads(clientId))
        return;
    if (const UploadRow *r = row(m_active.localId); r && r->clientId == clientId)
        abandonActive();
    for (const UploadRow &r : std::as_const(m_rows)) {
        if (r.clientId == clientId) {
            m_bytes.remove(r.localId);
            if (r.state != State::Complete)
                QFile::remove(r.cachePath);
        }
    }
    m_rows.removeIf([&clientId](const UploadRow &r) { return r.clientId == clientId; });
    step();
}

void Uploader::emitProgress(const QString &clientId)
{
    qint64 done = 0, total = 0;
    for (const UploadRow &r : std::as_const(m_rows)) {
        if (r.clientId != clientId)
            continue;
        const qint64 size = r.cipherSize > 0 ? r.cipherSize : Media::cipherSizeFor(r.size);
        total += size;
        if (r.state == State::Complete)
            done += size;
        else if (r.localId == m_active.localId)
            done += m_active.acked;
    }
    Q_EMIT progress(clientId, done, total);
}

} // namespace Client
