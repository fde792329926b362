// Media retention (`--media-retention-days`): off by default, blobs stay while a message refers to
// them; on, the sweeper removes every blob finished more than N days ago, referenced or not, except
// current profile and group pictures, and `blob.get` then answers not_found. `welcome` carries the
// value. Blobs are aged directly in the test's database (no clock hook in the server); the
// sweeper runs every 50 ms here.

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
constexpr int RetentionDays = 30;
} // namespace

class TestBlobsRetention : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();

    void welcomeCarriesTheRetention();
    void offKeepsReferencedBlobs();
    void oldBlobsGoWhateverReferencesThem();
    void currentAvatarsStay();

private:
    using User = Blobs::User;
    //! A fresh server with this retention (0: off) and a sweeper every 50 ms.
    bool start(int retentionDays);
    User newUser(const QString &name) { return Blobs::newUser(*m_server, name); }
    Frame sendWithBlob(TestClient *client, qint64 conversationId, const QString &blobId);
    //! Moves a blob's times `days` days (and a minute) into the past.
    bool age(const QString &id, qint64 days);
    bool rowExists(const QString &id);
    QString finishedPath(const QString &id) const;

    std::unique_ptr<TestServer> m_server;
};

bool TestBlobsRetention::start(int retentionDays)
{
    m_server = std::make_unique<TestServer>();
    m_server->config().blobSweepIntervalMs = 50;
    m_server->config().mediaRetentionDays = retentionDays;
    if (!m_server->setUp()) {
        qWarning().noquote() << m_server->errorString();
        return false;
    }
    return true;
}

void TestBlobsRetention::cleanup()
{
    m_server.reset();
}

Frame TestBlobsRetention::sendWithBlob(TestClient *client, qint64 conversationId,
                                       const QString &blobId)
{
    return client->request(Request::Send,
                           {{u"conversationId"_s, conversationId},
                            {u"clientId"_s, u"send-"_s + blobId},
                            {u"contentType"_s, u"application/x-test"_s},
                            {u"content"_s, "descriptor"_ba},
                            {u"blobIds"_s, QCborArray {blobId}}});
}

bool TestBlobsRetention::age(const QString &id, qint64 days)
{
    const qint64 by = days * Day + 60'000;
    return m_server
        ->queryValue(u"UPDATE blobs SET created_at = created_at - ?, completed_at = "
                     "completed_at - ? WHERE id = ? RETURNING id"_s,
                     {by, by, id})
        .isValid();
}

bool TestBlobsRetention::rowExists(const QString &id)
{
    return m_server->queryValue(u"SELECT COUNT(*) FROM blobs WHERE id = ?"_s, {id}).toInt() == 1;
}

QString TestBlobsRetention::finishedPath(const QString &id) const
{
    return m_server->config().effectiveBlobDir() + u"/%1/%2/%3"_s.arg(id.left(2), id.mid(2, 2), id);
}

void TestBlobsRetention::welcomeCarriesTheRetention()
{
    QVERIFY(start(0));
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const QCborMap off = client->welcome().body.value("limits"_L1).toMap();
    QVERIFY(off.contains("mediaRetentionDays"_L1));
    QCOMPARE(off.value("mediaRetentionDays"_L1).toInteger(), 0);

    QVERIFY(start(RetentionDays));
    client = m_server->newClient();
    QVERIFY(client);
    QCOMPARE(client->welcome()
                 .body.value("limits"_L1)
                 .toMap()
                 .value("mediaRetentionDays"_L1)
                 .toInteger(),
             RetentionDays);
}

void TestBlobsRetention::offKeepsReferencedBlobs()
{
    QVERIFY(start(0));
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const QString sent = upload(alice.transfer, bytes(500, 1), u"sent"_s);
    const QString unused = upload(alice.transfer, bytes(500, 2), u"unused"_s);
    VERIFY_OK(sendWithBlob(alice.chat, alice.chat->openDirect(bob.id()), sent));
    QVERIFY(age(sent, 400));
    QVERIFY(age(unused, 2));
    QTRY_VERIFY(!rowExists(unused));
    // The same sweep (one batch) saw the referenced blob, over a year old, and kept it.
    QVERIFY(rowExists(sent));
    QVERIFY(QFile::exists(finishedPath(sent)));
    VERIFY_OK(get(bob.transfer, sent, 0, 10));
}

