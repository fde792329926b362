// Avatars: profile.update's avatarBlob/avatar and group.avatar (set, replace, remove, every
// refusal), the `user`, `conversation` and `message` (membership event `avatar`) events, who sees
// a user's picture (themself and whoever shares a conversation with them), who may blob.get an
// avatar, and the sweeper keeping current avatars while removing replaced ones.

#include "Blobs.h"
#include "TestClient.h"
#include "TestServer.h"

#include <QFile>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Blobs;
using Protocol::ErrorCode;

namespace {
constexpr qint64 Day = 24ll * 3'600'000;

QCborMap userOf(const Frame &frame)
{
    return frame.body.value("user"_L1).toMap();
}

//! The descriptor bytes a client would send (the server never reads them).
QByteArray descriptor(int n)
{
    return "descriptor-"_ba + QByteArray::number(n);
}
} // namespace

class TestAvatars : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void welcomeAnnouncesTheLimit();
    void setReplaceAndRemoveTheProfilePicture();
    void profileRefusals();
    void strangersSeeNoPicture();
    void groupPicture();
    void groupRefusals();
    void readingAProfilePicture();
    void readingAGroupPicture();
    void sweeperKeepsCurrentAvatars();

private:
    using User = Blobs::User;
    User newUser(const QString &name) { return Blobs::newUser(*m_server, name); }
    Frame setAvatar(TestClient *client, const QString &blobId, const QByteArray &avatar);
    Frame setGroupAvatar(TestClient *client, qint64 group, const QString &blobId,
                         const QByteArray &avatar);
    bool rowExists(const QString &id);
    bool age(const QString &id);

    std::unique_ptr<TestServer> m_server;
};

void TestAvatars::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestAvatars::cleanup()
{
    m_server.reset();
}

Frame TestAvatars::setAvatar(TestClient *client, const QString &blobId, const QByteArray &avatar)
{
    QCborMap fields {{u"avatarBlob"_s, blobId}};
    if (!avatar.isEmpty())
        fields.insert(u"avatar"_s, avatar);
    return client->request(Request::UpdateProfile, fields);
}

Frame TestAvatars::setGroupAvatar(TestClient *client, qint64 group, const QString &blobId,
                                  const QByteArray &avatar)
{
    QCborMap fields {{u"conversationId"_s, group}, {u"avatarBlob"_s, blobId}};
    if (!avatar.isEmpty())
        fields.insert(u"avatar"_s, avatar);
    return client->request(Request::SetGroupAvatar, fields);
}

bool TestAvatars::rowExists(const QString &id)
{
    return m_server->queryValue(u"SELECT COUNT(*) FROM blobs WHERE id = ?"_s, {id}).toInt() == 1;
}

bool TestAvatars::age(const QString &id)
{
    return m_server
        ->queryValue(u"UPDATE blobs SET created_at = created_at - ?, completed_at = "
                     "completed_at - ? WHERE id = ? RETURNING id"_s,
                     {Day + 60'000, Day + 60'000, id})
        .isValid();
}

void TestAvatars::welcomeAnnouncesTheLimit()
{
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    QCOMPARE(client->welcome()
                 .body.value("limits"_L1)
                 .toMap()
                 .value("maxAvatarBlobBytes"_L1)
                 .toInteger(),
             1 << 20); // docs/protocol.md, Limits
}

