// StoreDatabase, second half: messages, receipts, the outbox and the reads of history. The first
// half (StoreDatabase.cpp) opens the connection and keeps profile, users and conversations.
#include "StoreDatabase.h"

#include "store/MemberQueries.h"
#include "store/MessageRow.h"
#include "store/OutboxQueries.h"
#include "store/UploadQueries.h"

#include <QSqlError>

#include <algorithm>
#include <limits>
#include <map>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::MessageRecord;
void StoreDatabase::addMessages(const QList<MessageRecord> &messages, StoreChanges &changes)
{
    Touched touched;
    begin();
    addMessagesIn(messages, touched, changes);
    commit();
    finish(touched, changes);
}

void StoreDatabase::addMessagesIn(const QList<MessageRecord> &messages, Touched &touched,
                                  StoreChanges &changes)
{
    std::map<qint64, QList<MessageRecord>> added; // ordered by conversation for stable signals
    QSet<QPair<qint64, qint64>> silentSeqs; // not unread, not the activity
    for (const MessageRecord &m : messages) {
        QSqlQuery &insert =
            prepare(u"INSERT OR IGNORE INTO messages (conversation_id, seq, sender_id, timestamp, "
                    "client_id, content_type, content, body, event, silent, ref_seq, expires_at, "
                    "erased, hidden, reply_seq, reply_sender, forwarded, mentions_me) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
        const RichQueries::RowValues values = RichQueries::rowValues(m, selfId());
        const auto orNull = [](qint64 value) { return value > 0 ? QVariant(value) : QVariant(); };
        insert.addBindValue(m.conversationId);
        insert.addBindValue(m.seq);
        insert.addBindValue(m.senderId);
        insert.addBindValue(m.timestamp);
        insert.addBindValue(m.isEvent() || m.clientId.isEmpty() ? QVariant()
                                                                : QVariant(m.clientId));
        insert.addBindValue(m.isEvent() ? QVariant() : QVariant(m.contentType));
        insert.addBindValue(m.isEvent() ? QVariant() : values.content);
        insert.addBindValue(values.body);
        insert.addBindValue(m.isEvent() ? QVariant(m.event->toCbor().toCborValue().toCbor())
                                        : QVariant());
        insert.addBindValue(values.silent);
        insert.addBindValue(orNull(values.refSeq));
        insert.addBindValue(orNull(m.expiresAt));
        insert.addBindValue(m.erased.isEmpty() ? QVariant() : QVariant(m.erased));
        insert.addBindValue(m.hidden);
        insert.addBindValue(orNull(values.replySeq));
        insert.addBindValue(orNull(values.replySender));
        insert.addBindValue(values.forwarded);
        insert.addBindValue(values.mentionsMe);
        if (!exec(insert) || insert.numRowsAffected() == 0)
            continue; // already stored: the (conversationId, seq) dedupe
        added[m.conversationId].append(m);
        if (values.silent)
            silentSeqs.insert({m.conversationId, m.seq});
        RichQueries::afterInsert(m_prepare, m, values, selfId(), touched.rich);

        // The server has it: whichever way it came back, the outbox is done with it.
        if (m.senderId == selfId() && !m.clientId.isEmpty()
            && OutboxQueries::remove(m_db, m.clientId))
            changes.outboxRemoved.append({m.conversationId, m.clientId});
    }

    for (auto &[conversationId, list] : added) {
        std::sort(list.begin(), list.end(),
                  [](const MessageRecord &a, const MessageRecord &b) { return a.seq < b.seq; });
        // An entry for a conversation not known yet (its event is still on the way): a
        // placeholder row keeps the entry reachable until the record arrives.
        QSqlQuery &placeholder =
            prepare(u"INSERT OR IGNORE INTO conversations (id, kind, role) VALUES (?, ?, ?)"_s);
        placeholder.addBindValue(conversationId);
        placeholder.addBindValue(int(Protocol::ConversationKind::Direct));
        placeholder.addBindValue(int(Protocol::Role::Member));
        exec(placeholder);

        // Only entries past the newest one the record knew are new to the unread count: the
        // server's count already includes the rest.
        QSqlQuery &counters =
            prepare(u"SELECT last_seq, read_seq FROM conversations WHERE id = ?"_s);
        counters.addBindValue(conversationId);
        qint64 lastSeq = 0, readSeq = 0;
        if (exec(counters) && counters.next()) {
            lastSeq = counters.value(0).toLongLong();
            readSeq = counters.value(1).toLongLong();
        }
        counters.finish();
        // Counted as stored now: an entry this page erased (or that came erased or hidden)
        // is not unread.
        QSqlQuery &fresh = prepare(
            u"SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND seq > ? AND seq <= ? "
            "AND sender_id <> ? AND event IS NULL AND silent = 0 AND erased IS NULL AND "
            "hidden = 0"_s);
        fresh.addBindValue(conversationId);
        fresh.addBindValue(std::max(lastSeq, readSeq));
        fresh.addBindValue(list.last().seq);
        fresh.addBindValue(selfId());
        const qint64 newUnread = exec(fresh) && fresh.next() ? fresh.value(0).toLongLong() : 0;
        fresh.finish();
        qint64 activity = 0;
        for (const MessageRecord &m : list) {
            if (!silentSeqs.contains({m.conversationId, m.seq}))
                activity = std::max(activity, m.timestamp);
        }
        QSqlQuery &update =
            prepare(u"UPDATE conversations SET last_seq = max(last_seq, ?), "
                    "last_activity = max(last_activity, ?), unread = unread + ? WHERE id = ?"_s);
        update.addBindValue(list.last().seq);
        update.addBindValue(activity);
        update.addBindValue(newUnread);
        update.addBindValue(conversationId);
        exec(update);
        advanceSyncedSeq(conversationId, list.first().seq);
        // Delivered: owed to the server with the entries themselves (ReceiptSender sends it now
        // or after the next sign-in), so that nothing stored goes without it.
        qint64 newestFromOthers = 0;
        for (const MessageRecord &m : list) {
            if (m.senderId != selfId())
                newestFromOthers = std::max(newestFromOthers, m.seq);
        }
        oweIn(conversationId, 0, newestFromOthers, touched, changes);
        touched.conversations.insert(conversationId);
        changes.messagesAdded.append({conversationId, list});
    }
    settleRich(touched);
}

void StoreDatabase::applyReceipt(const Protocol::ReceiptInfo &receipt, StoreChanges &changes)
{
    Touched touched;
    begin();
    if (MemberQueries::advanceMember(m_db, receipt))
        touched.members.insert(receipt.conversationId);
    if (receipt.userId != selfId())
        MemberQueries::advanceDirectSummary(m_db, receipt);
    if (receipt.userId == selfId() && receipt.readSeq > 0)
        markReadIn(receipt.conversationId, receipt.readSeq, touched); // read on another device
    commit();
    touched.conversations.insert(receipt.conversationId);
    finish(touched, changes);
}

void StoreDatabase::oweIn(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq,
                          Touched &touched, StoreChanges &changes)
{
    if ((readSeq > 0 || deliveredSeq > 0)
        && MemberQueries::raiseUnsent(m_db, conversationId, readSeq, deliveredSeq)) {
        touched.unsent.insert(conversationId);
        if (!changes.receiptOwed.contains(conversationId))
            changes.receiptOwed.append(conversationId);
    }
}

void StoreDatabase::oweReceipt(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq,
                               StoreChanges &changes)
{
    Touched touched;
    oweIn(conversationId, readSeq, deliveredSeq, touched, changes);
    finish(touched, changes);
}

void StoreDatabase::receiptAcknowledged(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq,
                                        StoreChanges &changes)
{
    Touched touched;
    if (MemberQueries::clearUnsent(m_db, conversationId, readSeq, deliveredSeq))
        touched.unsent.insert(conversationId);
    finish(touched, changes);
}

bool StoreDatabase::addToOutbox(OutboxEntry entry, StoreChanges &changes)
{
    Touched touched;
    if (!OutboxQueries::insert(m_db, entry))
        return false;
    changes.outboxAdded.append(entry);
    touched.conversations.insert(entry.conversationId);
    finish(touched, changes);
    return true;
}

bool StoreDatabase::markOutboxFailed(const QString &clientId, const QString &error,
                                     StoreChanges &changes)
{
    if (!OutboxQueries::markFailed(m_db, clientId, error))
        return false;
    if (const auto entry = OutboxQueries::find(m_db, clientId))
        changes.outboxChanged.append(*entry);
    return true;
}

bool StoreDatabase::retryOutbox(const QString &clientId, StoreChanges &changes)
{
    if (!OutboxQueries::requeue(m_db, clientId))
        return false;
    if (const auto entry = OutboxQueries::find(m_db, clientId))
        changes.outboxChanged.append(*entry);
    return true;
}

bool StoreDatabase::removeFromOutbox(const QString &clientId, StoreChanges &changes)
{
    const auto entry = OutboxQueries::find(m_db, clientId);
    if (!entry)
        return false;
    begin();
    // A discarded message with attachments takes its upload queue along.
    const bool removed = OutboxQueries::remove(m_db, clientId)
        && (!entry->held || UploadQueries::removeFor(m_db, clientId));
    if (!removed) {
        m_transactionDepth = 0;
        m_db.rollback();
        return false;
    }
    commit();
    Touched touched;
    changes.outboxRemoved.append({entry->conversationId, clientId});
    touched.conversations.insert(entry->conversationId);
    finish(touched, changes);
    return true;
}

QList<MessageRecord> StoreDatabase::messages(qint64 conversationId, qint64 beforeSeq, int limit)
{
    QSqlQuery &q = prepare(u"SELECT "_s + MessageRow::columns()
                           + u" FROM messages WHERE conversation_id = ? AND seq < ? "
                             "ORDER BY seq DESC LIMIT ?"_s);
    q.addBindValue(conversationId);
    q.addBindValue(beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max());
    q.addBindValue(limit);
    QList<MessageRecord> list;
    if (exec(q)) {
        while (q.next())
            list.append(MessageRow::fromQuery(q, 0));
    }
    q.finish();
    std::reverse(list.begin(), list.end());
    return list;
}

QList<MessageRecord> StoreDatabase::messagesFrom(qint64 conversationId, qint64 fromSeq,
                                                 qint64 beforeSeq)
{
    QSqlQuery &q = prepare(u"SELECT "_s + MessageRow::columns()
                           + u" FROM messages WHERE conversation_id = ? AND seq >= ? AND seq < ? "
                             "ORDER BY seq"_s);
    q.addBindValue(conversationId);
    q.addBindValue(fromSeq);
    q.addBindValue(beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max());
    QList<MessageRecord> list;
    if (exec(q)) {
        while (q.next())
            list.append(MessageRow::fromQuery(q, 0));
    }
    q.finish();
    return list;
}

int StoreDatabase::messageCount(qint64 conversationId)
{
    QSqlQuery &q = prepare(u"SELECT COUNT(*) FROM messages WHERE conversation_id = ?"_s);
    q.addBindValue(conversationId);
    int count = 0;
    if (exec(q) && q.next())
        count = q.value(0).toInt();
    q.finish();
    return count;
}
} // namespace Client
