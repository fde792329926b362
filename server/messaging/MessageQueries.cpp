#include "MessageQueries.h"

#include "storage/Database.h"

#include <QCborValue>
#include <QSet>
#include <QVariant>

#include <algorithm>

namespace Server {

using Protocol::ErrorCode;
using Protocol::MessageRecord;

namespace MessageQueries {

QString columns(const QString &alias)
{
    return QStringLiteral("%1.conversation_id, %1.seq, %1.sender_id, %1.client_id, %1.kind, "
                          "%1.content_type, %1.content, %1.created_at, %1.silent, %1.ref_seq, "
                          "%1.expires_at, %1.erased")
        .arg(alias);
}

MessageRecord readMessage(const QSqlQuery &q, int c)
{
    MessageRecord message;
    message.conversationId = q.value(c + 0).toLongLong();
    message.seq = q.value(c + 1).toLongLong();
    message.senderId = q.value(c + 2).toLongLong();
    message.timestamp = q.value(c + 7).toLongLong();
    const QByteArray content = q.value(c + 6).toByteArray();
    if (Kind(q.value(c + 4).toInt()) == Kind::Event) {
        message.event = Protocol::MembershipEvent::fromCbor(QCborValue::fromCbor(content).toMap());
    } else {
        message.clientId = q.value(c + 3).toString();
        message.contentType = q.value(c + 5).toString();
        message.content = content;
        message.silent = q.value(c + 8).toBool();
        message.refSeq = q.value(c + 9).toLongLong();
        message.expiresAt = q.value(c + 10).toLongLong();
        const auto erased = Erasure(q.value(c + 11).toInt());
        if (erased != Erasure::None) {
            message.erased = erasureName(erased);
            message.content.clear();
            message.contentType.clear();
        }
    }
    return message;
}

QString erasureName(Erasure erasure)
{
    switch (erasure) {
    case Erasure::None:
        return {};
    case Erasure::Deleted:
        return QString(Protocol::Erased::Deleted);
    case Erasure::Expired:
        return QString(Protocol::Erased::Expired);
    }
    return {};
}

void markHidden(Database &db, qint64 userId, QList<MessageRecord> &messages)
{
    if (messages.isEmpty())
        return;
    // One conversation's run of entries at a time (sync pages hold several, in order).
    qsizetype begin = 0;
    while (begin < messages.size()) {
        const qint64 conversationId = messages.at(begin).conversationId;
        qsizetype end = begin;
        qint64 low = messages.at(begin).seq;
        qint64 high = low;
        while (end < messages.size() && messages.at(end).conversationId == conversationId) {
            low = std::min(low, messages.at(end).seq);
            high = std::max(high, messages.at(end).seq);
            ++end;
        }
        QSqlQuery &q = db.prepare(QStringLiteral("SELECT seq FROM hidden WHERE user_id = ? AND "
                                                 "conversation_id = ? AND seq >= ? AND seq <= ?"));
        q.addBindValue(userId);
        q.addBindValue(conversationId);
        q.addBindValue(low);
        q.addBindValue(high);
        db.exec(q);
        QSet<qint64> hidden;
        while (q.next())
            hidden.insert(q.value(0).toLongLong());
        q.finish();
        for (qsizetype i = begin; i < end && !hidden.isEmpty(); ++i) {
            MessageRecord &message = messages[i];
            if (!hidden.contains(message.seq))
                continue;
            message.hidden = true;
            message.content.clear();
            message.contentType.clear();
        }
        begin = end;
    }
}

MessageRecord appendEvent(Database &db, qint64 conversationId,
                          const Protocol::MembershipEvent &event)
{
    const qint64 now = Database::now();
    QSqlQuery &bump =
        db.prepare(QStringLiteral("UPDATE conversations SET last_seq = last_seq + 1, last_activity "
                                  "= ? WHERE id = ? RETURNING last_seq"));
    bump.addBindValue(now);
    bump.addBindValue(conversationId);
    db.exec(bump);
    if (!bump.next())
        throw StoreError(ErrorCode::NotFound, QStringLiteral("no such conversation"));
    MessageRecord record;
    record.conversationId = conversationId;
    record.seq = bump.value(0).toLongLong();
    record.senderId = event.actorId;
    record.timestamp = now;
    record.event = event;
    bump.finish();

    QSqlQuery &insert =
        db.prepare(QStringLiteral("INSERT INTO messages (conversation_id, seq, sender_id, "
                                  "client_id, kind, content_type, content, created_at) "
                                  "VALUES (?, ?, ?, NULL, ?, ?, ?, ?)"));
    insert.addBindValue(conversationId);
    insert.addBindValue(record.seq);
    insert.addBindValue(event.actorId);
    insert.addBindValue(int(Kind::Event));
    insert.addBindValue(QStringLiteral("application/x-membership+cbor"));
    insert.addBindValue(event.toCbor().toCborValue().toCbor());
    insert.addBindValue(now);
    db.exec(insert);
    return record;
}

Page history(Database &db, qint64 userId, qint64 conversationId, qint64 floor,
             std::optional<qint64> before, std::optional<qint64> after, int limit)
{
    Page page;
    QString sql =
        QStringLiteral("SELECT %1 FROM messages m WHERE m.conversation_id = ? AND m.seq >= ?")
            .arg(columns());
    if (after)
        sql += QStringLiteral(" AND m.seq > ? ORDER BY m.seq ASC LIMIT ?");
    else if (before)
        sql += QStringLiteral(" AND m.seq < ? ORDER BY m.seq DESC LIMIT ?");
    else
        sql += QStringLiteral(" ORDER BY m.seq DESC LIMIT ?");
    QSqlQuery &q = db.prepare(sql);
    q.addBindValue(conversationId);
    q.addBindValue(floor);
    if (after)
        q.addBindValue(*after);
    else if (before)
        q.addBindValue(*before);
    q.addBindValue(limit + 1);
    db.exec(q);
    while (q.next())
        page.messages.append(readMessage(q));
    if (page.messages.size() > limit) {
        page.more = true;
        page.messages.removeLast();
    }
    q.finish();
    if (!after)
        std::reverse(page.messages.begin(), page.messages.end());
    markHidden(db, userId, page.messages);
    return page;
}

SyncResult sync(Database &db, qint64 userId, const QHash<qint64, qint64> &cursors, int limit)
{
    struct Range
    {
        qint64 conversationId;
        qint64 from; // exclusive
        qint64 to; // inclusive
    };
    QList<Range> ranges;

    QSqlQuery &q = db.prepare(
        QStringLiteral("SELECT m.conversation_id, m.joined_seq, c.last_seq FROM members m "
                       "JOIN conversations c ON c.id = m.conversation_id WHERE m.user_id = ? ORDER "
                       "BY m.conversation_id"));
    q.addBindValue(userId);
    db.exec(q);
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        const qint64 floor = std::max<qint64>(0, q.value(1).toLongLong() - 1);
        const qint64 last = q.value(2).toLongLong();
        const qint64 fallback = std::max<qint64>(0, last - Protocol::Limits::SyncInitialWindow);
        const qint64 from = std::max(floor, cursors.value(id, fallback));
        if (last > from)
            ranges.append({id, from, last});
    }
    q.finish();

