#pragma once

#include "protocol/Records.h"
#include "store/LocalTypes.h"
#include "store/RichQueries.h"
#include "store/StoreChanges.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlQuery>

namespace Client {

//! The SQL of the local store: one SQLite connection and everything done with it. Used only on
//! the store's thread (LocalStore posts every call there); nothing here is announced — each
//! write fills a StoreChanges with the rows it changed, read back after its commit, which
//! LocalStore then holds in memory and announces on the GUI thread.
//!
//! Every write is one transaction; applySyncPage() makes a whole sync page one.
class StoreDatabase
{
public:
    StoreDatabase();
    ~StoreDatabase();

    StoreDatabase(const StoreDatabase &) = delete;
    StoreDatabase &operator=(const StoreDatabase &) = delete;

    //! Opens (creating when needed) the file and brings its schema up to date; read-only
    //! connections (search) skip the migrations, which the writer ran first.
    bool open(const QString &filePath, bool readOnly, QString *error);
    void close();
    bool isOpen() const { return m_db.isOpen(); }
    QSqlDatabase database() const { return m_db; }

    //! What LocalStore keeps in memory, read at once.
    StoreSnapshot snapshot();

    // Writes.
    void setProfile(const Protocol::ProfileInfo &profile, StoreChanges &changes);
    void upsertUsers(const QList<Protocol::UserInfo> &users, StoreChanges &changes);
    void setPresence(qint64 userId, Protocol::PresenceState presence, qint64 lastSeen,
                     StoreChanges &changes);
    void upsertConversations(const QList<Protocol::ConversationInfo> &conversations,
                             StoreChanges &changes);
    //! Records, the others inactive, then the messages: one transaction.
    void applySyncPage(const SyncPage &page, StoreChanges &changes);
    //! Moves the read cursor and, when `oweReadReceipt`, owes the server that cursor: both in one
    //! transaction, so that no restart can keep one without the other.
    bool markRead(qint64 conversationId, qint64 seq, bool oweReadReceipt, StoreChanges &changes);
    //! Drafts are the GUI's to hold (LocalStore): this only keeps them across restarts.
    void setDraft(qint64 conversationId, const QString &text);
    void setSyncedSeq(qint64 conversationId, qint64 seq, StoreChanges &changes);
    //! New entries from others are owed a delivery receipt in the same transaction.
    void addMessages(const QList<Protocol::MessageRecord> &messages, StoreChanges &changes);
    void setMembers(qint64 conversationId, const QList<Protocol::MemberInfo> &members,
                    StoreChanges &changes);
    void applyReceipt(const Protocol::ReceiptInfo &receipt, StoreChanges &changes);
    void oweReceipt(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq,
                    StoreChanges &changes);
    void receiptAcknowledged(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq,
                             StoreChanges &changes);
    bool addToOutbox(OutboxEntry entry, StoreChanges &changes);
    bool markOutboxFailed(const QString &clientId, const QString &error, StoreChanges &changes);
    bool retryOutbox(const QString &clientId, StoreChanges &changes);
    bool removeFromOutbox(const QString &clientId, StoreChanges &changes);

    // Attachments (StoreDatabaseMedia.cpp).
    //! A held entry and its upload rows, in one transaction.
    bool addHeldToOutbox(OutboxEntry entry, const QList<UploadRow> &uploads, StoreChanges &changes);
    //! Every attachment is uploaded: the entry gets its final content and may go; its upload
    //! rows are forgotten in the same transaction.
    bool releaseOutbox(const QString &clientId, const QByteArray &content, StoreChanges &changes);
    QList<UploadRow> uploads();
    bool updateUpload(const UploadRow &row);
    //! The download queue (DownloadQueries).
    bool addDownload(const DownloadRow &row);
    bool removeDownload(const QString &blobId);
    QList<DownloadRow> downloads();
    //! A blob past the server's media retention: remembered, its download forgotten.
    bool addExpiredBlob(const QString &blobId);
    QStringList expiredBlobs();

    // Reads of what only the database holds.
    //! Up to `limit` entries with seq < beforeSeq (0: the newest), in ascending seq order.
    QList<Protocol::MessageRecord> messages(qint64 conversationId, qint64 beforeSeq, int limit);
    //! The entries with fromSeq <= seq < beforeSeq, ascending.
    QList<Protocol::MessageRecord> messagesFrom(qint64 conversationId, qint64 fromSeq,
                                                qint64 beforeSeq);
    int messageCount(qint64 conversationId);

    // Rich messages (StoreDatabaseRich.cpp).
    //! Like messages(), only the entries a conversation view shows, with reactions and replies.
    QList<StoredMessage> storedMessages(qint64 conversationId, qint64 beforeSeq, int limit);
    QList<StoredMessage> storedMessagesFrom(qint64 conversationId, qint64 fromSeq,
                                            qint64 beforeSeq);
    QList<EditInfo> editHistory(qint64 conversationId, qint64 seq);
    //! Entries this user hid on another device; cursor >= 0 moves sync's hidden cursor.
    void applyHidden(const QList<QPair<qint64, qint64>> &hidden, qint64 cursor,
                     StoreChanges &changes);
    //! Erases what expired at `now`; changes.nextExpiry says when to look again.
    void expire(qint64 now, StoreChanges &changes);
    qint64 hiddenCursor();

private:
    //! What a write touched; finish() reads those rows back into the changes.
    struct Touched
    {
        QSet<qint64> users;
        QSet<qint64> conversations;
        QSet<qint64> members;
        QSet<qint64> unsent;
        RichQueries::Effects rich;
    };

    QSqlQuery &prepare(const QString &sql);
    bool exec(QSqlQuery &query);
    void begin();
    void commit();
    void finish(const Touched &touched, StoreChanges &changes);

    void upsertUsersIn(const QList<Protocol::UserInfo> &users, Touched &touched);
    void upsertConversationsIn(const QList<Protocol::ConversationInfo> &conversations,
                               Touched &touched);
    void addMessagesIn(const QList<Protocol::MessageRecord> &messages, Touched &touched,
                       StoreChanges &changes);
    bool markReadIn(qint64 conversationId, qint64 seq, Touched &touched);
    void oweIn(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq, Touched &touched,
               StoreChanges &changes);
    void applyHiddenIn(const QList<QPair<qint64, qint64>> &hidden, qint64 cursor, Touched &touched);
    //! Before the commit: counters that follow what rich entries did.
    void settleRich(Touched &touched);
    //! After the commit: reads back the messages rich entries changed.
    void finishRich(const Touched &touched, StoreChanges &changes);
    void loadProfile();
    QList<ConversationSummary> summaries(qint64 id); //!< id 0: all
    qint64 syncedSeq(qint64 conversationId);
    void advanceSyncedSeq(qint64 conversationId, qint64 lowestNew);
    qint64 selfId() const { return m_profile.user.id; }

    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QString, QSqlQuery> m_queries;
    RichQueries::Prepare m_prepare; //!< prepare(), for RichQueries
    int m_transactionDepth = 0;
    Protocol::ProfileInfo m_profile;
};

} // namespace Client
