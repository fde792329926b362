// The records inside responses and events: every one survives toCbor → bytes → fromCbor with
// every field intact, and leaves out what docs/protocol.md says is absent when zero.

#include "ProtocolTestUtils.h"
#include "protocol/Records.h"

#include <QStringList>
#include <QTest>

using namespace Protocol;
using namespace TestCbor;
using namespace Qt::StringLiterals;

namespace {

UserInfo alice()
{
    return {7, u"alice"_s, u"Alice Ångström 😀"_s, PresenceState::Away, 1'700'000'000'123};
}

MessageRecord contentMessage()
{
    QByteArray content;
    for (int i = 0; i < 256; ++i)
        content.append(char(i)); // opaque bytes, every value, including NUL
    return {3, 42, 7, u"client-1"_s, 1'700'000'000'456, u"text/plain"_s, content, std::nullopt};
}

MessageRecord eventMessage()
{
    const MembershipEvent event {u"added"_s, 7, {8, 9}, QString(), Role::None};
    return {3, 43, 7, QString(), 1'700'000'000'789, QString(), QByteArray(), event};
}

// Field-by-field comparisons, so a failure names the field. Callers return after them when the
// test has failed (QCOMPARE only leaves the helper).
void compareUsers(const UserInfo &actual, const UserInfo &expected)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.username, expected.username);
    QCOMPARE(actual.displayName, expected.displayName);
    QCOMPARE(presenceName(actual.presence), presenceName(expected.presence));
    QCOMPARE(actual.lastSeen, expected.lastSeen);
}

void compareEvents(const MembershipEvent &actual, const MembershipEvent &expected)
{
    QCOMPARE(actual.action, expected.action);
    QCOMPARE(actual.actorId, expected.actorId);
    QCOMPARE(actual.userIds, expected.userIds);
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(roleName(actual.role), roleName(expected.role));
    QCOMPARE(actual.targetSeq, expected.targetSeq);
    QCOMPARE(actual.seconds, expected.seconds);
}

void compareMessages(const MessageRecord &actual, const MessageRecord &expected)
{
    QCOMPARE(actual.conversationId, expected.conversationId);
    QCOMPARE(actual.seq, expected.seq);
    QCOMPARE(actual.senderId, expected.senderId);
    QCOMPARE(actual.timestamp, expected.timestamp);
    QCOMPARE(actual.clientId, expected.clientId);
    QCOMPARE(actual.contentType, expected.contentType);
    QCOMPARE(actual.content, expected.content);
    QCOMPARE(actual.silent, expected.silent);
    QCOMPARE(actual.refSeq, expected.refSeq);
    QCOMPARE(actual.expiresAt, expected.expiresAt);
    QCOMPARE(actual.erased, expected.erased);
    QCOMPARE(actual.hidden, expected.hidden);
    QCOMPARE(actual.isEvent(), expected.isEvent());
    if (expected.isEvent())
        compareEvents(*actual.event, *expected.event);
}

} // namespace

class RecordsTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void userRoundTrip_data();
    void userRoundTrip();
    void profileRoundTrip_data();
    void profileRoundTrip();
    void deviceRoundTrip_data();
    void deviceRoundTrip();
    void membershipEventRoundTrip_data();
    void membershipEventRoundTrip();
    void messageRoundTrip_data();
    void messageRoundTrip();
    void memberRoundTrip_data();
    void memberRoundTrip();
    void conversationRoundTrip_data();
    void conversationRoundTrip();
    void receiptRoundTrip();
    void absentFieldsMeanZero();
    void messageCarriesContentOrEvent();
    void richEventsRoundTrip_data();
    void richEventsRoundTrip();
    void richMessageFieldsRoundTrip_data();
    void richMessageFieldsRoundTrip();
    void richFieldsAbsentWhenDefault();
    void avatarsRoundTrip();
};

