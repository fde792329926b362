#pragma once

#include "models/ConversationListModel.h"
#include "protocol/MessageBody.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>

namespace Client {
class Account;
struct Reply;
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
    //! The picture (the peer's, or the group's) when it can be drawn: image://avatar/<blob>.
    Q_PROPERTY(QString avatarBlob READ avatarBlob NOTIFY headerChanged)
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

    // Rich messages (ConversationControllerMessages.cpp).
    //! The message the next send replies to (0: none), its sender's name and an excerpt.
    Q_PROPERTY(double replySeq READ replySeqValue NOTIFY replyChanged)
    Q_PROPERTY(QString replySenderName READ replySenderName NOTIFY replyChanged)
    Q_PROPERTY(QString replyExcerpt READ replyExcerpt NOTIFY replyChanged)
    //! The own message the composer edits (0: none) and its text when editing began.
    Q_PROPERTY(double editSeq READ editSeqValue NOTIFY editChanged)
    Q_PROPERTY(QString editText READ editText NOTIFY editChanged)
    //! The disappearing-messages timer in seconds (0: off), and whether this user may set it
    //! (a direct chat: either member; a group: its owner and admins).
    Q_PROPERTY(double disappearSeconds READ disappearSeconds NOTIFY headerChanged)
    Q_PROPERTY(bool canSetTimer READ canSetTimer NOTIFY headerChanged)
    //! Unread messages mentioning this user (the "@" jump button).
    Q_PROPERTY(int unreadMentions READ unreadMentions NOTIFY headerChanged)
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
    QString avatarBlob() const { return value(Role::AvatarBlobRole).toString(); }
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

    //! Sends the text (trimmed; *bold*-style markers become formatting, the names addMention()
    //! inserted become mentions, and it replies to replySeq); while editing (editSeq), sends the
    //! edit of that message instead. False when there is nothing to send.
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
    // Rich messages (ConversationControllerMessages.cpp).
    double replySeqValue() const { return double(m_replySeq); }
    QString replySenderName() const { return m_replySenderName; }
    QString replyExcerpt() const { return m_replyExcerpt; }
    double editSeqValue() const { return double(m_editSeq); }
    QString editText() const { return m_editText; }
    double disappearSeconds() const;
    bool canSetTimer() const;
    int unreadMentions() const;

    //! The next send quotes `seq` (a loaded message of this conversation).
    Q_INVOKABLE void startReply(qint64 seq);
    Q_INVOKABLE void cancelReply();
    //! The composer edits this own message (when it may still be edited).
    Q_INVOKABLE void startEdit(qint64 seq);
    //! Up arrow in an empty composer: the newest own message that may be edited.
    Q_INVOKABLE void startEditLast();
    Q_INVOKABLE void cancelEdit();
    //! Reacts to `seq` with `emoji`; the same emoji as the user's current reaction removes it
    //! (one reaction per person: another emoji replaces it).
    Q_INVOKABLE void react(qint64 seq, const QString &emoji);
    Q_INVOKABLE void deleteForEveryone(qint64 seq);
    Q_INVOKABLE void deleteForMe(qint64 seq);
    //! Sends copies of these messages (text, formatting, attachments; marked forwarded) to each
    //! of these conversations, in order.
    Q_INVOKABLE void forward(const QList<qint64> &seqs, const QList<qint64> &conversationIds);
    //! The message's text to the clipboard.
    Q_INVOKABLE void copyText(qint64 seq);
    //! Loads older history until `seq` is in, then flash() with its row (nothing when this
    //! device does not have it).
    Q_INVOKABLE void jumpTo(qint64 seq);
    //! conversation.timer: 0 turns disappearing messages off.
    Q_INVOKABLE void setDisappearing(qint64 seconds);
    //! Members (not this user) whose name or username starts with `prefix` (a word of the name
    //! too), for the composer's "@": [{userId, name, username}], at most 8.
    Q_INVOKABLE QVariantList mentionCandidates(const QString &prefix) const;
    //! The composer inserted "@name": the next send mentions that user where the text says so.
    Q_INVOKABLE void addMention(qint64 userId, const QString &name);
    //! The first loaded message after `afterSeq` that mentions this user (0: none).
    Q_INVOKABLE qint64 nextMentionSeq(qint64 afterSeq) const;
    //! Reads the texts of an edited message; editHistoryReady() follows.
    Q_INVOKABLE void requestEditHistory(qint64 seq);
    //! A hidden spoiler was clicked: spoilersRevealed() follows with the message's text, its
    //! spoilers shown.
    Q_INVOKABLE void revealSpoilers(qint64 seq);

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
    void replyChanged();
    void editChanged();
    //! jumpTo() found its message at `row`: the view shows it and flashes it.
    void flash(int row);
    //! [{text, timestamp}] oldest first.
    void editHistoryReady(qint64 seq, const QVariantList &versions);
    void spoilersRevealed(qint64 seq, const QString &richText);
    //! A request about a message failed (the server's reason, in words).
    void actionFailed(const QString &message);

private:
    QVariant value(int role) const;
    //! A role of the message at `row`, by its name in roleNames() (the newer ones by name only).
    QVariant messageValue(int row, const QByteArray &roleName) const;
    //! Where the names addMention() recorded are in the composer's text.
    QList<Protocol::Body::Mention> mentionsIn(const QString &text) const;
    //! The stored body of a shown message of this conversation (an edit applied), if it has one.
    static std::optional<Protocol::Body::MessageBody> bodyOf(const Protocol::MessageRecord &record);
    void reportFailure(const Client::Reply &reply);
    void beginEdit(qint64 seq, const QString &text,
                   const QList<std::pair<qint64, QString>> &mentions);

    qint64 m_replySeq = 0;
    qint64 m_replySenderId = 0;
    QString m_replySenderName;
    QString m_replyExcerpt;
    qint64 m_editSeq = 0;
    qint64 m_pendingEditSeq = 0; //!< chosen for editing, its stored body being read
    QString m_editText;
    QList<std::pair<qint64, QString>> m_mentions; //!< inserted by the composer since the last send

    QPointer<Client::Account> m_account;
    qint64 m_conversationId;
    Client::MessageListModel *m_messages = nullptr;
    qint64 m_firstUnreadSeq = 0;
};

} // namespace App
