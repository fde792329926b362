#include "SendBatch.h"

#include "MessageQueries.h"

#include <QHash>
#include <QSet>
#include <QVariant>

namespace Server {

using Protocol::ErrorCode;

namespace {

struct SenderKey
{
    qint64 senderId;
    QString clientId;
    bool operator==(const SenderKey &) const = default;
};
size_t qHash(const SenderKey &key, size_t seed = 0)
{
    return qHashMulti(seed, key.senderId, key.clientId);
}

QString castRows(int rows, const char *first, const char *second)
{
    const QString row = QStringLiteral("(CAST(? AS %1), CAST(? AS %2))")
                            .arg(QLatin1String(first), QLatin1String(second));
    QString all;
    for (int i = 0; i < rows; ++i) {
        if (i > 0)
            all += QLatin1Char(',');
        all += row;
    }
    return all;
}

const SendPayload &payloadOf(const StoreJob *job)
{
    return *static_cast<const SendPayload *>(job->payload.get());
}

using Stored = QHash<SenderKey, Protocol::MessageRecord>;
using Members = QSet<std::pair<qint64, qint64>>;

// Steps 1 and 2 on SQLite: one statement each, the rows spelled out.
void lookUpSqlite(Database &db, std::span<StoreJob *> jobs, Stored &stored, Members &members)
{
    const int count = int(jobs.size());
    {
        QSqlQuery &q = db.prepare(
            QStringLiteral("SELECT %1 FROM messages m WHERE (m.sender_id, m.client_id) IN (%2)")
                .arg(MessageQueries::columns(), castRows(count, "BIGINT", "TEXT")));
        for (const StoreJob *job : jobs) {
            q.addBindValue(payloadOf(job).senderId);
            q.addBindValue(payloadOf(job).clientId);
        }
        db.exec(q);
        while (q.next()) {
            const Protocol::MessageRecord record = MessageQueries::readMessage(q);
            stored.insert({record.senderId, record.clientId}, record);
        }
        q.finish();
    }
    {
        QSqlQuery &q = db.prepare(QStringLiteral("SELECT conversation_id, user_id FROM members "
                                                 "WHERE (conversation_id, user_id) IN (%1)")
                                      .arg(castRows(count, "BIGINT", "BIGINT")));
        for (const StoreJob *job : jobs) {
            q.addBindValue(payloadOf(job).conversationId);
            q.addBindValue(payloadOf(job).senderId);
        }
        db.exec(q);
        while (q.next())
            members.insert({q.value(0).toLongLong(), q.value(1).toLongLong()});
        q.finish();
    }
}

// Steps 1 and 2 on PostgreSQL: one statement of fixed text, a row per job (the primary key of
// members and the unique index on (sender_id, client_id) allow at most one match each).
void lookUpPostgres(Database &db, std::span<StoreJob *> jobs, Stored &stored, Members &members)
{
    QList<qint64> conversationIds;
    QList<qint64> senderIds;
    QStringList clientIds;
    for (const StoreJob *job : jobs) {
        const SendPayload &p = payloadOf(job);
        conversationIds.append(p.conversationId);
        senderIds.append(p.senderId);
        clientIds.append(p.clientId);
    }
    QSqlQuery &q = db.prepare(
        QStringLiteral(
            "SELECT i.conversation_id, i.sender_id, mb.user_id IS NOT NULL, %1 "
            "FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[])) "
            "AS i(conversation_id, sender_id, client_id) "
            "LEFT JOIN members mb ON mb.conversation_id = i.conversation_id AND mb.user_id = "
            "i.sender_id "
            "LEFT JOIN messages m ON m.sender_id = i.sender_id AND m.client_id = i.client_id")
            .arg(MessageQueries::columns()));
    q.addBindValue(PgArray::bigints(conversationIds));
    q.addBindValue(PgArray::bigints(senderIds));
    q.addBindValue(PgArray::texts(clientIds));
    db.exec(q);
    while (q.next()) {
        if (q.value(2).toBool())
            members.insert({q.value(0).toLongLong(), q.value(1).toLongLong()});
        if (!q.value(4).isNull()) { // m.seq
            const Protocol::MessageRecord record = MessageQueries::readMessage(q, 3);
            stored.insert({record.senderId, record.clientId}, record);
        }
    }
    q.finish();
}

// Step 4 on SQLite: one UPDATE for every conversation's block of numbers, one multi-row INSERT.
void insertSqlite(Database &db, const QList<StoreJob *> &fresh, qint64 now)
{
    QHash<qint64, int> perConversation;
    QList<qint64> conversationOrder;
    for (const StoreJob *job : fresh) {
        const SendPayload &p = payloadOf(job);
        if (!perConversation.contains(p.conversationId))
            conversationOrder.append(p.conversationId);
        ++perConversation[p.conversationId];
    }
    QHash<qint64, qint64> nextSeq;
    {
        // One statement for every conversation of the batch: each gets its block of numbers.
        QSqlQuery &q = db.prepare(
            QStringLiteral(
                "WITH v(id, n) AS (VALUES %1) UPDATE conversations "
                "SET last_seq = last_seq + (SELECT v.n FROM v WHERE v.id = conversations.id), "
                "last_activity = ? WHERE id IN (SELECT v.id FROM v) RETURNING id, last_seq")
                .arg(castRows(int(conversationOrder.size()), "BIGINT", "BIGINT")));
        for (qint64 conversationId : conversationOrder) {
            q.addBindValue(conversationId);
            q.addBindValue(perConversation.value(conversationId));
        }
        q.addBindValue(now);
        db.exec(q);
        while (q.next()) {
            const qint64 id = q.value(0).toLongLong();
            nextSeq.insert(id, q.value(1).toLongLong() - perConversation.value(id) + 1);
        }
        q.finish();
        for (qint64 conversationId : conversationOrder) {
            if (!nextSeq.contains(conversationId))
                throw StoreError(ErrorCode::Internal,
                                 QStringLiteral("conversation %1 vanished").arg(conversationId));
        }
    }
    {
        QSqlQuery &insert = db.prepare(QStringLiteral("INSERT INTO messages (conversation_id, seq, "
                                                      "sender_id, client_id, kind, content_type, "
                                                      "content, created_at) VALUES %1")
                                           .arg(Database::placeholders(int(fresh.size()), 8)));
        for (StoreJob *job : fresh) {
            const SendPayload &p = payloadOf(job);
            SendOutcome outcome;
            outcome.message.conversationId = p.conversationId;
            outcome.message.seq = nextSeq[p.conversationId]++;
            outcome.message.senderId = p.senderId;
            outcome.message.clientId = p.clientId;
            outcome.message.timestamp = now;
            outcome.message.contentType = p.contentType;
            outcome.message.content = p.content;
            insert.addBindValue(p.conversationId);
            insert.addBindValue(outcome.message.seq);
            insert.addBindValue(p.senderId);
            insert.addBindValue(p.clientId);
            insert.addBindValue(int(MessageQueries::Kind::Message));
            insert.addBindValue(p.contentType);
            insert.addBindValue(p.content);
            insert.addBindValue(now);
            Store::setBatchResult(*job, outcome);
        }
        db.exec(insert);
    }
}

// Step 4 on PostgreSQL: every conversation's sequence bumped by its number of new messages and
// the messages inserted with their numbers (in batch order), in one statement of fixed text.
// Each job's result is the row the INSERT stored.
void insertPostgres(Database &db, const QList<StoreJob *> &fresh, qint64 now)
{
    QList<qint64> conversationIds;
    QList<qint64> senderIds;
    QStringList clientIds;
    QStringList contentTypes;
    QList<QByteArray> contents;
    for (const StoreJob *job : fresh) {
        const SendPayload &p = payloadOf(job);
        conversationIds.append(p.conversationId);
        senderIds.append(p.senderId);
        clientIds.append(p.clientId);
        contentTypes.append(p.contentType);
        contents.append(p.content);
    }
    QSqlQuery &q = db.prepare(
        QStringLiteral(
            "WITH input AS (SELECT * FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? "
            "AS TEXT[]), "
            "CAST(? AS TEXT[]), CAST(? AS BYTEA[])) WITH ORDINALITY "
            "AS i(conversation_id, sender_id, client_id, content_type, content, ord)), "
            "counts AS (SELECT conversation_id, COUNT(*) AS n FROM input GROUP BY "
            "conversation_id), "
            "bumped AS (UPDATE conversations c SET last_seq = c.last_seq + counts.n, last_activity "
            "= CAST(? AS BIGINT) "
            "FROM counts WHERE c.id = counts.conversation_id RETURNING c.id, c.last_seq - counts.n "
            "AS first_seq) "
            "INSERT INTO messages AS m (conversation_id, seq, sender_id, client_id, kind, "
            "content_type, content, created_at) "
            "SELECT i.conversation_id, b.first_seq + ROW_NUMBER() OVER (PARTITION BY "
            "i.conversation_id ORDER BY i.ord), "
            "i.sender_id, i.client_id, %1, i.content_type, i.content, CAST(? AS BIGINT) "
            "FROM input i JOIN bumped b ON b.id = i.conversation_id ORDER BY i.ord RETURNING %2")
            .arg(int(MessageQueries::Kind::Message))
            .arg(MessageQueries::columns()));
    q.addBindValue(PgArray::bigints(conversationIds));
    q.addBindValue(PgArray::bigints(senderIds));
    q.addBindValue(PgArray::texts(clientIds));
    q.addBindValue(PgArray::texts(contentTypes));
    q.addBindValue(PgArray::byteas(contents));
    q.addBindValue(now);
    q.addBindValue(now);
    db.exec(q);
    Stored inserted;
    while (q.next()) {
        const Protocol::MessageRecord record = MessageQueries::readMessage(q);
        inserted.insert({record.senderId, record.clientId}, record);
    }
    q.finish();
    for (StoreJob *job : fresh) {
        const SendPayload &p = payloadOf(job);
        const auto it = inserted.constFind({p.senderId, p.clientId});
        if (it == inserted.constEnd()) // its conversation's row was not there to bump
            throw StoreError(ErrorCode::Internal,
                             QStringLiteral("conversation %1 vanished").arg(p.conversationId));
        SendOutcome outcome;
        outcome.message = *it;
        Store::setBatchResult(*job, outcome);
    }
}

} // namespace

namespace PgArray {

QString bigints(const QList<qint64> &values)
{
    QString all = QStringLiteral("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            all += QLatin1Char(',');
        all += QString::number(values.at(i));
    }
    all += QLatin1Char('}');
    return all;
}

QString texts(const QStringList &values)
{
    QString all = QStringLiteral("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            all += QLatin1Char(',');
        const QString &value = values.at(i);
        if (value.isNull()) {
            all += QLatin1String("NULL");
            continue;
        }
        all += QLatin1Char('"');
        for (QChar c : value) {
            if (c == u'"' || c == u'\\')
                all += QLatin1Char('\\');
            all += c;
        }
        all += QLatin1Char('"');
    }
    all += QLatin1Char('}');
    return all;
}

QString byteas(const QList<QByteArray> &values)
{
    QString all = QStringLiteral("{");
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            all += QLatin1Char(',');
        const QByteArray &value = values.at(i);
        if (value.isNull()) {
            all += QLatin1String("NULL");
            continue;
        }
        // The element's text is \x<hex>; quoted, its backslash is escaped.
        all += QLatin1String("\"\\\\x");
        all += QLatin1String(value.toHex());
        all += QLatin1Char('"');
    }
    all += QLatin1Char('}');
    return all;
}

} // namespace PgArray

