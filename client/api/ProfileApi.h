#pragma once

#include "api/ApiCall.h"
#include "protocol/Attachment.h"
#include "protocol/Records.h"

#include <QString>

#include <optional>

namespace Client {

class Connection;
class LocalStore;

//! What profile.update changes; the fields left unset stay as they are on the server.
struct ProfileUpdate
{
    std::optional<QString> displayName;
    std::optional<bool> hideLastSeen;
    std::optional<bool> sendReadReceipts;
};

//! The user's own account on the server, with typed arguments: the profile (display name), the
//! privacy settings kept with it (last seen, read receipts), and the password.
//!
//! Every ok answer to update() also goes into the local store (LocalStore::setProfile), even
//! when whoever asked is gone by then: the store always has the profile the server last said.
class ProfileApi
{
public:
    ProfileApi(Connection *connection, LocalStore *store);

    //! profile.update; the result is the whole profile as the server now has it.
    ApiCall<Protocol::ProfileInfo> update(const ProfileUpdate &update) const;
    //! profile.update with a picture already uploaded: `descriptor` names the caller's own
    //! complete blob (not_found otherwise, too_large over MaxAvatarBlobBytes). From an image:
    //! AvatarUpload::setProfileAvatar(), which uploads first.
    ApiCall<Protocol::ProfileInfo> setAvatar(const Protocol::Body::Attachment &descriptor) const;
    //! profile.update removing the picture.
    ApiCall<Protocol::ProfileInfo> clearAvatar() const;
    //! password.change; invalid_credentials when oldPassword is wrong. Devices signed in stay
    //! signed in.
    ApiCall<void> changePassword(const QString &oldPassword, const QString &newPassword) const;

private:
    ApiCall<Protocol::ProfileInfo> send(const QCborMap &fields) const;

    Connection *m_connection;
    LocalStore *m_store;
};

} // namespace Client
