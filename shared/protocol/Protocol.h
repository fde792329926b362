#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QtGlobal>

//! The wire protocol shared by messengerd and the desktop client.
//!
//! Every frame is one binary WebSocket message holding one CBOR map with string keys.
//! docs/protocol.md is the human-readable description of everything declared here.
namespace Protocol {

//! Bumped on every incompatible change. Clients send it in register / login / resume.
inline constexpr int Version = 1;

//! Limits the server enforces. Every one of them is listed in docs/protocol.md.
namespace Limits {
inline constexpr qint64 MaxFrameBytes = 1 << 20; //!< one WebSocket frame, and one message
inline constexpr qint64 MaxContentBytes = 64 * 1024; //!< message content (opaque bytes)
inline constexpr int MaxContentTypeLength = 64;
inline constexpr int MaxClientIdLength = 64;
inline constexpr int MinUsernameLength = 3;
inline constexpr int MaxUsernameLength = 32;
inline constexpr int MaxDisplayNameLength = 64;
inline constexpr int MinPasswordLength = 8;
inline constexpr int MaxPasswordLength = 1024;
inline constexpr int MaxDeviceNameLength = 64;
inline constexpr int MaxGroupNameLength = 128;
inline constexpr int MaxGroupMembers = 256; //!< including the owner
inline constexpr int MaxTokenLength = 128;
inline constexpr int MaxHistoryPage = 200;
inline constexpr int DefaultHistoryPage = 50;
inline constexpr int MaxSyncPage = 1000;
inline constexpr int DefaultSyncPage = 500;
inline constexpr int SyncInitialWindow =
    50; //!< messages of a conversation the device has never seen
inline constexpr int MaxSyncCursors = 10000;
inline constexpr int MaxSearchResults = 50;
inline constexpr int MaxUserIds = 256; //!< ids in one request
inline constexpr int TypingTimeoutMs = 5000;
inline constexpr int MaxHideSeqs = 100; //!< seqs in one message.hide
//! A sender may delete their own message for everyone this long after its timestamp.
inline constexpr qint64 DeleteWindowMs = 172'800'000; // 48 h
inline constexpr qint64 MinDisappearSeconds = 30; //!< conversation.timer, 0 aside
inline constexpr qint64 MaxDisappearSeconds = 31'536'000; // 365 days
// Media (blob.*): the server's own ceilings; operators set lower limits (welcome.limits).
inline constexpr int BlobChunkBytes = 262'144; //!< data of one blob.put / blob.get
//! The largest blob.create size whatever an operator sets (1 TiB).
inline constexpr qint64 MaxBlobBytesCeiling = qint64(1) << 40;
inline constexpr int BlobIdLength = 26; //!< 128 random bits, base32 a-z2-7
inline constexpr int MaxBlobIds = 32; //!< blobIds of one message.send
inline constexpr int MaxOutstandingChunks = 4; //!< blob.put/get in flight per transfer connection
//! Avatars (profile.update, group.avatar): the opaque descriptor the client stores with the
//! profile or group (blob id, key, digest, size, dimensions), and the largest avatar blob.
inline constexpr int MaxAvatarBytes = 1024;
inline constexpr qint64 MaxAvatarBlobBytes = 1 << 20;
} // namespace Limits

//! Why a MessageRecord's content is gone (its `erased` field).
namespace Erased {
inline constexpr QLatin1StringView Deleted {"deleted"}; //!< message.delete
inline constexpr QLatin1StringView Expired {"expired"}; //!< the conversation's timer ran out
} // namespace Erased

//! Stable error codes. Their spelling on the wire (errorCodeName) never changes.
enum class ErrorCode {
    None,
    MalformedFrame, //!< not CBOR, not a map, trailing bytes
    TextFrame, //!< a text frame where only binary frames are spoken
    UnknownType, //!< "t" names no request
    InvalidField, //!< a field missing, of the wrong type, or out of range
    UnsupportedVersion,
    NotAuthenticated,
    AlreadyAuthenticated,
    InvalidCredentials, //!< wrong username or password
    InvalidToken, //!< unknown or revoked device token
    UsernameTaken,
    RegistrationClosed,
    InviteRequired,
    InviteInvalid,
    NotFound,
    NotMember,
    Forbidden, //!< the caller's role does not allow the action
    GroupFull,
    TooLarge,
    RateLimited,
    Unavailable, //!< storage is unreachable: retry later, nothing was stored
    QuotaExceeded, //!< the user's media quota or pending-upload limit is reached
    Internal,
};

QLatin1StringView errorCodeName(ErrorCode code);
ErrorCode errorCodeFromName(QStringView name);

//! Frame keys common to every frame.
namespace Key {
inline constexpr QLatin1StringView Type {"t"};
inline constexpr QLatin1StringView Id {"id"};
inline constexpr QLatin1StringView Code {"code"};
inline constexpr QLatin1StringView Message {"message"};
inline constexpr QLatin1StringView Field {"field"};
inline constexpr QLatin1StringView RetryAfter {"retryAfter"};
} // namespace Key

//! Frame types that are not requests.
namespace Reply {
inline constexpr QLatin1StringView Ok {"ok"};
inline constexpr QLatin1StringView Error {"error"};
} // namespace Reply

//! Events the server pushes; never answered.
namespace Event {
inline constexpr QLatin1StringView Welcome {"welcome"};
inline constexpr QLatin1StringView Message {"message"};
inline constexpr QLatin1StringView Conversation {"conversation"};
inline constexpr QLatin1StringView Receipt {"receipt"};
inline constexpr QLatin1StringView Typing {"typing"};
inline constexpr QLatin1StringView Presence {"presence"};
inline constexpr QLatin1StringView User {"user"};
inline constexpr QLatin1StringView SignedOut {"signedOut"};
//! message.hide by another device of the same user: {conversationId, seqs}
inline constexpr QLatin1StringView Hidden {"hidden"};
} // namespace Event

//! Registration policies an operator can choose.
enum class RegistrationPolicy { Open, Invite, Closed };
QLatin1StringView registrationPolicyName(RegistrationPolicy policy);
bool registrationPolicyFromName(QStringView name, RegistrationPolicy *policy);

enum class Role { None, Member, Admin, Owner };
QLatin1StringView roleName(Role role);
Role roleFromName(QStringView name);

enum class ConversationKind { Direct = 1, Group = 2 };
QLatin1StringView conversationKindName(ConversationKind kind);

enum class PresenceState { Offline, Online, Away };
QLatin1StringView presenceName(PresenceState state);
PresenceState presenceFromName(QStringView name);

//! True for a syntactically valid username: 3–32 of [a-z0-9_.], starting with a letter or digit.
bool isValidUsername(QStringView username);

//! True for a syntactically valid blob id: BlobIdLength characters of base32 (a-z, 2-7).
bool isValidBlobId(QStringView id);

} // namespace Protocol
