#include "DownloadQueries.h"

#include "ClientLogging.h"

#include <QCborValue>
#include <QSqlError>
#include <QSqlQuery>

namespace Client {

using namespace Qt::StringLiterals;

namespace DownloadQueries {

namespace {
bool run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcClientStore).noquote() << "download query failed:" << q.lastError().text();
    return false;
}
} // namespace

bool upsert(const QSqlDatabase &db, const DownloadRow &row)
{
    QSqlQuery q(db);
    // Raised to urgent, it goes behind the urgent ones queued before (as in the Downloader).
    q.prepare(u"INSERT INTO downloads (blob_id, descriptor, queued_at, urgent, sent_at) "
              "VALUES (?, ?, ?, ?, ?) "
              "ON CONFLICT (blob_id) DO UPDATE SET urgent = 1, queued_at = excluded.queued_at "
              "WHERE downloads.urgent = 0 AND excluded.urgent = 1"_s);
    q.addBindValue(row.attachment.blobId);
    q.addBindValue(Protocol::Body::encodeAttachment(row.attachment).toCborValue().toCbor());
    q.addBindValue(row.queuedAt);
    q.addBindValue(row.urgent ? 1 : 0);
    q.addBindValue(row.sentAt);
    return run(q);
}

QList<DownloadRow> list(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    // The Downloader makes queued_at strictly increasing; rowid only breaks ties of rows
    // queued by an older version in the same millisecond.
    q.prepare(u"SELECT blob_id, descriptor, queued_at, urgent, sent_at FROM downloads "
              "ORDER BY urgent DESC, queued_at, rowid"_s);
    QList<DownloadRow> rows;
    QStringList broken;
    if (!run(q))
        return rows;
    while (q.next()) {
        QString error;
        const auto attachment = Protocol::Body::decodeAttachment(
            QCborValue::fromCbor(q.value(1).toByteArray()), &error);
        if (!attachment || attachment->blobId != q.value(0).toString()) {
            qCWarning(lcClientStore).noquote()
                << "dropping a queued download that does not decode:" << error;
            broken.append(q.value(0).toString());
            continue;
        }
        DownloadRow row;
        row.attachment = *attachment;
        row.queuedAt = q.value(2).toLongLong();
        row.urgent = q.value(3).toInt() != 0;
        row.sentAt = q.value(4).toLongLong();
        rows.append(row);
    }
    for (const QString &blobId : std::as_const(broken))
        remove(db, blobId);
    return rows;
}

bool remove(const QSqlDatabase &db, const QString &blobId)
{
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM downloads WHERE blob_id = ?"_s);
    q.addBindValue(blobId);
    return run(q);
}

bool addExpired(const QSqlDatabase &db, const QString &blobId)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO expired_blobs (blob_id) VALUES (?) ON CONFLICT DO NOTHING"_s);
    q.addBindValue(blobId);
    return run(q) && remove(db, blobId);
}

QStringList expired(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT blob_id FROM expired_blobs"_s);
    QStringList blobIds;
    if (!run(q))
        return blobIds;
    while (q.next())
        blobIds.append(q.value(0).toString());
    return blobIds;
}

} // namespace DownloadQueries

} // namespace Client
