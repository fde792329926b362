#pragma once

#include "protocol/MessageBody.h"
#include "store/LocalTypes.h"

#include <QObject>
#include <QString>
#include <QTimer>

namespace Client {

class Connection;
class LocalStore;
struct Reply;

//! Sends what the user wrote, exactly once and in order, whatever happens to the connection or
//! the app.
//!
//! A message is written to the store's outbox first (and shown as pending), then sent with its
//! clientId, one at a time in the order written, whenever the connection is online. The server
//! treats a repeated clientId as the same message, so resending after a lost answer, a reconnect
//! or a restart of the app cannot store it twice; and the store drops the outbox entry as soon as
//! the message comes back from the server by any path (the answer, a sync page, an event).
//! A message the server refuses for good (no longer a member, too large) is marked failed and
//! waits for retry() or discard().
class Outbox : public QObject
{
    Q_OBJECT
public:
    Outbox(Connection *connection, LocalStore *store, QObject *parent = nullptr);

    //! Queues a text message ("text/plain", UTF-8).
    OutboxEntry sendText(qint64 conversationId, const QString &text);
    //! Queues a structured body: a plain text without styles, mentions, reply, forward mark or
    //! attachments still goes as "text/plain" (older clients read it); anything else as
    //! Protocol::Body::ContentType. Reactions and edits go `silent` with the seq they act on
    //! (refSeq 0: the body's target).
    OutboxEntry sendBody(qint64 conversationId, const Protocol::Body::MessageBody &body,
                         bool silent = false, qint64 refSeq = 0);
    //! A failed message goes back into the queue, with the same clientId.
    bool retry(const QString &clientId);
    //! Drops a failed message. Pending ones cannot be taken back: they may be on their way.
    bool discard(const QString &clientId);

    //! How long to wait before sending again after the server said "unavailable".
    void setRetryDelayMs(int ms) { m_retryDelayMs = ms; }
    bool isSending() const { return !m_inFlight.isEmpty(); }

Q_SIGNALS:
    //! The server refused a message for good; the entry now carries the reason.
    void sendFailed(const OutboxEntry &entry);

private:
    void pump();
    void onReply(const OutboxEntry &entry, const Reply &reply);

    Connection *m_connection;
    LocalStore *m_store;
    QString m_inFlight; //!< clientId of the message sent and not yet answered
    QTimer m_retryTimer;
    int m_retryDelayMs = 2000;
};

} // namespace Client
