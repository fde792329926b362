// Profile and group pictures between real clients through the real server (client/media/Avatars,
// AvatarUpload, the models' avatarBlob role): set, replace and remove; what contacts, group
// members and strangers see; the event text; a restarted client keeps them.
#include "ClientTestSupport.h"
#include "MediaTestSupport.h"

#include "TestServer.h"
#include "api/GroupApi.h"
#include "api/ProfileApi.h"
#include "media/AvatarUpload.h"
#include "media/Avatars.h"
#include "models/ConversationListModel.h"
#include "models/MemberListModel.h"
#include "models/UserSearchModel.h"
#include "text/DisplayText.h"

#include <QBuffer>
#include <QImageReader>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

#include <optional>

using namespace Client;
using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace {
constexpr int Timeout = 20'000;

//! A picture that is not square (so the crop shows), with a text chunk that must not survive.
QImage picture(QColor color, int width = 900, int height = 600)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::black);
    QPainter painter(&image);
    // The centre square is `color`; the sides, cut away by the crop, stay black.
    painter.fillRect((width - height) / 2, 0, height, height, color);
    painter.end();
    image.setText(u"Comment"_s, u"secret location"_s);
    return image;
}

//! The decrypted JPEG of an avatar through Avatars::open(), or null.
QByteArray avatarBytes(Avatars *avatars, const QString &blobId)
{
    const std::unique_ptr<QIODevice> device = avatars->open(blobId);
    return device ? device->readAll() : QByteArray();
}

QImage decoded(const QByteArray &jpeg)
{
    QBuffer buffer;
    buffer.setData(jpeg);
    QImageReader reader(&buffer, "jpeg");
    return reader.read();
}

QVariant role(const QAbstractItemModel *model, int row, const QByteArray &name)
{
    return model->index(row, 0).data(model->roleNames().key(name));
}

int rowOfId(const QAbstractItemModel *model, const QByteArray &idRole, qint64 id)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (role(model, row, idRole).toLongLong() == id)
            return row;
    }
    return -1;
}
} // namespace

