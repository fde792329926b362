#include "Avatars.h"

#include "ClientLogging.h"
#include "media/BlobCipher.h"
#include "media/MediaTransfers.h"
#include "protocol/Protocol.h"
#include "store/LocalStore.h"

#include <QCborValue>

namespace Client {

using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

Avatars::Avatars(LocalStore *store, MediaTransfers *media, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_media(media)
{
    connect(m_store, &LocalStore::loaded, this, &Avatars::scanAll);
    connect(m_store, &LocalStore::profileChanged, this,
            [this] { learnUser(m_store->profile().user); });
    connect(m_store, &LocalStore::usersChanged, this, [this](const QList<qint64> &ids) {
        for (qint64 id : ids) {
            if (const auto user = m_store->user(id))
                learnUser(*user);
        }
    });
    connect(m_store, &LocalStore::conversationChanged, this, [this](qint64 id) {
        if (const auto conversation = m_store->conversation(id))
            learnConversation(*conversation);
    });
    connect(m_media, &MediaTransfers::finished, this, &Avatars::onFinished);
    connect(m_media, &MediaTransfers::failed, this, &Avatars::onFailed);
    connect(m_media, &MediaTransfers::cacheCleared, this, [this] {
        // The pictures went with the cache: initials until they are downloaded again.
        m_ready.clear();
        m_fetching.clear();
        bump();
        scanAll();
    });
    if (m_store->isOpen())
        scanAll();
}

std::optional<Body::Attachment> Avatars::decode(const QString &avatarBlob,
                                                const QByteArray &descriptor)
{
    if (!Protocol::isValidBlobId(avatarBlob) || descriptor.isEmpty()
        || descriptor.size() > Protocol::Limits::MaxAvatarBytes)
        return std::nullopt;
    QCborParserError parseError;
    const QCborValue value = QCborValue::fromCbor(descriptor, &parseError);
    if (parseError.error != QCborError::NoError)
        return std::nullopt;
    QString error;
    std::optional<Body::Attachment> attachment = Body::decodeAttachment(value, &error);
    if (!attachment || attachment->blobId != avatarBlob
        || attachment->kind != Body::AttachmentKind::Image
        || attachment->cipherSize > Protocol::Limits::MaxAvatarBlobBytes)
        return std::nullopt;
    return attachment;
}

QByteArray Avatars::encode(const Body::Attachment &descriptor)
{
    return Body::encodeAttachment(descriptor).toCborValue().toCbor();
}

QString Avatars::readyBlob(const QString &avatarBlob) const
{
    return !avatarBlob.isEmpty() && m_ready.contains(avatarBlob) ? avatarBlob : QString();
}

QString Avatars::readyBlob(const Protocol::ConversationInfo &conversation) const
{
    if (conversation.kind == Protocol::ConversationKind::Group)
        return readyBlob(conversation.avatarBlob);
    return conversation.peer ? readyBlob(conversation.peer->avatarBlob) : QString();
}

QString Avatars::userAvatar(qint64 userId) const
{
    // The profile is the store's newest word on this user (it is set before the users table).
    if (userId == m_store->selfId())
        return ownAvatar();
    const auto user = m_store->user(userId);
    return user ? readyBlob(user->avatarBlob) : QString();
}

QString Avatars::conversationAvatar(qint64 conversationId) const
{
    const auto conversation = m_store->conversation(conversationId);
    return conversation ? readyBlob(*conversation) : QString();
}

QString Avatars::ownAvatar() const
{
    return readyBlob(m_store->profile().user.avatarBlob);
}

void Avatars::learn(const QString &avatarBlob, const QByteArray &descriptor)
{
    if (avatarBlob.isEmpty() || m_ready.contains(avatarBlob) || m_fetching.contains(avatarBlob))
        return;
    const std::optional<Body::Attachment> attachment = decode(avatarBlob, descriptor);
    if (!attachment) {
        qCInfo(lcClientMedia) << "ignoring an avatar descriptor that does not decode";
        return;
    }
    {
        QWriteLocker locker(&m_lock);
        m_descriptors.insert(avatarBlob, *attachment);
    }
    if (m_media->isAvailable(avatarBlob)) {
        m_ready.insert(avatarBlob);
        Q_EMIT avatarReady(avatarBlob);
        bump();
        return;
    }
    m_fetching.insert(avatarBlob);
    // Avatars are small and on screen everywhere: they go before queued attachments.
    m_media->fetch(*attachment, /*urgent*/ true);
}

void Avatars::learnUser(const Protocol::UserInfo &user)
{
    if (user.id <= 0)
        return;
    learn(user.avatarBlob, user.avatar);
    const auto it = m_userBlobs.constFind(user.id);
    if (it == m_userBlobs.cend() ? !user.avatarBlob.isEmpty() : *it != user.avatarBlob) {
        m_userBlobs.insert(user.id, user.avatarBlob);
        bump();
    }
}

void Avatars::learnConversation(const Protocol::ConversationInfo &conversation)
{
    if (conversation.peer)
        learnUser(*conversation.peer);
    if (conversation.kind != Protocol::ConversationKind::Group)
        return;
    learn(conversation.avatarBlob, conversation.avatar);
    const auto it = m_conversationBlobs.constFind(conversation.id);
    if (it == m_conversationBlobs.cend() ? !conversation.avatarBlob.isEmpty()
                                         : *it != conversation.avatarBlob) {
        m_conversationBlobs.insert(conversation.id, conversation.avatarBlob);
        bump();
    }
}

void Avatars::scanAll()
{
    learnUser(m_store->profile().user);
    for (const ConversationSummary &summary : m_store->summaries()) {
        learnConversation(summary.info);
        for (const Protocol::MemberInfo &member : m_store->members(summary.info.id))
            learnUser(member.user);
    }
}

void Avatars::onFinished(const QString &id)
{
    if (!m_fetching.remove(id))
        return;
    m_ready.insert(id);
    Q_EMIT avatarReady(id);
    bump();
}

void Avatars::onFailed(const QString &id)
{
    // Forgotten, so that the next time the store mentions it the download starts again.
    m_fetching.remove(id);
}

void Avatars::bump()
{
    ++m_revision;
    Q_EMIT changed();
}

std::optional<Body::Attachment> Avatars::descriptor(const QString &blobId) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_descriptors.constFind(blobId);
    if (it == m_descriptors.cend())
        return std::nullopt;
    return *it;
}

std::unique_ptr<QIODevice> Avatars::open(const QString &blobId) const
{
    const std::optional<Body::Attachment> attachment = descriptor(blobId);
    if (!attachment)
        return {};
    return m_media->open(*attachment);
}

} // namespace Client
