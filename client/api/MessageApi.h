#pragma once

#include "api/ApiCall.h"
#include "protocol/Records.h"

#include <QList>

namespace Client {

class Connection;
class LocalStore;

//! What message.delete or conversation.timer added to the conversation: the event entry (its
//! seq and timestamp). The entry itself reaches the store through the sync, as every member's
//! copy does.
struct MessageChange
{
    qint64 seq = 0;
    qint64 timestamp = 0;

    static MessageChange fromBody(const QCborMap &body);
};

//! The message requests of one connection beyond sending (docs/protocol.md, "Rich messages"):
//! delete for everyone, delete for me, the disappearing-messages timer. Sending, reactions and
//! edits go through the Outbox (Outbox::sendBody).
//!
//! The server decides: a refusal comes back as the Reply's error (forbidden, not_member,
//! not_found, invalid_field). An accepted change lands in the store at once (the event entry the
//! server answered with; the hide), as an acknowledged send does.
class MessageApi
{
public:
    MessageApi(Connection *connection, LocalStore *store);

    //! message.delete: erases the content for every member (own message within 48 h, or any in
    //! a group by its owner or an admin).
    ApiCall<MessageChange> deleteForEveryone(qint64 conversationId, qint64 seq) const;
    //! message.hide: gone for this user, on all of their devices (1–100 seqs).
    ApiCall<void> deleteForMe(qint64 conversationId, const QList<qint64> &seqs) const;
    //! conversation.timer: 0 turns disappearing messages off, else 30 s – 365 days.
    ApiCall<MessageChange> setTimer(qint64 conversationId, qint64 seconds) const;

private:
    //! Stores the event entry an ok answer names, as the server keeps it.
    void storeEvent(Request *request, qint64 conversationId,
                    const Protocol::MembershipEvent &event) const;

    Connection *m_connection;
    LocalStore *m_store;
};

} // namespace Client
