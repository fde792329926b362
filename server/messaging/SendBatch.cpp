#include "SendBatch.h"

#include "MessageQueries.h"

#include "media/BlobQueries.h"

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
//! (conversation, member) → the conversation's disappearing timer in seconds.
using Members = QHash<std::pair<qint64, qint64>, qint64>;
//! (conversation, seq) of the refSeq targets that exist, are messages and are not erased.
using Targets = QSet<std::pair<qint64, qint64>>;

// Steps 1 and 2 on SQLite: one statement each, the rows spelled out.
void lookUpSqlite(Database &db, std::span<StoreJob *> jobs, Stored &stored, Members &members,
                  Targets &targets)
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
        QSqlQuery &q = db.prepare(
            QStringLiteral("SELECT mb.conversation_id, mb.user_id, c.disappear_seconds FROM "
                           "members mb JOIN conversations c ON c.id = mb.conversation_id "
                           "WHERE (mb.conversation_id, mb.user_id) IN (%1)")
                .arg(castRows(count, "BIGINT", "BIGINT")));
        for (const StoreJob *job : jobs) {
            q.addBindValue(payloadOf(job).conversationId);
            q.addBindValue(payloadOf(job).senderId);
        }
        db.exec(q);
        while (q.next())
            members.insert({q.value(0).toLongLong(), q.value(1).toLongLong()},
                           q.value(2).toLongLong());
        q.finish();
    }
    QList<const SendPayload *> referring;
    for (const StoreJob *job : jobs) {
        if (payloadOf(job).refSeq > 0)
            referring.append(&payloadOf(job));
    }
    if (referring.isEmpty())
        return;
    QSqlQuery &q = db.prepare(QStringLiteral("SELECT conversation_id, seq FROM messages WHERE "
                                             "(conversation_id, seq) IN (%1) AND kind = %2 AND "
                                             "erased = 0")
                                  .arg(castRows(int(referring.size()), "BIGINT", "BIGINT"))
                                  .arg(int(MessageQueries::Kind::Message)));
    for (const SendPayload *p : referring) {
        q.addBindValue(p->conversationId);
        q.addBindValue(p->refSeq);
    }
    db.exec(q);
    while (q.next())
        targets.insert({q.value(0).toLongLong(), q.value(1).toLongLong()});
    q.finish();
}

// Steps 1 and 2 on PostgreSQL: one statement of fixed text, a row per job (the primary key of
// members and the unique index on (sender_id, client_id) allow at most one match each).
void lookUpPostgres(Database &db, std::span<StoreJob *> jobs, Stored &stored, Members &members,
                    Targets &targets)
{
    QList<qint64> conversationIds;
    QList<qint64> senderIds;
    QStringList clientIds;
    QList<qint64> refSeqs;
    for (const StoreJob *job : jobs) {
        const SendPayload &p = payloadOf(job);
        conversationIds.append(p.conversationId);
        senderIds.append(p.senderId);
        clientIds.append(p.clientId);
        refSeqs.append(p.refSeq);
    }
    QSqlQuery &q = db.prepare(
        QStringLiteral(
            "SELECT i.conversation_id, i.sender_id, mb.user_id IS NOT NULL, c.disappear_seconds, "
            "r.seq IS NOT NULL, i.ref_seq, %1 "
            "FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? AS TEXT[]), "
            "CAST(? AS BIGINT[])) AS i(conversation_id, sender_id, client_id, ref_seq) "
            "LEFT JOIN members mb ON mb.conversation_id = i.conversation_id AND mb.user_id = "
            "i.sender_id "
            "LEFT JOIN conversations c ON c.id = i.conversation_id "
            "LEFT JOIN messages r ON r.conversation_id = i.conversation_id AND r.seq = i.ref_seq "
            "AND r.kind = %2 AND r.erased = 0 "
            "LEFT JOIN messages m ON m.sender_id = i.sender_id AND m.client_id = i.client_id")
            .arg(MessageQueries::columns())
            .arg(int(MessageQueries::Kind::Message)));
    q.addBindValue(PgArray::bigints(conversationIds));
    q.addBindValue(PgArray::bigints(senderIds));
    q.addBindValue(PgArray::texts(clientIds));
    q.addBindValue(PgArray::bigints(refSeqs));
    db.exec(q);
    while (q.next()) {
        const qint64 conversationId = q.value(0).toLongLong();
        if (q.value(2).toBool())
            members.insert({conversationId, q.value(1).toLongLong()}, q.value(3).toLongLong());
        if (q.value(4).toBool())
            targets.insert({conversationId, q.value(5).toLongLong()});
        if (!q.value(7).isNull()) { // m.seq
            const Protocol::MessageRecord record = MessageQueries::readMessage(q, 6);
            stored.insert({record.senderId, record.clientId}, record);
        }
    }
    q.finish();
}