void RecordsTest::userRoundTrip_data()
{
    QTest::addColumn<int>("presence");
    QTest::addColumn<qint64>("lastSeen");
    QTest::newRow("online") << int(PresenceState::Online) << qint64(0);
    QTest::newRow("away, last seen") << int(PresenceState::Away) << qint64(1'700'000'000'000);
    QTest::newRow("offline, last seen") << int(PresenceState::Offline) << qint64(1);
    QTest::newRow("offline, hidden") << int(PresenceState::Offline) << qint64(0);
}

void RecordsTest::userRoundTrip()
{
    QFETCH(int, presence);
    QFETCH(qint64, lastSeen);
    UserInfo user = alice();
    user.presence = PresenceState(presence);
    user.lastSeen = lastSeen;

    const QCborMap map = throughBytes(user.toCbor());
    QCOMPARE(map, user.toCbor());
    compareUsers(UserInfo::fromCbor(map), user);
}

void RecordsTest::profileRoundTrip_data()
{
    QTest::addColumn<bool>("hideLastSeen");
    QTest::addColumn<bool>("sendReadReceipts");
    QTest::newRow("defaults") << false << true;
    QTest::newRow("private") << true << false;
    QTest::newRow("hide only") << true << true;
    QTest::newRow("no receipts only") << false << false;
}

void RecordsTest::profileRoundTrip()
{
    QFETCH(bool, hideLastSeen);
    QFETCH(bool, sendReadReceipts);
    const ProfileInfo profile {alice(), hideLastSeen, sendReadReceipts};

    const QCborMap map = throughBytes(profile.toCbor());
    QCOMPARE(map.value(u"hideLastSeen"_s), QCborValue(hideLastSeen));
    QCOMPARE(map.value(u"sendReadReceipts"_s), QCborValue(sendReadReceipts));
    const ProfileInfo decoded = ProfileInfo::fromCbor(map);
    QCOMPARE(decoded.hideLastSeen, hideLastSeen);
    QCOMPARE(decoded.sendReadReceipts, sendReadReceipts);
    compareUsers(decoded.user, profile.user);
}

void RecordsTest::deviceRoundTrip_data()
{
    QTest::addColumn<bool>("current");
    QTest::addColumn<bool>("online");
    QTest::newRow("neither") << false << false;
    QTest::newRow("current") << true << true;
    QTest::newRow("online elsewhere") << false << true;
}

void RecordsTest::deviceRoundTrip()
{
    QFETCH(bool, current);
    QFETCH(bool, online);
    const DeviceInfo device {
        12, u"Laptop — Firefox"_s, 1'600'000'000'000, 1'700'000'000'000, current, online};

    const QCborMap map = throughBytes(device.toCbor());
    QCOMPARE(map, device.toCbor());
    const DeviceInfo decoded = DeviceInfo::fromCbor(map);
    QCOMPARE(decoded.id, device.id);
    QCOMPARE(decoded.name, device.name);
    QCOMPARE(decoded.createdAt, device.createdAt);
    QCOMPARE(decoded.lastActive, device.lastActive);
    QCOMPARE(decoded.current, current);
    QCOMPARE(decoded.online, online);
}

void RecordsTest::membershipEventRoundTrip_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QList<qint64>>("userIds");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("role");
    QTest::newRow("created") << u"created"_s << QList<qint64> {8, 9} << u"Team 🚀"_s
                             << int(Role::None);
    QTest::newRow("added") << u"added"_s << QList<qint64> {10} << QString() << int(Role::None);
    QTest::newRow("removed") << u"removed"_s << QList<qint64> {8} << QString() << int(Role::None);
    QTest::newRow("left") << u"left"_s << QList<qint64>() << QString() << int(Role::None);
    QTest::newRow("renamed") << u"renamed"_s << QList<qint64>() << u"New name"_s << int(Role::None);
    QTest::newRow("role admin") << u"role"_s << QList<qint64> {8} << QString() << int(Role::Admin);
    QTest::newRow("role member") << u"role"_s << QList<qint64> {8} << QString()
                                 << int(Role::Member);
    QTest::newRow("owner") << u"owner"_s << QList<qint64> {9} << QString() << int(Role::Owner);
    QTest::newRow("large ids") << u"added"_s << QList<qint64> {MaxId, 1} << QString()
                               << int(Role::None);
}

