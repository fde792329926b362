#pragma once

#include "protocol/Attachment.h"
#include "protocol/Records.h"
#include "store/LocalTypes.h"

#include <QAbstractListModel>
#include <QFuture>
#include <QList>
#include <QPromise>

#include <memory>

namespace Client {

class LocalStore;
class SyncEngine;

//! The entries of one conversation, oldest at the top: stored messages and membership events in
//! seq order, then the messages still in the outbox in the order they will be sent.
//!
//! It starts with the messages still in the outbox, and the newest page from the local store
//! joins them as soon as the store's thread has read it (`loaded`). fetchMore() adds the page
//! before the oldest row — from the store, or from the server's history when the store has
//! nothing older — as an insertion at the top (never a reset), so a view keeps its position. New
//! entries, acks and receipts arrive through the store's signals. data() reads only the rows held
//! here.
class MessageListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(qint64 conversationId READ conversationId CONSTANT)
    Q_PROPERTY(bool loadingOlder READ isLoadingOlder NOTIFY loadingOlderChanged)
    //! The first page from the store is in (before that the view shows only what is pending).
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY loadedChanged)
public:
    enum class Status { Pending, Sent, Delivered, Read, Failed };
    Q_ENUM(Status)

    enum Roles {
        SeqRole = Qt::UserRole + 1, //!< qint64; 0 while pending
        SenderIdRole, //!< qint64
        SenderNameRole, //!< display name; "You" for this user
        TextRole, //!< the text, "[unsupported message]", or the event as a sentence (also
                  //!< DisplayRole)
        ContentTypeRole, //!< e.g. "text/plain"; empty for membership events
        TimestampRole, //!< QDateTime (the server's; for pending ones the time they were written)
        StatusRole, //!< Status, for this user's own messages; Sent for the others' entries
        IsOwnRole, //!< bool
        IsEventRole, //!< bool: a membership event (created, added, …)
        FirstOfDayRole, //!< bool: the first entry of its local calendar day (a day header above it)
        DayRole, //!< QDate, local time
        ClientIdRole, //!< the clientId of a message (used to retry or discard a failed one)
        ErrorRole, //!< why a failed message failed
        // Rich messages (issue 12); the app binds to these names.
        RichTextRole, //!< QString: Qt StyledText of the text (RichText::toStyledText)
        EmojiOnlyRole, //!< bool: 1–3 emoji and nothing else (shown large)
        EditedRole, //!< bool
        DeletedRole, //!< bool: deleted for everyone (the row stays, without text)
        ForwardedRole, //!< bool
        MentionsMeRole, //!< bool
        ExpiresAtRole, //!< QDateTime; invalid when the message does not disappear
        ReplySeqRole, //!< qint64; 0 when not a reply
        ReplySenderNameRole, //!< QString
        ReplyExcerptRole, //!< QString: the quoted text, when replyState is "ok"
        ReplyStateRole, //!< "ok", "deleted" or "missing" (not loaded yet); empty when no reply
        ReactionsRole, //!< QVariantList of {emoji, count, mine, names} in order of first use
        MyReactionRole, //!< QString: this user's reaction, empty when none
        CanEditRole, //!< bool: own text message, not deleted, younger than 24 h
        CanDeleteForEveryoneRole, //!< bool: own within 48 h, or someone else's in a group one
                                  //!< owns or administers
        PlainTextRole, //!< QString: the text for Copy
        PreviewTextRole, //!< QString: one line, spoilers hidden: for a quote outside the bubble
        // Media (issue 13).
        //! QVariantList of maps, one per attachment in body order: {index, blobId (empty while
        //! its upload runs), kind ("image", "video", "voice", "audio", "file"), mime (the
        //! sender's), name (sanitised), size, width, height, durationMs, hasThumb, thumbUrl
        //! (image://attachment-thumb/…), dangerous (an executable's name or type), pending}
        AttachmentsRole,
    };
    Q_ENUM(Roles)

    MessageListModel(LocalStore *store, SyncEngine *sync, qint64 conversationId, int pageSize = 50,
                     QObject *parent = nullptr);

    qint64 conversationId() const { return m_conversationId; }
    bool isLoadingOlder() const { return m_loadingOlder; }
    bool isLoaded() const { return m_loaded; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent = {}) const override;
    void fetchMore(const QModelIndex &parent = {}) override;

    //! The row showing this seq, or -1.
    Q_INVOKABLE int rowOfSeq(qint64 seq) const;
    //! The texts of an edited message, oldest first: [{seq, text, timestamp (QDateTime)}];
    //! empty when it was never edited or is not loaded.
    Q_INVOKABLE QVariantList editHistory(qint64 seq) const;
    //! Brings the entries from `seq` to the oldest shown into the model from the local store
    //! (a search result, the first unread message); the future carries the row of `seq`, -1
    //! when the store does not have it (then nothing is loaded).
    QFuture<int> loadUntil(qint64 seq);

    //! The descriptor of a received or sent attachment held here (keys included: for the app's
    //! C++ that opens and saves it, never handed to QML), or nullopt.
    std::optional<Protocol::Body::Attachment> attachment(const QString &blobId) const;
    //! The server timestamp (ms) of the message holding that attachment; 0 when none is held.
    qint64 attachmentSentAt(const QString &blobId) const;
    //! The blob ids of the images shown, oldest first (the viewer's previous and next).
    Q_INVOKABLE QStringList imageBlobIds() const;

