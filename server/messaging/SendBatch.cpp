#include "SendBatch.h"

#include "MessageQueries.h"

#include <QHash>
#include <QSet>
#include <QVariant>

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

} // namespace

void SendBatch::runBatch(Database &db, std::span<StoreJob *> jobs)
{
    const int count = int(jobs.size());

    // 1. Sends stored before (a retry after a lost acknowledgement) get their first answer again.
    QHash<SenderKey, Protocol::MessageRecord> stored;
    {
        QSqlQuery &q = db.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE (m.sender_id, m.client_id) IN (%2)")
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

    // 2. Only members may send; checked here too, in the same transaction as the insert.
    QSet<std::pair<qint64, qint64>> members;
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

    // 3. Decide each job: duplicate, refused, or new (the first of equal client ids in the batch).
    QList<StoreJob *> fresh;
    QHash<SenderKey, StoreJob *> firstOf;
    QHash<qint64, int> perConversation;
    QList<qint64> conversationOrder;
    for (StoreJob *job : jobs) {
        const SendPayload &p = payloadOf(job);
        const SenderKey key{p.senderId, p.clientId};
        if (stored.contains(key) || firstOf.contains(key))
            continue; // answered in step 5
        if (!members.contains({p.conversationId, p.senderId})) {
            job->failed = true;
            job->fail(ErrorCode::NotMember, QStringLiteral("you are not a member of conversation %1").arg(p.conversationId));
            continue;
        }
        firstOf.insert(key, job);
        fresh.append(job);
        if (!perConversation.contains(p.conversationId))
            conversationOrder.append(p.conversationId);
        ++perConversation[p.conversationId];
    }

    // 4. Allocate gapless sequence numbers and insert everything in one statement.
    const qint64 now = Database::now();
    QHash<qint64, qint64> nextSeq;
    if (!conversationOrder.isEmpty()) {
        // One statement for every conversation of the batch: each gets its block of numbers.
        QSqlQuery &q = db.prepare(
            QStringLiteral("WITH v(id, n) AS (VALUES %1) UPDATE conversations "
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
                throw StoreError(ErrorCode::Internal, QStringLiteral("conversation %1 vanished").arg(conversationId));
        }
    }
    if (!fresh.isEmpty()) {
        QSqlQuery &insert = db.prepare(
            QStringLiteral("INSERT INTO messages (conversation_id, seq, sender_id, client_id, kind, content_type, "
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

    // 5. Duplicates: of a stored message, or of a new one earlier in this batch.
    for (StoreJob *job : jobs) {
        const SendPayload &p = payloadOf(job);
        const SenderKey key{p.senderId, p.clientId};
        SendOutcome outcome;
        outcome.duplicate = true;
        if (const auto it = stored.constFind(key); it != stored.constEnd()) {
            outcome.message = *it;
        } else if (StoreJob *first = firstOf.value(key); first && first != job) {
            outcome.message = std::static_pointer_cast<Result<SendOutcome>>(first->result)->value->message;
        } else {
            continue;
        }
        Store::setBatchResult(*job, outcome);
    }
}
