// StoreDatabase, attachments (issue 13): held outbox entries and their upload queue; the
// download queue.
#include "StoreDatabase.h"

#include "store/DownloadQueries.h"
#include "store/OutboxQueries.h"
#include "store/UploadQueries.h"

namespace Client {

bool StoreDatabase::addHeldToOutbox(OutboxEntry entry, const QList<UploadRow> &uploads,
                                    StoreChanges &changes)
{
    entry.held = true;
    begin();
    bool ok = OutboxQueries::insert(m_db, entry);
    for (const UploadRow &row : uploads) {
        if (ok)
            ok = UploadQueries::insert(m_db, row);
    }
    if (!ok) {
        m_transactionDepth = 0;
        m_db.rollback();
        return false;
    }
    commit();
    changes.outboxAdded.append(entry);
    Touched touched;
    touched.conversations.insert(entry.conversationId);
    finish(touched, changes);
    return true;
}

bool StoreDatabase::releaseOutbox(const QString &clientId, const QByteArray &content,
                                  StoreChanges &changes)
{
    begin();
    if (!OutboxQueries::release(m_db, clientId, content)
        || !UploadQueries::removeFor(m_db, clientId)) {
        m_transactionDepth = 0;
        m_db.rollback();
        return false;
    }
    commit();
    if (const auto entry = OutboxQueries::find(m_db, clientId)) {
        changes.outboxChanged.append(*entry);
        Touched touched;
        touched.conversations.insert(entry->conversationId);
        finish(touched, changes);
    }
    return true;
}

QList<UploadRow> StoreDatabase::uploads()
{
    return UploadQueries::list(m_db);
}

bool StoreDatabase::updateUpload(const UploadRow &row)
{
    return UploadQueries::update(m_db, row);
}

bool StoreDatabase::addDownload(const DownloadRow &row)
{
    return DownloadQueries::upsert(m_db, row);
}

bool StoreDatabase::removeDownload(const QString &blobId)
{
    return DownloadQueries::remove(m_db, blobId);
}

QList<DownloadRow> StoreDatabase::downloads()
{
    return DownloadQueries::list(m_db);
}

bool StoreDatabase::addExpiredBlob(const QString &blobId)
{
    begin();
    if (!DownloadQueries::addExpired(m_db, blobId)) {
        m_transactionDepth = 0;
        m_db.rollback();
        return false;
    }
    commit();
    return true;
}

QStringList StoreDatabase::expiredBlobs()
{
    return DownloadQueries::expired(m_db);
}

} // namespace Client
