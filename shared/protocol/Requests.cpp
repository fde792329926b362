#include "Requests.h"

#include <QCborArray>
#include <QCborValue>

namespace Protocol {

namespace {

using L = QLatin1StringView;
using T = FieldType;
using namespace Limits;

constexpr qint64 MaxId = qint64(1) << 53; // ids stay exact in every JSON-ish consumer
constexpr bool Req = true;
constexpr bool Opt = false;

constexpr FieldSpec conversationId {L("conversationId"), T::Integer, Req, 1, MaxId};
constexpr FieldSpec protocolVersion {L("protocol"), T::Integer, Req, 1, 1000};
constexpr FieldSpec deviceName {L("deviceName"), T::String, Opt, 0, MaxDeviceNameLength};

constexpr FieldSpec registerFields[] = {
    {L("username"), T::String, Req, 1, MaxUsernameLength},
    {L("displayName"), T::String, Req, 1, MaxDisplayNameLength},
    {L("password"), T::String, Req, MinPasswordLength, MaxPasswordLength},
    {L("invite"), T::String, Opt, 1, MaxTokenLength},
    deviceName,
    protocolVersion,
};
constexpr FieldSpec loginFields[] = {
    {L("username"), T::String, Req, 1, MaxUsernameLength},
    {L("password"), T::String, Req, 1, MaxPasswordLength},
    deviceName,
    protocolVersion,
};
constexpr FieldSpec resumeFields[] = {
    {L("token"), T::String, Req, 1, MaxTokenLength},
    protocolVersion,
    {L("transfer"), T::Bool, Opt, 0, 0},
};
constexpr FieldSpec changePasswordFields[] = {
    {L("oldPassword"), T::String, Req, 1, MaxPasswordLength},
    {L("newPassword"), T::String, Req, MinPasswordLength, MaxPasswordLength},
};
constexpr FieldSpec updateProfileFields[] = {
    {L("displayName"), T::String, Opt, 1, MaxDisplayNameLength},
    {L("hideLastSeen"), T::Bool, Opt, 0, 0},
    {L("sendReadReceipts"), T::Bool, Opt, 0, 0},
    // "" removes the picture; a blob id sets it, with `avatar` (the opaque descriptor).
    {L("avatarBlob"), T::String, Opt, 0, BlobIdLength},
    {L("avatar"), T::Bytes, Opt, 1, MaxAvatarBytes},
};
constexpr FieldSpec revokeDeviceFields[] = {{L("deviceId"), T::Integer, Req, 1, MaxId}};
constexpr FieldSpec searchUsersFields[] = {
    {L("prefix"), T::String, Req, 1, MaxUsernameLength},
    {L("limit"), T::Integer, Opt, 1, MaxSearchResults},
};
constexpr FieldSpec getUsersFields[] = {{L("userIds"), T::IntegerList, Req, 1, MaxUserIds}};
constexpr FieldSpec conversationOnly[] = {conversationId};
constexpr FieldSpec flagsFields[] = {
    conversationId,
    {L("muted"), T::Bool, Opt, 0, 0},
    {L("pinned"), T::Bool, Opt, 0, 0},
    {L("archived"), T::Bool, Opt, 0, 0},
};
constexpr FieldSpec openDirectFields[] = {{L("userId"), T::Integer, Req, 1, MaxId}};
constexpr FieldSpec createGroupFields[] = {
    {L("name"), T::String, Req, 1, MaxGroupNameLength},
    {L("memberIds"), T::IntegerList, Req, 0, MaxUserIds},
};
constexpr FieldSpec addMembersFields[] = {
    conversationId,
    {L("userIds"), T::IntegerList, Req, 1, MaxUserIds},
};
constexpr FieldSpec removeMemberFields[] = {conversationId,
                                            {L("userId"), T::Integer, Req, 1, MaxId}};
constexpr FieldSpec renameFields[] = {conversationId,
                                      {L("name"), T::String, Req, 1, MaxGroupNameLength}};
constexpr FieldSpec groupAvatarFields[] = {
    conversationId,
    {L("avatarBlob"), T::String, Req, 0, BlobIdLength},
    {L("avatar"), T::Bytes, Opt, 1, MaxAvatarBytes},
};
constexpr FieldSpec setRoleFields[] = {
    conversationId,
    {L("userId"), T::Integer, Req, 1, MaxId},
    {L("role"), T::String, Req, 1, 16},
};
constexpr FieldSpec sendFields[] = {
    conversationId,
    {L("clientId"), T::String, Req, 1, MaxClientIdLength},
    {L("contentType"), T::String, Req, 1, MaxContentTypeLength},
    {L("content"), T::Bytes, Req, 0, MaxContentBytes},
    {L("silent"), T::Bool, Opt, 0, 0},
    {L("refSeq"), T::Integer, Opt, 1, MaxId},
    {L("blobIds"), T::BlobIdList, Opt, 0, MaxBlobIds},
};
constexpr FieldSpec historyFields[] = {
    conversationId,
    {L("before"), T::Integer, Opt, 1, MaxId},
    {L("after"), T::Integer, Opt, 0, MaxId},
    {L("limit"), T::Integer, Opt, 1, MaxHistoryPage},
};
constexpr FieldSpec syncFields[] = {
    {L("cursors"), T::CursorList, Opt, 0, MaxSyncCursors},
    {L("limit"), T::Integer, Opt, 1, MaxSyncPage},
    {L("hiddenAfter"), T::Integer, Opt, 0, MaxId},
};
constexpr FieldSpec seqFields[] = {conversationId, {L("seq"), T::Integer, Req, 1, MaxId}};
constexpr FieldSpec hideFields[] = {conversationId,
                                    {L("seqs"), T::IntegerList, Req, 1, MaxHideSeqs}};
// 1 to MinDisappearSeconds - 1 passes here and is refused by the server (a gap in the range).
constexpr FieldSpec timerFields[] = {conversationId,
                                     {L("seconds"), T::Integer, Req, 0, MaxDisappearSeconds}};
constexpr FieldSpec typingFields[] = {conversationId, {L("active"), T::Bool, Req, 0, 0}};
constexpr FieldSpec presenceFields[] = {{L("state"), T::String, Req, 1, 16}};
constexpr FieldSpec blobId {L("blobId"), T::String, Req, BlobIdLength, BlobIdLength};
constexpr FieldSpec blobOffset {L("offset"), T::Integer, Req, 0, MaxBlobBytesCeiling};
constexpr FieldSpec createBlobFields[] = {
    {L("size"), T::Integer, Req, 1, MaxBlobBytesCeiling},
    {L("sha256"), T::Bytes, Req, 32, 32},
    {L("clientId"), T::String, Req, 1, MaxClientIdLength},
};
constexpr FieldSpec putBlobFields[] = {
    blobId, blobOffset, {L("data"), T::Bytes, Req, 1, BlobChunkBytes}};
constexpr FieldSpec blobOnly[] = {blobId};
constexpr FieldSpec getBlobFields[] = {
    blobId, blobOffset, {L("length"), T::Integer, Req, 1, BlobChunkBytes}};

constexpr RequestSpec specs[] = {
    {Request::Register, false, registerFields},
    {Request::Login, false, loginFields},
    {Request::Resume, false, resumeFields},
    {Request::Ping, false, {}},
    {Request::Logout, true, {}},
    {Request::ChangePassword, true, changePasswordFields},
    {Request::UpdateProfile, true, updateProfileFields},
    {Request::ListDevices, true, {}},
    {Request::RevokeDevice, true, revokeDeviceFields},
    {Request::SearchUsers, true, searchUsersFields},
    {Request::GetUsers, true, getUsersFields},
    {Request::ListConversations, true, {}},
    {Request::GetConversation, true, conversationOnly},
    {Request::SetConversationFlags, true, flagsFields},
    {Request::OpenDirect, true, openDirectFields},
    {Request::CreateGroup, true, createGroupFields},
    {Request::AddMembers, true, addMembersFields},
    {Request::RemoveMember, true, removeMemberFields},
    {Request::LeaveGroup, true, conversationOnly},
    {Request::RenameGroup, true, renameFields},
    {Request::SetRole, true, setRoleFields},
    {Request::SetGroupAvatar, true, groupAvatarFields},
    {Request::Send, true, sendFields},
    {Request::History, true, historyFields},
    {Request::Sync, true, syncFields},
    {Request::MarkDelivered, true, seqFields},
    {Request::MarkRead, true, seqFields},
    {Request::GetReceipts, true, seqFields},
    {Request::DeleteMessage, true, seqFields},
    {Request::HideMessages, true, hideFields},
    {Request::SetTimer, true, timerFields},
    {Request::Typing, true, typingFields},
    {Request::SetPresence, true, presenceFields},
    {Request::CreateBlob, true, createBlobFields},
    {Request::PutBlob, true, putBlobFields},
    {Request::BlobStatus, true, blobOnly},
    {Request::GetBlob, true, getBlobFields},
};

QLatin1StringView typeName(FieldType type)
{
    switch (type) {
    case T::Integer:
        return L("an integer");
    case T::String:
        return L("a text string");
    case T::Bytes:
        return L("a byte string");
    case T::Bool:
        return L("a boolean");
    case T::IntegerList:
        return L("an array of positive integers");
    case T::CursorList:
        return L("an array of [conversationId, seq] pairs");
    case T::BlobIdList:
        return L("an array of blob ids (26 characters of a-z and 2-7)");
    }
    return L("?");
}

std::optional<ValidationError> invalid(const FieldSpec &field, const QString &message)
{
    return ValidationError {ErrorCode::InvalidField, QString(field.name), message};
}

std::optional<ValidationError> checkCount(const FieldSpec &field, qint64 count,
                                          QLatin1StringView unit)
{
    if (count < field.min || count > field.max) {
        const auto code = (field.type == T::Bytes || field.type == T::String) && count > field.max
            ? ErrorCode::TooLarge
            : ErrorCode::InvalidField;
        return ValidationError {code, QString(field.name),
                                QStringLiteral("\"%1\" must have %2 to %3 %4, it has %5")
                                    .arg(field.name)
                                    .arg(field.min)
                                    .arg(field.max)
                                    .arg(unit)
                                    .arg(count)};
    }
    return std::nullopt;
}

// Passwords are hashed and never stored or compared as text: any code point is fine in them.
bool isSecret(const FieldSpec &field)
{
    return field.name == L("password") || field.name == L("oldPassword")
        || field.name == L("newPassword");
}

std::optional<ValidationError> checkField(const FieldSpec &field, const QCborValue &value)
{
    const auto wrongType = [&field] {
        return invalid(field,
                       QStringLiteral("\"%1\" must be %2").arg(field.name, typeName(field.type)));
    };
    switch (field.type) {
    case T::Integer: {
        if (!value.isInteger())
            return wrongType();
        const qint64 v = value.toInteger();
        if (v < field.min || v > field.max)
            return invalid(field,
                           QStringLiteral("\"%1\" must be between %2 and %3")
                               .arg(field.name)
                               .arg(field.min)
                               .arg(field.max));
        return std::nullopt;
    }
    case T::String: {
        if (!value.isString())
            return wrongType();
        const QString text = value.toString();
        if (auto error = checkCount(field, text.size(), L("characters")))
            return error;
        if (isSecret(field))
            return std::nullopt;
        const QString problem = storableTextProblem(text);
        if (!problem.isEmpty())
            return invalid(field, QStringLiteral("\"%1\" %2").arg(field.name, problem));
        return std::nullopt;
    }
    case T::Bytes:
        if (!value.isByteArray())
            return wrongType();
        return checkCount(field, value.toByteArray().size(), L("bytes"));
    case T::Bool:
        return value.isBool() ? std::nullopt : wrongType();
    case T::IntegerList: {
        if (!value.isArray())
            return wrongType();
        const QCborArray list = value.toArray();
        for (const QCborValue &element : list) {
            if (!element.isInteger() || element.toInteger() < 1 || element.toInteger() > MaxId)
                return wrongType();
        }
        return checkCount(field, list.size(), L("elements"));
    }
    case T::CursorList: {
        if (!value.isArray())
            return wrongType();
        const QCborArray list = value.toArray();
        for (const QCborValue &element : list) {
            const QCborArray pair = element.toArray();
            if (!element.isArray() || pair.size() != 2 || !pair.at(0).isInteger()
                || !pair.at(1).isInteger() || pair.at(0).toInteger() < 1
                || pair.at(1).toInteger() < 0)
                return wrongType();
        }
        return checkCount(field, list.size(), L("elements"));
    }
    case T::BlobIdList: {
        if (!value.isArray())
            return wrongType();
        const QCborArray list = value.toArray();
        for (const QCborValue &element : list) {
            if (!element.isString() || !isValidBlobId(element.toString()))
                return wrongType();
        }
        return checkCount(field, list.size(), L("elements"));
    }
    }
    return wrongType();
}

} // namespace

const RequestSpec *findRequest(QStringView type)
{
    for (const RequestSpec &spec : specs) {
        if (type == spec.type)
            return &spec;
    }
    return nullptr;
}

std::span<const RequestSpec> allRequests()
{
    return specs;
}

QString storableTextProblem(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (c == 0)
            return QStringLiteral("must not contain U+0000");
        if (c == 0xFFFE || c == 0xFFFF)
            return QStringLiteral("must not contain the noncharacter U+%1")
                .arg(QString::number(uint(c), 16).toUpper());
        if (c == 0xFEFF)
            return QStringLiteral("must not contain U+FEFF (byte-order mark)");
        if (QChar::isHighSurrogate(c) && i + 1 < text.size()
            && QChar::isLowSurrogate(text[i + 1].unicode())) {
            ++i;
            continue;
        }
        if (QChar::isSurrogate(c))
            return QStringLiteral("must not contain an unpaired surrogate");
    }
    return {};
}

std::optional<ValidationError> validate(const RequestSpec &spec, const QCborMap &body)
{
    for (const FieldSpec &field : spec.fields) {
        const QCborValue value = body.value(field.name);
        if (value.isUndefined() || value.isNull()) {
            if (field.required)
                return invalid(field, QStringLiteral("\"%1\" is required").arg(field.name));
            continue;
        }
        if (auto error = checkField(field, value))
            return error;
    }
    return std::nullopt;
}

} // namespace Protocol