void TestAvatars::setReplaceAndRemoveTheProfilePicture()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s); // a stranger
    QVERIFY(alice.transfer && bob.transfer && carol.transfer);
    TestClient *alicePhone = m_server->newDevice(alice.chat);
    QVERIFY(alicePhone);
    QVERIFY(alice.chat->openDirect(bob.id()) > 0);
    const QString first = upload(alice.transfer, bytes(5000, 1), u"avatar-1"_s);
    QVERIFY(!first.isEmpty());

    const Frame set = setAvatar(alice.chat, first, descriptor(1));
    VERIFY_OK(set);
    QCOMPARE(userOf(set).value("avatarBlob"_L1).toString(), first);
    QCOMPARE(userOf(set).value("avatar"_L1).toByteArray(), descriptor(1));
    QVERIFY(m_server->queryValue(u"SELECT referenced FROM blobs WHERE id = ?"_s, {first}).toBool());
    for (TestClient *other : {bob.chat, alicePhone}) {
        const auto event = other->waitEvent(Protocol::Event::User);
        QVERIFY(event);
        QCOMPARE(userOf(*event).value("id"_L1).toInteger(), alice.id());
        QCOMPARE(userOf(*event).value("avatarBlob"_L1).toString(), first);
        QCOMPARE(userOf(*event).value("avatar"_L1).toByteArray(), descriptor(1));
    }
    // The stranger hears nothing: anything for them would be queued before their ping's answer.
    QVERIFY(carol.chat->flush());
    QVERIFY(carol.chat->events(Protocol::Event::User).isEmpty());

    // Replaced: a new blob and descriptor.
    const QString second = upload(alice.transfer, bytes(6000, 2), u"avatar-2"_s);
    VERIFY_OK(setAvatar(alice.chat, second, descriptor(2)));
    const auto replaced = bob.chat->waitEvent(Protocol::Event::User);
    QVERIFY(replaced);
    QCOMPARE(userOf(*replaced).value("avatarBlob"_L1).toString(), second);
    QCOMPARE(userOf(*replaced).value("avatar"_L1).toByteArray(), descriptor(2));

    // Removed: "" and no descriptor; neither key is sent any more.
    const Frame removed = setAvatar(alice.chat, QString(), {});
    VERIFY_OK(removed);
    QVERIFY(!userOf(removed).contains("avatarBlob"_L1));
    QVERIFY(!userOf(removed).contains("avatar"_L1));
    const auto gone = bob.chat->waitEvent(Protocol::Event::User);
    QVERIFY(gone);
    QVERIFY(!userOf(*gone).contains("avatarBlob"_L1));
    QVERIFY(m_server
                ->queryValue(u"SELECT COUNT(*) FROM users WHERE avatar_blob IS NOT NULL OR "
                             "avatar IS NOT NULL"_s)
                .toInt()
            == 0);

    // Other settings change without touching the picture.
    VERIFY_OK(setAvatar(alice.chat, second, descriptor(3)));
    const Frame renamed =
        alice.chat->request(Request::UpdateProfile, {{u"displayName"_s, u"Alice A."_s}});
    VERIFY_OK(renamed);
    QCOMPARE(userOf(renamed).value("avatarBlob"_L1).toString(), second);
    QCOMPARE(userOf(renamed).value("avatar"_L1).toByteArray(), descriptor(3));
}

void TestAvatars::profileRefusals()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const QString bobs = upload(bob.transfer, bytes(100, 3), u"bobs"_s);
    const QString unfinished =
        create(alice.transfer, bytes(Chunk + 1, 4), u"half"_s).body.value("blobId"_L1).toString();
    const QString large =
        upload(alice.transfer, bytes(Protocol::Limits::MaxAvatarBlobBytes + 1, 5), u"large"_s);
    const QString mine = upload(alice.transfer, bytes(100, 6), u"mine"_s);
    QVERIFY(!bobs.isEmpty() && !unfinished.isEmpty() && !large.isEmpty() && !mine.isEmpty());

    struct Case
    {
        QCborMap fields;
        ErrorCode code;
        QString field;
    };
    const QList<Case> cases {
        {{{u"avatarBlob"_s, bobs}, {u"avatar"_s, descriptor(1)}},
         ErrorCode::NotFound,
         u"avatarBlob"_s},
        {{{u"avatarBlob"_s, unfinished}, {u"avatar"_s, descriptor(1)}},
         ErrorCode::NotFound,
         u"avatarBlob"_s},
        {{{u"avatarBlob"_s, QString(26, u'b')}, {u"avatar"_s, descriptor(1)}},
         ErrorCode::NotFound,
         u"avatarBlob"_s},
        {{{u"avatarBlob"_s, large}, {u"avatar"_s, descriptor(1)}},
         ErrorCode::TooLarge,
         u"avatarBlob"_s},
        {{{u"avatarBlob"_s, mine}}, ErrorCode::InvalidField, u"avatar"_s},
        {{{u"avatar"_s, descriptor(1)}}, ErrorCode::InvalidField, u"avatar"_s},
        {{{u"avatarBlob"_s, QString()}, {u"avatar"_s, descriptor(1)}},
         ErrorCode::InvalidField,
         u"avatar"_s},
        {{{u"avatarBlob"_s, u"../../etc/passwd"_s}, {u"avatar"_s, descriptor(1)}},
         ErrorCode::InvalidField,
         u"avatarBlob"_s},
        {{{u"avatarBlob"_s, mine},
          {u"avatar"_s, QByteArray(Protocol::Limits::MaxAvatarBytes + 1, 'x')}},
         ErrorCode::TooLarge,
         u"avatar"_s},
    };
    for (const Case &c : cases) {
        const Frame answer = alice.chat->request(Request::UpdateProfile, c.fields);
        COMPARE_ERROR(answer, c.code);
        QCOMPARE(answer.body.value("field"_L1).toString(), c.field);
    }
    // Nothing of it was stored, and the blobs stay unreferenced.
    QCOMPARE(
        m_server->queryValue(u"SELECT COUNT(*) FROM users WHERE avatar_blob IS NOT NULL"_s).toInt(),
        0);
    QCOMPARE(m_server->queryValue(u"SELECT COUNT(*) FROM blobs WHERE referenced"_s).toInt(), 0);
    // A refused change changes nothing else either (one transaction).
    const QString name =
        m_server->queryValue(u"SELECT display_name FROM users WHERE id = ?"_s, {alice.id()})
            .toString();
    const Frame mixed = alice.chat->request(
        Request::UpdateProfile,
        {{u"displayName"_s, u"Renamed"_s}, {u"avatarBlob"_s, bobs}, {u"avatar"_s, descriptor(1)}});
    COMPARE_ERROR(mixed, ErrorCode::NotFound);
    QCOMPARE(m_server->queryValue(u"SELECT display_name FROM users WHERE id = ?"_s, {alice.id()})
                 .toString(),
             name);
    VERIFY_OK(setAvatar(alice.chat, mine, descriptor(1)));
}

