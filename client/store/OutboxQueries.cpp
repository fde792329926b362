#include "OutboxQueries.h"

#include "ClientLogging.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Client {

using namespace Qt::StringLiterals;

namespace OutboxQueries {

namespace {
const QString columns =
    u"position, conversation_id, client_id, content_type, content, created_at, failed, error, "
    "silent, ref_seq, held"_s;

bool run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcClientStore).noquote() << "outbox query failed:" << q.lastError().text();
    return false;
}

OutboxEntry fromQuery(const QSqlQuery &q)
{
    OutboxEntry entry;
    entry.position = q.value(0).toLongLong();
    entry.conversationId = q.value(1).toLongLong();
    entry.clientId = q.value(2).toString();
    entry.contentType = q.value(3).toString();
    entry.content = q.value(4).toByteArray();
    entry.createdAt = q.value(5).toLongLong();
    entry.failed = q.value(6).toBool();
    entry.error = q.value(7).toString();
    entry.silent = q.value(8).toBool();
    entry.refSeq = q.value(9).toLongLong();
    entry.held = q.value(10).toBool();
    return entry;
}
} // namespace

bool insert(const QSqlDatabase &db, OutboxEntry &entry)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO outbox (position, conversation_id, client_id, content_type, content, "
              u"created_at, silent, ref_seq, held) "
              "VALUES ((SELECT IFNULL(MAX(position), 0) + 1 FROM outbox), ?, ?, ?, ?, ?, ?, ?, ?) "
              "RETURNING position"_s);
    q.addBindValue(entry.conversationId);
    q.addBindValue(entry.clientId);
    q.addBindValue(entry.contentType);
    q.addBindValue(entry.content);
    q.addBindValue(entry.createdAt);
    q.addBindValue(entry.silent);
    q.addBindValue(entry.refSeq);
    q.addBindValue(entry.held);
    if (!run(q) || !q.next())
        return false;
    entry.position = q.value(0).toLongLong();
    return true;
}

QList<OutboxEntry> list(const QSqlDatabase &db, qint64 conversationId)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT "_s + columns
              + u" FROM outbox WHERE ? = 0 OR conversation_id = ? ORDER BY position"_s);
    q.addBindValue(conversationId);
    q.addBindValue(conversationId);
    QList<OutboxEntry> entries;
    if (run(q)) {
        while (q.next())
            entries.append(fromQuery(q));
    }
    return entries;
}

std::optional<OutboxEntry> find(const QSqlDatabase &db, const QString &clientId)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT "_s + columns + u" FROM outbox WHERE client_id = ?"_s);
    q.addBindValue(clientId);
    if (!run(q) || !q.next())
        return std::nullopt;
    return fromQuery(q);
}

bool markFailed(const QSqlDatabase &db, const QString &clientId, const QString &error)
{
    QSqlQuery q(db);
    q.prepare(u"UPDATE outbox SET failed = 1, error = ? WHERE client_id = ?"_s);
    q.addBindValue(error);
    q.addBindValue(clientId);
    return run(q) && q.numRowsAffected() > 0;
}

bool requeue(const QSqlDatabase &db, const QString &clientId)
{
    QSqlQuery q(db);
    q.prepare(u"UPDATE outbox SET failed = 0, error = NULL, position = (SELECT MAX(position) + 1 "
              u"FROM outbox) "
              "WHERE client_id = ? AND failed = 1"_s);
    q.addBindValue(clientId);
    return run(q) && q.numRowsAffected() > 0;
}

bool release(const QSqlDatabase &db, const QString &clientId, const QByteArray &content)
{
    QSqlQuery q(db);
    q.prepare(u"UPDATE outbox SET held = 0, content = ? WHERE client_id = ? AND held = 1"_s);
    q.addBindValue(content);
    q.addBindValue(clientId);
    return run(q) && q.numRowsAffected() > 0;
}

bool remove(const QSqlDatabase &db, const QString &clientId)
{
    QSqlQuery q(db);
    q.prepare(u"DELETE FROM outbox WHERE client_id = ?"_s);
    q.addBindValue(clientId);
    return run(q) && q.numRowsAffected() > 0;
}

} // namespace OutboxQueries

} // namespace Client
