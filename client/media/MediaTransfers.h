#pragma once

#include "connection/Connection.h"
#include "media/MediaCache.h"
#include "media/MediaKind.h"
#include "protocol/Attachment.h"
#include "store/LocalTypes.h"

#include <QFuture>
#include <QHash>
#include <QIODevice>
#include <QObject>
#include <QSet>

#include <memory>

namespace Client {

class Downloader;
class LocalStore;
class TransferClient;
class TrustStore;
class Uploader;

//! One attachment to send: a file, or bytes prepared in memory (ImagePrep's re-encoded image, a
//! recorded voice note) — the bytes win when both are given. `meta` says what it is: kind, mime,
//! name, width, height, duration, waveform, thumbnail; the rest (blob, key, sizes, hash) is filled
//! in here.
struct OutgoingAttachment
{
    QString path;
    QByteArray bytes;
    Protocol::Body::Attachment meta;
};

//! Attachments of one account, the only media object the app uses (Account::media()).
//!
//! Sending: sendAttachments() writes the message to the outbox at once, held, with its
//! descriptors (kind, name, size, thumbnail: the bubble shows with progress at once); the
//! Uploader encrypts each file into the cache and uploads it on the transfer connection; then
//! the descriptors are filled in and the Outbox sends the message with `blobIds`, exactly once,
//! in order with what was written after it in the same conversation.
//!
//! Receiving: images and voice notes up to autoDownloadBytes download by themselves when their
//! message arrives; others on download(). Downloads run one at a time, avatars (urgent) before
//! the others; the queue is kept in the store, so that after a restart it goes on, each download
//! from its partial file. A downloaded attachment is ciphertext in the cache, verified against
//! its SHA-256; open() decrypts it chunk by chunk as it is read, saveAs() decrypts it to a file
//! of the user's choosing.
//!
//! Expired attachments: with the server's media retention on (limits().retentionDays > 0), an
//! attachment whose download gets `not_found` and whose message is older than the retention
//! is expired(), not failed(): remembered in the store, never asked for again (isExpired()).
//! A `not_found` for a newer message, or with retention off, is a failure (a retry may ask).
//!
//! Ids in signals and calls: a blobId for downloads and received attachments, the message's
//! clientId for uploads.
class MediaTransfers : public QObject
{
    Q_OBJECT
    Q_PROPERTY(qint64 autoDownloadBytes READ autoDownloadBytes WRITE setAutoDownloadBytes NOTIFY
                   autoDownloadBytesChanged)
public:
    //! Signal and WhatsApp download photos on mobile data by default; 10 MiB covers every
    //! re-encoded image (≤ 2 048 px JPEG) and ~40 minutes of a 32 kbit/s voice note.
    static constexpr qint64 DefaultAutoDownloadBytes = 10 * 1024 * 1024;
    //! A descriptor's blob id while its upload runs (a valid id that names no blob).
    static QString pendingBlobId();

    MediaTransfers(Connection *chat, LocalStore *store, TrustStore *trustStore,
                   const ConnectionSettings &settings, const QString &cacheDir,
                   QObject *parent = nullptr);
    ~MediaTransfers() override;

    //! The store is open: the upload and download queues go on where they stopped.
    void storeOpened();

    //! What the server announced (welcome.limits), with the seeds' defaults before a welcome.
    MediaLimits limits() const;

    //! Queues a message with attachments (at most 32); the body's text is the caption. Returns
    //! the pending entry, or one with an empty clientId when nothing could be queued (no files,
    //! too many, a file that cannot be read, one over limits() for its kind: the app checks
    //! MediaKind::sizeProblem() first to tell the user).
    OutboxEntry sendAttachments(qint64 conversationId, Protocol::Body::MessageBody body,
                                const QList<OutgoingAttachment> &files);

    //! Makes a descriptor known, so that download(blobId) and retry(blobId) work from its id.
    //! `sentAt`: its message's server timestamp, ms (0: none, as for avatars, which never
    //! expire).
    void remember(const Protocol::Body::Attachment &attachment, qint64 sentAt = 0);
    //! remember() and queue its download (ciphertext into the cache). Urgent ones (avatars) go
    //! before the other queued downloads, never stopping the one running. An expired one is
    //! never asked for: expired() at once.
    void fetch(const Protocol::Body::Attachment &attachment, bool urgent = false,
               qint64 sentAt = 0);
    Q_INVOKABLE void download(const QString &blobId);
    //! A download (blobId) or the uploads of a message (clientId, which then fails: retry or
    //! discard it as a text that failed).
    Q_INVOKABLE void cancel(const QString &id);
    Q_INVOKABLE void retry(const QString &id);
    //! The ciphertext is complete and verified in the cache.
    Q_INVOKABLE bool isAvailable(const QString &blobId) const;
    //! The server no longer keeps it (past its media retention): nothing will download it.
    Q_INVOKABLE bool isExpired(const QString &blobId) const;
    //! The plaintext, decrypted as it is read (a DecryptingDevice, open), or null when the blob is
    //! not in the cache or is damaged.
    std::unique_ptr<QIODevice> open(const Protocol::Body::Attachment &attachment) const;
    //! Decrypts to `path` on a worker thread; false (and failed()) when it could not.
    QFuture<bool> saveAs(const Protocol::Body::Attachment &attachment, const QString &path);

    Q_INVOKABLE qint64 cacheBytes() const;
    //! Removes cached attachments; never the files of pending uploads or queued downloads.
    Q_INVOKABLE void clearCache();

    qint64 autoDownloadBytes() const { return m_autoDownloadBytes; }
    void setAutoDownloadBytes(qint64 bytes);

    TransferClient *transferClient() const { return m_transfer; }
    Uploader *uploader() const { return m_uploader; }
    Downloader *downloader() const { return m_downloader; }
    const MediaCache &cache() const { return m_cache; }

Q_SIGNALS:
    void progress(const QString &id, qint64 done, qint64 total);
    void finished(const QString &id);
    void failed(const QString &id, const QString &error);
    //! A download ended because the blob is past the server's media retention (not failed()).
    void expired(const QString &blobId);
    void autoDownloadBytesChanged();
    //! clearCache() removed what was downloaded (Avatars fetches the pictures again).
    void cacheCleared();

private:
    struct Known
    {
        Protocol::Body::Attachment attachment;
        qint64 sentAt = 0;
    };
    void onMessagesAdded(const QList<Protocol::MessageRecord> &messages);
    //! The server has no such blob: expired or failed, as the retention and its message say.
    void onMissing(const QString &blobId, qint64 sentAt);
    void markExpired(const QString &blobId);

    Connection *m_chat;
    LocalStore *m_store;
    MediaCache m_cache;
    TransferClient *m_transfer;
    Uploader *m_uploader;
    Downloader *m_downloader;
    QHash<QString, Known> m_known; //!< by blobId
    QSet<QString> m_expired; //!< blob ids (the store's expired_blobs)
    qint64 m_autoDownloadBytes = DefaultAutoDownloadBytes;
};

} // namespace Client
