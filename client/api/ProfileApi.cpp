#include "ProfileApi.h"

#include "connection/Connection.h"
#include "media/Avatars.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

namespace Client {

using namespace Qt::StringLiterals;

namespace {
Protocol::ProfileInfo profileOf(const QCborMap &body)
{
    return Protocol::ProfileInfo::fromCbor(body.value("user"_L1).toMap());
}
} // namespace

ProfileApi::ProfileApi(Connection *connection, LocalStore *store)
    : m_connection(connection)
    , m_store(store)
{
}

ApiCall<Protocol::ProfileInfo> ProfileApi::update(const ProfileUpdate &update) const
{
    QCborMap fields;
    if (update.displayName)
        fields.insert("displayName"_L1, *update.displayName);
    if (update.hideLastSeen)
        fields.insert("hideLastSeen"_L1, *update.hideLastSeen);
    if (update.sendReadReceipts)
        fields.insert("sendReadReceipts"_L1, *update.sendReadReceipts);
    return send(fields);
}

ApiCall<Protocol::ProfileInfo>
ProfileApi::setAvatar(const Protocol::Body::Attachment &descriptor) const
{
    return send({{"avatarBlob"_L1, descriptor.blobId}, {"avatar"_L1, Avatars::encode(descriptor)}});
}

ApiCall<Protocol::ProfileInfo> ProfileApi::clearAvatar() const
{
    return send({{"avatarBlob"_L1, QString()}});
}

ApiCall<Protocol::ProfileInfo> ProfileApi::send(const QCborMap &fields) const
{
    Request *request = m_connection->send(Protocol::Request::UpdateProfile, fields);
    LocalStore *store = m_store;
    QObject::connect(request, &Request::finished, store, [store](const Reply &reply) {
        if (reply.isOk())
            store->setProfile(profileOf(reply.body));
    });
    return {request, &profileOf};
}

ApiCall<void> ProfileApi::changePassword(const QString &oldPassword,
                                         const QString &newPassword) const
{
    return ApiCall<void>(
        m_connection->send(Protocol::Request::ChangePassword,
                           {{"oldPassword"_L1, oldPassword}, {"newPassword"_L1, newPassword}}));
}

} // namespace Client