void RecordsTest::membershipEventRoundTrip()
{
    QFETCH(QString, action);
    QFETCH(QList<qint64>, userIds);
    QFETCH(QString, name);
    QFETCH(int, role);
    const MembershipEvent event {action, 7, userIds, name, Role(role)};

    const QCborMap map = throughBytes(event.toCbor());
    QCOMPARE(map, event.toCbor());
    compareEvents(MembershipEvent::fromCbor(map), event);
}

void RecordsTest::messageRoundTrip_data()
{
    QTest::addColumn<MessageRecord>("message");
    QTest::newRow("content") << contentMessage();
    MessageRecord empty = contentMessage();
    empty.content.clear();
    QTest::newRow("empty content") << empty;
    MessageRecord large = contentMessage();
    large.content = QByteArray(Limits::MaxContentBytes, '\xff');
    QTest::newRow("largest content") << large;
    QTest::newRow("membership event") << eventMessage();
}

void RecordsTest::messageRoundTrip()
{
    QFETCH(MessageRecord, message);
    const QCborMap map = throughBytes(message.toCbor());
    QCOMPARE(map, message.toCbor());
    compareMessages(MessageRecord::fromCbor(map), message);
}

void RecordsTest::memberRoundTrip_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<qint64>("deliveredSeq");
    QTest::addColumn<qint64>("readSeq");
    QTest::newRow("owner") << int(Role::Owner) << qint64(10) << qint64(9);
    QTest::newRow("admin") << int(Role::Admin) << qint64(3) << qint64(0);
    QTest::newRow("member, nothing yet") << int(Role::Member) << qint64(0) << qint64(0);
}

void RecordsTest::memberRoundTrip()
{
    QFETCH(int, role);
    QFETCH(qint64, deliveredSeq);
    QFETCH(qint64, readSeq);
    const MemberInfo member {alice(), Role(role), deliveredSeq, readSeq};

    const QCborMap map = throughBytes(member.toCbor());
    QCOMPARE(map, member.toCbor());
    const MemberInfo decoded = MemberInfo::fromCbor(map);
    QCOMPARE(roleName(decoded.role), roleName(member.role));
    QCOMPARE(decoded.deliveredSeq, deliveredSeq);
    QCOMPARE(decoded.readSeq, readSeq);
    compareUsers(decoded.user, member.user);
}

void RecordsTest::conversationRoundTrip_data()
{
    QTest::addColumn<ConversationInfo>("conversation");

    ConversationInfo direct;
    direct.id = 3;
    direct.kind = ConversationKind::Direct;
    direct.role = Role::Member;
    direct.lastSeq = 42;
    direct.lastActivity = 1'700'000'000'456;
    direct.unread = 5;
    direct.readSeq = 37;
    direct.deliveredSeq = 42;
    direct.othersReadSeq = 40;
    direct.memberCount = 2;
    direct.muted = true;
    direct.peer = alice();
    direct.lastMessage = contentMessage();
    QTest::newRow("direct, everything") << direct;

    ConversationInfo group;
    group.id = MaxId;
    group.kind = ConversationKind::Group;
    group.name = u"Family 👪"_s;
    group.role = Role::Owner;
    group.lastSeq = 43;
    group.lastActivity = 1'700'000'000'789;
    group.memberCount = Limits::MaxGroupMembers;
    group.pinned = true;
    group.archived = true;
    group.lastMessage = eventMessage();
    QTest::newRow("group, event last") << group;

    ConversationInfo bare;
    bare.id = 1;
    bare.kind = ConversationKind::Group;
    bare.role = Role::Admin;
    bare.name = u"g"_s;
    bare.memberCount = 1;
    QTest::newRow("group, nothing yet") << bare;
}

