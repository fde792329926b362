#include "UploadQueries.h"

#include "ClientLogging.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Client {

using namespace Qt::StringLiterals;

namespace UploadQueries {

namespace {
bool run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcClientStore).noquote() << "upload query failed:" << q.lastError().text();
    return false;
}

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

void bindColumns(QSqlQuery &q, const UploadRow &row)
{
    q.addBindValue(row.clientId);
    q.addBindValue(row.index);
    q.addBindValue(row.createId);
    q.addBindValue(textOrNull(row.sourcePath));
    q.addBindValue(row.cachePath);
    q.addBindValue(row.key);
    q.addBindValue(row.sha256.isEmpty() ? QVariant() : QVariant(row.sha256));
    q.addBindValue(row.size);
    q.addBindValue(row.cipherSize);
    q.addBindValue(textOrNull(row.blobId));
    q.addBindValue(int(row.state));
    q.addBindValue(textOrNull(row.error));
    q.addBindValue(row.localId);
}
} // namespace

bool insert(const QSqlDatabase &db, const UploadRow &row)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO uploads (client_id, idx, create_id, source_path, cache_path, key, "
              "sha256, size, csize, blob_id, state, error, local_id) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    bindColumns(q, row);
    return run(q);
}

QList<UploadRow> list(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT u.local_id, u.client_id, u.idx, u.create_id, u.source_path, u.cache_path, "
              "u.key, u.sha256, u.size, u.csize, u.blob_id, u.state, u.error "
              "FROM uploads u LEFT JOIN outbox o ON o.client_id = u.client_id "
              "ORDER BY o.position, u.idx"_s);
    QList<UploadRow> rows;
    if (!run(q))
        return rows;
    while (q.next()) {
        UploadRow row;
        row.localId = q.value(0).toString();
        row.clientId = q.value(1).toString();
        row.index = q.value(2).toInt();
        row.createId = q.value(3).toString();
        row.sourcePath = q.value(4).toString();
        row.cachePath = q.value(5).toString();
        row.key = q.value(6).toByteArray();
        row.sha256 = q.value(7).toByteArray();
        row.size = q.value(8).toLongLong();
        row.cipherSize = q.value(9).toLongLong();
        row.blobId = q.value(10).toString();
        row.state = UploadRow::State(std::clamp(q.value(11).toInt(), 0, 4));
        row.error = q.value(12).toString();
        rows.append(row);
    }
    return rows;
}

bool update(const QSqlDatabase &db, const UploadRow &row)
{
    QSqlQuery q(db);
    q.prepare(u"UPDATE uploads SET client_id = ?, idx = ?, create_id = ?, source_path = ?, "
              "cache_path = ?, key = ?, sha256 = ?, size = ?, csize = ?, blob_id = ?, state = ?, "
              "error = ? WHERE local_id = ?"_s);
    bindColumns(q, row);
    return run(q) && q.numRowsAffected() > 0;
}

bool removeFor(const QSqlDatabase &db, const QString &clientId)
{
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM uploads WHERE client_id = ?"_s);
    q.addBindValue(clientId);
    return run(q);
}

} // namespace UploadQueries

} // namespace Client
