// LocalStore, attachments (issue 13): messages held for their uploads and the upload queue.
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

} // namespace Client