void RecordsTest::conversationRoundTrip()
{
    QFETCH(ConversationInfo, conversation);
    const QCborMap map = throughBytes(conversation.toCbor());
    QCOMPARE(map, conversation.toCbor());

    const ConversationInfo decoded = ConversationInfo::fromCbor(map);
    QCOMPARE(decoded.id, conversation.id);
    QCOMPARE(conversationKindName(decoded.kind), conversationKindName(conversation.kind));
    QCOMPARE(decoded.name, conversation.name);
    QCOMPARE(roleName(decoded.role), roleName(conversation.role));
    QCOMPARE(decoded.lastSeq, conversation.lastSeq);
    QCOMPARE(decoded.lastActivity, conversation.lastActivity);
    QCOMPARE(decoded.unread, conversation.unread);
    QCOMPARE(decoded.readSeq, conversation.readSeq);
    QCOMPARE(decoded.deliveredSeq, conversation.deliveredSeq);
    QCOMPARE(decoded.othersReadSeq, conversation.othersReadSeq);
    QCOMPARE(decoded.memberCount, conversation.memberCount);
    QCOMPARE(decoded.muted, conversation.muted);
    QCOMPARE(decoded.pinned, conversation.pinned);
    QCOMPARE(decoded.archived, conversation.archived);
    QCOMPARE(decoded.peer.has_value(), conversation.peer.has_value());
    if (conversation.peer)
        compareUsers(*decoded.peer, *conversation.peer);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(decoded.lastMessage.has_value(), conversation.lastMessage.has_value());
    if (conversation.lastMessage)
        compareMessages(*decoded.lastMessage, *conversation.lastMessage);
}

void RecordsTest::receiptRoundTrip()
{
    const ReceiptInfo receipt {3, 7, 42, 40, 1'700'000'000'999};
    const QCborMap map = throughBytes(receipt.toCbor());
    QCOMPARE(map, receipt.toCbor());
    const ReceiptInfo decoded = ReceiptInfo::fromCbor(map);
    QCOMPARE(decoded.conversationId, receipt.conversationId);
    QCOMPARE(decoded.userId, receipt.userId);
    QCOMPARE(decoded.deliveredSeq, receipt.deliveredSeq);
    QCOMPARE(decoded.readSeq, receipt.readSeq);
    QCOMPARE(decoded.at, receipt.at);

    // A read-only receipt (a user who moved only their read cursor) carries no deliveredSeq.
    const ReceiptInfo readOnly {3, 7, 0, 40, 5};
    QVERIFY(!readOnly.toCbor().contains(u"deliveredSeq"_s));
    QCOMPARE(ReceiptInfo::fromCbor(throughBytes(readOnly.toCbor())).readSeq, 40);
}

// docs/protocol.md promises: absent integer and boolean fields mean 0 / false.
void RecordsTest::absentFieldsMeanZero()
{
    const QCborMap user = UserInfo {1, u"bob"_s, u"Bob"_s, PresenceState::Online, 0}.toCbor();
    QCOMPARE(keysOf(user), (QStringList {u"displayName"_s, u"id"_s, u"presence"_s, u"username"_s}));

    const QCborMap device = DeviceInfo {1, u"d"_s, 2, 3, false, false}.toCbor();
    QVERIFY(!device.contains(u"current"_s));
    QVERIFY(!device.contains(u"online"_s));

    const QCborMap event = MembershipEvent {u"left"_s, 1, {}, QString(), Role::None}.toCbor();
    QCOMPARE(keysOf(event), (QStringList {u"action"_s, u"actorId"_s}));

    const QCborMap member = MemberInfo {UserInfo(), Role::Member, 0, 0}.toCbor();
    QVERIFY(!member.contains(u"deliveredSeq"_s));
    QVERIFY(!member.contains(u"readSeq"_s));

    ConversationInfo conversation;
    conversation.id = 1;
    const QCborMap map = conversation.toCbor();
    for (const auto &key :
         {u"name"_s, u"unread"_s, u"readSeq"_s, u"deliveredSeq"_s, u"othersReadSeq"_s, u"muted"_s,
          u"pinned"_s, u"archived"_s, u"peer"_s, u"lastMessage"_s}) {
        QVERIFY2(!map.contains(key), qPrintable(key));
    }
    for (const auto &key :
         {u"id"_s, u"kind"_s, u"role"_s, u"lastSeq"_s, u"lastActivity"_s, u"memberCount"_s}) {
        QVERIFY2(map.contains(key), qPrintable(key));
    }

    const ConversationInfo empty = ConversationInfo::fromCbor(QCborMap());
    QCOMPARE(empty.unread, 0);
    QCOMPARE(empty.muted, false);
    QVERIFY(!empty.peer);
    QVERIFY(!empty.lastMessage);
    QCOMPARE(UserInfo::fromCbor(QCborMap()).presence, PresenceState::Offline);
    // The one default that is not false: a profile sends read receipts unless it says otherwise.
    QCOMPARE(ProfileInfo::fromCbor(QCborMap()).sendReadReceipts, true);
}