    // Conversations the user left or was removed from: the device still gets everything up to
    // and including its departure, so it learns that it happened.
    QSqlQuery &gone = db.prepare(QStringLiteral(
        "SELECT conversation_id, seq FROM departures WHERE user_id = ? ORDER BY conversation_id"));
    gone.addBindValue(userId);
    db.exec(gone);
    while (gone.next()) {
        const qint64 id = gone.value(0).toLongLong();
        const auto cursor = cursors.constFind(id);
        if (cursor != cursors.constEnd() && *cursor < gone.value(1).toLongLong())
            ranges.append({id, *cursor, gone.value(1).toLongLong()});
    }
    gone.finish();
    std::sort(ranges.begin(), ranges.end(),
              [](const Range &a, const Range &b) { return a.conversationId < b.conversationId; });

    SyncResult result;
    for (const Range &range : ranges) {
        const int remaining = limit - int(result.messages.size());
        if (remaining <= 0) {
            result.more = true;
            break;
        }
        QSqlQuery &page =
            db.prepare(QStringLiteral("SELECT %1 FROM messages m WHERE m.conversation_id = ? "
                                      "AND m.seq > ? AND m.seq <= ? ORDER BY m.seq LIMIT ?")
                           .arg(columns()));
        page.addBindValue(range.conversationId);
        page.addBindValue(range.from);
        page.addBindValue(range.to);
        page.addBindValue(remaining + 1);
        db.exec(page);
        int fetched = 0;
        while (page.next()) {
            if (++fetched > remaining) {
                result.more = true;
                break;
            }
            result.messages.append(readMessage(page));
        }
        page.finish();
        if (result.more)
            break;
    }
    markHidden(db, userId, result.messages);
    return result;
}

ReceiptMove markReceipt(Database &db, qint64 conversationId, qint64 userId, ReceiptKind kind,
                        qint64 seq)
{
    QSqlQuery &q = db.prepare(QStringLiteral(
        "SELECT m.delivered_seq, m.read_seq, c.last_seq FROM members m JOIN conversations c "
        "ON c.id = m.conversation_id WHERE m.conversation_id = ? AND m.user_id = ?"));
    q.addBindValue(conversationId);
    q.addBindValue(userId);
    db.exec(q);
    if (!q.next())
        throw StoreError(ErrorCode::NotMember,
                         QStringLiteral("you are not a member of this conversation"));
    const qint64 delivered = q.value(0).toLongLong();
    const qint64 read = q.value(1).toLongLong();
    const qint64 target = std::min(seq, q.value(2).toLongLong());
    q.finish();

    ReceiptMove move;
    move.at = Database::now();
    const qint64 newDelivered = std::max(delivered, target);
    const qint64 newRead = kind == ReceiptKind::Read ? std::max(read, target) : read;
    if (newDelivered == delivered && newRead == read)
        return move;

    QSqlQuery &update = db.prepare(QStringLiteral("UPDATE members SET delivered_seq = ?, read_seq "
                                                  "= ? WHERE conversation_id = ? AND user_id = ?"));
    update.addBindValue(newDelivered);
    update.addBindValue(newRead);
    update.addBindValue(conversationId);
    update.addBindValue(userId);
    db.exec(update);

    const auto log = [&](ReceiptKind k, qint64 value) {
        QSqlQuery &insert =
            db.prepare(QStringLiteral("INSERT INTO receipts (conversation_id, user_id, kind, seq, "
                                      "at) VALUES (?, ?, ?, ?, ?)"));
        insert.addBindValue(conversationId);
        insert.addBindValue(userId);
        insert.addBindValue(int(k));
        insert.addBindValue(value);
        insert.addBindValue(move.at);
        db.exec(insert);
    };
    if (newDelivered != delivered) {
        move.deliveredSeq = newDelivered;
        log(ReceiptKind::Delivered, newDelivered);
    }
    if (newRead != read) {
        move.readSeq = newRead;
        log(ReceiptKind::Read, newRead);
    }
    return move;
}

ReceiptDetail receiptDetail(Database &db, qint64 conversationId, qint64 seq, qint64 excludeUserId)
{
    ReceiptDetail detail;
    QSqlQuery &q = db.prepare(QStringLiteral(
        "SELECT r.user_id, r.kind, MIN(r.at) FROM receipts r JOIN users u ON u.id = r.user_id "
        "WHERE r.conversation_id = ? AND r.seq >= ? AND r.user_id <> ? "
        "AND (r.kind = 1 OR u.send_read_receipts = ?) GROUP BY r.user_id, r.kind ORDER BY 3, 1"));
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    q.addBindValue(excludeUserId);
    q.addBindValue(true);
    db.exec(q);
    while (q.next()) {
        const ReceiptEntry entry {q.value(0).toLongLong(), q.value(2).toLongLong()};
        (ReceiptKind(q.value(1).toInt()) == ReceiptKind::Delivered ? detail.delivered : detail.read)
            .append(entry);
    }
    return detail;
}

} // namespace MessageQueries

} // namespace Server
