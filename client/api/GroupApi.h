#pragma once

#include "api/ApiCall.h"
#include "protocol/Attachment.h"
#include "protocol/Protocol.h"

#include <QList>
#include <QString>

namespace Client {

class Connection;

//! What a group change made: the membership event it added to the conversation (its seq). The
//! event itself reaches the store through the sync, as every member's copy does.
struct GroupChange
{
    qint64 seq = 0;

    static GroupChange fromBody(const QCborMap &body);
};

//! The group requests of one connection, with typed arguments: rename, add and remove members,
//! set a member's role, leave, the group's picture (docs/protocol.md, "Groups"). group.create is
//! Account::createGroup(), whose answer also lands in the store.
//!
//! The server decides: a refusal comes back as the Reply's error (forbidden, not_member,
//! not_found, invalid_field, group_full).
class GroupApi
{
public:
    explicit GroupApi(Connection *connection);

    //! group.rename.
    ApiCall<GroupChange> rename(qint64 conversationId, const QString &name) const;
    //! group.add: these users join as members.
    ApiCall<GroupChange> addMembers(qint64 conversationId, const QList<qint64> &userIds) const;
    //! group.remove: another member goes (oneself leaves with leave()).
    ApiCall<GroupChange> removeMember(qint64 conversationId, qint64 userId) const;
    //! group.role: Protocol::Role::Admin or Protocol::Role::Member.
    ApiCall<GroupChange> setRole(qint64 conversationId, qint64 userId, Protocol::Role role) const;
    //! group.leave; an owner's ownership passes on as the server decides.
    ApiCall<GroupChange> leave(qint64 conversationId) const;
    //! group.avatar with a picture already uploaded (the caller's own complete blob); who may:
    //! as for rename(). From an image: AvatarUpload::setGroupAvatar(), which uploads first.
    ApiCall<GroupChange> setAvatar(qint64 conversationId,
                                   const Protocol::Body::Attachment &descriptor) const;
    //! group.avatar removing the group's picture.
    ApiCall<GroupChange> clearAvatar(qint64 conversationId) const;

private:
    ApiCall<GroupChange> send(QLatin1StringView type, const QCborMap &fields) const;

    Connection *m_connection;
};

} // namespace Client
