#pragma once

#include "BlobIo.h"
#include "BlobQueries.h"
#include "BlobStore.h"
#include "BlobSweeper.h"

#include "core/ServerContext.h"
#include "core/Session.h"
#include "core/TokenBucket.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPair>

#include <deque>
#include <functional>
#include <memory>

namespace Server {

//! blob.create, blob.put, blob.status and blob.get (transfer connections only; the Session
//! refuses them elsewhere). Rows go through the Store's threads, bytes through BlobIo's pool;
//! the socket thread only routes. Chunks of one blob are written one after the other, in the
//! order they arrived, whichever connection sent them.
//!
//! The write order of an upload's last chunk: size and SHA-256 checked, fdatasync, rename into
//! place, fsync of the folder, the row committed as complete, and only then the acknowledgement.
class BlobService : public QObject
{
    Q_OBJECT
public:
    explicit BlobService(ServerContext context, QObject *parent = nullptr);
    ~BlobService() override;

    //! Prepares the blob folder and starts the sweeper. False with a reason.
    bool open(QString *error);

    BlobStore *blobs() const { return m_blobs.get(); }
    BlobIo *io() { return &m_io; }
    Metrics *metrics() const { return m_context.metrics; }
    //! Drops what is remembered of these blobs (their rows were swept): uploads and read grants.
    void forget(const QStringList &ids);

private:
    struct Chunk
    {
        Request request;
        qint64 offset = 0;
        QByteArray bytes; //!< holds data: the request's frame (or a copy of the field)
        QByteArrayView data; //!< the chunk's bytes, inside `bytes`
    };
    //! An unfinished upload the server has touched since it started.
    struct Upload
    {
        QString id;
        qint64 ownerId = 0;
        qint64 size = 0;
        QByteArray sha256;
        std::unique_ptr<BlobStore::Upload> file; //!< BlobIo threads only, while busy
        std::deque<Chunk> queue;
        bool busy = false; //!< a chunk (or the opening) is on the pool or being committed
        bool inPlace = false; //!< renamed into place; the commit of its row is what remains
    };
    using UploadPtr = std::shared_ptr<Upload>;
    //! A positive blob.get access decision, reused until expiresAt (m_clock milliseconds) for the
    //! same account and blob: a 100 MiB download is 400 chunks, and a query for each cost the
    //! message commits their database time (ServerConfig::blobReadGrantMs).
    struct ReadGrant
    {
        BlobQueries::BlobRow row;
        qint64 expiresAt = 0;
    };
    using GrantKey = QPair<qint64, QString>; //!< user id, blob id

    void handleCreate(const Request &request);
    void createRow(const Request &request); //!< blob.create once the disk has room
    void handlePut(const Request &request);
    void handleStatus(const Request &request);
    void handleGet(const Request &request);
    //! The read of one blob.get chunk, once access is granted.
    void readChunk(const Request &request, const BlobQueries::BlobRow &row, qint64 offset,
                   qint64 length);

    //! The chunk admission: at most MaxOutstandingChunks per connection, bytes from the user's
    //! bucket. False (and answered) when refused; else answerChunk() must follow.
    bool admitChunk(const Request &request, qint64 bytes);
    //! The user's bucket of blob.put bytes per hour.
    TokenBucket &uploadBucket(qint64 userId);
    void chunkOk(const Request &request, const QCborMap &body);
    void chunkFail(const Request &request, Protocol::ErrorCode code, const QString &message,
                   const QString &field = {}, const QCborMap &extra = {});
    void answerCompletePut(const Chunk &chunk, qint64 size);

    //! Where an unfinished upload stands: the partial file's size, or (renamed into place
    //! before its row was committed) the commit made now.
    void progressOf(const BlobQueries::BlobRow &row,
                    const std::function<void(qint64 offset, bool complete)> &done);
    void pump(const UploadPtr &upload);
    void commit(const UploadPtr &upload, const Chunk &chunk);
    void discard(const UploadPtr &upload, const Chunk &chunk);

    ServerContext m_context;
    std::unique_ptr<BlobStore> m_blobs;
    BlobIo m_io;
    QHash<QString, UploadPtr> m_uploads;
    QHash<qint64, TokenBucket> m_userBytes;
    QHash<qint64, TokenBucket> m_userUploads; //!< blob.put bytes per hour
    QHash<GrantKey, ReadGrant> m_readGrants;
    QElapsedTimer m_clock;
    BlobSweeper m_sweeper;
};

} // namespace Server
