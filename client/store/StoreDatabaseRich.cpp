// StoreDatabase, third part: rich messages (issue 12) — reads of what a conversation view shows,
// hides from other devices, local expiry. What each entry does to others is RichQueries.
#include "StoreDatabase.h"

#include "store/MessageRow.h"
#include "store/RichQueries.h"

#include <QSqlError>

#include <algorithm>
#include <limits>
#include <map>

namespace Client {

using namespace Qt::StringLiterals;

void StoreDatabase::settleRich(Touched &touched)
{
    for (qint64 id : std::as_const(touched.rich.conversations)) {
        RichQueries::recountMentions(m_prepare, id, selfId());
        touched.conversations.insert(id);
    }
}

void StoreDatabase::finishRich(const Touched &touched, StoreChanges &changes)
{
    std::map<qint64, QList<qint64>> bySeq;
    for (const auto &[conversationId, seq] : touched.rich.updated)
        bySeq[conversationId].append(seq);
    for (auto &[conversationId, seqs] : bySeq) {
        std::sort(seqs.begin(), seqs.end());
        const QList<StoredMessage> read = RichQueries::read(m_prepare, conversationId, seqs);
        if (!read.isEmpty())
            changes.messagesUpdated.append({conversationId, read});
    }
    if (touched.rich.expiry)
        changes.nextExpiry = RichQueries::nextExpiry(m_prepare);
}

QList<StoredMessage> StoreDatabase::storedMessages(qint64 conversationId, qint64 beforeSeq,
                                                   int limit)
{
    QSqlQuery &q = prepare(u"SELECT "_s + MessageRow::storedColumns()
                           + u" FROM messages WHERE conversation_id = ? AND seq < ? AND "_s
                           + RichQueries::shownCondition() + u" ORDER BY seq DESC LIMIT ?"_s);
    q.addBindValue(conversationId);
    q.addBindValue(beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max());
    q.addBindValue(limit);
    QList<StoredMessage> list;
    if (exec(q)) {
        while (q.next())
            list.append(MessageRow::storedFromQuery(q, 0));
    }
    q.finish();
    std::reverse(list.begin(), list.end());
    RichQueries::complete(m_prepare, list);
    return list;
}

QList<StoredMessage> StoreDatabase::storedMessagesFrom(qint64 conversationId, qint64 fromSeq,
                                                       qint64 beforeSeq)
{
    QSqlQuery &q = prepare(u"SELECT "_s + MessageRow::storedColumns()
                           + u" FROM messages WHERE conversation_id = ? AND seq >= ? AND seq < ? "
                             "AND "_s
                           + RichQueries::shownCondition() + u" ORDER BY seq"_s);
    q.addBindValue(conversationId);
    q.addBindValue(fromSeq);
    q.addBindValue(beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max());
    QList<StoredMessage> list;
    if (exec(q)) {
        while (q.next())
            list.append(MessageRow::storedFromQuery(q, 0));
    }
    q.finish();
    RichQueries::complete(m_prepare, list);
    return list;
}

QList<EditInfo> StoreDatabase::editHistory(qint64 conversationId, qint64 seq)
{
    return RichQueries::editHistory(m_prepare, conversationId, seq);
}

qint64 StoreDatabase::hiddenCursor()
{
    QSqlQuery &q = prepare(u"SELECT value FROM meta WHERE key = 'hidden_cursor'"_s);
    qint64 cursor = 0;
    if (exec(q) && q.next())
        cursor = q.value(0).toLongLong();
    q.finish();
    return cursor;
}

void StoreDatabase::applyHiddenIn(const QList<QPair<qint64, qint64>> &hidden, qint64 cursor,
                                  Touched &touched)
{
    for (const auto &[conversationId, seq] : hidden)
        RichQueries::erase(m_prepare, conversationId, seq, QString(), selfId(), touched.rich);
    if (cursor >= 0) {
        QSqlQuery &q = prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES "
                               "('hidden_cursor', max(?, IFNULL((SELECT value FROM meta WHERE "
                               "key = 'hidden_cursor'), 0)))"_s);
        q.addBindValue(cursor);
        exec(q);
    }
}

void StoreDatabase::applyHidden(const QList<QPair<qint64, qint64>> &hidden, qint64 cursor,
                                StoreChanges &changes)
{
    Touched touched;
    begin();
    applyHiddenIn(hidden, cursor, touched);
    settleRich(touched);
    commit();
    if (cursor >= 0)
        changes.hiddenCursor = hiddenCursor();
    finish(touched, changes);
}

void StoreDatabase::expire(qint64 now, StoreChanges &changes)
{
    Touched touched;
    begin();
    RichQueries::expire(m_prepare, now, selfId(), touched.rich);
    settleRich(touched);
    commit();
    touched.rich.expiry = true; // always tell when to look next
    finish(touched, changes);
}

} // namespace Client
