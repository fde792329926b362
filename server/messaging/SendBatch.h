#pragma once

#include "storage/PlannerStatistics.h"
#include "storage/Store.h"

#include "protocol/Records.h"

namespace Server {

//! One message.send waiting for the writer.
struct SendPayload
{
    qint64 conversationId = 0;
    qint64 senderId = 0;
    QString clientId;
    QString contentType;
    QByteArray content;
    bool silent = false;
    qint64 refSeq = 0; //!< 0: none; else an existing, not erased message of the conversation
    QStringList blobIds; //!< complete blobs the sender may reference; linked to the message
};

struct SendOutcome
{
    Protocol::MessageRecord message;
    bool duplicate = false; //!< the clientId was stored before: this is the earlier acknowledgement
};

//! Commits every send queued at the same moment together: one duplicate check, one membership
//! check (which also reads the conversation's disappearing timer), one check of the refSeq
//! targets, one sequence bump per conversation and one multi-row INSERT for the whole group,
//! inside the writer's transaction (so one fsync for all of them). A send refused because of its
//! refSeq fails with NotFound.
//!
//! On PostgreSQL the whole group takes two statements whose texts never change with its size
//! (each column goes in as one array parameter and is unnested): one SELECT for the duplicate
//! and membership checks, and one data-modifying statement that bumps the sequences and inserts.
//!
//! The batches are what makes `messages` grow, so they also keep PostgreSQL's plans in step with
//! its size while it is young (PlannerStatistics).
class SendBatch : public BatchRunner
{
public:
    void runBatch(Database &db, std::span<StoreJob *> jobs) override;

private:
    PlannerStatistics m_statistics {
        QStringLiteral("messages"),
        {QStringLiteral("messages"), QStringLiteral("conversations"), QStringLiteral("members")}};
};

//! PostgreSQL array literals, the text form of an array parameter ("{1,2}", {"a","b\"c"}), for
//! drivers that cannot bind arrays. Null strings and byte arrays become NULL elements, as a null
//! value bound on its own becomes NULL.
namespace PgArray {
QString bigints(const QList<qint64> &values);
//! Every element quoted, backslashes and double quotes escaped.
QString texts(const QStringList &values);
//! Every element in bytea's hex form, quoted: {"\\x0102"}.
QString byteas(const QList<QByteArray> &values);
} // namespace PgArray

} // namespace Server