void SendBatch::runBatch(Database &db, std::span<StoreJob *> jobs)
{
    // 1. Sends stored before (a retry after a lost acknowledgement) get their first answer again.
    // 2. Only members may send; checked here too, in the same transaction as the insert.
    Stored stored;
    Members members;
    if (db.isPostgres())
        lookUpPostgres(db, jobs, stored, members);
    else
        lookUpSqlite(db, jobs, stored, members);

    // 3. Decide each job: duplicate, refused, or new (the first of equal client ids in the batch).
    QList<StoreJob *> fresh;
    QHash<SenderKey, StoreJob *> firstOf;
    QSet<const StoreJob *> refused;
    for (StoreJob *job : jobs) {
        const SendPayload &p = payloadOf(job);
        const SenderKey key {p.senderId, p.clientId};
        if (stored.contains(key) || firstOf.contains(key))
            continue; // answered in step 5
        if (!members.contains({p.conversationId, p.senderId})) {
            refused.insert(job);
            job->failed = true;
            job->fail(
                ErrorCode::NotMember,
                QStringLiteral("you are not a member of conversation %1").arg(p.conversationId));
            continue;
        }
        firstOf.insert(key, job);
        fresh.append(job);
    }

    // 4. Allocate gapless sequence numbers and insert everything.
    if (!fresh.isEmpty()) {
        const qint64 now = Database::now();
        if (db.isPostgres()) {
            insertPostgres(db, fresh, now);
            m_statistics.rowsInserted(db, fresh.size());
        } else {
            insertSqlite(db, fresh, now);
        }
    }

    // 5. Duplicates: of a stored message, or of a new one earlier in this batch. A refused send
    // stays refused, even when a later one with its client id was stored.
    for (StoreJob *job : jobs) {
        if (refused.contains(job))
            continue;
        const SendPayload &p = payloadOf(job);
        const SenderKey key {p.senderId, p.clientId};
        SendOutcome outcome;
        outcome.duplicate = true;
        if (const auto it = stored.constFind(key); it != stored.constEnd()) {
            outcome.message = *it;
        } else if (StoreJob *first = firstOf.value(key); first && first != job) {
            outcome.message =
                std::static_pointer_cast<Result<SendOutcome>>(first->result)->value->message;
        } else {
            continue;
        }
        Store::setBatchResult(*job, outcome);
    }
}

} // namespace Server