void TestAvatars::strangersSeeNoPicture()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    QVERIFY(alice.transfer && bob.transfer && carol.transfer);
    const qint64 direct = alice.chat->openDirect(bob.id());
    QVERIFY(direct > 0);
    const QString id = upload(alice.transfer, bytes(1000, 7), u"avatar"_s);
    VERIFY_OK(setAvatar(alice.chat, id, descriptor(1)));

    const auto found = [](TestClient *client) {
        const Frame answer = client->request(Request::SearchUsers, {{u"prefix"_s, u"alic"_s}});
        const QCborArray users = answer.body.value("users"_L1).toArray();
        return users.isEmpty() ? QCborMap() : users.first().toMap();
    };
    const auto got = [&alice](TestClient *client) {
        const Frame answer =
            client->request(Request::GetUsers, {{u"userIds"_s, Cbor::ids({alice.id()})}});
        return answer.body.value("users"_L1).toArray().first().toMap();
    };
    // A contact sees it wherever the user appears.
    QCOMPARE(found(bob.chat).value("avatarBlob"_L1).toString(), id);
    QCOMPARE(found(bob.chat).value("avatar"_L1).toByteArray(), descriptor(1));
    QCOMPARE(got(bob.chat).value("avatarBlob"_L1).toString(), id);
    const Frame list = bob.chat->request(Request::ListConversations);
    const QCborMap peer =
        list.body.value("conversations"_L1).toArray().first().toMap().value("peer"_L1).toMap();
    QCOMPARE(peer.value("avatarBlob"_L1).toString(), id);
    QCOMPARE(peer.value("avatar"_L1).toByteArray(), descriptor(1));
    const Frame details =
        bob.chat->request(Request::GetConversation, {{u"conversationId"_s, direct}});
    bool memberHasIt = false;
    for (const QCborValue &member : details.body.value("members"_L1).toArray()) {
        if (member.toMap().value("id"_L1).toInteger() == alice.id())
            memberHasIt = member.toMap().value("avatarBlob"_L1).toString() == id;
    }
    QVERIFY(memberHasIt);
    // A stranger sees the user, not the picture.
    QCOMPARE(found(carol.chat).value("id"_L1).toInteger(), alice.id());
    QVERIFY(!found(carol.chat).contains("avatarBlob"_L1));
    QVERIFY(!found(carol.chat).contains("avatar"_L1));
    QVERIFY(!got(carol.chat).contains("avatarBlob"_L1));
    // The user themself, signing in again.
    TestClient *again = m_server->newClient();
    QVERIFY(again);
    const Frame resumed = again->request(
        Request::Resume, {{u"token"_s, alice.chat->token()}, {u"protocol"_s, Protocol::Version}});
    VERIFY_OK(resumed);
    QCOMPARE(userOf(resumed).value("avatarBlob"_L1).toString(), id);
    QCOMPARE(userOf(resumed).value("avatar"_L1).toByteArray(), descriptor(1));
}

