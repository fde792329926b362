#include "RichQueries.h"

#include "ClientLogging.h"
#include "store/MessageRow.h"
#include "text/RichText.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::MessageRecord;
namespace Body = Protocol::Body;

namespace RichQueries {

namespace {

bool run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcClientStore).noquote()
        << "rich message query failed:" << q.lastError().text() << q.lastQuery();
    return false;
}

//! The message an edit or reaction acts on, as far as the rules need it.
struct Target
{
    bool found = false;
    bool shown = false; //!< a message people read, content still there
    qint64 senderId = 0;
    qint64 timestamp = 0;
    QString contentType;
    QByteArray content;
    QString body;
};

Target target(const Prepare &db, qint64 conversationId, qint64 seq)
{
    QSqlQuery &q = db(u"SELECT sender_id, timestamp, content_type, content, body, event, "
                      "silent, erased, hidden FROM messages WHERE conversation_id = ? AND "
                      "seq = ?"_s);
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    Target t;
    if (!run(q) || !q.next())
        return t;
    t.found = true;
    t.senderId = q.value(0).toLongLong();
    t.timestamp = q.value(1).toLongLong();
    t.contentType = q.value(2).toString();
    t.content = q.value(3).toByteArray();
    t.body = q.value(4).toString();
    t.shown =
        q.value(5).isNull() && !q.value(6).toBool() && q.value(7).isNull() && !q.value(8).toBool();
    return t;
}

void markReplies(const Prepare &db, qint64 conversationId, qint64 seq, Effects &effects)
{
    // Replies quoting this entry show its state.
    QSqlQuery &q = db(u"SELECT seq FROM messages WHERE conversation_id = ? AND reply_seq = ?"_s);
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    if (run(q)) {
        while (q.next())
            effects.updated.insert({conversationId, q.value(0).toLongLong()});
    }
}

void applyReaction(const Prepare &db, qint64 conversationId, qint64 seq, qint64 senderId,
                   const Body::MessageBody &body, Effects &effects)
{
    const Target t = target(db, conversationId, body.target);
    if (!t.found || !t.shown)
        return; // kept: applied when the target arrives (or never, once it is erased)
    QSqlQuery &q =
        db(u"INSERT INTO reactions (conversation_id, target_seq, user_id, emoji, seq) "
           "VALUES (?, ?, ?, IFNULL(?, ''), ?) ON CONFLICT (conversation_id, target_seq, user_id) "
           "DO UPDATE "
           "SET emoji = excluded.emoji, seq = excluded.seq WHERE excluded.seq > reactions.seq"_s);
    q.addBindValue(conversationId);
    q.addBindValue(body.target);
    q.addBindValue(senderId);
    q.addBindValue(body.emoji); // empty: removed, but kept so that an older one cannot return
    q.addBindValue(seq);
    if (run(q) && q.numRowsAffected() > 0)
        effects.updated.insert({conversationId, body.target});
}

Body::MessageBody currentBody(const Target &t)
{
    if (t.contentType == Body::ContentType) {
        const Body::DecodedBody decoded = Body::decode(t.content);
        if (decoded.ok())
            return decoded.body;
    }
    return Body::text(t.body);
}

