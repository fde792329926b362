#pragma once

#include "storage/Store.h"

#include "protocol/Records.h"

//! One message.send waiting for the writer.
struct SendPayload
{
    qint64 conversationId = 0;
    qint64 senderId = 0;
    QString clientId;
    QString contentType;
    QByteArray content;
};

struct SendOutcome
{
    Protocol::MessageRecord message;
    bool duplicate = false; //!< the clientId was stored before: this is the earlier acknowledgement
};

//! Commits every send queued at the same moment together: one duplicate check, one membership
//! check, one sequence bump per conversation and one multi-row INSERT for the whole group,
//! inside the writer's transaction (so one fsync for all of them).
class SendBatch : public BatchRunner
{
public:
    void runBatch(Database &db, std::span<StoreJob *> jobs) override;
};
