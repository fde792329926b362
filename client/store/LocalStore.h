#pragma once

#include "protocol/Records.h"
#include "store/LocalTypes.h"
#include "store/StoreChanges.h"

#include <QFuture>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPromise>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace Client {

class StoreDatabase;
class StoreThread;

//! One account's local cache: an SQLite file with the conversations, members, users, messages,
//! receipts and sync cursors the server sent, the outbox of messages not yet acknowledged and the
//! receipts not yet sent. The app opens it first and shows its contents before any network
//! answer.
//!
//! The GUI thread never waits on SQLite: the file lives on a thread of its own (StoreThread),
//! which runs every read and write of it in the order they were asked for. What the screens read
//! all the time — the profile, users, conversations with their newest entry, members, drafts,
//! the outbox and the receipts owed — is also held here in memory, as it was last committed, and
//! read from memory at once. Messages and search, which can be millions of rows, are read on the
//! store's thread and answered with futures; search runs on a second, read-only connection and
//! thread, so that it neither waits behind a sync nor holds one up.
//!
//! Every write is one transaction (a sync page included). Its future finishes once the commit is
//! done and this object's memory and signals have followed it, on the GUI thread, in the order the
//! writes were made: a continuation (`.then(this, …)`) sees the store as that write left it.
//! Destroying the store (or close()) first writes everything queued.
class LocalStore : public QObject
{
    Q_OBJECT
public:
    explicit LocalStore(QObject *parent = nullptr);
    ~LocalStore() override;

    //! Opens (creating when needed) the file on the store's thread, brings its schema up to date
    //! and reads what is held in memory; false, with errorString(), when it cannot. loaded()
    //! follows a success.
    QFuture<bool> open(const QString &filePath);
    //! Writes what is queued, then closes.
    void close();
    bool isOpen() const { return m_open; }
    QString filePath() const { return m_filePath; }
    QString errorString() const { return m_error; }
    //! Finishes once everything asked before it is done and announced.
    QFuture<void> idle();

    // In memory: the state as of the last commit that was announced (the profile and drafts:
    // as last set here, written behind).
    Protocol::ProfileInfo profile() const { return m_profile; }
    qint64 selfId() const { return m_profile.user.id; }
    std::optional<Protocol::UserInfo> user(qint64 id) const;
    //! The ids among `ids` this store has no user for.
    QList<qint64> missingUsers(const QList<qint64> &ids) const;
    std::optional<Protocol::ConversationInfo> conversation(qint64 id) const;
    QList<qint64> conversationIds() const;
    QList<ConversationSummary> summaries() const;
    std::optional<ConversationSummary> summary(qint64 id) const;
    //! The composer's unsent text of a conversation ("" when none); kept across restarts.
    QString draft(qint64 conversationId) const { return m_drafts.value(conversationId); }
    //! [conversationId, seq] for every active conversation that was synced at least once.
    QList<QPair<qint64, qint64>> syncCursors() const;
    //! The newest seq up to which every entry is stored; -1 when the conversation was never
    //! synced.
    qint64 syncedSeq(qint64 conversationId) const;
    QList<Protocol::MemberInfo> members(qint64 conversationId) const;
    //! Entries in send order; conversationId 0: of every conversation.
    QList<OutboxEntry> outbox(qint64 conversationId = 0) const;
    std::optional<OutboxEntry> outboxEntry(const QString &clientId) const;
    QList<UnsentReceipt> unsentReceipts() const;
    UnsentReceipt unsentReceipt(qint64 conversationId) const;