void RecordsTest::messageCarriesContentOrEvent()
{
    const QCborMap content = contentMessage().toCbor();
    QVERIFY(content.value(u"content"_s).isByteArray());
    QVERIFY(content.value(u"clientId"_s).isString());
    QVERIFY(content.value(u"contentType"_s).isString());
    QVERIFY(!content.contains(u"event"_s));

    const QCborMap event = eventMessage().toCbor();
    QVERIFY(event.value(u"event"_s).isMap());
    QVERIFY(!event.contains(u"content"_s));
    QVERIFY(!event.contains(u"clientId"_s));
    QVERIFY(!event.contains(u"contentType"_s));
}

// Issue 12: the `deleted` and `timer` membership events.
void RecordsTest::richEventsRoundTrip_data()
{
    QTest::addColumn<MembershipEvent>("event");
    QTest::addColumn<QStringList>("keys");
    MembershipEvent deleted;
    deleted.action = u"deleted"_s;
    deleted.actorId = 7;
    deleted.targetSeq = 41;
    QTest::newRow("deleted") << deleted << QStringList {u"action"_s, u"actorId"_s, u"targetSeq"_s};
    MembershipEvent timer;
    timer.action = u"timer"_s;
    timer.actorId = 7;
    timer.seconds = Limits::MaxDisappearSeconds;
    QTest::newRow("timer") << timer << QStringList {u"action"_s, u"actorId"_s, u"seconds"_s};
    // A timer turned off still says so: seconds 0 is written for the timer action.
    MembershipEvent off = timer;
    off.seconds = 0;
    QTest::newRow("timer off") << off << QStringList {u"action"_s, u"actorId"_s, u"seconds"_s};
}

void RecordsTest::richEventsRoundTrip()
{
    QFETCH(MembershipEvent, event);
    QFETCH(QStringList, keys);
    const QCborMap map = throughBytes(event.toCbor());
    QCOMPARE(map, event.toCbor());
    QCOMPARE(keysOf(map), keys);
    compareEvents(MembershipEvent::fromCbor(map), event);
}

void RecordsTest::richMessageFieldsRoundTrip_data()
{
    QTest::addColumn<MessageRecord>("message");
    MessageRecord reaction = contentMessage();
    reaction.silent = true;
    reaction.refSeq = 41;
    QTest::newRow("silent with refSeq") << reaction;
    MessageRecord expiring = contentMessage();
    expiring.expiresAt = 1'700'000'300'456;
    QTest::newRow("expiresAt") << expiring;
    MessageRecord deleted = contentMessage();
    deleted.content.clear();
    deleted.contentType.clear();
    deleted.erased = QString(Erased::Deleted);
    QTest::newRow("erased deleted") << deleted;
    MessageRecord expired = expiring;
    expired.content.clear();
    expired.contentType.clear();
    expired.erased = QString(Erased::Expired);
    QTest::newRow("erased expired") << expired;
    MessageRecord hidden = contentMessage();
    hidden.content.clear();
    hidden.hidden = true;
    QTest::newRow("hidden") << hidden;
    MessageRecord deletedEvent = eventMessage();
    deletedEvent.event->action = u"deleted"_s;
    deletedEvent.event->userIds.clear();
    deletedEvent.event->targetSeq = 42;
    QTest::newRow("deleted event entry") << deletedEvent;
}