class TestClientAvatars : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startPair(); }

    void cleanup() { stopPair(); }

    void encodesSquareJpegWithoutMetadata()
    {
        const QByteArray jpeg = AvatarUpload::encodeImage(picture(Qt::red));
        QVERIFY(!jpeg.isEmpty());
        QVERIFY(!jpeg.contains("secret location"));
        QVERIFY(!jpeg.contains("Exif"));
        const QImage image = decoded(jpeg);
        QCOMPARE(image.size(), QSize(AvatarUpload::Side, AvatarUpload::Side));
        // Centre-cropped: the black sides are gone, the corners are red.
        QVERIFY(qRed(image.pixel(2, 2)) > 200 && qGreen(image.pixel(2, 2)) < 60);
        QVERIFY(qRed(image.pixel(509, 509)) > 200);
        QVERIFY(AvatarUpload::encodeImage(QImage()).isEmpty());
    }

    void profileAvatarReachesContacts()
    {
        const qint64 aliceId = m_alice->store()->selfId();
        Avatars *bobs = m_bob->avatars();
        ConversationListModel *bobList = m_bob->conversationModel();
        testModel(bobList);
        QCOMPARE(role(bobList, 0, "avatarBlob").toString(), QString());
        QSignalSpy bobRows(bobList, &QAbstractItemModel::dataChanged);

        // Set: the answer carries the new profile; the own copy is there without a download.
        const auto set = await(AvatarUpload::setProfileAvatar(m_alice.get(), picture(Qt::red)));
        QVERIFY(set);
        QVERIFY2(set->reply.isOk(), qPrintable(set->reply.describe()));
        const QString first = set->result.user.avatarBlob;
        QVERIFY(Protocol::isValidBlobId(first));
        // Cached before the request went: no download of one's own picture.
        QVERIFY(m_alice->media()->isAvailable(first));
        const std::optional<Body::Attachment> descriptor =
            Avatars::decode(first, set->result.user.avatar);
        QVERIFY(descriptor);
        QCOMPARE(descriptor->width, AvatarUpload::Side);
        QCOMPARE(descriptor->mime, u"image/jpeg"_s);
        QTRY_COMPARE(m_alice->avatars()->ownAvatar(), first);
        QCOMPARE(m_alice->avatars()->userAvatar(aliceId), first);
        const QByteArray own = avatarBytes(m_alice->avatars(), first);
        QCOMPARE(decoded(own).size(), QSize(512, 512));

        // The contact: the store, Avatars and the chat list have it, and it decrypts to the same
        // JPEG (512×512, no metadata).
        QTRY_COMPARE_WITH_TIMEOUT(bobs->userAvatar(aliceId), first, Timeout);
        QCOMPARE(m_bob->store()->user(aliceId)->avatarBlob, first);
        QCOMPARE(m_bob->store()->user(aliceId)->avatar, set->result.user.avatar);
        QCOMPARE(bobs->conversationAvatar(m_conversation), first);
        QTRY_COMPARE(role(bobList, 0, "avatarBlob").toString(), first);
        QVERIFY(std::any_of(bobRows.cbegin(), bobRows.cend(), [](const QList<QVariant> &args) {
            const auto roles = args.at(2).value<QList<int>>();
            return roles.isEmpty() || roles.contains(ConversationListModel::AvatarBlobRole);
        }));
        const QByteArray received = avatarBytes(bobs, first);
        QCOMPARE(received, own);
        QVERIFY(!received.contains("secret location"));
        QVERIFY(!received.contains("Exif"));
        QCOMPARE(decoded(received).size(), QSize(512, 512));

        // Clearing the media cache takes the picture along; it comes back by itself.
        m_bob->media()->clearCache();
        QCOMPARE(bobs->userAvatar(aliceId), QString());
        QTRY_COMPARE_WITH_TIMEOUT(bobs->userAvatar(aliceId), first, Timeout);
        QCOMPARE(avatarBytes(bobs, first), own);

        // Replace: a new blob; the old one is no longer anyone's picture.
        const auto replaced =
            await(AvatarUpload::setProfileAvatar(m_alice.get(), picture(Qt::blue, 300, 700)));
        QVERIFY(replaced && replaced->reply.isOk());
        const QString second = replaced->result.user.avatarBlob;
        QVERIFY(Protocol::isValidBlobId(second));
        QVERIFY(second != first);
        QTRY_COMPARE_WITH_TIMEOUT(bobs->userAvatar(aliceId), second, Timeout);
        QTRY_COMPARE(role(bobList, 0, "avatarBlob").toString(), second);
        const QImage blue = decoded(avatarBytes(bobs, second));
        QCOMPARE(blue.size(), QSize(512, 512));
        QVERIFY(qBlue(blue.pixel(256, 256)) > 200);

        // Remove: the initials again, everywhere.
        const auto removed =
            await(ProfileApi(m_alice->connection(), m_alice->store()).clearAvatar());
        QVERIFY(removed && removed->reply.isOk());
        QVERIFY(removed->result.user.avatarBlob.isEmpty());
        QTRY_COMPARE(m_alice->avatars()->ownAvatar(), QString());
        QTRY_COMPARE_WITH_TIMEOUT(bobs->userAvatar(aliceId), QString(), Timeout);
        QTRY_COMPARE(role(bobList, 0, "avatarBlob").toString(), QString());
        QVERIFY(m_bob->store()->user(aliceId)->avatar.isEmpty());
    }

    void groupAvatarAndEventText()
    {
        const qint64 bobId = m_bob->store()->selfId();
        const auto avatarSet =
            await(AvatarUpload::setProfileAvatar(m_alice.get(), picture(Qt::green)));
        QVERIFY(avatarSet && avatarSet->reply.isOk());
        const QString aliceBlob = avatarSet->result.user.avatarBlob;

        std::optional<Reply> created;
        QObject context;
        connect(m_alice->createGroup(u"Team"_s, {bobId}), &Request::finished, &context,
                [&created](const Reply &reply) { created = reply; });
        QTRY_VERIFY_WITH_TIMEOUT(created.has_value(), Timeout);
        QVERIFY2(created->isOk(), qPrintable(created->describe()));
        const qint64 group =
            Protocol::ConversationInfo::fromCbor(created->body.value("conversation"_L1).toMap()).id;
        QVERIFY(group > 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->conversation(group).has_value(), Timeout);

        // A member without the role is refused; the owner sets it.
        const auto refused =
            await(AvatarUpload::setGroupAvatar(m_bob.get(), group, picture(Qt::yellow)));
        QVERIFY(refused);
        QCOMPARE(refused->reply.error, Protocol::ErrorCode::Forbidden);
        const auto set =
            await(AvatarUpload::setGroupAvatar(m_alice.get(), group, picture(Qt::magenta)));
        QVERIFY(set);
        QVERIFY2(set->reply.isOk(), qPrintable(set->reply.describe()));
        QVERIFY(set->result.seq > 0);

        // Bob: the group's picture in his list, the event's words in the timeline and preview.
        Avatars *bobs = m_bob->avatars();
        QTRY_VERIFY_WITH_TIMEOUT(!bobs->conversationAvatar(group).isEmpty(), Timeout);
        const QString groupBlob = bobs->conversationAvatar(group);
        QVERIFY(groupBlob != aliceBlob);
        QCOMPARE(m_bob->store()->conversation(group)->avatarBlob, groupBlob);
        QCOMPARE(decoded(avatarBytes(bobs, groupBlob)).size(), QSize(512, 512));
        ConversationListModel *bobList = m_bob->conversationModel();
        QTRY_COMPARE(
            role(bobList, rowOfId(bobList, "conversationId", group), "avatarBlob").toString(),
            groupBlob);
        QTRY_COMPARE_WITH_TIMEOUT(
            role(bobList, rowOfId(bobList, "conversationId", group), "lastMessage").toString(),
            u"Alice changed the group photo"_s, Timeout);
        const QList<Protocol::MessageRecord> events =
            awaited(m_bob->store()->messages(group, 0, 50));
        QVERIFY(!events.isEmpty());
        QVERIFY(events.last().isEvent());
        QCOMPARE(events.last().event->action, u"avatar"_s);
        QCOMPARE(events.last().event->avatarBlob, groupBlob);
        ConversationListModel *aliceList = m_alice->conversationModel();
        QTRY_COMPARE(
            role(aliceList, rowOfId(aliceList, "conversationId", group), "lastMessage").toString(),
            u"You changed the group photo"_s);

        // The member list shows the members' own pictures.
        std::unique_ptr<MemberListModel> members(m_bob->createMemberModel(group, nullptr));
        testModel(members.get());
        members->refresh();
        const qint64 aliceId = m_alice->store()->selfId();
        QTRY_VERIFY_WITH_TIMEOUT(rowOfId(members.get(), "userId", aliceId) >= 0, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(
            role(members.get(), rowOfId(members.get(), "userId", aliceId), "avatarBlob").toString(),
            aliceBlob, Timeout);
        QCOMPARE(
            role(members.get(), rowOfId(members.get(), "userId", bobId), "avatarBlob").toString(),
            QString());

        // Removed: the initials, and the words for it.
        const auto cleared = await(GroupApi(m_alice->connection()).clearAvatar(group));
        QVERIFY(cleared && cleared->reply.isOk());
        QTRY_COMPARE_WITH_TIMEOUT(bobs->conversationAvatar(group), QString(), Timeout);
        QTRY_COMPARE(
            role(bobList, rowOfId(bobList, "conversationId", group), "avatarBlob").toString(),
            QString());
        QTRY_COMPARE_WITH_TIMEOUT(
            role(bobList, rowOfId(bobList, "conversationId", group), "lastMessage").toString(),
            u"Alice removed the group photo"_s, Timeout);
    }

    void strangerSeesNone()
    {
        const auto set = await(AvatarUpload::setProfileAvatar(m_alice.get(), picture(Qt::red)));
        QVERIFY(set && set->reply.isOk());
        std::unique_ptr<Account> carol = m_fixture->account(m_server->url(), u"carol"_s);
        QVERIFY(registerOnline(carol.get(), u"Carol"_s));

        // Bob (a contact) finds Alice with her picture; Carol (no shared chat) without.
        std::unique_ptr<UserSearchModel> bobSearch(m_bob->createUserSearchModel(nullptr));
        testModel(bobSearch.get());
        bobSearch->setQuery(u"alice"_s);
        QTRY_COMPARE_WITH_TIMEOUT(bobSearch->rowCount(), 1, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(role(bobSearch.get(), 0, "avatarBlob").toString(),
                                  set->result.user.avatarBlob, Timeout);

        std::unique_ptr<UserSearchModel> search(carol->createUserSearchModel(nullptr));
        testModel(search.get());
        search->setQuery(u"alice"_s);
        QTRY_COMPARE_WITH_TIMEOUT(search->rowCount(), 1, Timeout);
        QTRY_VERIFY(!search->isBusy());
        QCOMPARE(role(search.get(), 0, "avatarBlob").toString(), QString());
        QVERIFY(!carol->avatars()->descriptor(set->result.user.avatarBlob));
        QVERIFY(!carol->avatars()->open(set->result.user.avatarBlob));
        QVERIFY(!carol->media()->isAvailable(set->result.user.avatarBlob));
    }

    void restartKeepsAvatars()
    {
        const qint64 aliceId = m_alice->store()->selfId();
        const auto set = await(AvatarUpload::setProfileAvatar(m_alice.get(), picture(Qt::red)));
        QVERIFY(set && set->reply.isOk());
        const QString blob = set->result.user.avatarBlob;
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->avatars()->userAvatar(aliceId), blob, Timeout);
        const QByteArray jpeg = avatarBytes(m_bob->avatars(), blob);
        QVERIFY(!jpeg.isEmpty());

        // The app starts again, with the server gone: the store and the cache have it.
        m_bob.reset();
        m_server.reset();
        m_bob = m_fixture->account(QUrl(u"ws://127.0.0.1:1"_s), u"bob"_s);
        QCOMPARE(m_bob->store()->user(aliceId)->avatarBlob, blob);
        QTRY_COMPARE(m_bob->avatars()->userAvatar(aliceId), blob);
        QCOMPARE(m_bob->avatars()->conversationAvatar(m_conversation), blob);
        QCOMPARE(role(m_bob->conversationModel(), 0, "avatarBlob").toString(), blob);
        QCOMPARE(avatarBytes(m_bob->avatars(), blob), jpeg);
    }

    void offlineSettingFailsClearly()
    {
        m_alice->disconnectFromServer();
        QTRY_COMPARE(m_alice->state(), Connection::State::Offline);
        const auto answer = await(AvatarUpload::setProfileAvatar(m_alice.get(), picture(Qt::red)));
        QVERIFY(answer);
        QCOMPARE(answer->reply.origin, Reply::Origin::NotConnected);
        QVERIFY(answer->result.user.avatarBlob.isEmpty());
    }

    void badDescriptorsAreIgnored()
    {
        const QString blob(26, u'b');
        QVERIFY(!Avatars::decode(blob, QByteArray()));
        QVERIFY(!Avatars::decode(blob, QByteArray("\xff\x00 not cbor", 10)));
        Body::Attachment a;
        a.blobId = QString(26, u'c'); // names another blob
        a.key = QByteArray(32, 'k');
        a.size = 10;
        a.cipherSize = 24 + 16 + 10;
        a.sha256 = QByteArray(32, 's');
        a.kind = Body::AttachmentKind::Image;
        a.mime = u"image/jpeg"_s;
        QVERIFY(!Avatars::decode(blob, Avatars::encode(a)));
        QVERIFY(Avatars::decode(a.blobId, Avatars::encode(a)));
        a.kind = Body::AttachmentKind::File;
        QVERIFY(!Avatars::decode(a.blobId, Avatars::encode(a)));

        // A user record with a bad descriptor shows initials and starts no download.
        Protocol::UserInfo user = *m_bob->store()->user(m_alice->store()->selfId());
        user.avatarBlob = blob;
        user.avatar = QByteArray("\xa0", 1); // an empty CBOR map
        QVERIFY(awaited(m_bob->store()->upsertUsers({user})));
        QCOMPARE(m_bob->avatars()->userAvatar(user.id), QString());
        QVERIFY(!m_bob->avatars()->descriptor(blob));
    }
};

QTEST_MAIN(TestClientAvatars)
#include "tst_client_avatars.moc"
