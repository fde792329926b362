#pragma once

#include "connection/Connection.h"

#include <QObject>
#include <QSet>
#include <QTimer>

namespace Client {

class TrustStore;

//! The account's transfer connection: a second Connection to the same server with the same
//! device token and trust store, resumed with `transfer: true`, that carries blob.* requests so
//! that 256 KiB chunks never hold up the chat connection.
//!
//! It is opened on demand — while some user (the Uploader, the Downloader) says it has work and
//! the chat connection is signed in — and closed after a short idle time. It also shares the
//! server's limit of outstanding chunk requests (blob.put and blob.get) among its users.
class TransferClient : public QObject
{
    Q_OBJECT
public:
    TransferClient(Connection *chat, TrustStore *trustStore, ConnectionSettings settings,
                   QObject *parent = nullptr);

    //! `user` has work (busy) or not; the connection opens for the first and closes idleMs
    //! after the last one is done.
    void setBusy(const QObject *user, bool busy);
    void setIdleCloseMs(int ms) { m_idleTimer.setInterval(ms); }

    bool isReady() const { return m_connection->state() == Connection::State::Online; }
    Connection *connection() const { return m_connection; }

    //! A request other than a chunk (blob.create, blob.status).
    Request *send(QLatin1StringView type, const QCborMap &fields);
    //! Chunk requests still allowed now (blob.put, blob.get; 4 at most in flight).
    int freeChunkSlots() const { return m_maxChunks - m_chunksInFlight; }
    //! A chunk request; only when freeChunkSlots() > 0.
    Request *sendChunk(QLatin1StringView type, const QCborMap &fields);

Q_SIGNALS:
    //! Signed in: requests go from here on (again, after a loss).
    void ready();
    //! The connection was lost or closed: what was in flight failed, nothing goes until ready().
    void lost();
    //! A chunk request finished; another may go.
    void chunkSlotFree();

private:
    void update();

    Connection *m_chat;
    Connection *m_connection;
    QSet<const QObject *> m_busy;
    QTimer m_idleTimer;
    int m_chunksInFlight = 0;
    int m_maxChunks;
};

} // namespace Client