void TestAvatars::groupPicture()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    QVERIFY(alice.transfer && bob.transfer && carol.transfer);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id(), carol.id()});
    QVERIFY(group > 0);
    const QString id = upload(alice.transfer, bytes(2000, 8), u"group"_s);

    const Frame set = setGroupAvatar(alice.chat, group, id, descriptor(1));
    VERIFY_OK(set);
    const qint64 seq = set.body.value("seq"_L1).toInteger();
    QVERIFY(seq > 0);
    for (TestClient *member : {bob.chat, carol.chat}) {
        const auto conversation =
            member->waitEvent(Protocol::Event::Conversation, [&id](const Frame &f) {
                return Cbor::conversationOf(f).value("avatarBlob"_L1).toString() == id;
            });
        QVERIFY(conversation);
        QCOMPARE(Cbor::conversationOf(*conversation).value("avatarBlob"_L1).toString(), id);
        QCOMPARE(Cbor::conversationOf(*conversation).value("avatar"_L1).toByteArray(),
                 descriptor(1));
        const auto message = member->waitEvent(Protocol::Event::Message, [](const Frame &f) {
            return Cbor::eventOf(f).value("action"_L1).toString() == u"avatar"_s;
        });
        QVERIFY(message);
        const QCborMap event = Cbor::eventOf(*message);
        QCOMPARE(event.value("action"_L1).toString(), u"avatar"_s);
        QCOMPARE(event.value("actorId"_L1).toInteger(), alice.id());
        QCOMPARE(event.value("avatarBlob"_L1).toString(), id);
        QCOMPARE(message->body.value("message"_L1).toMap().value("seq"_L1).toInteger(), seq);
    }
    const Frame details =
        carol.chat->request(Request::GetConversation, {{u"conversationId"_s, group}});
    QCOMPARE(Cbor::conversationOf(details).value("avatarBlob"_L1).toString(), id);
    QCOMPARE(Cbor::conversationOf(details).value("avatar"_L1).toByteArray(), descriptor(1));
    const Frame list = carol.chat->request(Request::ListConversations);
    QCOMPARE(list.body.value("conversations"_L1)
                 .toArray()
                 .first()
                 .toMap()
                 .value("avatarBlob"_L1)
                 .toString(),
             id);
    // The event stays in the sequence: history gives it again.
    const Frame history =
        carol.chat->request(Request::History, {{u"conversationId"_s, group}, {u"limit"_s, 1}});
    QCOMPARE(Cbor::eventOf(history.body.value("messages"_L1).toArray().last())
                 .value("avatarBlob"_L1)
                 .toString(),
             id);

    // A member may not; an admin may, as for group.rename.
    const QString bobs = upload(bob.transfer, bytes(2000, 9), u"bobs"_s);
    COMPARE_ERROR(setGroupAvatar(bob.chat, group, bobs, descriptor(2)), ErrorCode::Forbidden);
    COMPARE_ERROR(setGroupAvatar(bob.chat, group, QString(), {}), ErrorCode::Forbidden);
    VERIFY_OK(alice.chat->request(
        Request::SetRole,
        {{u"conversationId"_s, group}, {u"userId"_s, bob.id()}, {u"role"_s, u"admin"_s}}));
    VERIFY_OK(setGroupAvatar(bob.chat, group, bobs, descriptor(2)));
    QCOMPARE(Cbor::conversationOf(
                 alice.chat->request(Request::GetConversation, {{u"conversationId"_s, group}}))
                 .value("avatarBlob"_L1)
                 .toString(),
             bobs);

    // Removed: the event carries no blob, the conversation no picture.
    const Frame removal = setGroupAvatar(alice.chat, group, QString(), {});
    VERIFY_OK(removal);
    const qint64 removalSeq = removal.body.value("seq"_L1).toInteger();
    const auto removed = carol.chat->waitEvent(Protocol::Event::Message, [&](const Frame &f) {
        return f.body.value("message"_L1).toMap().value("seq"_L1).toInteger() == removalSeq;
    });
    QVERIFY(removed);
    QCOMPARE(Cbor::eventOf(*removed).value("action"_L1).toString(), u"avatar"_s);
    QVERIFY(!Cbor::eventOf(*removed).contains("avatarBlob"_L1));
    const QCborMap after = Cbor::conversationOf(
        carol.chat->request(Request::GetConversation, {{u"conversationId"_s, group}}));
    QVERIFY(!after.contains("avatarBlob"_L1));
    QVERIFY(!after.contains("avatar"_L1));

    // A direct conversation has no picture of its own; a stranger's request finds no group.
    const qint64 direct = alice.chat->openDirect(bob.id());
    COMPARE_ERROR(setGroupAvatar(alice.chat, direct, id, descriptor(3)), ErrorCode::Forbidden);
    const User dave = newUser(u"dave"_s);
    QVERIFY(dave.transfer);
    const QString daves = upload(dave.transfer, bytes(100, 10), u"daves"_s);
    COMPARE_ERROR(setGroupAvatar(dave.chat, group, daves, descriptor(4)), ErrorCode::NotMember);
}

