#include "MediaTransfers.h"

#include "ClientLogging.h"
#include "media/BlobCipher.h"
#include "media/BlobFiles.h"
#include "media/DecryptingDevice.h"
#include "media/Downloader.h"
#include "media/TransferClient.h"
#include "media/Uploader.h"
#include "store/LocalStore.h"

#include <QDateTime>
#include <QFileInfo>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

namespace Client {

using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace {
QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}
} // namespace

QString MediaTransfers::pendingBlobId()
{
    return QString(Body::Limits::BlobIdLength, u'a');
}

MediaTransfers::MediaTransfers(Connection *chat, LocalStore *store, TrustStore *trustStore,
                               const ConnectionSettings &settings, const QString &cacheDir,
                               QObject *parent)
    : QObject(parent)
    , m_chat(chat)
    , m_store(store)
    , m_cache(cacheDir)
    , m_transfer(new TransferClient(chat, trustStore, settings, this))
    , m_uploader(new Uploader(store, m_transfer, cacheDir, this))
    , m_downloader(new Downloader(m_transfer, &m_cache, store, this))
{
    connect(m_uploader, &Uploader::progress, this, &MediaTransfers::progress);
    connect(m_uploader, &Uploader::finished, this, &MediaTransfers::finished);
    connect(m_uploader, &Uploader::failed, this, &MediaTransfers::failed);
    connect(m_downloader, &Downloader::progress, this, &MediaTransfers::progress);
    connect(m_downloader, &Downloader::finished, this, &MediaTransfers::finished);
    connect(m_downloader, &Downloader::failed, this, &MediaTransfers::failed);
    connect(m_downloader, &Downloader::missing, this, &MediaTransfers::onMissing);
    // A download resumed from the last run is retried by its id like one asked for now.
    connect(m_downloader, &Downloader::resumed, this,
            [this](const Body::Attachment &attachment, qint64 sentAt) {
                remember(attachment, sentAt);
            });
    connect(m_store, &LocalStore::messagesAdded, this,
            [this](qint64, const QList<Protocol::MessageRecord> &messages) {
                onMessagesAdded(messages);
            });
}

MediaTransfers::~MediaTransfers()
{
    // The transfer connection, destroyed with this object, fails what is in flight as it goes:
    // the Downloader and Uploader would then call back into a half-destroyed TransferClient.
    delete m_downloader;
    delete m_uploader;
}

MediaLimits MediaTransfers::limits() const
{
    return MediaLimits::fromWelcome(m_chat->serverLimits());
}

void MediaTransfers::storeOpened()
{
    m_uploader->load();
    m_downloader->load();
    m_store->expiredBlobs().then(this, [this](const QStringList &blobIds) {
        for (const QString &blobId : blobIds)
            m_expired.insert(blobId);
    });
}

OutboxEntry MediaTransfers::sendAttachments(qint64 conversationId, Body::MessageBody body,
                                            const QList<OutgoingAttachment> &files)
{
    if (files.isEmpty() || files.size() > Body::Limits::MaxAttachments) {
        qCWarning(lcClientMedia) << "cannot send" << files.size() << "attachments";
        return {};
    }
    QList<UploadRow> rows;
    QList<Body::Attachment> descriptors;
    QHash<QString, QByteArray> bytes;
    for (const OutgoingAttachment &file : files) {
        UploadRow row;
        row.localId = newId();
        row.index = int(rows.size());
        row.createId = newId();
        row.cachePath = m_cache.uploadPath(row.localId);
        row.key = Media::newBlobKey();
        if (!file.bytes.isNull()) {
            row.size = file.bytes.size();
            bytes.insert(row.localId, file.bytes);
        } else {
            const QFileInfo info(file.path);
            if (!info.isFile() || !info.isReadable()) {
                qCWarning(lcClientMedia).noquote() << "cannot read" << file.path;
                return {};
            }
            row.sourcePath = info.absoluteFilePath();
            row.size = info.size();
        }
        row.cipherSize = Media::cipherSizeFor(row.size);
        const MediaLimits allowed = limits();
        if (const QString problem =
                MediaKind::sizeProblem(file.meta.name, row.size, file.meta.kind, allowed);
            !problem.isEmpty() || row.cipherSize > allowed.blobBytes) {
            // The server's limit counts the ciphertext (a few bytes per 64 KiB more).
            qCWarning(lcClientMedia).noquote()
                << (problem.isEmpty() ? u"the encrypted file is over the server's limit"_s
                                      : problem);
            return {};
        }
        rows.append(row);

        // Shown at once (kind, name, size, thumbnail); blob and hash are filled in once
        // uploaded, before the message goes.
        Body::Attachment descriptor = file.meta;
        descriptor.blobId = pendingBlobId();
        descriptor.key = row.key;
        descriptor.size = row.size;
        descriptor.cipherSize = row.cipherSize;
        descriptor.sha256 = QByteArray(Media::Sha256Bytes, '\0');
        descriptors.append(descriptor);
    }
    Body::setAttachments(body, descriptors);
    if (const Body::BodyError error = Body::validate(body); !error.code.isEmpty()) {
        qCWarning(lcClientMedia).noquote() << "cannot send these attachments:" << error.message;
        return {};
    }
    OutboxEntry entry = m_store->addHeldToOutbox(conversationId, QString(Body::ContentType),
                                                 Body::encode(body), rows);
    for (UploadRow &row : rows)
        row.clientId = entry.clientId;
    m_uploader->add(rows, bytes);
    return entry;
}

