#pragma once

#include "protocol/Attachment.h"
#include "protocol/Records.h"

#include <QHash>
#include <QIODevice>
#include <QObject>
#include <QReadWriteLock>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

namespace Client {

class LocalStore;
class MediaTransfers;

//! The profile and group pictures one account sees (Account::avatars()).
//!
//! A user's or group's avatar is a blob like an attachment's (encrypted JPEG, 512×512), named by
//! `avatarBlob` and described by `avatar`: the CBOR of a Protocol::Body::Attachment (blob, key,
//! sizes, SHA-256, kind image, mime image/jpeg, w, h), stored with the user or conversation in the
//! local store. This object watches the store: every descriptor it learns of is decoded (one that
//! does not decode, or names another blob, is ignored: the initials stay) and its blob downloaded
//! into the media cache through MediaTransfers, ahead of queued attachments.
//!
//! The lookups answer a blob id only once its picture is in the cache, else "": that is what the
//! models' `avatarBlob` role and the app's `image://avatar/<blobId>` URLs use, so an avatar shows
//! only when it can be drawn, and the initials until then. avatarReady() says when one became
//! drawable (models emit dataChanged for its rows); `revision` changes with every avatar that
//! became drawable or changed, for QML bindings on the Q_INVOKABLE lookups.
//!
//! Setting and removing: AvatarUpload (the image part needs Qt Gui), ProfileApi::setAvatar(),
//! GroupApi::setAvatar() and their clearAvatar().
class Avatars : public QObject
{
    Q_OBJECT
    //! Bumped whenever some user's or conversation's drawable avatar may have changed.
    Q_PROPERTY(int revision READ revision NOTIFY changed)
    //! This account's own picture when drawable, else "".
    Q_PROPERTY(QString ownAvatar READ ownAvatar NOTIFY changed)
public:
    Avatars(LocalStore *store, MediaTransfers *media, QObject *parent = nullptr);

    //! A user's avatar blob when its picture is in the cache, else "". From memory.
    Q_INVOKABLE QString userAvatar(qint64 userId) const;
    //! A conversation's: a group's own picture, a direct conversation's peer's. From memory.
    Q_INVOKABLE QString conversationAvatar(qint64 conversationId) const;
    QString ownAvatar() const;
    //! The blob id itself when it is a known avatar whose picture is in the cache, else "".
    Q_INVOKABLE QString readyBlob(const QString &avatarBlob) const;
    //! Like readyBlob(), for the records of a user or a conversation in hand.
    QString readyBlob(const Protocol::UserInfo &user) const { return readyBlob(user.avatarBlob); }
    QString readyBlob(const Protocol::ConversationInfo &conversation) const;

    //! Makes an avatar known that the store does not hold (users.search results): decodes the
    //! descriptor and downloads the blob unless it is in the cache already.
    void learn(const QString &avatarBlob, const QByteArray &descriptor);

    //! The decrypted JPEG of a known avatar (open, random access), or null when it is not in the
    //! cache, unknown or damaged. Thread-safe: the image provider calls it on its pool.
    std::unique_ptr<QIODevice> open(const QString &blobId) const;
    //! The decoded descriptor of a known avatar. Thread-safe.
    std::optional<Protocol::Body::Attachment> descriptor(const QString &blobId) const;

    //! The descriptor bytes, decoded and checked (an image of at most MaxAvatarBlobBytes naming
    //! exactly `avatarBlob`); nullopt when they are not an avatar's.
    static std::optional<Protocol::Body::Attachment> decode(const QString &avatarBlob,
                                                            const QByteArray &descriptor);
    //! What goes into profile.update's and group.avatar's `avatar` field.
    static QByteArray encode(const Protocol::Body::Attachment &descriptor);

    int revision() const { return m_revision; }

Q_SIGNALS:
    //! This avatar's picture is now in the cache: rows showing it may draw it.
    void avatarReady(const QString &blobId);
    //! Some avatar became drawable, changed or went (revision moved).
    void changed();

private:
    void scanAll();
    void learnUser(const Protocol::UserInfo &user);
    void learnConversation(const Protocol::ConversationInfo &conversation);
    void onFinished(const QString &id);
    void onFailed(const QString &id);
    void bump();

    LocalStore *m_store;
    MediaTransfers *m_media;
    mutable QReadWriteLock m_lock; //!< guards m_descriptors (open() runs on other threads)
    QHash<QString, Protocol::Body::Attachment> m_descriptors; //!< by blob id
    QSet<QString> m_ready; //!< blob ids whose ciphertext is complete in the cache
    QSet<QString> m_fetching;
    QHash<qint64, QString> m_userBlobs; //!< as last seen, to tell when one changed
    QHash<qint64, QString> m_conversationBlobs;
    int m_revision = 0;
};

} // namespace Client
