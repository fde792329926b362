#include "ConversationQueries.h"

#include "accounts/AccountQueries.h"
#include "messaging/MessageQueries.h"
#include "storage/Database.h"

#include <QHash>
#include <QVariant>

#include <algorithm>

namespace Server {

using Protocol::ConversationInfo;
using Protocol::ErrorCode;

namespace ConversationQueries {

namespace {

// Appends the "only this conversation" filter to a query over `mine` (the user's members row).
QString scoped(QString sql, bool only)
{
    if (only)
        sql.replace(QLatin1String("{{only}}"), QLatin1String(" AND mine.conversation_id = ?"));
    else
        sql.remove(QLatin1String("{{only}}"));
    return sql;
}

void bindScope(QSqlQuery &q, qint64 userId, std::optional<qint64> only)
{
    q.addBindValue(userId);
    if (only)
        q.addBindValue(*only);
}

} // namespace

std::optional<Membership> membership(Database &db, qint64 conversationId, qint64 userId)
{
    QSqlQuery &q = db.prepare(QStringLiteral("SELECT c.kind, m.role, m.joined_seq FROM members m "
                                             "JOIN conversations c ON c.id = m.conversation_id "
                                             "WHERE m.conversation_id = ? AND m.user_id = ?"));
    q.addBindValue(conversationId);
    q.addBindValue(userId);
    db.exec(q);
    if (!q.next())
        return std::nullopt;
    Membership m;
    m.kind = Protocol::ConversationKind(q.value(0).toInt());
    m.role = Protocol::Role(q.value(1).toInt());
    m.joinedSeq = q.value(2).toLongLong();
    return m;
}

Membership requireMember(Database &db, qint64 conversationId, qint64 userId)
{
    auto m = membership(db, conversationId, userId);
    if (!m)
        throw StoreError(
            ErrorCode::NotMember,
            QStringLiteral("you are not a member of conversation %1").arg(conversationId));
    return *m;
}

QList<ConversationInfo> conversations(Database &db, qint64 userId, std::optional<qint64> only)
{
    const bool scope = only.has_value();
    QList<ConversationInfo> list;
    QHash<qint64, qsizetype> index;

    QSqlQuery &base =
        db.prepare(scoped(QStringLiteral("SELECT c.id, c.kind, c.name, c.last_seq, "
                                         "c.last_activity, mine.role, mine.read_seq, mine.muted, "
                                         "mine.pinned, mine.archived, c.disappear_seconds, "
                                         "c.avatar_blob, c.avatar FROM members mine JOIN "
                                         "conversations c ON c.id = mine.conversation_id "
                                         "WHERE mine.user_id = ?{{only}}"),
                          scope));
    bindScope(base, userId, only);
    db.exec(base);
    while (base.next()) {
        ConversationInfo c;
        c.id = base.value(0).toLongLong();
        c.kind = Protocol::ConversationKind(base.value(1).toInt());
        c.name = base.value(2).toString();
        c.lastSeq = base.value(3).toLongLong();
        c.lastActivity = base.value(4).toLongLong();
        c.role = Protocol::Role(base.value(5).toInt());
        c.readSeq = base.value(6).toLongLong();
        c.muted = base.value(7).toBool();
        c.pinned = base.value(8).toBool();
        c.archived = base.value(9).toBool();
        c.disappearSeconds = base.value(10).toLongLong();
        c.avatarBlob = base.value(11).toString();
        c.avatar = base.value(12).toByteArray();
        c.memberCount = 1;
        index.insert(c.id, list.size());
        list.append(c);
    }
    base.finish();
    if (list.isEmpty())
        return list;

    // Other members: how many, and how far all of them have received and read.
    QSqlQuery &others = db.prepare(scoped(
        QStringLiteral("SELECT o.conversation_id, COUNT(*), MIN(o.delivered_seq), "
                       "MIN(CASE WHEN u.send_read_receipts = ? THEN o.read_seq ELSE NULL END) "
                       "FROM members mine JOIN members o ON o.conversation_id = "
                       "mine.conversation_id AND o.user_id <> mine.user_id "
                       "JOIN users u ON u.id = o.user_id WHERE mine.user_id = ?{{only}} GROUP BY "
                       "o.conversation_id"),
        scope));
    others.addBindValue(true);
    bindScope(others, userId, only);
    db.exec(others);
    while (others.next()) {
        ConversationInfo &c = list[index.value(others.value(0).toLongLong())];
        c.memberCount = 1 + others.value(1).toInt();
        c.deliveredSeq = others.value(2).toLongLong();
        c.othersReadSeq = others.value(3).toLongLong();
    }
    others.finish();

    QSqlQuery &peers = db.prepare(scoped(
        QStringLiteral(
            "SELECT o.conversation_id, %1 "
            "FROM members mine JOIN conversations c ON c.id = mine.conversation_id AND c.kind = ? "
            "JOIN members o ON o.conversation_id = mine.conversation_id AND o.user_id <> "
            "mine.user_id "
            "JOIN users u ON u.id = o.user_id WHERE mine.user_id = ?{{only}}")
            .arg(AccountQueries::publicUserColumns(QStringLiteral("u"))),
        scope));
    peers.addBindValue(int(Protocol::ConversationKind::Direct));
    bindScope(peers, userId, only);
    db.exec(peers);
    while (peers.next())
        list[index.value(peers.value(0).toLongLong())].peer =
            AccountQueries::readPublicUser(peers, 1);
    peers.finish();

    // The newest entry that is not silent: a reaction or an edit is not the list's preview. The
    // primary key's index, read backwards, finds it after the few silent entries at the end.
    QSqlQuery &last = db.prepare(scoped(
        QStringLiteral(
            "SELECT %1 FROM members mine JOIN conversations c ON c.id = mine.conversation_id "
            "JOIN messages m ON m.conversation_id = c.id AND m.seq = (SELECT x.seq FROM "
            "messages x WHERE x.conversation_id = c.id AND x.silent = ? ORDER BY x.seq DESC "
            "LIMIT 1) WHERE mine.user_id = ?{{only}}")
            .arg(MessageQueries::columns()),
        scope));
    last.addBindValue(false);
    bindScope(last, userId, only);
    db.exec(last);
    while (last.next()) {
        const Protocol::MessageRecord message = MessageQueries::readMessage(last);
        list[index.value(message.conversationId)].lastMessage = message;
    }
    last.finish();

    QSqlQuery &unread = db.prepare(scoped(
        QStringLiteral("SELECT mine.conversation_id, COUNT(*) FROM members mine JOIN messages m "
                       "ON m.conversation_id = mine.conversation_id AND m.seq > mine.read_seq AND "
                       "m.sender_id <> mine.user_id "
                       "AND m.kind = ? AND m.silent = ? AND m.erased = 0 AND NOT EXISTS (SELECT "
                       "1 FROM hidden h WHERE h.user_id = mine.user_id AND h.conversation_id = "
                       "m.conversation_id AND h.seq = m.seq) WHERE mine.user_id = ?{{only}} "
                       "GROUP BY mine.conversation_id"),
        scope));
    unread.addBindValue(int(MessageQueries::Kind::Message));
    unread.addBindValue(false);
    bindScope(unread, userId, only);
    db.exec(unread);
    while (unread.next())
        list[index.value(unread.value(0).toLongLong())].unread = unread.value(1).toLongLong();
    unread.finish();
    return list;
}

ConversationInfo conversation(Database &db, qint64 conversationId, qint64 userId)
{
    const QList<ConversationInfo> one = conversations(db, userId, conversationId);
    if (one.isEmpty())
        throw StoreError(
            ErrorCode::NotMember,
            QStringLiteral("you are not a member of conversation %1").arg(conversationId));
    return one.first();
}

QList<Protocol::MemberInfo> members(Database &db, qint64 conversationId)
{
    using AccountQueries::PublicUserColumnCount;
    QSqlQuery &q = db.prepare(
        QStringLiteral("SELECT %1, u.send_read_receipts, m.role, m.delivered_seq, m.read_seq "
                       "FROM members m JOIN users u ON u.id = m.user_id "
                       "WHERE m.conversation_id = ? ORDER BY m.role DESC, m.joined_seq, u.id")
            .arg(AccountQueries::publicUserColumns(QStringLiteral("u"))));
    q.addBindValue(conversationId);
    db.exec(q);
    QList<Protocol::MemberInfo> list;
    while (q.next()) {
        Protocol::MemberInfo member;
        member.user = AccountQueries::readPublicUser(q);
        const bool sendsReadReceipts = q.value(PublicUserColumnCount).toBool();
        member.role = Protocol::Role(q.value(PublicUserColumnCount + 1).toInt());
        member.deliveredSeq = q.value(PublicUserColumnCount + 2).toLongLong();
        member.readSeq = sendsReadReceipts ? q.value(PublicUserColumnCount + 3).toLongLong() : 0;
        list.append(member);
    }
    return list;
}

QList<qint64> memberIds(Database &db, qint64 conversationId)
{
    QSqlQuery &q = db.prepare(QStringLiteral(
        "SELECT user_id FROM members WHERE conversation_id = ? ORDER BY joined_seq, user_id"));
    q.addBindValue(conversationId);
    db.exec(q);
    QList<qint64> ids;
    while (q.next())
        ids.append(q.value(0).toLongLong());
    return ids;
}

void setFlags(Database &db, qint64 conversationId, qint64 userId, std::optional<bool> muted,
              std::optional<bool> pinned, std::optional<bool> archived)
{
    requireMember(db, conversationId, userId);
    const auto set = [&](const char *column, std::optional<bool> value) {
        if (!value)
            return;
        QSqlQuery &q = db.prepare(
            QStringLiteral("UPDATE members SET %1 = ? WHERE conversation_id = ? AND user_id = ?")
                .arg(QLatin1String(column)));
        q.addBindValue(*value);
        q.addBindValue(conversationId);
        q.addBindValue(userId);
        db.exec(q);
    };
    set("muted", muted);
    set("pinned", pinned);
    set("archived", archived);
}

qint64 openDirect(Database &db, qint64 userId, qint64 peerId, bool *created)
{
    const QString key =
        QStringLiteral("%1:%2").arg(std::min(userId, peerId)).arg(std::max(userId, peerId));
    QSqlQuery &find =
        db.prepare(QStringLiteral("SELECT id FROM conversations WHERE direct_key = ?"));
    find.addBindValue(key);
    db.exec(find);
    if (find.next())
        return find.value(0).toLongLong();
    find.finish();

    QSqlQuery &peer = db.prepare(QStringLiteral("SELECT id FROM users WHERE id = ?"));
    peer.addBindValue(peerId);
    db.exec(peer);
    if (!peer.next())
        throw StoreError(ErrorCode::NotFound, QStringLiteral("there is no user %1").arg(peerId));
    peer.finish();

    const qint64 now = Database::now();
    // ON CONFLICT: another server instance may create the same pair at the same moment.
    QSqlQuery &insert =
        db.prepare(QStringLiteral("INSERT INTO conversations (kind, direct_key, created_at, "
                                  "last_activity) VALUES (?, ?, ?, ?) "
                                  "ON CONFLICT (direct_key) DO NOTHING RETURNING id"));
    insert.addBindValue(int(Protocol::ConversationKind::Direct));
    insert.addBindValue(key);
    insert.addBindValue(now);
    insert.addBindValue(now);
    db.exec(insert);
    if (!insert.next()) {
        insert.finish();
        return openDirect(db, userId, peerId, created);
    }
    const qint64 id = insert.value(0).toLongLong();
    insert.finish();
    QSqlQuery &members = db.prepare(
        QStringLiteral("INSERT INTO members (conversation_id, user_id, role, joined_seq, "
                       "joined_at) VALUES (?, ?, ?, 0, ?), (?, ?, ?, 0, ?)"));
    for (qint64 member : {userId, peerId}) {
        members.addBindValue(id);
        members.addBindValue(member);
        members.addBindValue(int(Protocol::Role::Member));
        members.addBindValue(now);
    }
    db.exec(members);
    if (created)
        *created = true;
    return id;
}

void sortForList(QList<ConversationInfo> &list)
{
    std::stable_sort(list.begin(), list.end(),
                     [](const ConversationInfo &a, const ConversationInfo &b) {
                         if (a.pinned != b.pinned)
                             return a.pinned;
                         if (a.lastActivity != b.lastActivity)
                             return a.lastActivity > b.lastActivity;
                         return a.id > b.id;
                     });
}

} // namespace ConversationQueries

} // namespace Server