void TestBlobsRetention::oldBlobsGoWhateverReferencesThem()
{
    QVERIFY(start(RetentionDays));
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const qint64 direct = alice.chat->openDirect(bob.id());
    const QString old = upload(alice.transfer, bytes(500, 3), u"old"_s);
    const QString young = upload(alice.transfer, bytes(500, 4), u"young"_s);
    const Frame sent = sendWithBlob(alice.chat, direct, old);
    VERIFY_OK(sent);
    VERIFY_OK(sendWithBlob(alice.chat, direct, young));
    VERIFY_OK(get(bob.transfer, old, 0, 10));
    QVERIFY(QFile::exists(finishedPath(old)));

    QVERIFY(age(old, RetentionDays));
    QVERIFY(age(young, RetentionDays - 1));
    QTRY_VERIFY(!rowExists(old));
    QTRY_VERIFY(!QFile::exists(finishedPath(old)));
    QCOMPARE(m_server->queryValue(u"SELECT COUNT(*) FROM message_blobs WHERE blob_id = ?"_s, {old})
                 .toInt(),
             0);
    // Gone for every reader, the uploader too, with the answer of a blob that never was.
    COMPARE_ERROR(get(bob.transfer, old, 0, 10), ErrorCode::NotFound);
    COMPARE_ERROR(get(alice.transfer, old, 0, 10), ErrorCode::NotFound);
    // The message itself stays: only its attachment's bytes are gone.
    const Frame history =
        bob.chat->request(Request::History, {{u"conversationId"_s, direct}, {u"limit"_s, 10}});
    VERIFY_OK(history);
    bool found = false;
    for (const QCborValue &message : history.body.value("messages"_L1).toArray()) {
        if (message.toMap().value("seq"_L1).toInteger() == sent.body.value("seq"_L1).toInteger())
            found = message.toMap().value("content"_L1).toByteArray() == "descriptor"_ba;
    }
    QVERIFY(found);
    // Forwarding it is refused: there is nothing left to reference.
    COMPARE_ERROR(sendWithBlob(bob.chat, direct, old), ErrorCode::NotFound);
    // A day younger than the retention: kept (seen by the same sweep), still readable.
    QVERIFY(rowExists(young));
    VERIFY_OK(get(bob.transfer, young, 0, 10));
}

void TestBlobsRetention::currentAvatarsStay()
{
    QVERIFY(start(RetentionDays));
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const qint64 group = alice.chat->createGroup(u"team"_s, {bob.id()});
    QVERIFY(group > 0);
    const QString profile = upload(alice.transfer, bytes(500, 5), u"profile"_s);
    const QString groupPicture = upload(alice.transfer, bytes(500, 6), u"group"_s);
    const QString replaced = upload(alice.transfer, bytes(500, 7), u"replaced"_s);
    VERIFY_OK(alice.chat->request(Request::UpdateProfile,
                                  {{u"avatarBlob"_s, replaced}, {u"avatar"_s, "d-1"_ba}}));
    VERIFY_OK(alice.chat->request(Request::UpdateProfile,
                                  {{u"avatarBlob"_s, profile}, {u"avatar"_s, "d-2"_ba}}));
    VERIFY_OK(alice.chat->request(
        Request::SetGroupAvatar,
        {{u"conversationId"_s, group}, {u"avatarBlob"_s, groupPicture}, {u"avatar"_s, "d-3"_ba}}));
    // Also sent in a message: being a current picture wins over the retention.
    VERIFY_OK(sendWithBlob(alice.chat, group, profile));
    for (const QString &id : {profile, groupPicture})
        QVERIFY(age(id, 365));
    // The replaced picture is no one's picture any more: it goes (once it was used it is
    // swept at once, so the sweeper may have taken it already; no age needed)...
    QTRY_VERIFY(!rowExists(replaced));
    // ...and the same sweep kept the current ones, readable as before.
    QVERIFY(rowExists(profile));
    QVERIFY(rowExists(groupPicture));
    VERIFY_OK(get(bob.transfer, profile, 0, 10));
    VERIFY_OK(get(bob.transfer, groupPicture, 0, 10));

    // Once it is no longer the group's picture, the retention applies to it too.
    VERIFY_OK(alice.chat->request(Request::SetGroupAvatar,
                                  {{u"conversationId"_s, group}, {u"avatarBlob"_s, QString()}}));
    QTRY_VERIFY(!rowExists(groupPicture));
    QVERIFY(rowExists(profile));
}

QTEST_GUILESS_MAIN(TestBlobsRetention)
#include "tst_blobs_retention.moc"
