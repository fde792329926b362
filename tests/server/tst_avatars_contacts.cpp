// Who sees a user's picture (and presence) once they no longer share a conversation: a member
// removed from, or leaving, their last group with someone stops seeing that person's avatar
// fields in users.get and users.search (and they stop seeing theirs) at once, without signing in
// again; one who still shares another conversation keeps seeing them.

#include "Blobs.h"
#include "TestClient.h"
#include "TestServer.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Blobs;

class TestAvatarsContacts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void removedMemberStopsSeeingPictures();
    void leavingTheLastSharedGroup();
    void anotherSharedConversationKeepsThem();

private:
    using User = Blobs::User;
    User newUser(const QString &name) { return Blobs::newUser(*m_server, name); }
    //! Uploads a picture and makes it the user's profile picture; its blob id.
    QString setPicture(const User &user, quint32 seed);
    //! `userId` as users.get shows them to `client`.
    QCborMap got(TestClient *client, qint64 userId);
    //! The first users.search result for `prefix` as `client` sees it.
    QCborMap found(TestClient *client, const QString &prefix);

    std::unique_ptr<TestServer> m_server;
};

void TestAvatarsContacts::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestAvatarsContacts::cleanup()
{
    m_server.reset();
}

QString TestAvatarsContacts::setPicture(const User &user, quint32 seed)
{
    QString id = upload(user.transfer, bytes(1000, seed), u"avatar"_s);
    const Frame answer = user.chat->request(
        Request::UpdateProfile, {{u"avatarBlob"_s, id}, {u"avatar"_s, "descriptor"_ba}});
    if (!answer.isOk()) {
        qWarning().noquote() << "profile.update failed:" << TestClient::describe(answer);
        return {};
    }
    return id;
}

QCborMap TestAvatarsContacts::got(TestClient *client, qint64 userId)
{
    const Frame answer = client->request(Request::GetUsers, {{u"userIds"_s, Cbor::ids({userId})}});
    const QCborArray users = answer.body.value("users"_L1).toArray();
    return users.isEmpty() ? QCborMap() : users.first().toMap();
}

QCborMap TestAvatarsContacts::found(TestClient *client, const QString &prefix)
{
    const Frame answer = client->request(Request::SearchUsers, {{u"prefix"_s, prefix}});
    const QCborArray users = answer.body.value("users"_L1).toArray();
    return users.isEmpty() ? QCborMap() : users.first().toMap();
}

void TestAvatarsContacts::removedMemberStopsSeeingPictures()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id()});
    QVERIFY(group > 0);
    const QString alicePicture = setPicture(alice, 1);
    const QString bobPicture = setPicture(bob, 2);
    QVERIFY(!alicePicture.isEmpty() && !bobPicture.isEmpty());
    QCOMPARE(got(bob.chat, alice.id()).value("avatarBlob"_L1).toString(), alicePicture);
    QCOMPARE(found(bob.chat, u"alic"_s).value("avatarBlob"_L1).toString(), alicePicture);
    QCOMPARE(got(alice.chat, bob.id()).value("avatarBlob"_L1).toString(), bobPicture);

    VERIFY_OK(alice.chat->request(Request::RemoveMember,
                                  {{u"conversationId"_s, group}, {u"userId"_s, bob.id()}}));
    // Both still signed in: neither sees the other's picture any more, nor presence.
    const QCborMap aliceForBob = got(bob.chat, alice.id());
    QCOMPARE(aliceForBob.value("id"_L1).toInteger(), alice.id());
    QVERIFY(!aliceForBob.contains("avatarBlob"_L1));
    QVERIFY(!aliceForBob.contains("avatar"_L1));
    QCOMPARE(aliceForBob.value("presence"_L1).toString(), u"offline"_s);
    const QCborMap searched = found(bob.chat, u"alic"_s);
    QCOMPARE(searched.value("id"_L1).toInteger(), alice.id());
    QVERIFY(!searched.contains("avatarBlob"_L1));
    QVERIFY(!got(alice.chat, bob.id()).contains("avatarBlob"_L1));
    COMPARE_ERROR(get(bob.transfer, alicePicture, 0, 10), Protocol::ErrorCode::NotFound);
    // Each still sees their own.
    QCOMPARE(got(bob.chat, bob.id()).value("avatarBlob"_L1).toString(), bobPicture);

    // Together again: seen again at once.
    VERIFY_OK(
        alice.chat->request(Request::AddMembers,
                            {{u"conversationId"_s, group}, {u"userIds"_s, Cbor::ids({bob.id()})}}));
    QCOMPARE(got(bob.chat, alice.id()).value("avatarBlob"_L1).toString(), alicePicture);
    QCOMPARE(got(alice.chat, bob.id()).value("avatarBlob"_L1).toString(), bobPicture);
}

void TestAvatarsContacts::leavingTheLastSharedGroup()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    const User carol = newUser(u"carol"_s);
    QVERIFY(alice.transfer && bob.transfer && carol.transfer);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id(), carol.id()});
    QVERIFY(group > 0);
    const QString alicePicture = setPicture(alice, 3);
    const QString carolPicture = setPicture(carol, 4);
    QVERIFY(!alicePicture.isEmpty() && !carolPicture.isEmpty());
    QCOMPARE(got(bob.chat, carol.id()).value("avatarBlob"_L1).toString(), carolPicture);

    // The owner leaves: the others no longer see her, nor she them; they still see each other.
    VERIFY_OK(alice.chat->request(Request::LeaveGroup, {{u"conversationId"_s, group}}));
    QVERIFY(!got(bob.chat, alice.id()).contains("avatarBlob"_L1));
    QVERIFY(!got(carol.chat, alice.id()).contains("avatarBlob"_L1));
    QVERIFY(!got(alice.chat, carol.id()).contains("avatarBlob"_L1));
    QCOMPARE(got(bob.chat, carol.id()).value("avatarBlob"_L1).toString(), carolPicture);
}

void TestAvatarsContacts::anotherSharedConversationKeepsThem()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    QVERIFY(alice.chat->openDirect(bob.id()) > 0);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id()});
    QVERIFY(group > 0);
    const QString alicePicture = setPicture(alice, 5);
    const QString bobPicture = setPicture(bob, 6);
    QVERIFY(!alicePicture.isEmpty() && !bobPicture.isEmpty());

    VERIFY_OK(bob.chat->request(Request::LeaveGroup, {{u"conversationId"_s, group}}));
    // Their direct conversation remains: nothing changes for either.
    QCOMPARE(got(bob.chat, alice.id()).value("avatarBlob"_L1).toString(), alicePicture);
    QCOMPARE(got(bob.chat, alice.id()).value("presence"_L1).toString(), u"online"_s);
    QCOMPARE(got(alice.chat, bob.id()).value("avatarBlob"_L1).toString(), bobPicture);
    VERIFY_OK(get(bob.transfer, alicePicture, 0, 10));
}

QTEST_GUILESS_MAIN(TestAvatarsContacts)
#include "tst_avatars_contacts.moc"
