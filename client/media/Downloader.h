#pragma once

#include "media/MediaCache.h"
#include "protocol/Attachment.h"

#include <QFile>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

namespace Client {

class LocalStore;
struct Reply;
class TransferClient;

//! Downloads blobs into the media cache on the transfer connection: blob.get ranges of 256 KiB
//! (4 in flight at most) appended to `<blobId>.part`, resumed from its size after a loss or a
//! restart; at the end the SHA-256 of the ciphertext is checked against the descriptor (in
//! constant time, on a worker thread) and the file renamed to `<blobId>.blob`. One blob at a
//! time: urgent ones (avatars) first, then the others in the order asked; an urgent one never
//! stops the one running.
//!
//! The queue is kept in the store (`downloads`): a download is written there when asked for and
//! forgotten when finished, canceled or failed for good, so that after a restart load() goes on
//! with the same queue, each from its partial file. Nothing starts before load() has read it.
class Downloader : public QObject
{
    Q_OBJECT
public:
    Downloader(TransferClient *transfer, const MediaCache *cache, LocalStore *store,
               QObject *parent = nullptr);

    //! The store is open: reads the queue left by the last run and goes on with it.
    void load();
    //! Queues the download of an attachment (nothing when it is cached or queued already; an
    //! urgent request raises a queued one to urgent). `sentAt`: its message's server timestamp
    //! (0: none), kept with it and handed back by missing().
    void fetch(const Protocol::Body::Attachment &attachment, bool urgent = false,
               qint64 sentAt = 0);
    //! Stops a queued or running download and forgets it (its partial file stays, for a later
    //! retry).
    bool cancel(const QString &blobId);
    bool isQueued(const QString &blobId) const;
    //! The blob ids waiting (not the running one), in the order they will run.
    QStringList queued() const;
    //! The partial files of the queued and running downloads (kept when the cache is cleared).
    QStringList partPaths() const;
    void setRetryDelayMs(int ms) { m_retryDelayMs = ms; }

Q_SIGNALS:
    void progress(const QString &blobId, qint64 done, qint64 total);
    //! The ciphertext is complete and verified in the cache.
    void finished(const QString &blobId);
    void failed(const QString &blobId, const QString &error);
    //! The server has no such blob (`not_found`): forgotten like a failure for good; the owner
    //! tells an expired attachment (past the server's media retention) from a failed one.
    void missing(const QString &blobId, qint64 sentAt);
    //! A download of the last run's queue, read by load(): its descriptor, for a retry by id.
    void resumed(const Protocol::Body::Attachment &attachment, qint64 sentAt);

private:
    struct Queued
    {
        Protocol::Body::Attachment attachment;
        bool urgent = false;
        qint64 sentAt = 0;
    };
    //! Puts it in its place in m_queue: behind the urgent ones when urgent, else at the end.
    void enqueue(const Queued &queued);
    //! Puts the running download back in front of the queue (a loss, a retryable refusal).
    void requeueActive();
    //! Forgets it in the store (finished, canceled or failed for good).
    void forget(const QString &blobId);
    void step();
    void start(const Queued &next);
    void pumpGets();
    void onGet(quint64 generation, qint64 offset, qint64 length, const Reply &reply);
    void verify();
    //! Stops and forgets it; failed(), or missing() when the server has no such blob.
    void fail(const QString &blobId, const QString &error, bool missing = false);
    void abandonActive();
    void updateBusy();

    TransferClient *m_transfer;
    const MediaCache *m_cache;
    //! Null once destroyed: the Account destroys its store before its media.
    QPointer<LocalStore> m_store;
    bool m_loaded = false;
    qint64 m_lastQueuedAt = 0; //!< queued_at strictly increases: the store keeps this order
    QList<Queued> m_queue;
    struct Active
    {
        Protocol::Body::Attachment attachment;
        bool urgent = false;
        qint64 sentAt = 0;
        quint64 generation = 0;
        qint64 written = 0; //!< bytes in the partial file
        qint64 next = 0; //!< the next byte to ask for
        int inFlight = 0;
        bool verifying = false;
        QMap<qint64, QByteArray> early; //!< answers that came before those in front of them
        QFile part;
    } m_active;
    quint64 m_generation = 0;
    QTimer m_retryTimer;
    int m_retryDelayMs = 2000;
};

} // namespace Client