qint64 expiryOf(const Members &members, const SendPayload &p, qint64 now)
{
    const qint64 seconds = members.value({p.conversationId, p.senderId});
    return seconds > 0 ? now + seconds * 1000 : 0;
}

QVariant nullIfZero(qint64 value)
{
    return value != 0 ? QVariant(value) : QVariant(QMetaType::fromType<qint64>());
}

// Step 4 on SQLite: one UPDATE for every conversation's block of numbers, one multi-row INSERT.
void insertSqlite(Database &db, const QList<StoreJob *> &fresh, const Members &members, qint64 now)
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
        QSqlQuery &insert = db.prepare(
            QStringLiteral("INSERT INTO messages (conversation_id, seq, sender_id, client_id, "
                           "kind, content_type, content, created_at, silent, ref_seq, "
                           "expires_at) VALUES %1")
                .arg(Database::placeholders(int(fresh.size()), 11)));
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
            outcome.message.silent = p.silent;
            outcome.message.refSeq = p.refSeq;
            outcome.message.expiresAt = expiryOf(members, p, now);
            insert.addBindValue(p.conversationId);
            insert.addBindValue(outcome.message.seq);
            insert.addBindValue(p.senderId);
            insert.addBindValue(p.clientId);
            insert.addBindValue(int(MessageQueries::Kind::Message));
            insert.addBindValue(p.contentType);
            insert.addBindValue(p.content);
            insert.addBindValue(now);
            insert.addBindValue(p.silent);
            insert.addBindValue(nullIfZero(p.refSeq));
            insert.addBindValue(nullIfZero(outcome.message.expiresAt));
            Store::setBatchResult(*job, outcome);
        }
        db.exec(insert);
    }
}

