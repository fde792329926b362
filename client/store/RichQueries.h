#pragma once

#include "protocol/MessageBody.h"
#include "protocol/Records.h"
#include "store/LocalTypes.h"

#include <QList>
#include <QPair>
#include <QSet>
#include <QSqlQuery>
#include <QVariant>

#include <functional>

namespace Client {

//! The SQL of rich messages (issue 12) for StoreDatabase: what a stored entry does to others —
//! reactions, edits, deletes for everyone, hides, the disappearing timer and local expiry — and
//! the reads that put it back together (StoredMessage).
//!
//! Reactions and edits are entries of their own (silent rows of `messages`); one that arrives
//! before the message it acts on is simply kept, and applied when that message arrives (every
//! application is idempotent: a reaction's newest seq wins, an edit joins the history once).
namespace RichQueries {

//! The store connection's cached prepared statement for this SQL (StoreDatabase::prepare): one
//! is prepared once and reused, which a sync page of thousands of entries needs.
using Prepare = std::function<QSqlQuery &(const QString &)>;

//! What a write did to shown messages: the caller reads them back and announces them.
struct Effects
{
    QSet<QPair<qint64, qint64>> updated; //!< (conversationId, seq)
    QSet<qint64> conversations; //!< whose record changed (timer, mention count)
    bool expiry = false; //!< an expiry was added or removed: look for the next one
};

//! How one record is written into the `messages` row.
struct RowValues
{
    QVariant content; //!< bytes, or NULL when the text lives in `body` / nothing is left
    QVariant body; //!< searchable plain text, or NULL
    bool silent = false;
    qint64 refSeq = 0;
    qint64 replySeq = 0;
    qint64 replySender = 0;
    bool forwarded = false;
    bool mentionsMe = false;
    Protocol::Body::DecodedBody decoded; //!< for message bodies
    bool hasBody = false;
};
RowValues rowValues(const Protocol::MessageRecord &message, qint64 selfId);

//! Applies what a newly stored entry does (and what waited for it).
void afterInsert(const Prepare &db, const Protocol::MessageRecord &message, const RowValues &values,
                 qint64 selfId, Effects &effects);
//! Removes the content of an entry (and of its reactions and edits): `erased` is
//! "deleted"/"expired", or empty for a hide. An unread one leaves the unread count.
void erase(const Prepare &db, qint64 conversationId, qint64 seq, const QString &erased,
           qint64 selfId, Effects &effects);
//! Erases every entry whose expiry is at or before `now`.
void expire(const Prepare &db, qint64 now, qint64 selfId, Effects &effects);
//! The earliest expiry of an entry still holding content; 0 when none.
qint64 nextExpiry(const Prepare &db);
//! Recounts the unread mentions of a conversation.
void recountMentions(const Prepare &db, qint64 conversationId, qint64 selfId);

//! Fills in reactions and the reply's state of messages read with MessageRow::storedColumns().
void complete(const Prepare &db, QList<StoredMessage> &messages);
//! The given entries (shown or not: a hidden one tells the model to drop its row).
QList<StoredMessage> read(const Prepare &db, qint64 conversationId, const QList<qint64> &seqs);
//! The texts of a message, oldest first (the original, then each edit); empty when never edited.
QList<EditInfo> editHistory(const Prepare &db, qint64 conversationId, qint64 seq);

//! SQL condition (on `messages` without alias) of the entries a conversation view shows.
QString shownCondition(const QString &alias = {});
constexpr qint64 EditWindowMs = 86'400'000; //!< 24 h

} // namespace RichQueries

} // namespace Client
