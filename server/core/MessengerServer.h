#pragma once

#include "ServerConfig.h"

#include <QObject>
#include <QUrl>

#include <memory>

class QTcpServer;
class QWebSocketServer;
class QWebSocket;

namespace Server {

class Transport;
class Store;
class Hub;
class Session;
class PasswordHasher;
class AccountService;
class ConversationService;
class MessageService;
class PresenceService;
class Metrics;
class AdminService;
class BlobService;

//! The messengerd server: accepts WebSocket connections, authenticates them and serves the
//! protocol. Lives on the thread that created it (the socket thread); the database runs on the
//! Store's threads and password hashing on its own pool.
class MessengerServer : public QObject
{
    Q_OBJECT
public:
    explicit MessengerServer(ServerConfig config, QObject *parent = nullptr);
    ~MessengerServer() override;

    //! Opens the database (applying migrations) and starts listening. False with a reason on
    //! failure; nothing is left running then.
    bool start(QString *error);
    void stop();

    quint16 port() const;
    QUrl url() const; //!< ws:// or wss:// address clients connect to
    //! SHA-256 of the TLS certificate ("AB:CD:…"), for users to compare; empty without TLS.
    QString certificateFingerprint() const { return m_fingerprint; }
    const ServerConfig &config() const { return m_config; }
    int connectionCount() const;
    //! The admin listener's port (metrics, health); 0 when it is off or not listening.
    quint16 adminPort() const;

    //! Graceful stop (SIGTERM): closes the listener, lets the requests already read finish
    //! (their jobs commit, their answers go out; frames read after this are dropped unanswered,
    //! so clients resend them), then closes every connection with 1001 "server going away".
    //! drained() follows once all are gone, or after config().drainTimeoutMs at the latest.
    void beginDrain();
    bool isDraining() const { return m_draining; }

    //! SIGHUP: applies what can change while running (TLS certificate and key for new
    //! connections, registration policy, rate limits for new connections) and logs each other
    //! change as needing a restart. A certificate that cannot be read keeps the old one. False
    //! when nothing could be applied because of an error (logged).
    bool reload(const ServerConfig &fresh);

    //! Closes every live connection of a user after a "signedOut" event (their tokens were
    //! revoked elsewhere, e.g. `messengerd user reset-password`). Returns how many.
    int signOutUser(qint64 userId, const QString &reason);

Q_SIGNALS:
    void connectionCountChanged(int count);
    void drained();

private:
    void acceptPending();
    void acceptDescriptor(qintptr descriptor);
    void adoptTransport(std::unique_ptr<Transport> transport);
    void sweepIdle();
    void continueDrain();

    struct Runtime;
    ServerConfig m_config;
    std::unique_ptr<Runtime> m_runtime;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<PasswordHasher> m_hasher;
    std::unique_ptr<Hub> m_hub;
    std::unique_ptr<AccountService> m_accounts;
    std::unique_ptr<ConversationService> m_conversations;
    std::unique_ptr<MessageService> m_messages;
    std::unique_ptr<PresenceService> m_presence;
    std::unique_ptr<BlobService> m_blobs;
    std::unique_ptr<Metrics> m_metrics; //!< lives as long as this object: sessions count into it
    std::unique_ptr<AdminService> m_admin;
    QTcpServer *m_tcpServer = nullptr;
    QWebSocketServer *m_webSocketServer = nullptr;
    QString m_fingerprint;
    ServerConfig m_givenConfig; //!< as loaded, before start() filled in defaults (for reload)
    bool m_draining = false;
    bool m_drainClosing = false; //!< in-flight work is done; the connections are closing
};

} // namespace Server