Q_SIGNALS:
    void loadingOlderChanged();
    void loadedChanged();

private:
    struct Item
    {
        Protocol::MessageRecord record; //!< pending ones: seq 0
        bool pending = false;
        bool failed = false;
        QString error;
        qint64 time = 0;
        QString text;
        QString senderName;
        // Rich messages: as the store put them together, and what the roles show of them.
        StoredMessage stored; //!< record: see above; the rest for stored rows
        QString plainText;
        QString richText;
        bool emojiOnly = false;
        bool textMessage = false; //!< a text people wrote (not an event or unsupported)
        QList<Protocol::Body::Attachment> attachments;
    };

    Item fromRecord(const Protocol::MessageRecord &record) const;
    Item fromStored(const StoredMessage &stored) const;
    void fillRich(Item &item) const;
    QVariant richData(const Item &item, int role) const;
    QVariantList reactionsOf(const Item &item) const;
    QVariantList attachmentsData(const Item &item) const; //!< MessageListModelAttachments.cpp
    //! Entries a conversation view shows (not reactions, edits, hidden or expired ones).
    static bool isShown(const Protocol::MessageRecord &record);
    void onMessagesUpdated(qint64 conversationId, const QList<StoredMessage> &messages);
    Item fromOutbox(const OutboxEntry &entry) const;
    QString userName(qint64 userId) const;
    Status status(const Item &item) const;
    bool firstOfDay(int row) const;
    int storedCount() const; //!< rows before the pending ones
    int pendingRow(const QString &clientId) const;

    void loadFirstPage();
    void prependOlderFromStore();
    QFuture<int> loadUntilNow(qint64 seq);
    void prependRecords(const QList<StoredMessage> &older); //!< ascending, all older than shown
    void onMessagesAdded(qint64 conversationId, const QList<Protocol::MessageRecord> &messages);
    void insertItem(int row, const Item &item);
    void removeItem(int row);
    void onOutboxChanged(const OutboxEntry &entry);
    void onConversationChanged(qint64 conversationId);
    void onUsersChanged(const QList<qint64> &ids);
    void setLoadingOlder(bool loading);

    LocalStore *m_store;
    SyncEngine *m_sync;
    qint64 m_conversationId;
    int m_pageSize;
    qint64 m_selfId;
    bool m_group = false;
    Protocol::Role m_role = Protocol::Role::Member;
    QList<Item> m_items;
    qint64 m_deliveredSeq = 0;
    qint64 m_othersReadSeq = 0;
    bool m_loadingOlder = false;
    bool m_loaded = false;
    bool m_storeHasOlder = true; //!< until a page from the store comes back short
    bool m_changing = false; //!< inside begin/end of a change: views may call fetchMore() there
    bool m_serverHasOlder = true; //!< until history says the first entry is here
    //! loadUntil() calls made before the first page came: answered when it does.
    QList<std::pair<qint64, std::shared_ptr<QPromise<int>>>> m_waitingForLoad;
};

} // namespace Client
