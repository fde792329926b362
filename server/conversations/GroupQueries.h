#pragma once

#include "media/Avatars.h"

#include "protocol/Records.h"

#include <QList>

namespace Server {

class Database;

//! Group membership changes and their role rules. Each change appends membership events to the
//! conversation's sequence in the same transaction. Database threads only; throws StoreError.
//!
//! Rules: add — owner, admin; remove — owner anyone, admin members only; rename and the group's
//! picture — owner, admin;
//! promote member to admin — owner, admin; demote admin — owner; leave — anyone. When the owner
//! leaves, the longest-standing admin (else member) becomes owner.
namespace GroupQueries {

struct Change
{
    qint64 conversationId = 0;
    QList<Protocol::MessageRecord> events; //!< in sequence order
    QList<qint64> recipients; //!< who gets the events: members before and after the change
    QList<qint64> members; //!< members after the change
    QList<qint64> added; //!< users who joined
    QList<qint64> departed; //!< users who left or were removed
};

Change create(Database &db, qint64 ownerId, const QString &name, const QList<qint64> &memberIds);
Change add(Database &db, qint64 conversationId, qint64 actorId, const QList<qint64> &userIds);
Change remove(Database &db, qint64 conversationId, qint64 actorId, qint64 userId);
Change leave(Database &db, qint64 conversationId, qint64 actorId);
Change rename(Database &db, qint64 conversationId, qint64 actorId, const QString &name);
//! group.avatar: sets or (blobId empty) removes the group's picture; the blob must be the actor's
//! own (BlobQueries::adoptAsAvatar). Appends the membership event `avatar`.
Change setAvatar(Database &db, qint64 conversationId, qint64 actorId, const AvatarChange &avatar);
Change setRole(Database &db, qint64 conversationId, qint64 actorId, qint64 userId,
               Protocol::Role role);

} // namespace GroupQueries

} // namespace Server
