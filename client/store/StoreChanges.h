#pragma once

#include "protocol/Records.h"
#include "store/LocalTypes.h"

#include <QHash>
#include <QList>
#include <QPair>

#include <memory>

namespace Client {

//! What one write of the store changed, read back from the database after its commit: the rows
//! as they are stored now, for LocalStore to hold in memory and announce. Built on the store's
//! thread, applied on the GUI thread, in commit order.
struct StoreSnapshot;

struct StoreChanges
{
    //! Set by the job that opens the store: everything held in memory, or why it did not open.
    std::shared_ptr<StoreSnapshot> snapshot;
    QString openError;
    QList<Protocol::UserInfo> users;
    QList<ConversationSummary> conversations;
    //! conversation → its members in the server's order (user: the id only; LocalStore fills in
    //! the rest from its users).
    QList<QPair<qint64, QList<Protocol::MemberInfo>>> members;
    //! New entries, per conversation (ascending conversation id), each list in ascending seq.
    QList<QPair<qint64, QList<Protocol::MessageRecord>>> messagesAdded;
    QList<OutboxEntry> outboxAdded;
    QList<OutboxEntry> outboxChanged;
    QList<QPair<qint64, QString>> outboxRemoved; //!< (conversationId, clientId)
    //! The receipts owed now for the conversations whose owed cursors changed (0, 0: none).
    QList<UnsentReceipt> unsent;
    //! Conversations whose owed cursors rose.
    QList<qint64> receiptOwed;
    //! Shown messages (not silent) that were added or changed (edited, reacted to, erased,
    //! hidden, or their quoted message arrived or changed), per conversation, read back after
    //! the commit.
    QList<QPair<qint64, QList<StoredMessage>>> messagesUpdated;
    //! The nearest expiry of a stored message still holding content after this write (0: none);
    //! -1: this write did not look.
    qint64 nextExpiry = -1;
    //! The hidden cursor of sync after this write; -1: unchanged.
    qint64 hiddenCursor = -1;
};

//! Everything LocalStore keeps in memory, as the database holds it when the store opens.
struct StoreSnapshot
{
    Protocol::ProfileInfo profile;
    QList<Protocol::UserInfo> users;
    QList<ConversationSummary> conversations;
    QHash<qint64, QList<Protocol::MemberInfo>> members;
    QList<OutboxEntry> outbox;
    QList<UnsentReceipt> unsent;
    qint64 hiddenCursor = 0;
};

//! One page of `sync` as the server sent it, stored in one transaction.
struct SyncPage
{
    //! Every conversation of the user, as each page carries them: the others become inactive.
    QList<Protocol::ConversationInfo> conversations;
    QList<Protocol::MessageRecord> messages;
    //! [conversationId, seq] this user hid on another device (sync's `hidden`).
    QList<QPair<qint64, qint64>> hidden;
    qint64 hiddenCursor = -1; //!< sync's `hiddenCursor`; -1 when absent
};

} // namespace Client
