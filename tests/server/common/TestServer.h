#pragma once

#include "core/MessengerServer.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QUrl>
#include <QVariantList>

#include <functional>
#include <memory>
#include <vector>

class TestClient;

//! The real messengerd server, started inside the test process on a loopback port and a fresh
//! database of the backend MESSENGER_TEST_BACKEND names ("sqlite", the default, or "postgres").
//!
//! SQLite is a file in a temporary folder. PostgreSQL is the server MESSENGER_TEST_PG points at
//! (libpq keyword=value: host port dbname user password); its public schema is dropped and
//! recreated on every setUp(), so the user must own that database. A requested PostgreSQL that
//! cannot be reached fails setUp() with the reason, never silently falls back.
//!
//! Use one per test function: create it in init(), call setUp(), destroy it in cleanup().
class TestServer
{
public:
    enum class Backend { Sqlite, Postgres };

    TestServer();
    ~TestServer();
    TestServer(const TestServer &) = delete;
    TestServer &operator=(const TestServer &) = delete;

    //! The backend the environment asks for.
    static Backend backendFromEnvironment();
    Backend backend() const { return m_backend; }

    //! A fresh empty database and a started server. False with errorString() on failure.
    bool setUp();

    //! The configuration the next start() uses: port 0, Argon2 at libsodium's minimum cost,
    //! rate limits out of the way. Tests change it, then restart().
    Server::ServerConfig &config() { return m_config; }

    bool start();
    void stop();
    //! Stops the server and starts a new one with config() on the same database.
    bool restart();
    bool isRunning() const { return m_server != nullptr; }

    Server::MessengerServer *server() const { return m_server.get(); }
    QUrl url() const;
    const QString &errorString() const { return m_error; }

    //! A new client connected to this server, its welcome received; nullptr on failure.
    //! The server owns its clients and closes them before it stops.
    TestClient *newClient();
    //! A new client signed in as a newly registered user; nullptr on failure.
    TestClient *newUser(const QString &username);
    //! A new client signed in as `user` again, through login: another device of the same account.
    TestClient *newDevice(const TestClient *user, const QString &deviceName = {});

    //! AccountAdmin::createInvite on a connection of the test thread; empty on failure.
    QString createInvite(int uses, qint64 validForMs);
    //! messengerd command-line options (and, for PostgreSQL, the password variable in
    //! *environment) that point the real executable at this fixture's database.
    QStringList daemonArguments(QProcessEnvironment *environment) const;
    //! The first column of the first row of a query run directly on the database (white-box
    //! checks); an invalid QVariant with errorString() on failure.
    QVariant queryValue(const QString &sql, const QVariantList &values = {});

private:
    bool prepareDatabase();
    bool wipePostgres();
    bool readPostgresSettings();
    QString nextConnectionName();

    Backend m_backend;
    QTemporaryDir m_dir;
    Server::ServerConfig m_config;
    std::unique_ptr<Server::MessengerServer> m_server;
    std::vector<std::unique_ptr<TestClient>> m_clients;
    QString m_error;
};
