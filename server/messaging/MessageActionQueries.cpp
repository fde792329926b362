#include "MessageActionQueries.h"

#include "MessageQueries.h"

#include "conversations/ConversationQueries.h"
#include "storage/Database.h"

#include <QVariant>

namespace Server {

using Protocol::ErrorCode;
using Protocol::MessageRecord;

namespace MessageActionQueries {

namespace {

bool isGroupAdmin(const ConversationQueries::Membership &membership)
{
    return membership.kind == Protocol::ConversationKind::Group
        && (membership.role == Protocol::Role::Owner || membership.role == Protocol::Role::Admin);
}

MessageRecord readEntry(Database &db, qint64 conversationId, qint64 seq)
{
    QSqlQuery &q = db.prepare(
        QStringLiteral("SELECT %1 FROM messages m WHERE m.conversation_id = ? AND m.seq = ?")
            .arg(MessageQueries::columns()));
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    db.exec(q);
    if (!q.next())
        throw StoreError(ErrorCode::Internal, QStringLiteral("entry %1 vanished").arg(seq));
    MessageRecord record = MessageQueries::readMessage(q);
    q.finish();
    return record;
}

} // namespace

Deletion deleteMessage(Database &db, qint64 conversationId, qint64 userId, qint64 seq,
                       qint64 windowMs)
{
    const auto membership = ConversationQueries::requireMember(db, conversationId, userId);
    QSqlQuery &q = db.prepare(QStringLiteral("SELECT sender_id, kind, created_at, erased, "
                                             "deleted_seq FROM messages WHERE conversation_id = ? "
                                             "AND seq = ?"));
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    db.exec(q);
    const auto notFound = [seq] {
        return StoreError(ErrorCode::NotFound,
                          QStringLiteral("there is no message %1 to delete "
                                         "here (events and expired messages "
                                         "cannot be deleted)")
                              .arg(seq));
    };
    if (!q.next() || seq < membership.joinedSeq)
        throw notFound();
    const qint64 sender = q.value(0).toLongLong();
    const auto kind = MessageQueries::Kind(q.value(1).toInt());
    const qint64 createdAt = q.value(2).toLongLong();
    const auto erased = MessageQueries::Erasure(q.value(3).toInt());
    const qint64 deletedSeq = q.value(4).toLongLong();
    q.finish();
    if (kind == MessageQueries::Kind::Event || erased == MessageQueries::Erasure::Expired)
        throw notFound();

    const qint64 now = Database::now();
    if (sender == userId) {
        // A repeat (say, after a lost answer) is answered even once the window has passed.
        if (erased == MessageQueries::Erasure::None && now - createdAt > windowMs)
            throw StoreError(ErrorCode::Forbidden,
                             QStringLiteral("your own messages can be deleted for everyone only "
                                            "within %1 hours of sending")
                                 .arg(windowMs / 3'600'000));
    } else if (!isGroupAdmin(membership)) {
        throw StoreError(ErrorCode::Forbidden,
                         QStringLiteral("only a group's owner and admins may delete other "
                                        "people's messages"));
    }
    if (erased == MessageQueries::Erasure::Deleted && deletedSeq > 0)
        return {readEntry(db, conversationId, deletedSeq), true};

    Protocol::MembershipEvent event;
    event.action = QStringLiteral("deleted");
    event.actorId = userId;
    event.targetSeq = seq;
    Deletion deletion;
    deletion.event = MessageQueries::appendEvent(db, conversationId, event);

    // The target and its dependants (reactions, edits) lose their bytes; the rows, and so the
    // sequence, stay. Dependants already expired keep saying so.
    QSqlQuery &erase = db.prepare(QStringLiteral(
        "UPDATE messages SET content = NULL, content_type = '', erased = ?, deleted_seq = ? "
        "WHERE conversation_id = ? AND kind = ? AND (seq = ? OR (ref_seq = ? AND erased = 0))"));
    erase.addBindValue(int(MessageQueries::Erasure::Deleted));
    erase.addBindValue(deletion.event.seq);
    erase.addBindValue(conversationId);
    erase.addBindValue(int(MessageQueries::Kind::Message));
    erase.addBindValue(seq);
    erase.addBindValue(seq);
    db.exec(erase);
    return deletion;
}

void hide(Database &db, qint64 conversationId, qint64 userId, const QList<qint64> &seqs)
{
    ConversationQueries::requireMember(db, conversationId, userId);
    QSqlQuery &last = db.prepare(QStringLiteral("SELECT last_seq FROM conversations WHERE id = ?"));
    last.addBindValue(conversationId);
    db.exec(last);
    const qint64 lastSeq = last.next() ? last.value(0).toLongLong() : 0;
    last.finish();
    for (qint64 seq : seqs) {
        if (seq > lastSeq)
            throw StoreError(ErrorCode::NotFound,
                             QStringLiteral("there is no entry %1 in conversation %2")
                                 .arg(seq)
                                 .arg(conversationId));
    }
    QSqlQuery &insert = db.prepare(
        QStringLiteral("INSERT INTO hidden (user_id, conversation_id, seq) VALUES (?, ?, ?) "
                       "ON CONFLICT (user_id, conversation_id, seq) DO NOTHING"));
    for (qint64 seq : seqs) {
        insert.addBindValue(userId);
        insert.addBindValue(conversationId);
        insert.addBindValue(seq);
        db.exec(insert);
    }
}

HiddenPage hiddenAfter(Database &db, qint64 userId, std::optional<qint64> after, int limit)
{
    HiddenPage page;
    if (!after) {
        QSqlQuery &q = db.prepare(QStringLiteral("SELECT MAX(id) FROM hidden WHERE user_id = ?"));
        q.addBindValue(userId);
        db.exec(q);
        page.cursor = q.next() ? q.value(0).toLongLong() : 0;
        q.finish();
        return page;
    }
    page.cursor = *after;
    QSqlQuery &q = db.prepare(QStringLiteral("SELECT id, conversation_id, seq FROM hidden WHERE "
                                             "user_id = ? AND id > ? ORDER BY id LIMIT ?"));
    q.addBindValue(userId);
    q.addBindValue(*after);
    q.addBindValue(limit + 1);
    db.exec(q);
    while (q.next()) {
        if (page.entries.size() == limit) {
            page.more = true;
            break;
        }
        page.cursor = q.value(0).toLongLong();
        page.entries.append({q.value(1).toLongLong(), q.value(2).toLongLong()});
    }
    q.finish();
    return page;
}

MessageRecord setTimer(Database &db, qint64 conversationId, qint64 userId, qint64 seconds)
{
    const auto membership = ConversationQueries::requireMember(db, conversationId, userId);
    if (membership.kind == Protocol::ConversationKind::Group && !isGroupAdmin(membership))
        throw StoreError(ErrorCode::Forbidden,
                         QStringLiteral("only a group's owner and admins may set its "
                                        "disappearing-messages timer"));
    QSqlQuery &update =
        db.prepare(QStringLiteral("UPDATE conversations SET disappear_seconds = ? WHERE id = ?"));
    update.addBindValue(seconds);
    update.addBindValue(conversationId);
    db.exec(update);
    Protocol::MembershipEvent event;
    event.action = QStringLiteral("timer");
    event.actorId = userId;
    event.seconds = seconds;
    return MessageQueries::appendEvent(db, conversationId, event);
}

int sweepExpired(Database &db, qint64 now, int batch)
{
    // "erased = 0" spelled literally, as in the partial index messages_expiry, so both planners
    // use it.
    QSqlQuery &q = db.prepare(
        QStringLiteral("UPDATE messages SET content = NULL, content_type = '', erased = ? "
                       "WHERE (conversation_id, seq) IN (SELECT conversation_id, seq FROM messages "
                       "WHERE expires_at <= ? AND erased = 0 ORDER BY expires_at LIMIT ?)"));
    q.addBindValue(int(MessageQueries::Erasure::Expired));
    q.addBindValue(now);
    q.addBindValue(batch);
    db.exec(q);
    return q.numRowsAffected();
}

} // namespace MessageActionQueries

} // namespace Server
