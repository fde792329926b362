#pragma once

#include "ServerConfig.h"
#include "TokenBucket.h"
#include "Transport.h"

#include "ops/Metrics.h"

#include "protocol/Protocol.h"

#include <QCborMap>
#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QWebSocketProtocol>

#include <memory>

namespace Server {

class Router;

//! One WebSocket connection: decodes its frames, checks them against the request table and the
//! connection's rate limits, and hands valid requests to the Router. Knows which user and
//! device it speaks for once signed in.
class Session : public QObject, private Transport::Receiver
{
    Q_OBJECT
public:
    //! `metrics` counts requests, errors and how the connection ends; it outlives the session.
    Session(std::unique_ptr<Transport> transport, const ServerConfig &config, Router *router,
            Metrics *metrics, QObject *parent = nullptr);
    ~Session() override;

    bool isAuthenticated() const { return m_userId != 0; }
    qint64 userId() const { return m_userId; }
    qint64 deviceId() const { return m_deviceId; }
    void setAuthenticated(qint64 userId, qint64 deviceId);

    //! A register / login / resume of this connection is under way.
    bool isAuthPending() const { return m_authPending; }
    void setAuthPending(bool pending) { m_authPending = pending; }

    //! A transfer connection (resume with transfer: true): blob.* and ping only, no events, not
    //! counted in presence.
    bool isTransfer() const { return m_transfer; }
    void setTransfer(bool transfer) { m_transfer = transfer; }
    //! blob.put / blob.get of this connection not answered yet (BlobService keeps the count).
    int &outstandingChunks() { return m_outstandingChunks; }

    bool isAway() const { return m_away; }
    void setAway(bool away) { m_away = away; }

    QHostAddress peerAddress() const { return m_peerAddress; }
    qint64 lastActivity() const { return m_lastActivity; }
    qint64 connectedAt() const { return m_connectedAt; }

    void sendBytes(const QByteArray &bytes);
    void sendOk(qint64 id, const QCborMap &body = {});
    void sendError(qint64 id, Protocol::ErrorCode code, const QString &message,
                   const QString &field = {}, qint64 retryAfterMs = -1);
    void close(QWebSocketProtocol::CloseCode code, const QString &reason);
    //! Drops the connection without a closing handshake (a peer that never finished one).
    void abort();
    void ping();
    bool isClosing() const { return m_closing; }
    Metrics *metrics() const { return m_metrics; }
    //! Why the server ends this connection, said before close() or abort() (which otherwise
    //! count it as closed by the server).
    void setCloseReason(Metrics::CloseReason reason) { m_closeReason = reason; }
    //! Why the connection ended (Peer when the client or the network ended it).
    Metrics::CloseReason closeReason() const;
    //! Draining: frames that arrive from now on are dropped unanswered (the client resends what
    //! was not acknowledged after it reconnects); answers to earlier requests still go out.
    void stopServing() { m_serving = false; }
    qint64 closingSince() const { return m_closingSince; }
    //! The WebSocket handshake is done.
    bool isOpen() const { return m_transport->isOpen(); }

    TokenBucket &sendLimiter() { return m_sends; }
    TokenBucket &typingLimiter() { return m_typing; }
    TokenBucket &loginLimiter() { return m_logins; }

Q_SIGNALS:
    void disconnected(Session *session);

private:
    void binaryReceived(const QByteArray &bytes) override;
    void textReceived() override;
    void pongReceived() override;
    void transportClosed() override;

    std::unique_ptr<Transport> m_transport;
    const ServerConfig &m_config;
    Router *m_router;
    Metrics *m_metrics;
    Metrics::CloseReason m_closeReason = Metrics::CloseReason::Peer;
    QHostAddress m_peerAddress;
    qint64 m_userId = 0;
    qint64 m_deviceId = 0;
    qint64 m_lastActivity = 0;
    qint64 m_connectedAt = 0;
    qint64 m_closingSince = 0;
    bool m_away = false;
    bool m_transfer = false;
    int m_outstandingChunks = 0;
    bool m_authPending = false;
    bool m_closing = false;
    bool m_serving = true;
    TokenBucket m_requests;
    TokenBucket m_sends;
    TokenBucket m_typing;
    TokenBucket m_logins;
};

//! A request a handler works on. Answer it exactly once, with ok() or fail(); after the session
//! went away both do nothing.
class Request
{
public:
    //! spec: the request's entry in the request table, for the per-type metrics.
    //! frame: the bytes the request came in (shared, not copied), for a handler that takes a
    //! big field straight from them (blob.put's chunk).
    Request(Session *session, qint64 id, const QCborMap &body,
            const Protocol::RequestSpec *spec = nullptr, const QByteArray &frame = {})
        : m_session(session)
        , m_id(id)
        , m_body(body)
        , m_spec(spec)
        , m_frame(frame)
    {
    }

    Session *session() const { return m_session.data(); }
    qint64 id() const { return m_id; }
    const QCborMap &body() const { return m_body; }
    const QByteArray &frame() const { return m_frame; }
    qint64 userId() const { return m_session ? m_session->userId() : 0; }

    qint64 integer(QLatin1StringView key, qint64 fallback = 0) const;
    QString string(QLatin1StringView key) const;
    QByteArray bytes(QLatin1StringView key) const;
    bool has(QLatin1StringView key) const;
    bool boolean(QLatin1StringView key) const;
    QList<qint64> integers(QLatin1StringView key) const;

    void ok(const QCborMap &result = {}) const;
    //! ok() with the whole answer frame already encoded (a blob chunk read into its frame off
    //! the socket thread: no copy and no CBOR encoding of 256 KiB here).
    void okEncoded(const QByteArray &frame) const;
    void fail(Protocol::ErrorCode code, const QString &message, const QString &field = {},
              qint64 retryAfterMs = -1) const;
    //! fail() with more keys in the error frame (e.g. blob.put's current `offset`).
    void failWith(Protocol::ErrorCode code, const QString &message, const QString &field,
                  const QCborMap &extra) const;

private:
    QPointer<Session> m_session;
    qint64 m_id;
    QCborMap m_body;
    const Protocol::RequestSpec *m_spec;
    QByteArray m_frame;
};

} // namespace Server
