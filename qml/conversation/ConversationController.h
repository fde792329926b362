#pragma once

#include "models/ConversationListModel.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>

namespace Client {
class Account;
class MessageListModel;
} // namespace Client

namespace App {

//! One open conversation: its messages, its header (name, presence or member count, typing) and
//! what the user does in it (send, retry, type). Made by App.openConversation(); QML owns it.
class ConversationController : public QObject
{
    Q_OBJECT
    using Role = Client::ConversationListModel::Roles;
    QML_ELEMENT
    QML_UNCREATABLE("Made by App.openConversation()")
    Q_PROPERTY(qint64 conversationId READ conversationId CONSTANT)
    Q_PROPERTY(QAbstractItemModel *messages READ messages CONSTANT)
    //! The newest page of `messages` is in (read on the store's thread): the view positions
    //! itself then.
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)
    Q_PROPERTY(QString name READ name NOTIFY headerChanged)
    Q_PROPERTY(QString initials READ initials NOTIFY headerChanged)
    Q_PROPERTY(QString avatarColor READ avatarColor NOTIFY headerChanged)
    Q_PROPERTY(bool isGroup READ isGroup NOTIFY headerChanged)
    Q_PROPERTY(QString presence READ presence NOTIFY headerChanged)
    //! "online", "last seen …", "3 members".
    Q_PROPERTY(QString subtitle READ subtitle NOTIFY headerChanged)
    //! "Bob is typing…" or empty.
    Q_PROPERTY(QString typing READ typing NOTIFY headerChanged)
    Q_PROPERTY(bool active READ isActive NOTIFY headerChanged)
    Q_PROPERTY(bool muted READ isMuted WRITE setMuted NOTIFY headerChanged)
    Q_PROPERTY(bool pinned READ isPinned WRITE setPinned NOTIFY headerChanged)
    Q_PROPERTY(bool archived READ isArchived WRITE setArchived NOTIFY headerChanged)
    //! The first entry the user had not read when the conversation opened (0: none): the view
    //! opens there, under an "Unread messages" line.
    Q_PROPERTY(qint64 firstUnreadSeq READ firstUnreadSeq CONSTANT)
    //! The composer's unsent text, kept in the local store (the list shows it as "Draft: …").
    Q_PROPERTY(QString draft READ draft WRITE setDraft NOTIFY draftChanged)
public:
    ConversationController(Client::Account *account, qint64 conversationId,
                           QObject *parent = nullptr);
    ~ConversationController() override;

    qint64 conversationId() const { return m_conversationId; }
    QAbstractItemModel *messages() const;
    bool isLoaded() const;
    QString name() const { return value(Role::NameRole).toString(); }
    QString initials() const { return value(Role::InitialsRole).toString(); }
    QString avatarColor() const { return value(Role::AvatarColorRole).toString(); }
    bool isGroup() const { return value(Role::KindRole).toString() == u"group"; }
    QString presence() const { return value(Role::PeerPresenceRole).toString(); }
    QString subtitle() const;
    QString typing() const { return value(Role::TypingRole).toString(); }
    bool isActive() const;
    qint64 firstUnreadSeq() const { return m_firstUnreadSeq; }
    bool isMuted() const { return value(Role::MutedRole).toBool(); }
    bool isPinned() const { return value(Role::PinnedRole).toBool(); }
    bool isArchived() const { return value(Role::ArchivedRole).toBool(); }
    QString draft() const;
    void setDraft(const QString &text);

    //! Sends the text (trimmed); false when there is nothing to send.
    Q_INVOKABLE bool send(const QString &text);
    Q_INVOKABLE void retry(const QString &clientId);
    Q_INVOKABLE void discard(const QString &clientId);
    //! The user typed in the composer (throttled by the core).
    Q_INVOKABLE void userTyping();
    //! Loads the page before the oldest entry shown (the view scrolled to the top).
    Q_INVOKABLE void loadOlder();
    //! The seqs of the entries on screen now (read receipts).
    Q_INVOKABLE void setVisibleSeqs(const QList<qint64> &seqs);
    //! Brings `seq` into `messages`, loading older entries from the local store as far as needed
    //! (a search result, the first unread); messageRevealed() follows with its row, -1 when it is
    //! not stored here.
    Q_INVOKABLE void revealMessage(qint64 seq);
    //! The flags are set on the server (and so on every device); the properties follow when it
    //! has them.
    void setMuted(bool muted);
    void setPinned(bool pinned);
    void setArchived(bool archived);

Q_SIGNALS:
    void headerChanged();
    void loadedChanged();
    void messageRevealed(qint64 seq, int row);
    void draftChanged();

private:
    QVariant value(int role) const;

    QPointer<Client::Account> m_account;
    qint64 m_conversationId;
    Client::MessageListModel *m_messages = nullptr;
    qint64 m_firstUnreadSeq = 0;
};

} // namespace App
