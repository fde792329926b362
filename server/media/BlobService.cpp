#include "BlobService.h"

#include "BlobQueries.h"
#include "FilesystemBlobStore.h"

#include "core/Router.h"
#include "core/StoreFailure.h"
#include "ops/Metrics.h"
#include "storage/Store.h"

#include "protocol/Requests.h"

#include <QLoggingCategory>
#include <QSet>

namespace Server {

Q_LOGGING_CATEGORY(lcMedia, "messengerd.media")

using Protocol::ErrorCode;
namespace R = Protocol::Request;

namespace {
using L = QLatin1StringView;

constexpr int IoThreads = 2;

template<typename T>
bool failed(const Request &request, const Result<T> &result)
{
    return answerStoreFailure(request, result, lcMedia);
}

QString storageTrouble()
{
    return QStringLiteral("the media storage failed; try again later");
}

} // namespace

BlobService::BlobService(ServerContext context, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_blobs(std::make_unique<FilesystemBlobStore>(context.config.effectiveBlobDir()))
    , m_io(IoThreads)
    , m_sweeper(context.store, this, context.config.blobSweepIntervalMs,
                context.config.blobUnusedMs, qint64(context.config.mediaRetentionDays) * 86'400'000)
{
    Router *router = m_context.router;
    router->add(R::CreateBlob, [this](const Request &r) { handleCreate(r); });
    router->add(R::PutBlob, [this](const Request &r) { handlePut(r); });
    router->add(R::BlobStatus, [this](const Request &r) { handleStatus(r); });
    router->add(R::GetBlob, [this](const Request &r) { handleGet(r); });
    m_clock.start();
}

BlobService::~BlobService() = default;

bool BlobService::open(QString *error)
{
    if (!m_blobs->open(error))
        return false;
    m_sweeper.start();
    return true;
}

void BlobService::forget(const QStringList &ids)
{
    for (const QString &id : ids) {
        const auto it = m_uploads.constFind(id);
        if (it != m_uploads.constEnd() && !(*it)->busy && (*it)->queue.empty())
            m_uploads.erase(it);
    }
    if (m_readGrants.isEmpty())
        return;
    const QSet<QString> gone(ids.cbegin(), ids.cend());
    for (auto it = m_readGrants.begin(); it != m_readGrants.end();)
        it = gone.contains(it.key().second) ? m_readGrants.erase(it) : std::next(it);
}

bool BlobService::admitChunk(const Request &request, qint64 bytes)
{
    Session *session = request.session();
    if (session->outstandingChunks() >= Protocol::Limits::MaxOutstandingChunks) {
        request.fail(ErrorCode::RateLimited,
                     QStringLiteral("at most %1 chunk requests may be outstanding; wait for an "
                                    "answer")
                         .arg(Protocol::Limits::MaxOutstandingChunks));
        return false;
    }
    if (m_userBytes.size() > 10'000) { // forget those that are full again
        for (auto it = m_userBytes.begin(); it != m_userBytes.end();)
            it = it->isFull() ? m_userBytes.erase(it) : std::next(it);
    }
    auto bucket = m_userBytes.find(session->userId());
    if (bucket == m_userBytes.end())
        bucket = m_userBytes.insert(session->userId(), TokenBucket(m_context.config.blobBytes));
    if (!bucket->take(double(bytes))) {
        request.fail(ErrorCode::RateLimited,
                     QStringLiteral("media bytes are moving too fast for this account; slow down"),
                     {}, bucket->retryAfterMs(double(bytes)));
        return false;
    }
    ++session->outstandingChunks();
    return true;
}

void BlobService::chunkOk(const Request &request, const QCborMap &body)
{
    if (Session *session = request.session())
        --session->outstandingChunks();
    request.ok(body);
}

void BlobService::chunkFail(const Request &request, ErrorCode code, const QString &message,
                            const QString &field, const QCborMap &extra)
{
    if (Session *session = request.session())
        --session->outstandingChunks();
    if (code == ErrorCode::Unavailable || code == ErrorCode::Internal)
        qCWarning(lcMedia).noquote() << "blob request failed:" << message;
    request.failWith(code, message, field, extra);
}

void BlobService::handleCreate(const Request &request)
{
    const qint64 size = request.integer(L("size"));
    if (size > m_context.config.maxBlobBytes) {
        request.fail(ErrorCode::TooLarge,
                     QStringLiteral("a blob may have at most %1 bytes, this one has %2")
                         .arg(m_context.config.maxBlobBytes)
                         .arg(size),
                     QStringLiteral("size"));
        return;
    }
    // The disk keeps a reserve: below it uploads stop (`unavailable`) and chat goes on.
    m_io.run(
        this, [blobs = m_blobs.get()] { return blobs->freeBytes(); },
        [this, request, size](qint64 free) {
            if (free >= 0 && free - size < m_context.config.blobDiskReserveBytes) {
                qCWarning(lcMedia) << "the blob folder's disk has" << free
                                   << "bytes free, below the reserve: uploads refused";
                request.fail(ErrorCode::Unavailable,
                             QStringLiteral("the server's media storage is full; try again later"));
                return;
            }
            createRow(request);
        });
}

void BlobService::createRow(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 size = request.integer(L("size"));
    const QString clientId = request.string(L("clientId"));
    const QByteArray sha256 = request.bytes(L("sha256"));
    const BlobQueries::Limits limits {m_context.config.blobQuotaBytes,
                                      m_context.config.maxPendingUploads};
    m_context.store->write(
        this,
        [=](Database &db) {
            return BlobQueries::create(db, userId, clientId, size, sha256, limits);
        },
        [this, request](const Result<BlobQueries::Created> &result) {
            if (result.error == ErrorCode::InvalidField) {
                request.fail(result.error, result.message, QStringLiteral("clientId"));
                return;
            }
            if (failed(request, result))
                return;
            const BlobQueries::BlobRow row = result->row;
            const auto answer = [request, id = row.id](qint64 offset, bool complete) {
                request.ok(QCborMap {{L("blobId"), id},
                                     {L("chunkBytes"), Protocol::Limits::BlobChunkBytes},
                                     {L("offset"), offset},
                                     {L("complete"), complete}});
            };
            if (row.state == BlobQueries::State::Complete) {
                answer(row.size, true);
                return;
            }
            if (result->existing) {
                progressOf(row, answer);
                return;
            }
            // A new upload: its partial file is created now (O_EXCL), before the first chunk.
            auto upload = std::make_shared<Upload>();
            upload->id = row.id;
            upload->ownerId = row.ownerId;
            upload->size = row.size;
            upload->sha256 = row.sha256;
            upload->busy = true;
            m_uploads.insert(row.id, upload);
            m_io.run(
                this,
                [blobs = m_blobs.get(), upload] {
                    QString error;
                    upload->file = blobs->openUpload(upload->id, &error);
                    return error;
                },
                [this, request, upload, answer](const QString &error) {
                    upload->busy = false;
                    if (!upload->file) {
                        qCWarning(lcMedia).noquote() << error;
                        request.fail(ErrorCode::Unavailable, storageTrouble());
                    } else {
                        answer(0, false);
                    }
                    pump(upload);
                });
        });
}

void BlobService::handleStatus(const Request &request)
{
    const QString id = request.string(L("blobId"));
    const qint64 userId = request.userId();
    m_context.store->read(
        request.session(), [=](Database &db) { return BlobQueries::ownBlob(db, id, userId); },
        [this, request](const Result<std::optional<BlobQueries::BlobRow>> &result) {
            if (failed(request, result))
                return;
            if (!result->has_value()) {
                request.fail(ErrorCode::NotFound, QStringLiteral("there is no such blob of yours"),
                             QStringLiteral("blobId"));
                return;
            }
            const BlobQueries::BlobRow row = **result;
            if (row.state == BlobQueries::State::Complete) {
                request.ok(QCborMap {
                    {L("size"), row.size}, {L("offset"), row.size}, {L("complete"), true}});
                return;
            }
            progressOf(row, [request, size = row.size](qint64 offset, bool complete) {
                request.ok(
                    QCborMap {{L("size"), size}, {L("offset"), offset}, {L("complete"), complete}});
            });
        });
}

void BlobService::progressOf(const BlobQueries::BlobRow &row,
                             const std::function<void(qint64 offset, bool complete)> &done)
{
    m_io.run(
        this,
        [blobs = m_blobs.get(), row] {
            return blobs->isFinished(row.id) ? -1 : std::max<qint64>(0, blobs->partialSize(row.id));
        },
        [this, row, done](qint64 offset) {
            const UploadPtr upload = m_uploads.value(row.id);
            if (offset >= 0 || (upload && upload->busy)) {
                done(offset >= 0 ? offset : row.size, false);
                return;
            }
            // In place but not committed (the server stopped, or the commit failed, between the
            // rename and the commit): the bytes were checked before the rename; commit now.
            m_context.store->write(
                this, [id = row.id](Database &db) { return BlobQueries::markComplete(db, id); },
                [this, row, done](const Result<bool> &result) {
                    const bool complete = result.ok() && *result;
                    if (complete) {
                        m_uploads.remove(row.id);
                        m_context.metrics->blobCompleted(row.size);
                    }
                    done(row.size, complete);
                });
        });
}

void BlobService::handleGet(const Request &request)
{
    const qint64 length = request.integer(L("length"));
    if (!admitChunk(request, length))
        return;
    const QString id = request.string(L("blobId"));
    const qint64 offset = request.integer(L("offset"));
    const qint64 userId = request.userId();
    const GrantKey key(userId, id);
    const qint64 now = m_clock.elapsed();
    if (const auto grant = m_readGrants.constFind(key);
        grant != m_readGrants.constEnd() && grant->expiresAt > now) {
        readChunk(request, grant->row, offset, length);
        return;
    }
    m_context.store->read(
        this, [=](Database &db) { return BlobQueries::readableBlob(db, id, userId); },
        [this, request, key, offset,
         length](const Result<std::optional<BlobQueries::BlobRow>> &result) {
            if (!result.ok()) {
                chunkFail(request, result.error, result.message);
                return;
            }
            if (!result->has_value()) {
                m_readGrants.remove(key);
                chunkFail(request, ErrorCode::NotFound,
                          QStringLiteral("there is no such blob, or it is not yours to read"),
                          QStringLiteral("blobId"));
                return;
            }
            const qint64 answeredAt = m_clock.elapsed();
            if (m_readGrants.size() >= 4096) { // forget the expired ones
                for (auto it = m_readGrants.begin(); it != m_readGrants.end();)
                    it = it->expiresAt <= answeredAt ? m_readGrants.erase(it) : std::next(it);
            }
            if (m_context.config.blobReadGrantMs > 0)
                m_readGrants.insert(
                    key, ReadGrant {**result, answeredAt + m_context.config.blobReadGrantMs});
            readChunk(request, **result, offset, length);
        });
}

} // namespace Server