void TestAvatars::groupRefusals()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id()});
    QVERIFY(group > 0);
    const QString bobs = upload(bob.transfer, bytes(100, 11), u"bobs"_s);
    const QString unfinished =
        create(alice.transfer, bytes(Chunk + 1, 12), u"half"_s).body.value("blobId"_L1).toString();
    const QString large =
        upload(alice.transfer, bytes(Protocol::Limits::MaxAvatarBlobBytes + 1, 13), u"large"_s);
    const QString mine = upload(alice.transfer, bytes(100, 14), u"mine"_s);

    for (const QString &id : {bobs, unfinished}) {
        const Frame answer = setGroupAvatar(alice.chat, group, id, descriptor(1));
        COMPARE_ERROR(answer, ErrorCode::NotFound);
        QCOMPARE(answer.body.value("field"_L1).toString(), u"avatarBlob"_s);
    }
    const Frame tooLarge = setGroupAvatar(alice.chat, group, large, descriptor(1));
    COMPARE_ERROR(tooLarge, ErrorCode::TooLarge);
    QCOMPARE(tooLarge.body.value("field"_L1).toString(), u"avatarBlob"_s);
    const Frame noDescriptor = setGroupAvatar(alice.chat, group, mine, {});
    COMPARE_ERROR(noDescriptor, ErrorCode::InvalidField);
    QCOMPARE(noDescriptor.body.value("field"_L1).toString(), u"avatar"_s);
    COMPARE_ERROR(alice.chat->request(Request::SetGroupAvatar, {{u"conversationId"_s, group}}),
                  ErrorCode::InvalidField);
    // Nothing was appended to the sequence: the last entry is still the creation.
    const Frame details =
        alice.chat->request(Request::GetConversation, {{u"conversationId"_s, group}});
    QCOMPARE(Cbor::conversationOf(details).value("lastSeq"_L1).toInteger(), 1);
    VERIFY_OK(setGroupAvatar(alice.chat, group, mine, descriptor(1)));
}

void TestAvatars::readingAProfilePicture()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    QVERIFY(alice.transfer && bob.transfer && carol.transfer);
    QVERIFY(alice.chat->openDirect(bob.id()) > 0);
    const QByteArray first = bytes(Chunk + 100, 15);
    const QString firstId = upload(alice.transfer, first, u"avatar-1"_s);
    VERIFY_OK(setAvatar(alice.chat, firstId, descriptor(1)));

    QCOMPARE(download(bob.transfer, firstId, first.size()), first); // a contact
    COMPARE_ERROR(get(carol.transfer, firstId, 0, 10), ErrorCode::NotFound); // a stranger

    // Replaced: the old picture is no longer the contact's to read (only its uploader's).
    m_server->config().blobReadGrantMs = 0;
    QVERIFY(m_server->restart());
    TestClient *bobTransfer = m_server->newClient();
    TestClient *aliceChat = m_server->newClient();
    TestClient *aliceTransfer = m_server->newClient();
    QVERIFY(bobTransfer && signInForTransfer(bobTransfer, bob.chat->token()));
    QVERIFY(aliceTransfer && signInForTransfer(aliceTransfer, alice.chat->token()));
    QVERIFY(aliceChat && aliceChat->resume(alice.chat->token()));
    const QString secondId = upload(aliceTransfer, bytes(500, 16), u"avatar-2"_s);
    VERIFY_OK(setAvatar(aliceChat, secondId, descriptor(2)));
    COMPARE_ERROR(get(bobTransfer, firstId, 0, 10), ErrorCode::NotFound);
    VERIFY_OK(get(bobTransfer, secondId, 0, 10));
    VERIFY_OK(get(aliceTransfer, firstId, 0, 10));
    // Removed: no longer readable by the contact either.
    VERIFY_OK(setAvatar(aliceChat, QString(), {}));
    COMPARE_ERROR(get(bobTransfer, secondId, 0, 10), ErrorCode::NotFound);
}

