#include "BlobQueries.h"

#include "storage/Database.h"

#include "protocol/Protocol.h"

#include <QSet>
#include <QVariant>

#include <sodium.h>

namespace Server {

namespace BlobQueries {

using Protocol::ErrorCode;

namespace {

const QString rowColumns = QStringLiteral("b.id, b.owner_user_id, b.size, b.sha256, b.state");

BlobRow readRow(const QSqlQuery &q)
{
    BlobRow row;
    row.id = q.value(0).toString();
    row.ownerId = q.value(1).toLongLong();
    row.size = q.value(2).toLongLong();
    row.sha256 = q.value(3).toByteArray();
    row.state = State(q.value(4).toInt());
    return row;
}

//! Runs a prepared query and reads the one row it may return.
std::optional<BlobRow> fetchRow(Database &db, QSqlQuery &q)
{
    db.exec(q);
    std::optional<BlobRow> row;
    if (q.next())
        row = readRow(q);
    q.finish();
    return row;
}

QString marks(qsizetype count)
{
    QString text;
    for (qsizetype i = 0; i < count; ++i)
        text += i == 0 ? QStringLiteral("?") : QStringLiteral(",?");
    return text;
}

// Who may read a complete blob besides its uploader: a member of a conversation holding a live
// message that references it, sent since they joined. Binds: the user id.
const QString readableThroughMessage = QStringLiteral(
    "EXISTS (SELECT 1 FROM message_blobs mb JOIN messages m ON m.conversation_id = "
    "mb.conversation_id AND m.seq = mb.seq JOIN members mem ON mem.conversation_id = "
    "mb.conversation_id WHERE mb.blob_id = b.id AND m.erased = 0 AND mem.user_id = ? AND m.seq "
    ">= mem.joined_seq)");

// Who may read a complete blob that is someone's current avatar: the user themself and whoever
// shares a conversation with them (the rule of presence), and the current members of the group
// whose picture it is. Binds: the user id, three times.
const QString readableAsAvatar = QStringLiteral(
    "EXISTS (SELECT 1 FROM users au WHERE au.avatar_blob = b.id AND (au.id = ? OR EXISTS "
    "(SELECT 1 FROM members mine JOIN members theirs ON theirs.conversation_id = "
    "mine.conversation_id WHERE mine.user_id = ? AND theirs.user_id = au.id))) OR EXISTS (SELECT "
    "1 FROM conversations ac JOIN members am ON am.conversation_id = ac.id WHERE ac.avatar_blob "
    "= b.id AND am.user_id = ?)");

constexpr int RowsPerInsert = 1000;

} // namespace

QString newBlobId()
{
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    QString id;
    id.reserve(Protocol::Limits::BlobIdLength);
    quint32 buffer = 0;
    int bits = 0;
    for (unsigned char byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            id += QLatin1Char(alphabet[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
    }
    if (bits > 0)
        id += QLatin1Char(alphabet[(buffer << (5 - bits)) & 31]);
    return id;
}

Created create(Database &db, qint64 userId, const QString &clientId, qint64 size,
               const QByteArray &sha256, const Limits &limits)
{
    {
        QSqlQuery &q = db.prepare(QStringLiteral("SELECT %1 FROM blobs b WHERE b.owner_user_id = "
                                                 "? AND b.client_id = ?")
                                      .arg(rowColumns));
        q.addBindValue(userId);
        q.addBindValue(clientId);
        db.exec(q);
        if (q.next()) {
            Created created {readRow(q), true};
            q.finish();
            if (created.row.size != size || created.row.sha256 != sha256)
                throw StoreError(ErrorCode::InvalidField,
                                 QStringLiteral("\"clientId\" was used for a blob of another size "
                                                "or digest"));
            return created;
        }
        q.finish();
    }
    QSqlQuery &q = db.prepare(QStringLiteral(
        "SELECT COALESCE(SUM(size), 0), COALESCE(SUM(CASE WHEN state = 0 THEN 1 ELSE 0 END), 0) "
        "FROM blobs WHERE owner_user_id = ?"));
    q.addBindValue(userId);
    db.exec(q);
    const qint64 stored = q.next() ? q.value(0).toLongLong() : 0;
    const qint64 pending = q.value(1).toLongLong();
    q.finish();
    if (pending >= limits.maxPending)
        throw StoreError(ErrorCode::QuotaExceeded,
                         QStringLiteral("%1 uploads are unfinished, the most there may be; finish "
                                        "them or wait until they are swept")
                             .arg(pending));
    if (stored + size > limits.quotaBytes)
        throw StoreError(ErrorCode::QuotaExceeded,
                         QStringLiteral("this blob would take your media to %1 bytes, over the "
                                        "quota of %2")
                             .arg(stored + size)
                             .arg(limits.quotaBytes));
    Created created;
    created.row = {newBlobId(), userId, size, sha256, State::Uploading};
    QSqlQuery &insert = db.prepare(
        QStringLiteral("INSERT INTO blobs (id, owner_user_id, size, sha256, state, client_id, "
                       "created_at) VALUES (?, ?, ?, ?, 0, ?, ?)"));
    insert.addBindValue(created.row.id);
    insert.addBindValue(userId);
    insert.addBindValue(size);
    insert.addBindValue(sha256);
    insert.addBindValue(clientId);
    insert.addBindValue(Database::now());
    db.exec(insert);
    return created;
}

std::optional<BlobRow> ownBlob(Database &db, const QString &id, qint64 userId)
{
    QSqlQuery &q =
        db.prepare(QStringLiteral("SELECT %1 FROM blobs b WHERE b.id = ? AND b.owner_user_id = ?")
                       .arg(rowColumns));
    q.addBindValue(id);
    q.addBindValue(userId);
    return fetchRow(db, q);
}

std::optional<BlobRow> readableBlob(Database &db, const QString &id, qint64 userId)
{
    QSqlQuery &q = db.prepare(QStringLiteral("SELECT %1 FROM blobs b WHERE b.id = ? AND b.state = "
                                             "1 AND (b.owner_user_id = ? OR %2 OR %3)")
                                  .arg(rowColumns, readableThroughMessage, readableAsAvatar));
    q.addBindValue(id);
    for (int i = 0; i < 5; ++i)
        q.addBindValue(userId);
    return fetchRow(db, q);
}

void adoptAsAvatar(Database &db, const QString &id, qint64 userId)
{
    const std::optional<BlobRow> row = ownBlob(db, id, userId);
    if (!row || row->state != State::Complete)
        throw StoreError(ErrorCode::NotFound,
                         QStringLiteral("there is no complete blob %1 of yours").arg(id));
    if (row->size > Protocol::Limits::MaxAvatarBlobBytes)
        throw StoreError(
            ErrorCode::TooLarge,
            QStringLiteral("an avatar's blob may have at most %1 bytes, this one has %2")
                .arg(Protocol::Limits::MaxAvatarBlobBytes)
                .arg(row->size));
    QSqlQuery &q = db.prepare(
        QStringLiteral("UPDATE blobs SET referenced = TRUE WHERE id = ? AND NOT referenced"));
    q.addBindValue(id);
    db.exec(q);
}

bool markComplete(Database &db, const QString &id)
{
    QSqlQuery &q = db.prepare(
        QStringLiteral("UPDATE blobs SET state = 1, completed_at = ? WHERE id = ? RETURNING id"));
    q.addBindValue(Database::now());
    q.addBindValue(id);
    db.exec(q);
    const bool found = q.next();
    q.finish();
    return found;
}

void removeUpload(Database &db, const QString &id)
{
    QSqlQuery &q = db.prepare(QStringLiteral("DELETE FROM blobs WHERE id = ? AND state = 0"));
    q.addBindValue(id);
    db.exec(q);
}

bool referenceable(Database &db, qint64 userId, const QStringList &blobIds)
{
    const QStringList ids = QSet<QString>(blobIds.begin(), blobIds.end()).values();
    QSqlQuery &q = db.prepare(QStringLiteral("SELECT COUNT(*) FROM blobs b WHERE b.id IN (%1) AND "
                                             "b.state = 1 AND (b.owner_user_id = ? OR %2)")
                                  .arg(marks(ids.size()), readableThroughMessage));
    for (const QString &id : ids)
        q.addBindValue(id);
    q.addBindValue(userId);
    q.addBindValue(userId);
    db.exec(q);
    const qint64 found = q.next() ? q.value(0).toLongLong() : 0;
    q.finish();
    return found == ids.size();
}

void link(Database &db, const QList<Link> &links)
{
    QList<std::tuple<qint64, qint64, QString>> rows;
    QSet<QString> blobs;
    for (const Link &l : links) {
        for (const QString &id : QSet<QString>(l.blobIds.begin(), l.blobIds.end())) {
            rows.append({l.conversationId, l.seq, id});
            blobs.insert(id);
        }
    }
    for (qsizetype start = 0; start < rows.size(); start += RowsPerInsert) {
        const qsizetype count = std::min<qsizetype>(RowsPerInsert, rows.size() - start);
        QSqlQuery &q = db.prepare(
            QStringLiteral("INSERT INTO message_blobs (conversation_id, seq, blob_id) VALUES %1")
                .arg(Database::placeholders(int(count), 3)));
        for (qsizetype i = start; i < start + count; ++i) {
            q.addBindValue(std::get<0>(rows.at(i)));
            q.addBindValue(std::get<1>(rows.at(i)));
            q.addBindValue(std::get<2>(rows.at(i)));
        }
        db.exec(q);
    }
    const QStringList ids = blobs.values();
    for (qsizetype start = 0; start < ids.size(); start += RowsPerInsert) {
        const qsizetype count = std::min<qsizetype>(RowsPerInsert, ids.size() - start);
        QSqlQuery &q = db.prepare(
            QStringLiteral("UPDATE blobs SET referenced = TRUE WHERE id IN (%1) AND NOT referenced")
                .arg(marks(count)));
        for (qsizetype i = start; i < start + count; ++i)
            q.addBindValue(ids.at(i));
        db.exec(q);
    }
}

Swept sweep(Database &db, qint64 unusedBefore, qint64 retainedSince, int batch)
{
    Swept swept;
    {
        QSqlQuery &q = db.prepare(QStringLiteral(
            "DELETE FROM message_blobs WHERE EXISTS (SELECT 1 FROM messages m WHERE "
            "m.conversation_id = message_blobs.conversation_id AND m.seq = message_blobs.seq AND "
            "m.erased <> 0)"));
        db.exec(q);
        swept.links = std::max(0, q.numRowsAffected());
    }
    {
        // Retention: completed_at >= created_at, so "created_at < ?" only lets the blobs_state
        // index narrow the rows; retainedSince 0 matches nothing (times are after 1970).
        QSqlQuery &q = db.prepare(QStringLiteral(
            "SELECT b.id FROM blobs b WHERE (b.state = 0 AND b.created_at < ?) OR (b.state = 1 "
            "AND NOT EXISTS (SELECT 1 FROM users u WHERE u.avatar_blob = b.id) AND NOT EXISTS "
            "(SELECT 1 FROM conversations c WHERE c.avatar_blob = b.id) AND ((NOT EXISTS (SELECT "
            "1 FROM message_blobs mb WHERE mb.blob_id = b.id) AND (b.referenced OR "
            "b.completed_at < ?)) OR (b.created_at < ? AND b.completed_at < ?))) LIMIT ?"));
        q.addBindValue(unusedBefore);
        q.addBindValue(unusedBefore);
        q.addBindValue(retainedSince);
        q.addBindValue(retainedSince);
        q.addBindValue(batch);
        db.exec(q);
        while (q.next())
            swept.ids.append(q.value(0).toString());
        q.finish();
    }
    if (swept.ids.isEmpty())
        return swept;
    QSqlQuery &q = db.prepare(
        QStringLiteral("DELETE FROM blobs WHERE id IN (%1)").arg(marks(swept.ids.size())));
    for (const QString &id : std::as_const(swept.ids))
        q.addBindValue(id);
    db.exec(q);
    return swept;
}

QStringList existing(Database &db, const QStringList &ids)
{
    QStringList found;
    for (qsizetype start = 0; start < ids.size(); start += RowsPerInsert) {
        const qsizetype count = std::min<qsizetype>(RowsPerInsert, ids.size() - start);
        QSqlQuery &q =
            db.prepare(QStringLiteral("SELECT id FROM blobs WHERE id IN (%1)").arg(marks(count)));
        for (qsizetype i = start; i < start + count; ++i)
            q.addBindValue(ids.at(i));
        db.exec(q);
        while (q.next())
            found.append(q.value(0).toString());
        q.finish();
    }
    return found;
}

std::pair<qint64, qint64> totals(Database &db)
{
    QSqlQuery &q = db.prepare(
        QStringLiteral("SELECT COALESCE(SUM(size), 0), COUNT(*) FROM blobs WHERE state = 1"));
    db.exec(q);
    std::pair<qint64, qint64> result {0, 0};
    if (q.next())
        result = {q.value(0).toLongLong(), q.value(1).toLongLong()};
    q.finish();
    return result;
}

} // namespace BlobQueries

} // namespace Server
