#pragma once

#include "protocol/Records.h"

#include <QList>

#include <optional>
#include <utility>

namespace Server {

class Database;

//! The SQL of what can be done to stored entries: delete for everyone, hide (delete for me), the
//! disappearing-messages timer and the expiry sweep. Database threads only; throws StoreError.
//!
//! Erasing keeps the row, so the conversation's sequence keeps every number: only the bytes go
//! (content NULL, content_type '') and `erased` says why.
namespace MessageActionQueries {

struct Deletion
{
    Protocol::MessageRecord event; //!< the `deleted` event entry
    bool repeated = false; //!< deleted before: event is that earlier entry, nothing changed now
};

//! message.delete: the rules of docs/protocol.md (own message within windowMs of its timestamp;
//! in a group, anyone's by the owner or an admin). Appends a `deleted` event entry and erases the
//! target and every entry whose refSeq is the target.
Deletion deleteMessage(Database &db, qint64 conversationId, qint64 userId, qint64 seq,
                       qint64 windowMs);

//! message.hide: records that userId hid these entries. Seqs beyond the conversation's last one
//! are NotFound; hiding twice changes nothing.
void hide(Database &db, qint64 conversationId, qint64 userId, const QList<qint64> &seqs);

struct HiddenPage
{
    QList<std::pair<qint64, qint64>> entries; //!< (conversationId, seq), in the order hidden
    qint64 cursor = 0; //!< the last id returned (or the newest there is, when none asked)
    bool more = false;
};
//! The user's hides with an id above `after`, at most limit of them. Without `after`, only the
//! cursor: the newest id, where a device that has just loaded everything starts.
HiddenPage hiddenAfter(Database &db, qint64 userId, std::optional<qint64> after, int limit);

//! conversation.timer: direct conversations, any member; groups, the owner or an admin. Appends
//! the `timer` event entry and returns it.
Protocol::MessageRecord setTimer(Database &db, qint64 conversationId, qint64 userId,
                                 qint64 seconds);

//! Erases (erased = expired) at most `batch` entries whose expires_at is at or before now and
//! returns how many. Idempotent: what was erased is not looked at again.
int sweepExpired(Database &db, qint64 now, int batch);

} // namespace MessageActionQueries

} // namespace Server