void MediaTransfers::remember(const Body::Attachment &attachment, qint64 sentAt)
{
    if (!Protocol::isValidBlobId(attachment.blobId) || attachment.blobId == pendingBlobId())
        return;
    // A descriptor known with its message's time keeps that time when passed again without it.
    Known &known = m_known[attachment.blobId];
    known.attachment = attachment;
    if (sentAt > 0)
        known.sentAt = sentAt;
}

void MediaTransfers::fetch(const Body::Attachment &attachment, bool urgent, qint64 sentAt)
{
    remember(attachment, sentAt);
    if (attachment.blobId == pendingBlobId())
        return;
    if (isExpired(attachment.blobId)) {
        Q_EMIT expired(attachment.blobId);
        return;
    }
    const auto known = m_known.constFind(attachment.blobId);
    m_downloader->fetch(attachment, urgent, known != m_known.cend() ? known->sentAt : sentAt);
}

void MediaTransfers::download(const QString &blobId)
{
    const auto it = m_known.constFind(blobId);
    if (it == m_known.cend()) {
        Q_EMIT failed(blobId, u"unknown attachment"_s);
        return;
    }
    fetch(it->attachment, false, it->sentAt);
}

void MediaTransfers::cancel(const QString &id)
{
    if (!m_uploader->cancel(id))
        m_downloader->cancel(id);
}

void MediaTransfers::retry(const QString &id)
{
    if (const auto entry = m_store->outboxEntry(id)) {
        // The outbox's own retry: the Uploader starts the failed uploads again when it sees it.
        if (entry->failed)
            m_store->retryOutbox(id);
        return;
    }
    download(id);
}

bool MediaTransfers::isAvailable(const QString &blobId) const
{
    return Protocol::isValidBlobId(blobId) && QFileInfo::exists(m_cache.blobPath(blobId));
}

bool MediaTransfers::isExpired(const QString &blobId) const
{
    return m_expired.contains(blobId);
}

void MediaTransfers::onMissing(const QString &blobId, qint64 sentAt)
{
    const int retentionDays = limits().retentionDays;
    if (const auto known = m_known.constFind(blobId); sentAt <= 0 && known != m_known.cend())
        sentAt = known->sentAt;
    const qint64 retentionMs = qint64(retentionDays) * 24 * 3'600'000;
    // The sweeper counts from the upload's end, which came before the message: a message older
    // than the retention has lost its blobs. A newer one's `not_found` is some other trouble.
    if (retentionDays > 0 && sentAt > 0
        && QDateTime::currentMSecsSinceEpoch() - sentAt > retentionMs) {
        markExpired(blobId);
        return;
    }
    Q_EMIT failed(blobId, u"the attachment is no longer on the server"_s);
}

void MediaTransfers::markExpired(const QString &blobId)
{
    qCInfo(lcClientMedia).noquote()
        << "attachment" << blobId << "expired (past the server's media retention)";
    m_expired.insert(blobId);
    m_store->addExpiredBlob(blobId);
    Q_EMIT expired(blobId);
}

std::unique_ptr<QIODevice> MediaTransfers::open(const Body::Attachment &attachment) const
{
    if (!Protocol::isValidBlobId(attachment.blobId))
        return {};
    auto file = std::make_unique<QFile>(m_cache.blobPath(attachment.blobId));
    if (!file->open(QIODevice::ReadOnly) || file->size() != attachment.cipherSize)
        return {};
    auto device = std::make_unique<Media::DecryptingDevice>(std::move(file), attachment.key);
    if (!device->open(QIODevice::ReadOnly)) {
        qCWarning(lcClientMedia).noquote()
            << "attachment" << attachment.blobId << "does not open:" << device->errorString();
        return {};
    }
    return device;
}

QFuture<bool> MediaTransfers::saveAs(const Body::Attachment &attachment, const QString &path)
{
    const QString blobId = attachment.blobId;
    return QtConcurrent::run(&BlobFiles::decryptToPath, m_cache.blobPath(blobId), attachment.key,
                             path)
        .then(this, [this, blobId](const QString &error) {
            if (error.isEmpty())
                return true;
            Q_EMIT failed(blobId, error);
            return false;
        });
}

qint64 MediaTransfers::cacheBytes() const
{
    return m_cache.bytes();
}

void MediaTransfers::clearCache()
{
    m_cache.clear(m_uploader->pendingCachePaths() + m_downloader->partPaths());
    Q_EMIT cacheCleared();
}

void MediaTransfers::setAutoDownloadBytes(qint64 bytes)
{
    if (bytes == m_autoDownloadBytes)
        return;
    m_autoDownloadBytes = std::max<qint64>(0, bytes);
    Q_EMIT autoDownloadBytesChanged();
}

void MediaTransfers::onMessagesAdded(const QList<Protocol::MessageRecord> &messages)
{
    for (const Protocol::MessageRecord &message : messages) {
        if (message.contentType != QLatin1StringView(Body::ContentType)
            || message.content.isEmpty())
            continue;
        const Body::DecodedBody decoded = Body::decode(message.content);
        if (!decoded.ok())
            continue;
        for (const Body::Attachment &attachment : Body::attachmentsOf(decoded.body)) {
            remember(attachment, message.timestamp);
            // Photos and voice notes are what a chat shows inline; files wait to be asked for.
            const bool showsInline = attachment.kind == Body::AttachmentKind::Image
                || attachment.kind == Body::AttachmentKind::Voice;
            if (showsInline && attachment.size <= m_autoDownloadBytes
                && !isAvailable(attachment.blobId) && !isExpired(attachment.blobId))
                m_downloader->fetch(attachment, false, message.timestamp);
        }
    }
}

} // namespace Client
