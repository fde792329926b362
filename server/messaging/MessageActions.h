#pragma once

#include "core/ServerContext.h"

#include "protocol/Records.h"

#include <QObject>

namespace Server {

class Request;

//! What can be done to entries already sent: message.delete (for everyone), message.hide (for
//! me) and conversation.timer (disappearing messages). The SQL is MessageActionQueries'.
class MessageActions : public QObject
{
    Q_OBJECT
public:
    explicit MessageActions(ServerContext context, QObject *parent = nullptr);

private:
    void handleDelete(const Request &request);
    void handleHide(const Request &request);
    void handleTimer(const Request &request);
    //! An event entry goes to every member's every device, the caller's included, as any
    //! `message` event.
    void fanOut(const Protocol::MessageRecord &entry);
    bool takeSendToken(const Request &request);

    ServerContext m_context;
};

} // namespace Server