    // Writes.
    QFuture<void> setProfile(const Protocol::ProfileInfo &profile);
    QFuture<void> upsertUsers(const QList<Protocol::UserInfo> &users);
    QFuture<void> setPresence(qint64 userId, Protocol::PresenceState presence, qint64 lastSeen);
    QFuture<void> upsertConversations(const QList<Protocol::ConversationInfo> &conversations);
    //! A sync page in one transaction; the future carries the entries that were new.
    QFuture<QList<Protocol::MessageRecord>> storeSyncPage(const SyncPage &page);
    //! Moves this user's read cursor forward and recounts unread; false when it did not move.
    //! With oweReadReceipt the cursor is also owed to the server, in the same transaction.
    QFuture<bool> markRead(qint64 conversationId, qint64 seq, bool oweReadReceipt = false);
    //! Keeps (or, when blank, forgets) the draft. Held here at once; conversationChanged() when
    //! it changed.
    void setDraft(qint64 conversationId, const QString &text);
    QFuture<void> setSyncedSeq(qint64 conversationId, qint64 seq);
    //! Stores entries, ignoring every (conversationId, seq) already stored; the future carries
    //! the new ones. Acknowledges outbox entries whose clientId came back from the server, and
    //! owes the server a delivery receipt for new entries from others (same transaction).
    QFuture<QList<Protocol::MessageRecord>>
    addMessages(const QList<Protocol::MessageRecord> &messages);
    QFuture<void> setMembers(qint64 conversationId, const QList<Protocol::MemberInfo> &members);
    QFuture<void> applyReceipt(const Protocol::ReceiptInfo &receipt);
    //! Raises the cursors owed for a conversation, never lowers them; 0 leaves one as it is.
    QFuture<void> oweReceipt(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq);
    //! The server took these cursors: forget what they cover, keep anything owed beyond them.
    QFuture<void> receiptAcknowledged(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq);
    //! Writes a message to send; a new clientId is chosen here and kept for good.
    //! outboxEntryAdded() follows its commit. Reactions and edits go `silent`, with the seq
    //! they act on.
    OutboxEntry addToOutbox(qint64 conversationId, const QString &contentType,
                            const QByteArray &content, bool silent = false, qint64 refSeq = 0);
    QFuture<bool> markOutboxFailed(const QString &clientId, const QString &error);
    //! A failed entry goes back to pending, behind everything queued now.
    QFuture<bool> retryOutbox(const QString &clientId);
    QFuture<bool> removeFromOutbox(const QString &clientId);

    // Attachments (LocalStoreMedia.cpp).
    //! Writes a message with attachments, `held` (not sent) until releaseOutbox(), and its upload
    //! rows, in one transaction; the rows get the entry's clientId. outboxEntryAdded() follows.
    OutboxEntry addHeldToOutbox(qint64 conversationId, const QString &contentType,
                                const QByteArray &content, QList<UploadRow> uploads);
    //! Every attachment is uploaded: the final content (descriptors filled in), and the entry may
    //! go (outboxEntryChanged()); its upload rows are forgotten.
    QFuture<bool> releaseOutbox(const QString &clientId, const QByteArray &content);
    //! The upload rows, in send order (read on the store's thread).
    QFuture<QList<UploadRow>> uploads();
    QFuture<bool> updateUpload(const UploadRow &row);
    //! Downloads asked for and not finished (the Downloader's queue), kept so that a restart
    //! goes on with them. A blob queued again keeps its place (urgent only raises it).
    QFuture<bool> addDownload(const DownloadRow &row);
    QFuture<bool> removeDownload(const QString &blobId);
    //! In the order to run them: urgent ones first, then as queued (read on the store's thread).
    QFuture<QList<DownloadRow>> downloads();
    //! Blobs the server no longer keeps (past its media retention): remembered so that they are
    //! never asked for again; the download is forgotten with it.
    QFuture<bool> addExpiredBlob(const QString &blobId);
    QFuture<QStringList> expiredBlobs();

    // Reads of what only the database holds, on the store's thread.
    //! Up to `limit` entries with seq < beforeSeq (0: the newest), in ascending seq order.
    QFuture<QList<Protocol::MessageRecord>> messages(qint64 conversationId, qint64 beforeSeq,
                                                     int limit);
    //! The entries with fromSeq <= seq < beforeSeq (0: no upper bound), ascending.
    QFuture<QList<Protocol::MessageRecord>> messagesFrom(qint64 conversationId, qint64 fromSeq,
                                                         qint64 beforeSeq);
    QFuture<int> messageCount(qint64 conversationId);
    //! Messages containing `text`, newest first (SearchIndex), on the search connection. A newer
    //! search cancels this one: its future is canceled, and a query still running is interrupted.
    QFuture<QList<SearchHit>> search(const QString &text, qint64 conversationId = 0,
                                     int limit = 100);

