#pragma once

#include "protocol/Protocol.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Server {

class Request;

//! A picture to set on a profile or a group (its blob and the client's opaque descriptor of it,
//! which the server stores and returns but never reads) or, blobId empty, to remove.
struct AvatarChange
{
    QString blobId;
    QByteArray descriptor;
};

//! The `avatarBlob` and `avatar` fields of profile.update and group.avatar.
namespace Avatars {

//! The change a request asks for. std::nullopt when it names none (*refused false), or when its
//! fields do not fit together (answered with invalid_field; *refused true): `avatar` without
//! `avatarBlob`, a blob id without `avatar`, `avatar` with a removal, a malformed blob id.
std::optional<AvatarChange> read(const Request &request, bool *refused);

//! The request field a failed store job is about: `avatarBlob` for the blob's refusals
//! (not_found, too_large from BlobQueries::adoptAsAvatar), else none.
QString failedField(Protocol::ErrorCode code);

} // namespace Avatars

} // namespace Server
