#pragma once

#include "api/ApiCall.h"
#include "api/GroupApi.h"
#include "protocol/Records.h"

#include <QByteArray>
#include <QImage>

namespace Client {

class Account;

//! Setting a profile or group picture from an image (part of messenger_client_imaging: it needs
//! Qt Gui). The picture is centre-cropped to a square, scaled to Side×Side, painted into a fresh
//! image (no EXIF, XMP or comments survive) and saved as JPEG quality JpegQuality; encrypted with
//! a new key; uploaded on the account's transfer connection (blob.create, blob.put: small, from
//! memory, no outbox: a failure is reported and the user tries again); its ciphertext kept in the
//! media cache (the own picture never downloads again); then profile.update or group.avatar with
//! the descriptor (ProfileApi::setAvatar(), GroupApi::setAvatar()).
//!
//! The ApiCall finishes once, with the Reply of the last step that ran: the server's answer to
//! profile.update or group.avatar, or to the blob.* request that failed, or a Reply made here
//! (origin NotConnected when offline; TimedOut when the transfer connection did not come up;
//! InvalidField, field "image", for a picture that cannot be used).
//!
//! Removing needs no upload: ProfileApi::clearAvatar(), GroupApi::clearAvatar().
namespace AvatarUpload {

inline constexpr int Side = 512;
inline constexpr int JpegQuality = 85;
//! Waiting for the transfer connection to sign in.
inline constexpr int ConnectTimeoutMs = 30'000;

//! The JPEG that is uploaded; empty for a null image. {Side, Side} pixels.
QByteArray encodeImage(const QImage &image);

//! Sets this account's profile picture; the result is the profile as the server now has it
//! (also stored, as ProfileApi::update()'s are).
ApiCall<Protocol::ProfileInfo> setProfileAvatar(Account *account, const QImage &image);
//! Sets a group's picture (owner and admins, as for a rename); the result is the seq of the
//! `avatar` membership event.
ApiCall<GroupChange> setGroupAvatar(Account *account, qint64 conversationId, const QImage &image);

} // namespace AvatarUpload

} // namespace Client
