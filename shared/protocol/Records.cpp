#include "Records.h"

#include <QCborArray>
#include <QCborValue>

namespace Protocol {

namespace {
using L = QLatin1StringView;

void insertIfSet(QCborMap &map, QLatin1StringView key, qint64 value)
{
    if (value != 0)
        map.insert(key, value);
}
void insertIfSet(QCborMap &map, QLatin1StringView key, bool value)
{
    if (value)
        map.insert(key, true);
}
} // namespace

QCborMap UserInfo::toCbor() const
{
    QCborMap map {{L("id"), id},
                  {L("username"), username},
                  {L("displayName"), displayName},
                  {L("presence"), presenceName(presence)}};
    insertIfSet(map, L("lastSeen"), lastSeen);
    if (!avatarBlob.isEmpty()) {
        map.insert(L("avatarBlob"), avatarBlob);
        map.insert(L("avatar"), avatar);
    }
    return map;
}

UserInfo UserInfo::fromCbor(const QCborMap &map)
{
    UserInfo user;
    user.id = map.value(L("id")).toInteger();
    user.username = map.value(L("username")).toString();
    user.displayName = map.value(L("displayName")).toString();
    user.presence = presenceFromName(map.value(L("presence")).toString());
    user.lastSeen = map.value(L("lastSeen")).toInteger();
    user.avatarBlob = map.value(L("avatarBlob")).toString();
    user.avatar = map.value(L("avatar")).toByteArray();
    return user;
}

QCborMap ProfileInfo::toCbor() const
{
    QCborMap map = user.toCbor();
    map.insert(L("hideLastSeen"), hideLastSeen);
    map.insert(L("sendReadReceipts"), sendReadReceipts);
    return map;
}

ProfileInfo ProfileInfo::fromCbor(const QCborMap &map)
{
    ProfileInfo profile;
    profile.user = UserInfo::fromCbor(map);
    profile.hideLastSeen = map.value(L("hideLastSeen")).toBool();
    profile.sendReadReceipts = map.value(L("sendReadReceipts")).toBool(true);
    return profile;
}

QCborMap DeviceInfo::toCbor() const
{
    QCborMap map {{L("id"), id},
                  {L("name"), name},
                  {L("createdAt"), createdAt},
                  {L("lastActive"), lastActive}};
    insertIfSet(map, L("current"), current);
    insertIfSet(map, L("online"), online);
    return map;
}

DeviceInfo DeviceInfo::fromCbor(const QCborMap &map)
{
    DeviceInfo device;
    device.id = map.value(L("id")).toInteger();
    device.name = map.value(L("name")).toString();
    device.createdAt = map.value(L("createdAt")).toInteger();
    device.lastActive = map.value(L("lastActive")).toInteger();
    device.current = map.value(L("current")).toBool();
    device.online = map.value(L("online")).toBool();
    return device;
}

QCborMap MembershipEvent::toCbor() const
{
    QCborMap map {{L("action"), action}, {L("actorId"), actorId}};
    if (!userIds.isEmpty()) {
        QCborArray ids;
        for (qint64 id : userIds)
            ids.append(id);
        map.insert(L("userIds"), ids);
    }
    if (!name.isEmpty())
        map.insert(L("name"), name);
    if (role != Role::None)
        map.insert(L("role"), roleName(role));
    insertIfSet(map, L("targetSeq"), targetSeq);
    if (seconds != 0 || action == L("timer"))
        map.insert(L("seconds"), seconds);
    if (!avatarBlob.isEmpty())
        map.insert(L("avatarBlob"), avatarBlob);
    return map;
}

MembershipEvent MembershipEvent::fromCbor(const QCborMap &map)
{
    MembershipEvent event;
    event.action = map.value(L("action")).toString();
    event.actorId = map.value(L("actorId")).toInteger();
    for (const QCborValue &id : map.value(L("userIds")).toArray())
        event.userIds.append(id.toInteger());
    event.name = map.value(L("name")).toString();
    event.role = roleFromName(map.value(L("role")).toString());
    event.targetSeq = map.value(L("targetSeq")).toInteger();
    event.seconds = map.value(L("seconds")).toInteger();
    event.avatarBlob = map.value(L("avatarBlob")).toString();
    return event;
}

QCborMap MessageRecord::toCbor() const
{
    QCborMap map {{L("conversationId"), conversationId},
                  {L("seq"), seq},
                  {L("senderId"), senderId},
                  {L("timestamp"), timestamp}};
    if (event) {
        map.insert(L("event"), event->toCbor());
    } else {
        map.insert(L("clientId"), clientId);
        map.insert(L("contentType"), contentType);
        map.insert(L("content"), content);
    }
    insertIfSet(map, L("silent"), silent);
    insertIfSet(map, L("refSeq"), refSeq);
    insertIfSet(map, L("expiresAt"), expiresAt);
    if (!erased.isEmpty())
        map.insert(L("erased"), erased);
    insertIfSet(map, L("hidden"), hidden);
    return map;
}

MessageRecord MessageRecord::fromCbor(const QCborMap &map)
{
    MessageRecord message;
    message.conversationId = map.value(L("conversationId")).toInteger();
    message.seq = map.value(L("seq")).toInteger();
    message.senderId = map.value(L("senderId")).toInteger();
    message.timestamp = map.value(L("timestamp")).toInteger();
    const QCborValue event = map.value(L("event"));
    if (event.isMap()) {
        message.event = MembershipEvent::fromCbor(event.toMap());
    } else {
        message.clientId = map.value(L("clientId")).toString();
        message.contentType = map.value(L("contentType")).toString();
        message.content = map.value(L("content")).toByteArray();
    }
    message.silent = map.value(L("silent")).toBool();
    message.refSeq = map.value(L("refSeq")).toInteger();
    message.expiresAt = map.value(L("expiresAt")).toInteger();
    message.erased = map.value(L("erased")).toString();
    message.hidden = map.value(L("hidden")).toBool();
    return message;
}

QCborMap MemberInfo::toCbor() const
{
    QCborMap map = user.toCbor();
    map.insert(L("role"), roleName(role));
    insertIfSet(map, L("deliveredSeq"), deliveredSeq);
    insertIfSet(map, L("readSeq"), readSeq);
    return map;
}

MemberInfo MemberInfo::fromCbor(const QCborMap &map)
{
    MemberInfo member;
    member.user = UserInfo::fromCbor(map);
    member.role = roleFromName(map.value(L("role")).toString());
    member.deliveredSeq = map.value(L("deliveredSeq")).toInteger();
    member.readSeq = map.value(L("readSeq")).toInteger();
    return member;
}

QCborMap ConversationInfo::toCbor() const
{
    QCborMap map {{L("id"), id},
                  {L("kind"), conversationKindName(kind)},
                  {L("role"), roleName(role)},
                  {L("lastSeq"), lastSeq},
                  {L("lastActivity"), lastActivity},
                  {L("memberCount"), memberCount}};
    if (!name.isEmpty())
        map.insert(L("name"), name);
    insertIfSet(map, L("unread"), unread);
    insertIfSet(map, L("readSeq"), readSeq);
    insertIfSet(map, L("deliveredSeq"), deliveredSeq);
    insertIfSet(map, L("othersReadSeq"), othersReadSeq);
    insertIfSet(map, L("muted"), muted);
    insertIfSet(map, L("pinned"), pinned);
    insertIfSet(map, L("archived"), archived);
    insertIfSet(map, L("disappearSeconds"), disappearSeconds);
    if (!avatarBlob.isEmpty()) {
        map.insert(L("avatarBlob"), avatarBlob);
        map.insert(L("avatar"), avatar);
    }
    if (peer)
        map.insert(L("peer"), peer->toCbor());
    if (lastMessage)
        map.insert(L("lastMessage"), lastMessage->toCbor());
    return map;
}

ConversationInfo ConversationInfo::fromCbor(const QCborMap &map)
{
    ConversationInfo c;
    c.id = map.value(L("id")).toInteger();
    c.kind = map.value(L("kind")).toString() == conversationKindName(ConversationKind::Group)
        ? ConversationKind::Group
        : ConversationKind::Direct;
    c.name = map.value(L("name")).toString();
    c.role = roleFromName(map.value(L("role")).toString());
    c.lastSeq = map.value(L("lastSeq")).toInteger();
    c.lastActivity = map.value(L("lastActivity")).toInteger();
    c.unread = map.value(L("unread")).toInteger();
    c.readSeq = map.value(L("readSeq")).toInteger();
    c.deliveredSeq = map.value(L("deliveredSeq")).toInteger();
    c.othersReadSeq = map.value(L("othersReadSeq")).toInteger();
    c.memberCount = int(map.value(L("memberCount")).toInteger());
    c.muted = map.value(L("muted")).toBool();
    c.pinned = map.value(L("pinned")).toBool();
    c.archived = map.value(L("archived")).toBool();
    c.disappearSeconds = map.value(L("disappearSeconds")).toInteger();
    c.avatarBlob = map.value(L("avatarBlob")).toString();
    c.avatar = map.value(L("avatar")).toByteArray();
    if (map.value(L("peer")).isMap())
        c.peer = UserInfo::fromCbor(map.value(L("peer")).toMap());
    if (map.value(L("lastMessage")).isMap())
        c.lastMessage = MessageRecord::fromCbor(map.value(L("lastMessage")).toMap());
    return c;
}

QCborMap ReceiptInfo::toCbor() const
{
    QCborMap map {{L("conversationId"), conversationId}, {L("userId"), userId}, {L("at"), at}};
    insertIfSet(map, L("deliveredSeq"), deliveredSeq);
    insertIfSet(map, L("readSeq"), readSeq);
    return map;
}

ReceiptInfo ReceiptInfo::fromCbor(const QCborMap &map)
{
    ReceiptInfo r;
    r.conversationId = map.value(L("conversationId")).toInteger();
    r.userId = map.value(L("userId")).toInteger();
    r.deliveredSeq = map.value(L("deliveredSeq")).toInteger();
    r.readSeq = map.value(L("readSeq")).toInteger();
    r.at = map.value(L("at")).toInteger();
    return r;
}

} // namespace Protocol