    // Rich messages (LocalStoreRich.cpp).
    //! Like messages(), only what a conversation view shows (no reactions, edits, hidden or
    //! expired entries), with what later entries did to each.
    QFuture<QList<StoredMessage>> storedMessages(qint64 conversationId, qint64 beforeSeq,
                                                 int limit);
    QFuture<QList<StoredMessage>> storedMessagesFrom(qint64 conversationId, qint64 fromSeq,
                                                     qint64 beforeSeq);
    //! The texts of an edited message, oldest first; empty when never edited.
    QFuture<QList<EditInfo>> editHistory(qint64 conversationId, qint64 seq);
    //! This user hid these entries on another device (the `hidden` event).
    QFuture<void> hide(qint64 conversationId, const QList<qint64> &seqs);
    //! Sync's cursor of hides (`hiddenAfter`), as last stored.
    qint64 hiddenCursor() const { return m_hiddenCursor; }
    //! Erases what has expired by now (also done at open and at each expiry, on a timer).
    QFuture<void> expireNow();

Q_SIGNALS:
    //! The store opened and its contents are in memory: read everything again.
    void loaded();
    void profileChanged();
    void conversationChanged(qint64 conversationId);
    //! New entries of one conversation, in ascending seq order.
    void messagesAdded(qint64 conversationId, const QList<Protocol::MessageRecord> &messages);
    //! Shown messages added or changed (edited, reacted to, erased, hidden, their quote): as
    //! stored now, after messagesAdded() of the same write.
    void messagesUpdated(qint64 conversationId, const QList<StoredMessage> &messages);
    void usersChanged(const QList<qint64> &userIds);
    void membersChanged(qint64 conversationId);
    //! What is owed for this conversation rose.
    void receiptOwed(qint64 conversationId);
    void outboxEntryAdded(const OutboxEntry &entry);
    void outboxEntryChanged(const OutboxEntry &entry);
    void outboxEntryRemoved(qint64 conversationId, const QString &clientId);

private:
    //! A new outbox entry: a fresh clientId, created now.
    static OutboxEntry newOutboxEntry(qint64 conversationId, const QString &contentType,
                                      const QByteArray &content);
    //! Runs `job` on the store's thread and applies what it changed here, in order.
    template<typename T>
    QFuture<T> enqueue(std::function<T(StoreDatabase &, StoreChanges &)> job);
    void apply(const StoreChanges &changes);
    void applySnapshot(const StoreSnapshot &snapshot);
    ConversationSummary filledIn(ConversationSummary summary) const;
    void startSearchThread();
    void scheduleExpiry(qint64 nextExpiry);

    std::unique_ptr<StoreThread> m_thread;
    std::unique_ptr<StoreDatabase> m_db; //!< used on m_thread only
    std::unique_ptr<StoreThread> m_searchThread;
    std::unique_ptr<StoreDatabase> m_searchDb; //!< used on m_searchThread only
    //! Bumped by every search; a search whose number is no longer the newest stops.
    std::shared_ptr<std::atomic<quint64>> m_searchGeneration;

    QString m_filePath;
    QString m_error;
    bool m_open = false;
    Protocol::ProfileInfo m_profile;
    QHash<qint64, Protocol::UserInfo> m_users;
    QHash<qint64, ConversationSummary> m_conversations;
    QHash<qint64, QString> m_drafts;
    QHash<qint64, QList<Protocol::MemberInfo>> m_members; //!< users: the id only
    QList<OutboxEntry> m_outbox; //!< in send order
    QHash<qint64, UnsentReceipt> m_unsent;
    qint64 m_hiddenCursor = 0;
    QTimer m_expiryTimer; //!< at the nearest expiry of a stored message
};

} // namespace Client
