#include "GroupApi.h"

#include "connection/Connection.h"
#include "media/Avatars.h"
#include "protocol/Requests.h"

#include <QCborArray>

namespace Client {

using namespace Qt::StringLiterals;

GroupChange GroupChange::fromBody(const QCborMap &body)
{
    return {body.value("seq"_L1).toInteger()};
}

GroupApi::GroupApi(Connection *connection)
    : m_connection(connection)
{
}

ApiCall<GroupChange> GroupApi::send(QLatin1StringView type, const QCborMap &fields) const
{
    return {m_connection->send(type, fields), &GroupChange::fromBody};
}

ApiCall<GroupChange> GroupApi::rename(qint64 conversationId, const QString &name) const
{
    return send(Protocol::Request::RenameGroup,
                {{"conversationId"_L1, conversationId}, {"name"_L1, name}});
}

ApiCall<GroupChange> GroupApi::addMembers(qint64 conversationId, const QList<qint64> &userIds) const
{
    QCborArray ids;
    for (qint64 id : userIds)
        ids.append(id);
    return send(Protocol::Request::AddMembers,
                {{"conversationId"_L1, conversationId}, {"userIds"_L1, ids}});
}

ApiCall<GroupChange> GroupApi::removeMember(qint64 conversationId, qint64 userId) const
{
    return send(Protocol::Request::RemoveMember,
                {{"conversationId"_L1, conversationId}, {"userId"_L1, userId}});
}

ApiCall<GroupChange> GroupApi::setRole(qint64 conversationId, qint64 userId,
                                       Protocol::Role role) const
{
    return send(Protocol::Request::SetRole,
                {{"conversationId"_L1, conversationId},
                 {"userId"_L1, userId},
                 {"role"_L1, Protocol::roleName(role)}});
}

ApiCall<GroupChange> GroupApi::leave(qint64 conversationId) const
{
    return send(Protocol::Request::LeaveGroup, {{"conversationId"_L1, conversationId}});
}

ApiCall<GroupChange> GroupApi::setAvatar(qint64 conversationId,
                                         const Protocol::Body::Attachment &descriptor) const
{
    return send(Protocol::Request::SetGroupAvatar,
                {{"conversationId"_L1, conversationId},
                 {"avatarBlob"_L1, descriptor.blobId},
                 {"avatar"_L1, Avatars::encode(descriptor)}});
}

ApiCall<GroupChange> GroupApi::clearAvatar(qint64 conversationId) const
{
    return send(Protocol::Request::SetGroupAvatar,
                {{"conversationId"_L1, conversationId}, {"avatarBlob"_L1, QString()}});
}

} // namespace Client
