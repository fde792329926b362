#pragma once

#include "protocol/Records.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace Client {

//! A message written locally before the server acknowledged it.
struct OutboxEntry
{
    qint64 position = 0; //!< send order: smaller goes first
    qint64 conversationId = 0;
    QString clientId; //!< kept across retries and restarts: the server deduplicates by it
    QString contentType;
    QByteArray content;
    qint64 createdAt = 0; //!< local clock, ms since the epoch
    bool failed = false; //!< refused for good; waits for retry or discard
    QString error; //!< why it failed

    bool operator==(const OutboxEntry &) const = default;
};

//! What the conversation list shows of one conversation, as the local store knows it: the
//! server's record with the peer's current presence and the newest cached entry filled in, plus
//! the newest message still waiting in the outbox.
struct ConversationSummary
{
    Protocol::ConversationInfo info;
    std::optional<OutboxEntry> newestPending;
    bool active = true; //!< false after the user left or was removed
    QString draft; //!< unsent text in the composer; empty when none
    //! The newest seq up to which every entry is stored; -1 when never synced.
    qint64 syncedSeq = -1;
};

//! The receipt cursors this device owes the server for one conversation: moved locally, not yet
//! acknowledged. 0: nothing owed of that kind.
struct UnsentReceipt
{
    qint64 conversationId = 0;
    qint64 readSeq = 0;
    qint64 deliveredSeq = 0;
};

//! One hit of the local full-text search.
struct SearchHit
{
    qint64 conversationId = 0;
    qint64 seq = 0;
    qint64 senderId = 0;
    qint64 timestamp = 0;
    QString text;
};

} // namespace Client
