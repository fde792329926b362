#pragma once

#include "protocol/Records.h"

#include <QList>

#include <optional>

namespace Server {

class Database;

//! The conversations' SQL, as one user sees them. Database threads only; throws StoreError.
namespace ConversationQueries {

struct Membership
{
    Protocol::ConversationKind kind = Protocol::ConversationKind::Direct;
    Protocol::Role role = Protocol::Role::None;
    qint64 joinedSeq = 0;
};

std::optional<Membership> membership(Database &db, qint64 conversationId, qint64 userId);
//! The membership, or StoreError(NotMember): unknown conversations answer the same, so ids leak
//! nothing.
Membership requireMember(Database &db, qint64 conversationId, qint64 userId);

//! The user's conversations (or only one of them), with unread counts, last message, peer and
//! receipt summaries; a fixed number of queries whatever the number of conversations.
QList<Protocol::ConversationInfo> conversations(Database &db, qint64 userId,
                                                std::optional<qint64> only = std::nullopt);
Protocol::ConversationInfo conversation(Database &db, qint64 conversationId, qint64 userId);

QList<Protocol::MemberInfo> members(Database &db, qint64 conversationId);
QList<qint64> memberIds(Database &db, qint64 conversationId);

void setFlags(Database &db, qint64 conversationId, qint64 userId, std::optional<bool> muted,
              std::optional<bool> pinned, std::optional<bool> archived);

//! The one direct conversation of two users, created on first use (then *created is set).
qint64 openDirect(Database &db, qint64 userId, qint64 peerId, bool *created = nullptr);

//! Sorts as the conversation list shows them: pinned first, then most recent activity.
void sortForList(QList<Protocol::ConversationInfo> &list);

} // namespace ConversationQueries

} // namespace Server
