#pragma once

#include "protocol/Records.h"
#include "store/LocalTypes.h"

#include <QList>
#include <QSqlDatabase>

namespace Client {

//! The SQL of members and receipts, for LocalStore (which announces the changes): the members
//! table with each one's cursors, and the receipts this device still owes the server.
//!
//! These prepare their queries each time, as OutboxQueries do: a receipt is one or two rows.
namespace MemberQueries {

//! Replaces the members of a conversation, keeping their order.
bool replace(const QSqlDatabase &db, qint64 conversationId,
             const QList<Protocol::MemberInfo> &members);
QList<Protocol::MemberInfo> list(const QSqlDatabase &db, qint64 conversationId);
//! Moves one member's cursors forward; true when a row changed.
bool advanceMember(const QSqlDatabase &db, const Protocol::ReceiptInfo &receipt);
//! A direct conversation's summary cursors follow its one other member.
bool advanceDirectSummary(const QSqlDatabase &db, const Protocol::ReceiptInfo &receipt);

//! Raises the cursors owed for a conversation (never lowers them); 0 leaves one as it is.
bool raiseUnsent(const QSqlDatabase &db, qint64 conversationId, qint64 readSeq,
                 qint64 deliveredSeq);
QList<UnsentReceipt> unsent(const QSqlDatabase &db);
UnsentReceipt unsent(const QSqlDatabase &db, qint64 conversationId);
//! The server took the cursors up to these seqs: forget what they cover, keep anything newer.
bool clearUnsent(const QSqlDatabase &db, qint64 conversationId, qint64 readSeq,
                 qint64 deliveredSeq);

} // namespace MemberQueries

} // namespace Client
