#pragma once

#include "protocol/Records.h"
#include "store/LocalTypes.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <optional>

namespace Client {

//! One account's local cache: an SQLite file with the conversations, members, users, messages,
//! receipts and sync cursors the server sent, and the outbox of messages not yet acknowledged.
//! The app opens it first and shows its contents before any network answer.
//!
//! Every write happens in one transaction and is announced afterwards by a signal carrying what
//! changed, which is how the models stay current without querying in data().
//!
//! Runs on the thread that created it (the GUI thread): every query is an indexed lookup of a
//! few rows on a local file, cheaper than the hop to another thread would be.
class LocalStore : public QObject
{
    Q_OBJECT
public:
    explicit LocalStore(QObject *parent = nullptr);
    ~LocalStore() override;

    //! Opens (creating when needed) the database file and brings its schema up to date.
    bool open(const QString &filePath, QString *error = nullptr);
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    QString filePath() const { return m_filePath; }
    //! The connection, for SearchIndex; used only on this object's thread.
    QSqlDatabase database() const { return m_db; }

    // The signed-in user.
    Protocol::ProfileInfo profile() const { return m_profile; }
    qint64 selfId() const { return m_profile.user.id; }
    void setProfile(const Protocol::ProfileInfo &profile);

    // Users.
    void upsertUsers(const QList<Protocol::UserInfo> &users);
    void setPresence(qint64 userId, Protocol::PresenceState presence, qint64 lastSeen);
    std::optional<Protocol::UserInfo> user(qint64 id) const;
    //! The ids among `ids` this store has no user for.
    QList<qint64> missingUsers(const QList<qint64> &ids) const;

    // Conversations.
    void upsertConversations(const QList<Protocol::ConversationInfo> &conversations);
    std::optional<Protocol::ConversationInfo> conversation(qint64 id) const;
    QList<qint64> conversationIds() const;
    QList<ConversationSummary> summaries() const;
    std::optional<ConversationSummary> summary(qint64 id) const;
    //! Conversations the server no longer lists (left, removed) stay readable but inactive.
    void setActiveConversations(const QList<qint64> &activeIds);
    //! Moves this user's read cursor forward and recounts unread; false when it did not move.
    bool markRead(qint64 conversationId, qint64 seq);

    //! The composer's unsent text of a conversation ("" when none); kept across restarts.
    QString draft(qint64 conversationId) const;
    //! Keeps (or, when blank, forgets) the draft; conversationChanged() when it changed.
    void setDraft(qint64 conversationId, const QString &text);

    // Sync cursors: the newest seq up to which this store has every entry of a conversation.
    //! [conversationId, seq] for every conversation that was synced at least once.
    QList<QPair<qint64, qint64>> syncCursors() const;
    //! -1 when the conversation was never synced.
    qint64 syncedSeq(qint64 conversationId) const;
    void setSyncedSeq(qint64 conversationId, qint64 seq);

    // Messages.
    //! Stores entries, ignoring every (conversationId, seq) already stored, and returns the new
    //! ones. Acknowledges outbox entries whose clientId came back from the server.
    QList<Protocol::MessageRecord> addMessages(const QList<Protocol::MessageRecord> &messages);
    //! Up to `limit` entries with seq < beforeSeq (0: the newest), in ascending seq order.
    QList<Protocol::MessageRecord> messages(qint64 conversationId, qint64 beforeSeq,
                                            int limit) const;
    qint64 oldestSeq(qint64 conversationId) const; //!< 0 when none are stored
    int messageCount(qint64 conversationId) const;

    // Members and receipts.
    void setMembers(qint64 conversationId, const QList<Protocol::MemberInfo> &members);
    QList<Protocol::MemberInfo> members(qint64 conversationId) const;
    void applyReceipt(const Protocol::ReceiptInfo &receipt);

    // Receipts this device owes the server (ReceiptSender sends them), kept until acknowledged.
    //! Raises the cursors owed for a conversation, never lowers them; 0 leaves one as it is.
    void oweReceipt(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq);
    QList<UnsentReceipt> unsentReceipts() const;
    UnsentReceipt unsentReceipt(qint64 conversationId) const;
    //! The server took these cursors: forget what they cover, keep anything owed beyond them.
    void receiptAcknowledged(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq);

    // Outbox.
    //! Writes a message to send; a new clientId is chosen here and kept for good.
    OutboxEntry addToOutbox(qint64 conversationId, const QString &contentType,
                            const QByteArray &content);
    //! Entries in send order; conversationId 0: of every conversation.
    QList<OutboxEntry> outbox(qint64 conversationId = 0) const;
    std::optional<OutboxEntry> outboxEntry(const QString &clientId) const;
    void markOutboxFailed(const QString &clientId, const QString &error);
    //! A failed entry goes back to pending, behind everything queued now.
    bool retryOutbox(const QString &clientId);
    bool removeFromOutbox(const QString &clientId);

Q_SIGNALS:
    void profileChanged();
    void conversationChanged(qint64 conversationId);
    //! New entries of one conversation, in ascending seq order.
    void messagesAdded(qint64 conversationId, const QList<Protocol::MessageRecord> &messages);
    void usersChanged(const QList<qint64> &userIds);
    void membersChanged(qint64 conversationId);
    //! oweReceipt() raised what is owed for this conversation.
    void receiptOwed(qint64 conversationId);
    void outboxEntryAdded(const OutboxEntry &entry);
    void outboxEntryChanged(const OutboxEntry &entry);
    void outboxEntryRemoved(qint64 conversationId, const QString &clientId);

private:
    QSqlQuery &prepare(const QString &sql) const;
    bool exec(QSqlQuery &query) const;
    bool begin();
    bool commit();
    void loadProfile();
    QList<ConversationSummary> summariesOf(qint64 id) const; //!< id 0: all
    void advanceSyncedSeq(qint64 conversationId, qint64 lowestNew);

    QString m_filePath;
    QString m_connectionName;
    QSqlDatabase m_db;
    mutable QHash<QString, QSqlQuery> m_queries;
    Protocol::ProfileInfo m_profile;
};

} // namespace Client