void TestAvatars::readingAGroupPicture()
{
    m_server->config().blobReadGrantMs = 0; // every chunk asks the database
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    const User dave = newUser(u"dave"_s);
    QVERIFY(alice.transfer && bob.transfer && carol.transfer && dave.transfer);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id()});
    QVERIFY(group > 0);
    const QByteArray picture = bytes(3000, 17);
    const QString id = upload(alice.transfer, picture, u"group"_s);
    VERIFY_OK(setGroupAvatar(alice.chat, group, id, descriptor(1)));

    QCOMPARE(download(bob.transfer, id, picture.size()), picture); // a member
    COMPARE_ERROR(get(dave.transfer, id, 0, 10), ErrorCode::NotFound); // not a member
    // A member who joins later reads the current picture at once.
    VERIFY_OK(alice.chat->request(
        Request::AddMembers,
        {{u"conversationId"_s, group}, {u"userIds"_s, Cbor::ids({carol.id()})}}));
    VERIFY_OK(get(carol.transfer, id, 0, 10));
    // A removed member no longer does.
    VERIFY_OK(alice.chat->request(Request::RemoveMember,
                                  {{u"conversationId"_s, group}, {u"userId"_s, bob.id()}}));
    COMPARE_ERROR(get(bob.transfer, id, 0, 10), ErrorCode::NotFound);
    VERIFY_OK(get(carol.transfer, id, 0, 10));
}

void TestAvatars::sweeperKeepsCurrentAvatars()
{
    m_server->config().blobSweepIntervalMs = 50;
    QVERIFY(m_server->restart());
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id()});
    QVERIFY(group > 0);
    const QString first = upload(alice.transfer, bytes(500, 18), u"avatar-1"_s);
    const QString groupPicture = upload(alice.transfer, bytes(500, 19), u"group"_s);
    const QString unused = upload(alice.transfer, bytes(500, 20), u"unused"_s);
    VERIFY_OK(setAvatar(alice.chat, first, descriptor(1)));
    VERIFY_OK(setGroupAvatar(alice.chat, group, groupPicture, descriptor(2)));
    // Old enough that only being an avatar keeps them; the unused one is swept...
    for (const QString &id : {first, groupPicture, unused})
        QVERIFY(age(id));
    QTRY_VERIFY(!rowExists(unused));
    // ...and the same sweep (one batch) saw the current avatars and kept them.
    QVERIFY(rowExists(first));
    QVERIFY(rowExists(groupPicture));

    // Replacing makes the first an ordinary referenced blob nothing uses: swept, file and all.
    const QString second = upload(alice.transfer, bytes(500, 21), u"avatar-2"_s);
    VERIFY_OK(setAvatar(alice.chat, second, descriptor(3)));
    QVERIFY(age(second));
    const QString blobDir = m_server->config().effectiveBlobDir();
    const QString firstPath = blobDir + u"/%1/%2/%3"_s.arg(first.left(2), first.mid(2, 2), first);
    QTRY_VERIFY(!rowExists(first));
    QTRY_VERIFY(!QFile::exists(firstPath));
    QVERIFY(rowExists(second));
    QVERIFY(rowExists(groupPicture));
    VERIFY_OK(get(bob.transfer, groupPicture, 0, 10));
    VERIFY_OK(get(bob.transfer, second, 0, 10));

    // Removed pictures go too.
    VERIFY_OK(setGroupAvatar(alice.chat, group, QString(), {}));
    QTRY_VERIFY(!rowExists(groupPicture));
    VERIFY_OK(setAvatar(alice.chat, QString(), {}));
    QTRY_VERIFY(!rowExists(second));
}

QTEST_GUILESS_MAIN(TestAvatars)
#include "tst_avatars.moc"