void applyEdit(const Prepare &db, qint64 conversationId, qint64 seq, qint64 senderId,
               qint64 timestamp, const Body::MessageBody &edit, qint64 selfId, Effects &effects)
{
    const Target t = target(db, conversationId, edit.target);
    // Only the original sender, within the window, of a message still there; anything else is
    // ignored (another client may be lying about whose message it edits).
    if (!t.found || !t.shown || t.senderId != senderId || timestamp > t.timestamp + EditWindowMs)
        return;
    if (t.contentType != u"text/plain"_s && t.contentType != Body::ContentType)
        return;
    const Body::MessageBody before = currentBody(t);
    if (before.kind != Body::Kind::Text)
        return;
    // The history keeps the original text as the entry with the original's own seq.
    QSqlQuery &original = db(u"INSERT OR IGNORE INTO edits (conversation_id, target_seq, seq, "
                             "timestamp, text) SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS "
                             "(SELECT 1 FROM edits WHERE conversation_id = ? AND "
                             "target_seq = ?)"_s);
    original.addBindValue(conversationId);
    original.addBindValue(edit.target);
    original.addBindValue(edit.target);
    original.addBindValue(t.timestamp);
    original.addBindValue(before.text);
    original.addBindValue(conversationId);
    original.addBindValue(edit.target);
    run(original);
    QSqlQuery &history = db(u"INSERT OR IGNORE INTO edits (conversation_id, target_seq, "
                            "seq, timestamp, text) VALUES (?, ?, ?, ?, ?)"_s);
    history.addBindValue(conversationId);
    history.addBindValue(edit.target);
    history.addBindValue(seq);
    history.addBindValue(timestamp);
    history.addBindValue(edit.text);
    run(history);
    // The newest edit is the text; an older one arriving late only joins the history.
    QSqlQuery &newest = db(u"SELECT MAX(seq) FROM edits WHERE conversation_id = ? AND "
                           "target_seq = ?"_s);
    newest.addBindValue(conversationId);
    newest.addBindValue(edit.target);
    if (!run(newest) || !newest.next() || newest.value(0).toLongLong() != seq)
        return;
    Body::MessageBody after = before;
    after.text = edit.text;
    after.styles = edit.styles;
    after.mentions = edit.mentions;
    const bool mentionsMe = std::any_of(after.mentions.cbegin(), after.mentions.cend(),
                                        [selfId, senderId](const Body::Mention &m) {
                                            return m.userId == selfId && senderId != selfId;
                                        });
    QSqlQuery &update = db(u"UPDATE messages SET content_type = ?, content = ?, body = ?, "
                           "edited_at = ?, mentions_me = ? WHERE conversation_id = ? AND "
                           "seq = ?"_s);
    update.addBindValue(QString(Body::ContentType));
    update.addBindValue(Body::encode(after));
    update.addBindValue(after.text);
    update.addBindValue(timestamp);
    update.addBindValue(mentionsMe);
    update.addBindValue(conversationId);
    update.addBindValue(edit.target);
    if (run(update)) {
        effects.updated.insert({conversationId, edit.target});
        effects.conversations.insert(conversationId);
        markReplies(db, conversationId, edit.target, effects);
    }
}

//! Applies one silent entry (reaction, edit, `deleted` event) to its target, if it is there.
void applySilent(const Prepare &db, const MessageRecord &m, const Body::MessageBody *body,
                 qint64 selfId, Effects &effects)
{
    if (m.isEvent()) {
        if (m.event->action == u"deleted"_s && m.event->targetSeq > 0)
            erase(db, m.conversationId, m.event->targetSeq, u"deleted"_s, selfId, effects);
        return;
    }
    if (!body)
        return;
    if (body->kind == Body::Kind::Reaction)
        applyReaction(db, m.conversationId, m.seq, m.senderId, *body, effects);
    else if (body->kind == Body::Kind::Edit)
        applyEdit(db, m.conversationId, m.seq, m.senderId, m.timestamp, *body, selfId, effects);
}

//! The silent entries that wait for `seq` (arrived before it), applied in seq order.
void applyWaiting(const Prepare &db, qint64 conversationId, qint64 seq, qint64 selfId,
                  Effects &effects)
{
    QSqlQuery &q = db(u"SELECT "_s + MessageRow::columns()
                      + u" FROM messages WHERE conversation_id = ? AND ref_seq = ? AND "
                        "silent = 1"_s); // no ORDER BY: SQLite would walk (conversation_id, seq)
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    QList<MessageRecord> waiting;
    if (run(q)) {
        while (q.next())
            waiting.append(MessageRow::fromQuery(q, 0));
    }
    std::sort(waiting.begin(), waiting.end(),
              [](const MessageRecord &a, const MessageRecord &b) { return a.seq < b.seq; });
    for (const MessageRecord &m : std::as_const(waiting)) {
        if (m.isEvent()) {
            applySilent(db, m, nullptr, selfId, effects);
            continue;
        }
        const Body::DecodedBody decoded = Body::decode(m.content);
        if (decoded.ok())
            applySilent(db, m, &decoded.body, selfId, effects);
    }
}

} // namespace

QString shownCondition(const QString &alias)
{
    const QString p = alias.isEmpty() ? QString() : alias + u'.';
    return u"%1silent = 0 AND %1hidden = 0 AND (%1erased IS NULL OR %1erased <> 'expired')"_s.arg(
        p);
}

RowValues rowValues(const MessageRecord &m, qint64 selfId)
{
    RowValues v;
    v.silent = m.silent;
    v.refSeq = m.refSeq;
    if (m.isEvent()) {
        if (m.event->action == u"deleted"_s) {
            v.silent = true; // a tombstone's event: the erased message shows it
            v.refSeq = m.event->targetSeq;
        }
        return v;
    }
    if (!m.erased.isEmpty() || m.hidden)
        return v; // nothing left to keep
    if (MessageRow::isText(m)) {
        v.body = QString::fromUtf8(m.content);
        return v;
    }
    v.content = m.content;
    if (!MessageRow::isBody(m))
        return v;
    v.decoded = Body::decode(m.content);
    if (!v.decoded.ok())
        return v; // shown as unsupported
    v.hasBody = true;
    const Body::MessageBody &body = v.decoded.body;
    if (body.kind != Body::Kind::Text) {
        v.silent = true;
        v.refSeq = body.target;
        return v;
    }
    v.body = body.text;
    v.replySeq = body.replyTo.seq;
    v.replySender = body.replyTo.senderId;
    v.forwarded = body.forwarded;
    v.mentionsMe = m.senderId != selfId
        && std::any_of(body.mentions.cbegin(), body.mentions.cend(),
                       [selfId](const Body::Mention &mention) { return mention.userId == selfId; });
    return v;
}

