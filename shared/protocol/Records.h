#pragma once

#include "Protocol.h"

#include <QByteArray>
#include <QCborMap>
#include <QList>
#include <QString>

#include <optional>

//! The records that travel inside responses and events, each with its CBOR form.
//! Times are milliseconds since the Unix epoch, UTC, as the server's clock saw them.
namespace Protocol {

struct UserInfo
{
    qint64 id = 0;
    QString username;
    QString displayName;
    PresenceState presence = PresenceState::Offline;
    qint64 lastSeen = 0; //!< 0 when unknown or hidden by the user's privacy setting
    //! The profile picture: its blob and the client's opaque descriptor of it (blob id, key,
    //! digest, size, dimensions). Both empty when there is none, or the viewer may not see it.
    QString avatarBlob {};
    QByteArray avatar {};

    QCborMap toCbor() const;
    static UserInfo fromCbor(const QCborMap &map);
    bool operator==(const UserInfo &) const = default;
};

//! The signed-in user's own profile and privacy settings.
struct ProfileInfo
{
    UserInfo user;
    bool hideLastSeen = false;
    bool sendReadReceipts = true;

    QCborMap toCbor() const;
    static ProfileInfo fromCbor(const QCborMap &map);
};

struct DeviceInfo
{
    qint64 id = 0;
    QString name;
    qint64 createdAt = 0;
    qint64 lastActive = 0;
    bool current = false;
    bool online = false;

    QCborMap toCbor() const;
    static DeviceInfo fromCbor(const QCborMap &map);
};

//! What a membership event in a conversation's sequence says happened.
struct MembershipEvent
{
    //! created, added, removed, left, renamed, role, owner, deleted, timer, avatar
    QString action;
    qint64 actorId = 0;
    QList<qint64> userIds;
    QString name; //!< created, renamed
    Role role = Role::None; //!< role, owner
    qint64 targetSeq = 0; //!< deleted: the entry whose content was erased
    qint64 seconds = 0; //!< timer: the disappearing-messages timer, 0 = off
    QString avatarBlob {}; //!< avatar: the group's new picture, empty when it was removed

    QCborMap toCbor() const;
    static MembershipEvent fromCbor(const QCborMap &map);
    bool operator==(const MembershipEvent &) const = default;
};

//! One entry of a conversation's sequence: a message (opaque content) or a membership event.
struct MessageRecord
{
    qint64 conversationId = 0;
    qint64 seq = 0;
    qint64 senderId = 0;
    QString clientId;
    qint64 timestamp = 0;
    QString contentType;
    QByteArray content;
    std::optional<MembershipEvent> event;
    bool silent = false; //!< a reaction or edit: not unread, not the list preview, not notified
    qint64 refSeq = 0; //!< the entry this one acts on (edit, reaction); erased with it
    qint64 expiresAt = 0; //!< when the server erases it (the conversation had a timer)
    QString erased {}; //!< Erased::Deleted or Erased::Expired: content and contentType are empty
    bool hidden = false; //!< this user deleted it for themselves: content is empty

    bool isEvent() const { return event.has_value(); }
    QCborMap toCbor() const;
    static MessageRecord fromCbor(const QCborMap &map);
    bool operator==(const MessageRecord &) const = default;
};

struct MemberInfo
{
    UserInfo user;
    Role role = Role::Member;
    qint64 deliveredSeq = 0;
    qint64 readSeq = 0; //!< 0 when the member does not send read receipts

    QCborMap toCbor() const;
    static MemberInfo fromCbor(const QCborMap &map);
};

//! A conversation as one user sees it: their flags, unread count and receipt summary.
struct ConversationInfo
{
    qint64 id = 0;
    ConversationKind kind = ConversationKind::Direct;
    QString name; //!< groups only; a direct conversation is named after its peer
    Role role = Role::Member;
    qint64 lastSeq = 0;
    qint64 lastActivity = 0;
    qint64 unread = 0; //!< entries after readSeq from others, neither events nor silent
    qint64 readSeq = 0; //!< how far this user has read
    qint64 deliveredSeq = 0; //!< every other member has received up to here
    qint64 othersReadSeq = 0; //!< every other member has read up to here (as far as they tell)
    int memberCount = 0;
    bool muted = false;
    bool pinned = false;
    bool archived = false;
    qint64 disappearSeconds = 0; //!< the disappearing-messages timer, 0 = off
    QString avatarBlob {}; //!< groups: the picture's blob, empty when there is none
    QByteArray avatar {}; //!< groups: the client's opaque descriptor of that picture
    std::optional<UserInfo> peer; //!< direct conversations
    std::optional<MessageRecord> lastMessage; //!< the newest entry that is not silent

    QCborMap toCbor() const;
    static ConversationInfo fromCbor(const QCborMap &map);
};

//! A member's receipt cursors moved.
struct ReceiptInfo
{
    qint64 conversationId = 0;
    qint64 userId = 0;
    qint64 deliveredSeq = 0;
    qint64 readSeq = 0;
    qint64 at = 0;

    QCborMap toCbor() const;
    static ReceiptInfo fromCbor(const QCborMap &map);
};

} // namespace Protocol
