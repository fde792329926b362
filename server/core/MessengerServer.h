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

Q_SIGNALS:
    void connectionCountChanged(int count);

private:
    void acceptPending();
    void acceptDescriptor(qintptr descriptor);
    void adoptTransport(std::unique_ptr<Transport> transport);
    void sweepIdle();

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
    QTcpServer *m_tcpServer = nullptr;
    QWebSocketServer *m_webSocketServer = nullptr;
    QString m_fingerprint;
};

} // namespace Server
