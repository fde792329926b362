#include "Protocol.h"

#include <array>
#include <utility>

namespace Protocol {

namespace {
constexpr std::array<std::pair<ErrorCode, QLatin1StringView>, 23> errorNames {{
    {ErrorCode::None, QLatin1StringView("none")},
    {ErrorCode::MalformedFrame, QLatin1StringView("malformed_frame")},
    {ErrorCode::TextFrame, QLatin1StringView("text_frame")},
    {ErrorCode::UnknownType, QLatin1StringView("unknown_type")},
    {ErrorCode::InvalidField, QLatin1StringView("invalid_field")},
    {ErrorCode::UnsupportedVersion, QLatin1StringView("unsupported_version")},
    {ErrorCode::NotAuthenticated, QLatin1StringView("not_authenticated")},
    {ErrorCode::AlreadyAuthenticated, QLatin1StringView("already_authenticated")},
    {ErrorCode::InvalidCredentials, QLatin1StringView("invalid_credentials")},
    {ErrorCode::InvalidToken, QLatin1StringView("invalid_token")},
    {ErrorCode::UsernameTaken, QLatin1StringView("username_taken")},
    {ErrorCode::RegistrationClosed, QLatin1StringView("registration_closed")},
    {ErrorCode::InviteRequired, QLatin1StringView("invite_required")},
    {ErrorCode::InviteInvalid, QLatin1StringView("invite_invalid")},
    {ErrorCode::NotFound, QLatin1StringView("not_found")},
    {ErrorCode::NotMember, QLatin1StringView("not_member")},
    {ErrorCode::Forbidden, QLatin1StringView("forbidden")},
    {ErrorCode::GroupFull, QLatin1StringView("group_full")},
    {ErrorCode::TooLarge, QLatin1StringView("too_large")},
    {ErrorCode::RateLimited, QLatin1StringView("rate_limited")},
    {ErrorCode::Unavailable, QLatin1StringView("unavailable")},
    {ErrorCode::QuotaExceeded, QLatin1StringView("quota_exceeded")},
    {ErrorCode::Internal, QLatin1StringView("internal")},
}};
} // namespace

QLatin1StringView errorCodeName(ErrorCode code)
{
    for (const auto &[c, name] : errorNames) {
        if (c == code)
            return name;
    }
    return QLatin1StringView("internal");
}

ErrorCode errorCodeFromName(QStringView name)
{
    for (const auto &[c, n] : errorNames) {
        if (name == n)
            return c;
    }
    return ErrorCode::Internal;
}

QLatin1StringView registrationPolicyName(RegistrationPolicy policy)
{
    switch (policy) {
    case RegistrationPolicy::Open:
        return QLatin1StringView("open");
    case RegistrationPolicy::Invite:
        return QLatin1StringView("invite");
    case RegistrationPolicy::Closed:
        return QLatin1StringView("closed");
    }
    return QLatin1StringView("closed");
}

bool registrationPolicyFromName(QStringView name, RegistrationPolicy *policy)
{
    for (auto p :
         {RegistrationPolicy::Open, RegistrationPolicy::Invite, RegistrationPolicy::Closed}) {
        if (name == registrationPolicyName(p)) {
            *policy = p;
            return true;
        }
    }
    return false;
}

QLatin1StringView roleName(Role role)
{
    switch (role) {
    case Role::None:
        return QLatin1StringView("none");
    case Role::Member:
        return QLatin1StringView("member");
    case Role::Admin:
        return QLatin1StringView("admin");
    case Role::Owner:
        return QLatin1StringView("owner");
    }
    return QLatin1StringView("none");
}

Role roleFromName(QStringView name)
{
    for (auto r : {Role::Member, Role::Admin, Role::Owner}) {
        if (name == roleName(r))
            return r;
    }
    return Role::None;
}

QLatin1StringView conversationKindName(ConversationKind kind)
{
    return kind == ConversationKind::Direct ? QLatin1StringView("direct")
                                            : QLatin1StringView("group");
}

QLatin1StringView presenceName(PresenceState state)
{
    switch (state) {
    case PresenceState::Online:
        return QLatin1StringView("online");
    case PresenceState::Away:
        return QLatin1StringView("away");
    case PresenceState::Offline:
        return QLatin1StringView("offline");
    }
    return QLatin1StringView("offline");
}

PresenceState presenceFromName(QStringView name)
{
    if (name == presenceName(PresenceState::Online))
        return PresenceState::Online;
    if (name == presenceName(PresenceState::Away))
        return PresenceState::Away;
    return PresenceState::Offline;
}

bool isValidUsername(QStringView username)
{
    if (username.size() < Limits::MinUsernameLength || username.size() > Limits::MaxUsernameLength)
        return false;
    for (qsizetype i = 0; i < username.size(); ++i) {
        const QChar c = username.at(i);
        const bool alnum = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
        if (!alnum && (i == 0 || (c != u'_' && c != u'.')))
            return false;
    }
    return true;
}

bool isValidBlobId(QStringView id)
{
    if (id.size() != Limits::BlobIdLength)
        return false;
    for (const QChar c : id) {
        if (!((c >= u'a' && c <= u'z') || (c >= u'2' && c <= u'7')))
            return false;
    }
    return true;
}

} // namespace Protocol
