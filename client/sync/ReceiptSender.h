#pragma once

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Client {

class Connection;
class LocalStore;

//! Sends the receipt cursors the local store says this device owes (LocalStore::oweReceipt):
//! `receipt.delivered` for what arrived, `receipt.read` for what the user read.
//!
//! What is owed lives in the store, not here, so it survives going offline and restarting the
//! app. It goes out while online (right away, coalesced per burst), and all of it again each
//! time the connection is back online — that is, after the sync that follows every sign-in.
//! The store forgets a cursor once the server has answered for it; an answer that leaves the
//! outcome open (connection lost, timed out, unavailable) keeps it for the next try.
class ReceiptSender : public QObject
{
    Q_OBJECT
public:
    ReceiptSender(Connection *connection, LocalStore *store, QObject *parent = nullptr);

    //! Sends everything owed now, when online.
    void flush();

private:
    void sendOwed(qint64 conversationId);
    void send(qint64 conversationId, bool read, qint64 seq);

    Connection *m_connection;
    LocalStore *m_store;
    QSet<qint64> m_changed; //!< conversations whose owed cursors rose since the last send
    QTimer m_sendTimer;
    QTimer m_retryTimer; //!< the server was unavailable or rate limited: try again after a while
    QHash<QPair<qint64, bool>, qint64>
        m_inFlight; //!< (conversation, read) → seq sent, no answer yet
};

} // namespace Client