// Step 4 on PostgreSQL: every conversation's sequence bumped by its number of new messages and
// the messages inserted with their numbers (in batch order), in one statement of fixed text.
// Each job's result is the row the INSERT stored.
void insertPostgres(Database &db, const QList<StoreJob *> &fresh, const Members &members,
                    qint64 now)
{
    QList<qint64> conversationIds;
    QList<qint64> senderIds;
    QStringList clientIds;
    QStringList contentTypes;
    QList<QByteArray> contents;
    QList<qint64> silents;
    QList<qint64> refSeqs;
    QList<qint64> expiries;
    for (const StoreJob *job : fresh) {
        const SendPayload &p = payloadOf(job);
        conversationIds.append(p.conversationId);
        senderIds.append(p.senderId);
        clientIds.append(p.clientId);
        contentTypes.append(p.contentType);
        contents.append(p.content);
        silents.append(p.silent ? 1 : 0);
        refSeqs.append(p.refSeq);
        expiries.append(expiryOf(members, p, now));
    }
    QSqlQuery &q = db.prepare(
        QStringLiteral(
            "WITH input AS (SELECT * FROM unnest(CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), CAST(? "
            "AS TEXT[]), "
            "CAST(? AS TEXT[]), CAST(? AS BYTEA[]), CAST(? AS BIGINT[]), CAST(? AS BIGINT[]), "
            "CAST(? AS BIGINT[])) WITH ORDINALITY "
            "AS i(conversation_id, sender_id, client_id, content_type, content, silent, ref_seq, "
            "expires_at, ord)), "
            "counts AS (SELECT conversation_id, COUNT(*) AS n FROM input GROUP BY "
            "conversation_id), "
            "bumped AS (UPDATE conversations c SET last_seq = c.last_seq + counts.n, last_activity "
            "= CAST(? AS BIGINT) "
            "FROM counts WHERE c.id = counts.conversation_id RETURNING c.id, c.last_seq - counts.n "
            "AS first_seq) "
            "INSERT INTO messages AS m (conversation_id, seq, sender_id, client_id, kind, "
            "content_type, content, created_at, silent, ref_seq, expires_at) "
            "SELECT i.conversation_id, b.first_seq + ROW_NUMBER() OVER (PARTITION BY "
            "i.conversation_id ORDER BY i.ord), "
            "i.sender_id, i.client_id, %1, i.content_type, i.content, CAST(? AS BIGINT), "
            "i.silent <> 0, NULLIF(i.ref_seq, 0), NULLIF(i.expires_at, 0) "
            "FROM input i JOIN bumped b ON b.id = i.conversation_id ORDER BY i.ord RETURNING %2")
            .arg(int(MessageQueries::Kind::Message))
            .arg(MessageQueries::columns()));
    q.addBindValue(PgArray::bigints(conversationIds));
    q.addBindValue(PgArray::bigints(senderIds));
    q.addBindValue(PgArray::texts(clientIds));
    q.addBindValue(PgArray::texts(contentTypes));
    q.addBindValue(PgArray::byteas(contents));
    q.addBindValue(PgArray::bigints(silents));
    q.addBindValue(PgArray::bigints(refSeqs));
    q.addBindValue(PgArray::bigints(expiries));
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
    // (The same look-up reads each conversation's timer and which refSeq targets exist.)
    Stored stored;
    Members members;
    Targets targets;
    if (db.isPostgres())
        lookUpPostgres(db, jobs, stored, members, targets);
    else
        lookUpSqlite(db, jobs, stored, members, targets);

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
        if (p.refSeq > 0 && !targets.contains({p.conversationId, p.refSeq})) {
            refused.insert(job);
            job->failed = true;
            job->fail(ErrorCode::NotFound,
                      QStringLiteral("\"refSeq\": there is no message %1 to act on in conversation "
                                     "%2 (or it was deleted or expired)")
                          .arg(p.refSeq)
                          .arg(p.conversationId));
            continue;
        }
        // Attachments: each blob complete and the sender's, or already in one of their
        // conversations (forwarding). Rare enough for a query of their own.
        if (!p.blobIds.isEmpty() && !BlobQueries::referenceable(db, p.senderId, p.blobIds)) {
            refused.insert(job);
            job->failed = true;
            job->fail(ErrorCode::NotFound,
                      QStringLiteral("\"blobIds\": a blob is unknown, unfinished or not yours "
                                     "to send"));
            continue;
        }
        firstOf.insert(key, job);
        fresh.append(job);
    }

    // 4. Allocate gapless sequence numbers and insert everything.
    if (!fresh.isEmpty()) {
        const qint64 now = Database::now();
        if (db.isPostgres()) {
            insertPostgres(db, fresh, members, now);
            m_statistics.rowsInserted(db, fresh.size());
        } else {
            insertSqlite(db, fresh, members, now);
        }
        QList<BlobQueries::Link> links; // in the same transaction as the messages
        for (const StoreJob *job : std::as_const(fresh)) {
            const SendPayload &p = payloadOf(job);
            if (!p.blobIds.isEmpty())
                links.append(
                    {p.conversationId,
                     std::static_pointer_cast<Result<SendOutcome>>(job->result)->value->message.seq,
                     p.blobIds});
        }
        if (!links.isEmpty())
            BlobQueries::link(db, links);
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
