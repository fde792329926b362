#pragma once

#include "protocol/Records.h"

#include <QHash>
#include <QList>
#include <QString>

#include <optional>

class QSqlQuery;

namespace Server {

class Database;

//! The messages' SQL: reading records, history, sync and receipts. Database threads only.
namespace MessageQueries {

enum class Kind { Message = 0, Event = 1 };
enum class ReceiptKind { Delivered = 1, Read = 2 };
//! messages.erased: why an entry's content is gone.
enum class Erasure { None = 0, Deleted = 1, Expired = 2 };
QString erasureName(Erasure erasure); //!< Protocol::Erased's spelling, empty for None

//! The column list readMessage() expects, for "SELECT <columns> FROM messages m ...".
QString columns(const QString &alias = QStringLiteral("m"));
Protocol::MessageRecord readMessage(const QSqlQuery &q, int c = 0);

//! Appends a membership event to a conversation's sequence and returns it.
Protocol::MessageRecord appendEvent(Database &db, qint64 conversationId,
                                    const Protocol::MembershipEvent &event);

//! Marks the entries this user hid (message.hide) as hidden, their content emptied (an event
//! entry keeps its event: membership stays readable). messages: grouped by conversation.
void markHidden(Database &db, qint64 userId, QList<Protocol::MessageRecord> &messages);

struct Page
{
    QList<Protocol::MessageRecord> messages;
    bool more = false;
};
//! Messages with seq < before (newest first, returned ascending) or seq > after (ascending),
//! never below floor (where the member joined); what userId hid is marked hidden.
Page history(Database &db, qint64 userId, qint64 conversationId, qint64 floor,
             std::optional<qint64> before, std::optional<qint64> after, int limit);

struct SyncResult
{
    QList<Protocol::MessageRecord> messages;
    bool more = false;
};
//! Everything after the device's cursors, in (conversation, seq) order, at most limit messages.
//! Conversations without a cursor start at their last SyncInitialWindow entries.
SyncResult sync(Database &db, qint64 userId, const QHash<qint64, qint64> &cursors, int limit);

struct ReceiptMove
{
    qint64 deliveredSeq = 0; //!< new value, or 0 when it did not move
    qint64 readSeq = 0;
    qint64 at = 0;
};
//! Moves the user's delivered (and for reads also read) cursor forward, never past the last seq.
ReceiptMove markReceipt(Database &db, qint64 conversationId, qint64 userId, ReceiptKind kind,
                        qint64 seq);

struct ReceiptEntry
{
    qint64 userId = 0;
    qint64 at = 0;
};
struct ReceiptDetail
{
    QList<ReceiptEntry> delivered;
    QList<ReceiptEntry> read;
};
//! Who has seq delivered / read, with the time each first got there. Read receipts of members
//! who turned them off are left out.
ReceiptDetail receiptDetail(Database &db, qint64 conversationId, qint64 seq, qint64 excludeUserId);

} // namespace MessageQueries

} // namespace Server
