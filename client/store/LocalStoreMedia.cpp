// LocalStore, attachments (issue 13): messages held for their uploads, the upload queue and the
// download queue.
#include "LocalStore.h"

#include "store/StoreDatabase.h"

namespace Client {

OutboxEntry LocalStore::addHeldToOutbox(qint64 conversationId, const QString &contentType,
                                        const QByteArray &content, QList<UploadRow> uploads)
{
    OutboxEntry entry = newOutboxEntry(conversationId, contentType, content);
    entry.held = true;
    for (UploadRow &row : uploads)
        row.clientId = entry.clientId;
    enqueue<bool>([entry, uploads](StoreDatabase &db, StoreChanges &changes) {
        return db.addHeldToOutbox(entry, uploads, changes);
    });
    return entry;
}

QFuture<bool> LocalStore::releaseOutbox(const QString &clientId, const QByteArray &content)
{
    return enqueue<bool>([=](StoreDatabase &db, StoreChanges &changes) {
        return db.releaseOutbox(clientId, content, changes);
    });
}

QFuture<QList<UploadRow>> LocalStore::uploads()
{
    return enqueue<QList<UploadRow>>(
        [](StoreDatabase &db, StoreChanges &) { return db.uploads(); });
}

QFuture<bool> LocalStore::updateUpload(const UploadRow &row)
{
    return enqueue<bool>([row](StoreDatabase &db, StoreChanges &) { return db.updateUpload(row); });
}

QFuture<bool> LocalStore::addDownload(const DownloadRow &row)
{
    return enqueue<bool>([row](StoreDatabase &db, StoreChanges &) { return db.addDownload(row); });
}

QFuture<bool> LocalStore::removeDownload(const QString &blobId)
{
    return enqueue<bool>(
        [blobId](StoreDatabase &db, StoreChanges &) { return db.removeDownload(blobId); });
}

QFuture<QList<DownloadRow>> LocalStore::downloads()
{
    return enqueue<QList<DownloadRow>>(
        [](StoreDatabase &db, StoreChanges &) { return db.downloads(); });
}

QFuture<bool> LocalStore::addExpiredBlob(const QString &blobId)
{
    return enqueue<bool>(
        [blobId](StoreDatabase &db, StoreChanges &) { return db.addExpiredBlob(blobId); });
}

QFuture<QStringList> LocalStore::expiredBlobs()
{
    return enqueue<QStringList>(
        [](StoreDatabase &db, StoreChanges &) { return db.expiredBlobs(); });
}

} // namespace Client
