#include "GroupQueries.h"

#include "ConversationQueries.h"

#include "media/BlobQueries.h"
#include "messaging/MessageQueries.h"
#include "storage/Database.h"

#include <QSet>
#include <QVariant>

namespace Server {

using Protocol::ErrorCode;
using Protocol::MembershipEvent;
using Protocol::Role;

namespace GroupQueries {

namespace {

[[noreturn]] void forbid(const QString &message)
{
    throw StoreError(ErrorCode::Forbidden, message);
}

ConversationQueries::Membership requireGroupMember(Database &db, qint64 conversationId,
                                                   qint64 userId)
{
    const auto membership = ConversationQueries::requireMember(db, conversationId, userId);
    if (membership.kind != Protocol::ConversationKind::Group)
        forbid(QStringLiteral("a direct conversation has no membership changes"));
    return membership;
}

void requireUsersExist(Database &db, const QList<qint64> &userIds)
{
    for (qint64 id : userIds) {
        QSqlQuery &q = db.prepare(QStringLiteral("SELECT 1 FROM users WHERE id = ?"));
        q.addBindValue(id);
        db.exec(q);
        if (!q.next())
            throw StoreError(ErrorCode::NotFound, QStringLiteral("there is no user %1").arg(id));
        q.finish();
    }
}

void insertMembers(Database &db, qint64 conversationId,
                   const QList<std::pair<qint64, Role>> &members, qint64 joinedSeq)
{
    if (members.isEmpty())
        return;
    const qint64 now = Database::now();
    QSqlQuery &q = db.prepare(
        QStringLiteral(
            "INSERT INTO members (conversation_id, user_id, role, joined_seq, joined_at) VALUES %1")
            .arg(Database::placeholders(int(members.size()), 5)));
    for (const auto &[userId, role] : members) {
        q.addBindValue(conversationId);
        q.addBindValue(userId);
        q.addBindValue(int(role));
        q.addBindValue(joinedSeq);
        q.addBindValue(now);
    }
    db.exec(q);
    for (const auto &member : members) {
        QSqlQuery &back = db.prepare(
            QStringLiteral("DELETE FROM departures WHERE conversation_id = ? AND user_id = ?"));
        back.addBindValue(conversationId);
        back.addBindValue(member.first);
        db.exec(back);
    }
}

void setMemberRole(Database &db, qint64 conversationId, qint64 userId, Role role)
{
    QSqlQuery &q = db.prepare(
        QStringLiteral("UPDATE members SET role = ? WHERE conversation_id = ? AND user_id = ?"));
    q.addBindValue(int(role));
    q.addBindValue(conversationId);
    q.addBindValue(userId);
    db.exec(q);
}

// Removes a member, remembering where their view of the conversation ends.
void dropMember(Database &db, qint64 conversationId, qint64 userId, qint64 lastSeq)
{
    QSqlQuery &q =
        db.prepare(QStringLiteral("DELETE FROM members WHERE conversation_id = ? AND user_id = ?"));
    q.addBindValue(conversationId);
    q.addBindValue(userId);
    db.exec(q);
    QSqlQuery &gone = db.prepare(
        QStringLiteral("DELETE FROM departures WHERE conversation_id = ? AND user_id = ?"));
    gone.addBindValue(conversationId);
    gone.addBindValue(userId);
    db.exec(gone);
    QSqlQuery &mark = db.prepare(
        QStringLiteral("INSERT INTO departures (conversation_id, user_id, seq) VALUES (?, ?, ?)"));
    mark.addBindValue(conversationId);
    mark.addBindValue(userId);
    mark.addBindValue(lastSeq);
    db.exec(mark);
}

MembershipEvent event(const char *action, qint64 actorId, QList<qint64> userIds = {})
{
    MembershipEvent e;
    e.action = QString::fromLatin1(action);
    e.actorId = actorId;
    e.userIds = std::move(userIds);
    return e;
}

Change startChange(Database &db, qint64 conversationId)
{
    Change change;
    change.conversationId = conversationId;
    change.recipients = ConversationQueries::memberIds(db, conversationId);
    return change;
}

void finishChange(Database &db, Change &change)
{
    change.members = ConversationQueries::memberIds(db, change.conversationId);
    for (qint64 id : change.members) {
        if (!change.recipients.contains(id))
            change.recipients.append(id);
    }
}

} // namespace

Change create(Database &db, qint64 ownerId, const QString &name, const QList<qint64> &memberIds)
{
    QList<qint64> others;
    for (qint64 id : memberIds) {
        if (id != ownerId && !others.contains(id))
            others.append(id);
    }
    if (others.size() + 1 > Protocol::Limits::MaxGroupMembers)
        throw StoreError(ErrorCode::GroupFull,
                         QStringLiteral("a group has at most %1 members")
                             .arg(Protocol::Limits::MaxGroupMembers));
    requireUsersExist(db, others);

    const qint64 now = Database::now();
    QSqlQuery &q = db.prepare(QStringLiteral("INSERT INTO conversations (kind, name, created_at, "
                                             "last_activity) VALUES (?, ?, ?, ?) RETURNING id"));
    q.addBindValue(int(Protocol::ConversationKind::Group));
    q.addBindValue(name);
    q.addBindValue(now);
    q.addBindValue(now);
    db.exec(q);
    if (!q.next())
        throw StoreError(ErrorCode::Internal, QStringLiteral("the group was not created"));
    Change change;
    change.conversationId = q.value(0).toLongLong();
    q.finish();

    QList<std::pair<qint64, Role>> rows {{ownerId, Role::Owner}};
    for (qint64 id : others)
        rows.append({id, Role::Member});
    insertMembers(db, change.conversationId, rows, 1);

    MembershipEvent created = event("created", ownerId, others);
    created.name = name;
    change.events.append(MessageQueries::appendEvent(db, change.conversationId, created));
    change.added = QList<qint64> {ownerId} + others;
    finishChange(db, change);
    return change;
}

Change add(Database &db, qint64 conversationId, qint64 actorId, const QList<qint64> &userIds)
{
    const auto actor = requireGroupMember(db, conversationId, actorId);
    if (actor.role < Role::Admin)
        forbid(QStringLiteral("only the owner and admins can add members"));
    Change change = startChange(db, conversationId);
    QList<qint64> fresh;
    for (qint64 id : userIds) {
        if (!change.recipients.contains(id) && !fresh.contains(id))
            fresh.append(id);
    }
    if (fresh.isEmpty())
        throw StoreError(ErrorCode::InvalidField,
                         QStringLiteral("everyone listed is already a member"));
    if (change.recipients.size() + fresh.size() > Protocol::Limits::MaxGroupMembers)
        throw StoreError(ErrorCode::GroupFull,
                         QStringLiteral("a group has at most %1 members")
                             .arg(Protocol::Limits::MaxGroupMembers));
    requireUsersExist(db, fresh);

    const auto record =
        MessageQueries::appendEvent(db, conversationId, event("added", actorId, fresh));
    QList<std::pair<qint64, Role>> rows;
    for (qint64 id : fresh)
        rows.append({id, Role::Member});
    insertMembers(db, conversationId, rows, record.seq);
    change.events.append(record);
    change.added = fresh;
    finishChange(db, change);
    return change;
}

Change remove(Database &db, qint64 conversationId, qint64 actorId, qint64 userId)
{
    if (userId == actorId)
        throw StoreError(ErrorCode::InvalidField,
                         QStringLiteral("to remove yourself, leave the group"));
    const auto actor = requireGroupMember(db, conversationId, actorId);
    const auto target = ConversationQueries::membership(db, conversationId, userId);
    if (!target)
        throw StoreError(ErrorCode::NotFound,
                         QStringLiteral("user %1 is not a member").arg(userId));
    const bool allowed =
        actor.role == Role::Owner || (actor.role == Role::Admin && target->role == Role::Member);
    if (!allowed)
        forbid(actor.role == Role::Admin
                   ? QStringLiteral("admins can remove members, not admins or the owner")
                   : QStringLiteral("only the owner and admins can remove members"));
    Change change = startChange(db, conversationId);
    const auto record =
        MessageQueries::appendEvent(db, conversationId, event("removed", actorId, {userId}));
    dropMember(db, conversationId, userId, record.seq);
    change.events.append(record);
    change.departed.append(userId);
    finishChange(db, change);
    return change;
}

Change leave(Database &db, qint64 conversationId, qint64 actorId)
{
    const auto actor = requireGroupMember(db, conversationId, actorId);
    Change change = startChange(db, conversationId);
    const auto left = MessageQueries::appendEvent(db, conversationId, event("left", actorId));
    dropMember(db, conversationId, actorId, left.seq);
    change.events.append(left);
    change.departed.append(actorId);

    if (actor.role == Role::Owner) {
        QSqlQuery &q =
            db.prepare(QStringLiteral("SELECT user_id FROM members WHERE conversation_id = ? ORDER "
                                      "BY role DESC, joined_seq, joined_at, user_id LIMIT 1"));
        q.addBindValue(conversationId);
        db.exec(q);
        if (q.next()) {
            const qint64 heir = q.value(0).toLongLong();
            q.finish();
            setMemberRole(db, conversationId, heir, Role::Owner);
            MembershipEvent owner = event("owner", actorId, {heir});
            owner.role = Role::Owner;
            change.events.append(MessageQueries::appendEvent(db, conversationId, owner));
        }
    }
    finishChange(db, change);
    return change;
}

Change rename(Database &db, qint64 conversationId, qint64 actorId, const QString &name)
{
    const auto actor = requireGroupMember(db, conversationId, actorId);
    if (actor.role < Role::Admin)
        forbid(QStringLiteral("only the owner and admins can rename the group"));
    Change change = startChange(db, conversationId);
    QSqlQuery &q = db.prepare(QStringLiteral("UPDATE conversations SET name = ? WHERE id = ?"));
    q.addBindValue(name);
    q.addBindValue(conversationId);
    db.exec(q);
    MembershipEvent renamed = event("renamed", actorId);
    renamed.name = name;
    change.events.append(MessageQueries::appendEvent(db, conversationId, renamed));
    finishChange(db, change);
    return change;
}

Change setAvatar(Database &db, qint64 conversationId, qint64 actorId, const AvatarChange &avatar)
{
    const auto actor = requireGroupMember(db, conversationId, actorId);
    if (actor.role < Role::Admin)
        forbid(QStringLiteral("only the owner and admins can change the group's picture"));
    Change change = startChange(db, conversationId);
    if (avatar.blobId.isEmpty()) {
        QSqlQuery &q = db.prepare(QStringLiteral(
            "UPDATE conversations SET avatar_blob = NULL, avatar = NULL WHERE id = ?"));
        q.addBindValue(conversationId);
        db.exec(q);
    } else {
        BlobQueries::adoptAsAvatar(db, avatar.blobId, actorId);
        QSqlQuery &q = db.prepare(
            QStringLiteral("UPDATE conversations SET avatar_blob = ?, avatar = ? WHERE id = ?"));
        q.addBindValue(avatar.blobId);
        q.addBindValue(avatar.descriptor);
        q.addBindValue(conversationId);
        db.exec(q);
    }
    MembershipEvent changed = event("avatar", actorId);
    changed.avatarBlob = avatar.blobId;
    change.events.append(MessageQueries::appendEvent(db, conversationId, changed));
    finishChange(db, change);
    return change;
}

Change setRole(Database &db, qint64 conversationId, qint64 actorId, qint64 userId, Role role)
{
    if (role != Role::Admin && role != Role::Member)
        throw StoreError(ErrorCode::InvalidField,
                         QStringLiteral("\"role\" must be \"admin\" or \"member\""));
    const auto actor = requireGroupMember(db, conversationId, actorId);
    const auto target = ConversationQueries::membership(db, conversationId, userId);
    if (!target)
        throw StoreError(ErrorCode::NotFound,
                         QStringLiteral("user %1 is not a member").arg(userId));
    if (target->role == Role::Owner)
        forbid(QStringLiteral("the owner's role cannot be changed"));
    if (target->role == role)
        throw StoreError(ErrorCode::InvalidField,
                         QStringLiteral("the member already has that role"));
    if (role == Role::Admin && actor.role < Role::Admin)
        forbid(QStringLiteral("only the owner and admins can promote members"));
    if (role == Role::Member && actor.role != Role::Owner)
        forbid(QStringLiteral("only the owner can demote admins"));
    Change change = startChange(db, conversationId);
    setMemberRole(db, conversationId, userId, role);
    MembershipEvent changed = event("role", actorId, {userId});
    changed.role = role;
    change.events.append(MessageQueries::appendEvent(db, conversationId, changed));
    finishChange(db, change);
    return change;
}

} // namespace GroupQueries

} // namespace Server
