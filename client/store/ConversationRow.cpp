#include "ConversationRow.h"

#include "store/UserQueries.h"

namespace Client {

using namespace Qt::StringLiterals;

namespace ConversationRow {

QString columns()
{
    return u"c.id, c.kind, c.name, c.role, c.last_seq, c.last_activity, c.member_count, c.unread, "
           "c.read_seq, c.delivered_seq, c.others_read_seq, c.muted, c.pinned, c.archived, "
           "c.peer_id, "
           "c.active, "_s
        + UserQueries::columns(u"u"_s) + u", c.avatar_blob, c.avatar"_s;
}

Protocol::ConversationInfo fromQuery(const QSqlQuery &q)
{
    Protocol::ConversationInfo c;
    c.id = q.value(0).toLongLong();
    c.kind = q.value(1).toInt() == int(Protocol::ConversationKind::Group)
        ? Protocol::ConversationKind::Group
        : Protocol::ConversationKind::Direct;
    c.name = q.value(2).toString();
    c.role = Protocol::Role(q.value(3).toInt());
    c.lastSeq = q.value(4).toLongLong();
    c.lastActivity = q.value(5).toLongLong();
    c.memberCount = q.value(6).toInt();
    c.unread = q.value(7).toLongLong();
    c.readSeq = q.value(8).toLongLong();
    c.deliveredSeq = q.value(9).toLongLong();
    c.othersReadSeq = q.value(10).toLongLong();
    c.muted = q.value(11).toBool();
    c.pinned = q.value(12).toBool();
    c.archived = q.value(13).toBool();
    if (!q.value(14).isNull())
        c.peer = UserQueries::fromQuery(q, 14, 16);
    c.avatarBlob = q.value(16 + UserQueries::ColumnCount).toString();
    c.avatar = q.value(17 + UserQueries::ColumnCount).toByteArray();
    return c;
}

} // namespace ConversationRow

} // namespace Client
