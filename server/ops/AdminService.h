#pragma once

#include "AdminHttpServer.h"
#include "Metrics.h"

#include <QObject>

#include <functional>

namespace Server {

struct ServerConfig;
class Store;
class Hub;

//! The operators' endpoints on the admin listener (AdminHttpServer):
//! - `/metrics`: Prometheus text format (Metrics plus gauges read now);
//! - `/healthz`: liveness, 200 "ok" whenever the socket thread answers (this runs on it);
//! - `/readyz`: readiness, 200 only when the database answers a trivial query through the Store
//!   within ReadyTimeoutMs, the client listener is listening and the server is not draining;
//!   otherwise 503 with one line per check.
class AdminService : public QObject
{
    Q_OBJECT
public:
    static constexpr int ReadyTimeoutMs = 500;

    //! What the endpoints read, owned by MessengerServer.
    struct Sources
    {
        const Metrics *metrics = nullptr;
        Store *store = nullptr;
        const Hub *hub = nullptr;
        std::function<int()> connectionCount;
        std::function<bool()> clientListenerListening;
        std::function<bool()> draining;
    };

    AdminService(Sources sources, QObject *parent = nullptr);
    ~AdminService() override;

    //! Listens on the configured admin address. False with a reason when it cannot.
    bool listen(const ServerConfig &config, QString *error);
    quint16 port() const { return m_http.port(); }

private:
    void serveMetrics(const AdminHttpServer::Reply &reply) const;
    void serveReady(const AdminHttpServer::Reply &reply);

    Sources m_sources;
    AdminHttpServer m_http;
};

} // namespace Server
