#pragma once

#include "ExpirySweeper.h"
#include "MessageActions.h"
#include "SendBatch.h"

#include "core/ServerContext.h"

#include <QObject>

namespace Server {

class PresenceService;
class Request;

//! Sending (batched, idempotent, acknowledged after commit), fan-out, history, sync and receipts;
//! with it the actions on sent entries (MessageActions) and the expiry sweeper.
class MessageService : public QObject
{
    Q_OBJECT
public:
    MessageService(ServerContext context, PresenceService *presence, QObject *parent = nullptr);

private:
    void handleSend(const Request &request);
    void handleHistory(const Request &request);
    void handleSync(const Request &request);
    void handleReceipt(const Request &request, bool read);
    void handleGetReceipts(const Request &request);

    ServerContext m_context;
    PresenceService *m_presence;
    SendBatch m_sendBatch;
    MessageActions m_actions;
    ExpirySweeper m_expirySweeper;
};

} // namespace Server
