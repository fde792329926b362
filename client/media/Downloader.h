#pragma once

#include "media/MediaCache.h"
#include "protocol/Attachment.h"

#include <QFile>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace Client {

struct Reply;
class TransferClient;

//! Downloads blobs into the media cache on the transfer connection: blob.get ranges of 256 KiB
//! (4 in flight at most) appended to `<blobId>.part`, resumed from its size after a loss or a
//! restart; at the end the SHA-256 of the ciphertext is checked against the descriptor (in
//! constant time, on a worker thread) and the file renamed to `<blobId>.blob`. One blob at a
//! time, in the order asked.
class Downloader : public QObject
{
    Q_OBJECT
public:
    Downloader(TransferClient *transfer, const MediaCache *cache, QObject *parent = nullptr);

    //! Queues the download of an attachment (nothing when it is cached or queued already).
    void fetch(const Protocol::Body::Attachment &attachment);
    //! Stops a queued or running download (its partial file stays, for a later retry).
    bool cancel(const QString &blobId);
    bool isQueued(const QString &blobId) const;
    //! The partial files of the running downloads (never cleared).
    QStringList activePartPaths() const;
    void setRetryDelayMs(int ms) { m_retryDelayMs = ms; }

Q_SIGNALS:
    void progress(const QString &blobId, qint64 done, qint64 total);
    //! The ciphertext is complete and verified in the cache.
    void finished(const QString &blobId);
    void failed(const QString &blobId, const QString &error);

private:
    void step();
    void start(const Protocol::Body::Attachment &attachment);
    void pumpGets();
    void onGet(quint64 generation, qint64 offset, qint64 length, const Reply &reply);
    void verify();
    void fail(const QString &blobId, const QString &error);
    void abandonActive();
    void updateBusy();

    TransferClient *m_transfer;
    const MediaCache *m_cache;
    QList<Protocol::Body::Attachment> m_queue;
    struct Active
    {
        Protocol::Body::Attachment attachment;
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