void afterInsert(const Prepare &db, const MessageRecord &m, const RowValues &values, qint64 selfId,
                 Effects &effects)
{
    if (m.expiresAt > 0)
        effects.expiry = true;
    if (m.isEvent() && m.event->action == u"timer"_s) {
        QSqlQuery &q = db(u"UPDATE conversations SET disappear_seconds = ?, disappear_seq = ? "
                          "WHERE id = ? AND disappear_seq < ?"_s);
        q.addBindValue(m.event->seconds);
        q.addBindValue(m.seq);
        q.addBindValue(m.conversationId);
        q.addBindValue(m.seq);
        if (run(q) && q.numRowsAffected() > 0)
            effects.conversations.insert(m.conversationId);
    }
    if (values.silent) {
        applySilent(db, m, values.hasBody ? &values.decoded.body : nullptr, selfId, effects);
        return;
    }
    if (!m.erased.isEmpty())
        erase(db, m.conversationId, m.seq, m.erased, selfId, effects);
    else if (m.hidden)
        erase(db, m.conversationId, m.seq, QString(), selfId, effects);
    else
        applyWaiting(db, m.conversationId, m.seq, selfId, effects);
    // A new message reads as its record says (MessageListModel decodes it); only a reply needs
    // the state of what it quotes, and what waited for it says so itself.
    if (values.replySeq > 0)
        effects.updated.insert({m.conversationId, m.seq});
    markReplies(db, m.conversationId, m.seq, effects);
    if (values.mentionsMe)
        effects.conversations.insert(m.conversationId);
}

void erase(const Prepare &db, qint64 conversationId, qint64 seq, const QString &erased,
           qint64 selfId, Effects &effects)
{
    // An unread message the count already holds (up to last_seq: a page being stored counts its
    // own entries afterwards) leaves it, and once erased is never counted again.
    QSqlQuery &unread = db(u"UPDATE conversations SET unread = max(0, unread - 1) WHERE id = :id "
                           "AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = :id "
                           "AND m.seq = :seq AND m.seq > conversations.read_seq AND m.seq <= "
                           "conversations.last_seq AND m.sender_id <> :self AND m.event IS NULL "
                           "AND m.silent = 0 AND m.erased IS NULL AND m.hidden = 0)"_s);
    unread.bindValue(u":id"_s, conversationId);
    unread.bindValue(u":seq"_s, seq);
    unread.bindValue(u":self"_s, selfId);
    run(unread);
    QSqlQuery &q =
        db(erased.isEmpty() ? u"UPDATE messages SET content = NULL, body = NULL, hidden = 1, "
                              "reply_seq = NULL, reply_sender = NULL, forwarded = 0, "
                              "mentions_me = 0, edited_at = NULL WHERE conversation_id = ? AND "
                              "seq = ? AND event IS NULL"_s
                            : u"UPDATE messages SET content = NULL, body = NULL, erased = ?, "
                              "reply_seq = NULL, reply_sender = NULL, forwarded = 0, "
                              "mentions_me = 0, edited_at = NULL WHERE conversation_id = ? AND "
                              "seq = ? AND event IS NULL"_s);
    if (!erased.isEmpty())
        q.addBindValue(erased);
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    if (!run(q) || q.numRowsAffected() == 0)
        return;
    // Its reactions and edits go with it, the entries that carried them too.
    for (const QString &sql :
         {u"DELETE FROM reactions WHERE conversation_id = ? AND target_seq = ?"_s,
          u"DELETE FROM edits WHERE conversation_id = ? AND target_seq = ?"_s,
          u"UPDATE messages SET content = NULL, body = NULL WHERE conversation_id = ? AND "
          "ref_seq = ? AND silent = 1 AND event IS NULL"_s}) {
        QSqlQuery &dependants = db(sql);
        dependants.addBindValue(conversationId);
        dependants.addBindValue(seq);
        run(dependants);
    }
    effects.updated.insert({conversationId, seq});
    effects.conversations.insert(conversationId);
    effects.expiry = true;
    markReplies(db, conversationId, seq, effects);
}

