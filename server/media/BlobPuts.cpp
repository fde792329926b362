// blob.put: chunks of one upload written in order on the BlobIo pool, and the last one's
// check, rename and commit (see BlobService.h for the write order).

#include "BlobService.h"

#include "BlobQueries.h"

#include "core/StoreFailure.h"
#include "ops/Metrics.h"
#include "storage/Store.h"

#include <QCborStreamReader>
#include <QLoggingCategory>

namespace Server {

Q_DECLARE_LOGGING_CATEGORY(lcMedia)

using Protocol::ErrorCode;

namespace {
using L = QLatin1StringView;

QString storageTrouble()
{
    return QStringLiteral("the media storage failed; try again later");
}

//! What the pool did with one chunk.
struct PutOutcome
{
    enum class Kind { Written, Gap, Failed, Mismatch, InPlace } kind = Kind::Written;
    qint64 received = 0;
    qint64 written = 0; //!< bytes written now (not a repeat)
    QString error;
};

//! Where the "data" byte string of a blob.put lies in its frame (already validated): a 256 KiB
//! chunk is written from there, not copied out of the decoded map. Empty when it is not one
//! whole string at the top level (a chunked string, legal but rare: the caller copies).
QByteArrayView dataInFrame(const QByteArray &frame)
{
    QCborStreamReader reader(frame);
    if (!reader.isMap() || !reader.enterContainer())
        return {};
    while (reader.lastError() == QCborError::NoError && reader.hasNext()) {
        bool isData = false;
        if (reader.isString() && reader.isLengthKnown() && reader.currentStringChunkSize() == 4) {
            char key[4];
            const auto read = reader.readStringChunk(key, 4);
            if (read.status != QCborStreamReader::Ok || read.data != 4)
                return {};
            isData = QByteArrayView(key, 4) == "data";
            reader.readStringChunk(key, 0); // the end of the key
        } else if (!reader.next()) {
            return {};
        }
        if (reader.lastError() != QCborError::NoError)
            return {};
        if (!isData) {
            reader.next();
            continue;
        }
        if (!reader.isByteArray() || !reader.isLengthKnown())
            return {};
        const qsizetype size = reader.currentStringChunkSize();
        if (!reader.next())
            return {};
        const qsizetype start = qsizetype(reader.currentOffset()) - size;
        return start >= 0 ? QByteArrayView(frame).sliced(start, size) : QByteArrayView();
    }
    return {};
}
} // namespace

void BlobService::answerCompletePut(const Chunk &chunk, qint64 size)
{
    chunkOk(chunk.request, QCborMap {{L("offset"), size}, {L("complete"), true}});
}

TokenBucket &BlobService::uploadBucket(qint64 userId)
{
    if (m_userUploads.size() > 10'000) { // forget those that are full again
        for (auto it = m_userUploads.begin(); it != m_userUploads.end();)
            it = it->isFull() ? m_userUploads.erase(it) : std::next(it);
    }
    auto bucket = m_userUploads.find(userId);
    if (bucket == m_userUploads.end()) {
        const double perHour = double(m_context.config.blobUploadBytesPerHour);
        bucket = m_userUploads.insert(userId, TokenBucket(RateLimit {perHour / 3600.0, perHour}));
    }
    return *bucket;
}

void BlobService::handlePut(const Request &request)
{
    Chunk chunk {request, request.integer(L("offset")), request.frame(), {}};
    chunk.data = dataInFrame(chunk.bytes);
    if (chunk.data.isEmpty()) {
        chunk.bytes = request.bytes(L("data"));
        chunk.data = chunk.bytes;
    }
    const QByteArrayView data = chunk.data;
    TokenBucket &hourly = uploadBucket(request.userId());
    if (!hourly.available(double(data.size()))) {
        request.fail(ErrorCode::RateLimited,
                     QStringLiteral("this account has uploaded its media bytes for this hour; "
                                    "go on later"),
                     {}, hourly.retryAfterMs(double(data.size())));
        return;
    }
    if (!admitChunk(request, data.size()))
        return;
    hourly.take(double(data.size()));
    const QString id = request.string(L("blobId"));
    const auto enqueue = [this](const UploadPtr &upload, Chunk next) {
        if (upload->ownerId != next.request.userId()) {
            chunkFail(next.request, ErrorCode::NotFound,
                      QStringLiteral("there is no such upload of yours"), QStringLiteral("blobId"));
            return;
        }
        if (next.offset + next.data.size() > upload->size) {
            chunkFail(next.request, ErrorCode::InvalidField,
                      QStringLiteral("\"data\" goes beyond the blob's size, %1").arg(upload->size),
                      QStringLiteral("data"));
            return;
        }
        upload->queue.push_back(std::move(next));
        pump(upload);
    };
    if (const UploadPtr upload = m_uploads.value(id)) {
        enqueue(upload, std::move(chunk));
        return;
    }
    const qint64 userId = request.userId();
    m_context.store->read(
        this, [=](Database &db) { return BlobQueries::ownBlob(db, id, userId); },
        [this, chunk, enqueue](const Result<std::optional<BlobQueries::BlobRow>> &result) {
            if (!result.ok()) {
                chunkFail(chunk.request, result.error, result.message);
                return;
            }
            if (!result->has_value()) {
                chunkFail(chunk.request, ErrorCode::NotFound,
                          QStringLiteral("there is no such upload of yours"),
                          QStringLiteral("blobId"));
                return;
            }
            const BlobQueries::BlobRow row = **result;
            if (row.state == BlobQueries::State::Complete) {
                if (chunk.offset + chunk.data.size() <= row.size)
                    answerCompletePut(chunk, row.size); // a repeat of what is stored
                else
                    chunkFail(
                        chunk.request, ErrorCode::InvalidField,
                        QStringLiteral("\"data\" goes beyond the blob's size, %1").arg(row.size),
                        QStringLiteral("data"));
                return;
            }
            UploadPtr upload = m_uploads.value(row.id);
            if (!upload) {
                upload = std::make_shared<Upload>();
                upload->id = row.id;
                upload->ownerId = row.ownerId;
                upload->size = row.size;
                upload->sha256 = row.sha256;
                m_uploads.insert(row.id, upload);
            }
            enqueue(upload, chunk);
        });
}

void BlobService::pump(const UploadPtr &upload)
{
    if (upload->busy || upload->queue.empty())
        return;
    upload->busy = true;
    Chunk chunk = std::move(upload->queue.front());
    upload->queue.pop_front();
    if (upload->inPlace) { // an earlier commit failed: the file is there, the row is not yet
        commit(upload, chunk);
        return;
    }
    m_io.run(
        this,
        // bytes keeps what data points into alive while the pool works on it.
        [blobs = m_blobs.get(), upload, offset = chunk.offset, bytes = chunk.bytes,
         data = chunk.data] {
            PutOutcome out;
            if (!upload->file) {
                if (blobs->isFinished(upload->id)) { // renamed before a crash or failed commit
                    out.kind = PutOutcome::Kind::InPlace;
                    return out;
                }
                upload->file = blobs->openUpload(upload->id, &out.error);
                if (!upload->file) {
                    out.kind = PutOutcome::Kind::Failed;
                    return out;
                }
            }
            BlobStore::Upload &file = *upload->file;
            if (offset + data.size() > file.received()) {
                if (offset != file.received()) {
                    out.kind = PutOutcome::Kind::Gap;
                    out.received = file.received();
                    return out;
                }
                if (!file.append(data, &out.error)) {
                    upload->file.reset(); // reopened from the file's real size next time
                    out.kind = PutOutcome::Kind::Failed;
                    return out;
                }
                out.written = data.size();
            } // else: a repeat of bytes already here, acknowledged without writing
            out.received = file.received();
            if (out.received < upload->size)
                return out;
            if (file.sha256() != upload->sha256) {
                upload->file.reset();
                blobs->remove(upload->id);
                out.kind = PutOutcome::Kind::Mismatch;
                return out;
            }
            const bool finished = file.finish(&out.error);
            upload->file.reset();
            out.kind = finished ? PutOutcome::Kind::InPlace : PutOutcome::Kind::Failed;
            return out;
        },
        [this, upload, chunk](const PutOutcome &out) {
            m_context.metrics->addBlobBytesIn(out.written);
            switch (out.kind) {
            case PutOutcome::Kind::Written:
                chunkOk(chunk.request,
                        QCborMap {{L("offset"), out.received}, {L("complete"), false}});
                break;
            case PutOutcome::Kind::Gap:
                chunkFail(chunk.request, ErrorCode::InvalidField,
                          QStringLiteral("\"offset\" must be %1, the bytes received so far")
                              .arg(out.received),
                          QStringLiteral("offset"), QCborMap {{L("offset"), out.received}});
                break;
            case PutOutcome::Kind::Failed:
                qCWarning(lcMedia).noquote() << out.error;
                chunkFail(chunk.request, ErrorCode::Unavailable, storageTrouble());
                break;
            case PutOutcome::Kind::Mismatch:
                discard(upload, chunk);
                return;
            case PutOutcome::Kind::InPlace:
                upload->inPlace = true;
                commit(upload, chunk);
                return;
            }
            upload->busy = false;
            pump(upload);
        });
}

void BlobService::commit(const UploadPtr &upload, const Chunk &chunk)
{
    m_context.store->write(
        this, [id = upload->id](Database &db) { return BlobQueries::markComplete(db, id); },
        [this, upload, chunk](const Result<bool> &result) {
            upload->busy = false;
            if (!result.ok()) {
                chunkFail(chunk.request, result.error, result.message);
                pump(upload); // the next chunk retries the commit
                return;
            }
            m_uploads.remove(upload->id);
            std::deque<Chunk> waiting;
            waiting.swap(upload->queue);
            if (!*result) {
                chunkFail(chunk.request, ErrorCode::NotFound,
                          QStringLiteral("the upload was removed"), QStringLiteral("blobId"));
                for (const Chunk &other : waiting)
                    chunkFail(other.request, ErrorCode::NotFound,
                              QStringLiteral("the upload was removed"), QStringLiteral("blobId"));
                return;
            }
            qCDebug(lcMedia) << "blob" << upload->id << "complete," << upload->size << "bytes";
            m_context.metrics->blobCompleted(upload->size);
            answerCompletePut(chunk, upload->size);
            for (const Chunk &other : waiting)
                answerCompletePut(other, upload->size);
        });
}

void BlobService::discard(const UploadPtr &upload, const Chunk &chunk)
{
    m_uploads.remove(upload->id);
    m_context.store->write(
        this,
        [id = upload->id](Database &db) {
            BlobQueries::removeUpload(db, id);
            return true;
        },
        [this, upload, chunk](const Result<bool> &) {
            upload->busy = false;
            const QString message = QStringLiteral(
                "the bytes received do not have the SHA-256 given to blob.create; the upload was "
                "discarded");
            chunkFail(chunk.request, ErrorCode::InvalidField, message, QStringLiteral("sha256"));
            for (const Chunk &other : upload->queue)
                chunkFail(other.request, ErrorCode::InvalidField, message,
                          QStringLiteral("sha256"));
            upload->queue.clear();
        });
}

} // namespace Server
