#pragma once

#include "store/LocalTypes.h"

#include <QFile>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace Client {

class LocalStore;
struct Reply;
class TransferClient;

//! The upload queue of the attachments of held outbox entries (the store's `uploads` table).
//!
//! Each attachment is encrypted into the media cache on a worker thread while its ciphertext is
//! hashed, then uploaded on the transfer connection: blob.create (idempotent on its createId),
//! then blob.put from the offset the server answered, 4 chunks of 256 KiB in flight at most.
//! After a lost connection, a restart of the server or of the app, the same blob.create answers
//! the blob and the offset to go on from. One attachment uploads at a time, in send order (the
//! server allows few pending uploads). When every attachment of a message is complete, the
//! message's descriptors are filled in and the outbox entry is released to go.
//!
//! A refusal that retrying cannot fix marks the upload and its message failed; the outbox's
//! retry starts it again (with a new blob), its discard forgets it.
class Uploader : public QObject
{
    Q_OBJECT
public:
    Uploader(LocalStore *store, TransferClient *transfer, const QString &cacheDir,
             QObject *parent = nullptr);

    //! Reads the queue from the store (once it is open) and goes on with it.
    void load();
    //! The rows of a message just written (LocalStore::addHeldToOutbox); `bytes`: the prepared
    //! plaintext of rows without a source file, by localId, held in memory until encrypted.
    void add(const QList<UploadRow> &rows, const QHash<QString, QByteArray> &bytes);
    //! Stops the uploads of a message and marks it failed ("canceled"); false when there are none.
    bool cancel(const QString &clientId);
    bool hasUploads(const QString &clientId) const;
    //! Cache files that pending uploads still need (never cleared).
    QStringList pendingCachePaths() const;
    void setRetryDelayMs(int ms) { m_retryDelayMs = ms; }

Q_SIGNALS:
    //! Ciphertext bytes of a message's attachments on the server so far, of all.
    void progress(const QString &clientId, qint64 done, qint64 total);
    //! Every attachment is on the server; the message goes through the outbox.
    void finished(const QString &clientId);
    void failed(const QString &clientId, const QString &error);

private:
    struct Active
    {
        QString localId;
        quint64 generation = 0;
        qint64 acked = 0; //!< the server has every byte before this
        qint64 next = 0; //!< the next byte to put
        int inFlight = 0;
        qint64 chunkBytes = 0;
        bool creating = false;
        QFile file;
    };

    void step();
    void startEncryption(const UploadRow &row);
    void startUpload(const UploadRow &row);
    void onCreated(const QString &localId, quint64 generation, const Reply &reply);
    void pumpPuts();
    void onPut(quint64 generation, qint64 offset, qint64 length, const Reply &reply);
    void confirmComplete(const QString &localId, quint64 generation);
    void complete(const QString &localId);
    void releaseIfDone(const QString &clientId);
    //! A problem that waiting fixes: the active upload starts again later with blob.create.
    void pause(const Reply &reply);
    void fail(const QString &failedId, const QString &error);
    void abandonActive();
    void onEntryChanged(const OutboxEntry &entry);
    void onEntryRemoved(const QString &clientId);
    void emitProgress(const QString &clientId);
    void updateBusy();
    UploadRow *row(const QString &localId);
    bool messageFailed(const QString &clientId) const;
    void save(const UploadRow &row);

    LocalStore *m_store;
    TransferClient *m_transfer;
    QString m_cacheDir;
    QList<UploadRow> m_rows; //!< in send order
    QHash<QString, QByteArray> m_bytes; //!< prepared plaintext not yet encrypted, by localId
    QString m_encrypting; //!< localId being encrypted
    Active m_active;
    quint64 m_generation = 0;
    QTimer m_retryTimer;
    int m_retryDelayMs = 2000;
};

} // namespace Client