void RecordsTest::richMessageFieldsRoundTrip()
{
    QFETCH(MessageRecord, message);
    const QCborMap map = throughBytes(message.toCbor());
    QCOMPARE(map, message.toCbor());
    compareMessages(MessageRecord::fromCbor(map), message);
}

void RecordsTest::richFieldsAbsentWhenDefault()
{
    const QCborMap message = contentMessage().toCbor();
    for (const auto &key : {u"silent"_s, u"refSeq"_s, u"expiresAt"_s, u"erased"_s, u"hidden"_s})
        QVERIFY2(!message.contains(key), qPrintable(key));
    const MessageRecord decoded = MessageRecord::fromCbor(QCborMap());
    QVERIFY(!decoded.silent);
    QCOMPARE(decoded.refSeq, 0);
    QCOMPARE(decoded.expiresAt, 0);
    QVERIFY(decoded.erased.isEmpty());
    QVERIFY(!decoded.hidden);

    ConversationInfo conversation;
    conversation.id = 1;
    QVERIFY(!conversation.toCbor().contains(u"disappearSeconds"_s));
    conversation.disappearSeconds = 300;
    QCOMPARE(conversation.toCbor().value(u"disappearSeconds"_s).toInteger(), 300);
    QCOMPARE(ConversationInfo::fromCbor(throughBytes(conversation.toCbor())).disappearSeconds, 300);
    QCOMPARE(ConversationInfo::fromCbor(QCborMap()).disappearSeconds, 0);

    const QCborMap added = eventMessage().event->toCbor();
    QVERIFY(!added.contains(u"targetSeq"_s));
    QVERIFY(!added.contains(u"seconds"_s));
}

// A profile or group picture: the blob id and the client's opaque descriptor, both or neither.
void RecordsTest::avatarsRoundTrip()
{
    const QString blob = u"abcdefghijklmnopqrstuvwxyz"_s;
    const QByteArray descriptor("\xa1\x61\x62\x41\x00", 5); // opaque to the server
    UserInfo user = alice();
    user.avatarBlob = blob;
    user.avatar = descriptor;
    const UserInfo decodedUser = UserInfo::fromCbor(throughBytes(user.toCbor()));
    QCOMPARE(decodedUser.avatarBlob, blob);
    QCOMPARE(decodedUser.avatar, descriptor);

    ConversationInfo group;
    group.id = 5;
    group.kind = ConversationKind::Group;
    group.name = u"g"_s;
    group.avatarBlob = blob;
    group.avatar = descriptor;
    const ConversationInfo decodedGroup = ConversationInfo::fromCbor(throughBytes(group.toCbor()));
    QCOMPARE(decodedGroup.avatarBlob, blob);
    QCOMPARE(decodedGroup.avatar, descriptor);
    QVERIFY(!ConversationInfo {}.toCbor().contains(u"avatar"_s));

    MembershipEvent changed {u"avatar"_s, 7, {}, QString(), Role::None};
    changed.avatarBlob = blob;
    QCOMPARE(MembershipEvent::fromCbor(throughBytes(changed.toCbor())).avatarBlob, blob);
    const MembershipEvent removed {u"avatar"_s, 7, {}, QString(), Role::None};
    QCOMPARE(keysOf(removed.toCbor()), (QStringList {u"action"_s, u"actorId"_s}));
}

QTEST_GUILESS_MAIN(RecordsTest)
#include "tst_records.moc"