void expire(const Prepare &db, qint64 now, qint64 selfId, Effects &effects)
{
    QSqlQuery &q = db(u"SELECT conversation_id, seq, silent FROM messages WHERE expires_at "
                      "IS NOT NULL AND expires_at <= ? AND erased IS NULL AND "
                      "(content IS NOT NULL OR body IS NOT NULL)"_s);
    q.addBindValue(now);
    QList<std::tuple<qint64, qint64, bool>> due;
    if (run(q)) {
        while (q.next())
            due.append({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toBool()});
    }
    q.finish();
    for (const auto &[conversationId, seq, silent] : std::as_const(due)) {
        if (!silent) {
            erase(db, conversationId, seq, u"expired"_s, selfId, effects);
            continue;
        }
        QSqlQuery &clear = db(u"UPDATE messages SET content = NULL, body = NULL, erased = "
                              "'expired' WHERE conversation_id = ? AND seq = ?"_s);
        clear.addBindValue(conversationId);
        clear.addBindValue(seq);
        run(clear);
    }
}

qint64 nextExpiry(const Prepare &db)
{
    QSqlQuery &q = db(u"SELECT MIN(expires_at) FROM messages WHERE expires_at IS NOT NULL "
                      "AND erased IS NULL AND (content IS NOT NULL OR body IS NOT NULL)"_s);
    return run(q) && q.next() ? q.value(0).toLongLong() : 0;
}

void recountMentions(const Prepare &db, qint64 conversationId, qint64 selfId)
{
    QSqlQuery &q = db(u"UPDATE conversations SET unread_mentions = (SELECT COUNT(*) FROM "
                      "messages m WHERE m.conversation_id = :id AND m.seq > "
                      "conversations.read_seq AND m.mentions_me = 1 AND m.sender_id <> :self) "
                      "WHERE id = :id"_s);
    q.bindValue(u":id"_s, conversationId);
    q.bindValue(u":self"_s, selfId);
    run(q);
}

void complete(const Prepare &db, QList<StoredMessage> &messages)
{
    for (StoredMessage &m : messages) {
        const MessageRecord &r = m.record;
        if (r.isEvent() || r.silent)
            continue;
        QSqlQuery &reactions = db(u"SELECT user_id, emoji, seq FROM reactions WHERE "
                                  "conversation_id = ? AND target_seq = ? AND emoji <> '' "
                                  "ORDER BY seq"_s);
        reactions.addBindValue(r.conversationId);
        reactions.addBindValue(r.seq);
        if (run(reactions)) {
            while (reactions.next())
                m.reactions.append(ReactionInfo {reactions.value(0).toLongLong(),
                                                 reactions.value(1).toString(),
                                                 reactions.value(2).toLongLong()});
        }
        if (m.editedAt > 0)
            m.edits = editHistory(db, r.conversationId, r.seq);
        if (m.replySeq <= 0)
            continue;
        const Target quoted = target(db, r.conversationId, m.replySeq);
        if (!quoted.found) {
            m.replyState = u"missing"_s;
        } else if (!quoted.shown) {
            m.replyState = u"deleted"_s;
        } else {
            m.replyState = u"ok"_s;
            m.replyExcerpt = RichText::maskSpoilers(quoted.contentType, quoted.content, quoted.body)
                                 .simplified()
                                 .left(200);
        }
    }
}

QList<StoredMessage> read(const Prepare &db, qint64 conversationId, const QList<qint64> &seqs)
{
    QList<StoredMessage> list;
    for (qint64 seq : seqs) {
        QSqlQuery &q = db(u"SELECT "_s + MessageRow::storedColumns()
                          + u" FROM messages WHERE conversation_id = ? AND seq = ? AND "
                            "silent = 0"_s);
        q.addBindValue(conversationId);
        q.addBindValue(seq);
        if (run(q) && q.next())
            list.append(MessageRow::storedFromQuery(q, 0));
    }
    complete(db, list);
    return list;
}

QList<EditInfo> editHistory(const Prepare &db, qint64 conversationId, qint64 seq)
{
    QSqlQuery &q = db(u"SELECT seq, timestamp, text FROM edits WHERE conversation_id = ? "
                      "AND target_seq = ?"_s);
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    QList<EditInfo> list;
    if (run(q)) {
        while (q.next())
            list.append(
                EditInfo {q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toString()});
    }
    std::sort(list.begin(), list.end(),
              [](const EditInfo &a, const EditInfo &b) { return a.seq < b.seq; });
    return list;
}

} // namespace RichQueries

} // namespace Client
