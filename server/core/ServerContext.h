#pragma once

namespace Server {

struct ServerConfig;
class Store;
class Hub;
class Router;
class PasswordHasher;
class Metrics;

//! What every service is given in its constructor. Owned by MessengerServer.
struct ServerContext
{
    const ServerConfig &config;
    Store *store;
    Hub *hub;
    Router *router;
    PasswordHasher *hasher;
    Metrics *metrics; //!< counters for /metrics, socket thread only
};

} // namespace Server
