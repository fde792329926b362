#pragma once

#include "Protocol.h"

#include <QCborMap>
#include <QLatin1StringView>

#include <optional>
#include <span>

namespace Protocol {

//! Every request a client can send. The field tables in Requests.cpp are the single definition of
//! what each one carries; both sides validate against them.
namespace Request {
// Before authentication
inline constexpr QLatin1StringView Register {"register"};
inline constexpr QLatin1StringView Login {"login"};
inline constexpr QLatin1StringView Resume {"resume"};
inline constexpr QLatin1StringView Ping {"ping"};
// Account and devices
inline constexpr QLatin1StringView Logout {"logout"};
inline constexpr QLatin1StringView ChangePassword {"password.change"};
inline constexpr QLatin1StringView UpdateProfile {"profile.update"};
inline constexpr QLatin1StringView ListDevices {"devices.list"};
inline constexpr QLatin1StringView RevokeDevice {"devices.revoke"};
// Users
inline constexpr QLatin1StringView SearchUsers {"users.search"};
inline constexpr QLatin1StringView GetUsers {"users.get"};
// Conversations
inline constexpr QLatin1StringView ListConversations {"conversations.list"};
inline constexpr QLatin1StringView GetConversation {"conversation.get"};
inline constexpr QLatin1StringView SetConversationFlags {"conversation.flags"};
inline constexpr QLatin1StringView OpenDirect {"direct.open"};
inline constexpr QLatin1StringView CreateGroup {"group.create"};
inline constexpr QLatin1StringView AddMembers {"group.add"};
inline constexpr QLatin1StringView RemoveMember {"group.remove"};
inline constexpr QLatin1StringView LeaveGroup {"group.leave"};
inline constexpr QLatin1StringView RenameGroup {"group.rename"};
inline constexpr QLatin1StringView SetRole {"group.role"};
inline constexpr QLatin1StringView SetGroupAvatar {"group.avatar"};
// Messages
inline constexpr QLatin1StringView Send {"message.send"};
inline constexpr QLatin1StringView History {"history"};
inline constexpr QLatin1StringView Sync {"sync"};
inline constexpr QLatin1StringView MarkDelivered {"receipt.delivered"};
inline constexpr QLatin1StringView MarkRead {"receipt.read"};
inline constexpr QLatin1StringView GetReceipts {"receipts.get"};
inline constexpr QLatin1StringView DeleteMessage {"message.delete"}; //!< for everyone
inline constexpr QLatin1StringView HideMessages {"message.hide"}; //!< delete for me
inline constexpr QLatin1StringView SetTimer {"conversation.timer"}; //!< disappearing messages
// Ephemeral
inline constexpr QLatin1StringView Typing {"typing"};
inline constexpr QLatin1StringView SetPresence {"presence.set"};
// Media: only on a transfer connection (resume with transfer: true)
inline constexpr QLatin1StringView CreateBlob {"blob.create"};
inline constexpr QLatin1StringView PutBlob {"blob.put"};
inline constexpr QLatin1StringView BlobStatus {"blob.status"};
inline constexpr QLatin1StringView GetBlob {"blob.get"};
} // namespace Request

enum class FieldType {
    Integer, //!< min/max bound the value
    String, //!< min/max bound the length in UTF-16 code units
    Bytes, //!< min/max bound the length in bytes
    Bool,
    IntegerList, //!< min/max bound the count; every element a positive integer
    CursorList, //!< list of [conversationId, seq] pairs; min/max bound the count
    BlobIdList, //!< list of blob ids (isValidBlobId); min/max bound the count
};

struct FieldSpec
{
    QLatin1StringView name;
    FieldType type;
    bool required;
    qint64 min;
    qint64 max;
};

struct RequestSpec
{
    QLatin1StringView type;
    bool needsAuth;
    std::span<const FieldSpec> fields;
};

struct ValidationError
{
    ErrorCode code;
    QString field;
    QString message;
};

//! The spec of a request type, or nullptr for an unknown one.
const RequestSpec *findRequest(QStringView type);
std::span<const RequestSpec> allRequests();

//! Checks every field of body against spec: presence, type, range, and the absence of nothing
//! else (unknown fields are ignored, so newer clients can add optional ones).
std::optional<ValidationError> validate(const RequestSpec &spec, const QCborMap &body);

//! Why the server would not keep this text exactly, or an empty string when it would. Refused:
//! U+0000 (PostgreSQL cannot store it), U+FFFE and U+FFFF (SQLite reads them back as U+FFFD),
//! U+FEFF (SQLite drops it at the start of a text as a byte-order mark) and unpaired surrogates.
//! validate() applies it to every text field but passwords, which are only hashed.
QString storableTextProblem(QStringView text);

} // namespace Protocol
