#include "TestServer.h"

#include "TestClient.h"
#include "accounts/AccountAdmin.h"
#include "core/EpollEventDispatcher.h"
#include "storage/Database.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Server;

using namespace Qt::StringLiterals;

namespace {

//! libpq's keyword=value syntax: whitespace-separated pairs, values optionally in single quotes
//! with backslash escapes.
QHash<QString, QString> parseConnectionString(const QString &text)
{
    QHash<QString, QString> pairs;
    qsizetype i = 0;
    const auto skipSpace = [&] {
        while (i < text.size() && text.at(i).isSpace())
            ++i;
    };
    while (true) {
        skipSpace();
        if (i >= text.size())
            break;
        QString key;
        while (i < text.size() && text.at(i) != u'=' && !text.at(i).isSpace())
            key.append(text.at(i++));
        skipSpace();
        if (i >= text.size() || text.at(i) != u'=')
            break;
        ++i;
        skipSpace();
        QString value;
        if (i < text.size() && text.at(i) == u'\'') {
            ++i;
            while (i < text.size() && text.at(i) != u'\'') {
                if (text.at(i) == u'\\' && i + 1 < text.size())
                    ++i;
                value.append(text.at(i++));
            }
            ++i;
        } else {
            while (i < text.size() && !text.at(i).isSpace()) {
                if (text.at(i) == u'\\' && i + 1 < text.size())
                    ++i;
                value.append(text.at(i++));
            }
        }
        pairs.insert(key, value);
    }
    return pairs;
}

// Far beyond anything a test does, so that only the tests about limits meet them.
constexpr RateLimit Unlimited {1'000'000, 1'000'000};

bool epollRequested()
{
    return qEnvironmentVariable("MESSENGER_TEST_EVENT_LOOP").toLower() == u"epoll"_s;
}

// MESSENGER_TEST_EVENT_LOOP=epoll runs the whole suite on messengerd's EpollEventDispatcher. The
// dispatcher must be installed before QTEST_GUILESS_MAIN constructs the QCoreApplication, hence
// a file-scope object: its constructor runs before main().
const struct EventLoopFromEnvironment
{
    EventLoopFromEnvironment()
    {
        const QString name = qEnvironmentVariable("MESSENGER_TEST_EVENT_LOOP").toLower();
        if (name.isEmpty() || name == u"default"_s)
            return;
        if (name != u"epoll"_s)
            qFatal("MESSENGER_TEST_EVENT_LOOP must be epoll or default, not \"%s\"",
                   qPrintable(name));
        QCoreApplication::setEventDispatcher(new EpollEventDispatcher);
    }
} eventLoopFromEnvironment;

} // namespace

TestServer::TestServer()
    : m_backend(backendFromEnvironment())
{
    m_config.listenAddress = QHostAddress::LocalHost;
    m_config.port = 0;
    m_config.dataDir = m_dir.path();
    m_config.registration = Protocol::RegistrationPolicy::Open;
    // libsodium's minimum Argon2id cost keeps hundreds of registrations fast.
    m_config.passwordOpsLimit = 1;
    m_config.passwordMemLimit = 8192;
    m_config.requests = Unlimited;
    m_config.sends = Unlimited;
    m_config.typing = Unlimited;
    m_config.logins = Unlimited;
    m_config.failedLoginsPerAccount = Unlimited;
    m_config.failedLoginsPerAddress = Unlimited;
    // The admin listener on a free port: suites run side by side, and a test asks adminPort().
    m_config.adminPort = 0;
    m_config.adminRequired = true;

    if (m_backend == Backend::Sqlite) {
        m_config.database.driver = DatabaseConfig::Driver::Sqlite;
        m_config.database.sqlitePath = m_dir.filePath(u"messenger.sqlite"_s);
    } else {
        m_config.database.driver = DatabaseConfig::Driver::Postgres;
    }
}

TestServer::~TestServer()
{
    m_clients.clear();
    stop();
}

TestServer::Backend TestServer::backendFromEnvironment()
{
    const QString name = qEnvironmentVariable("MESSENGER_TEST_BACKEND", u"sqlite"_s).toLower();
    if (name == u"postgres"_s || name == u"postgresql"_s)
        return Backend::Postgres;
    if (name != u"sqlite"_s)
        qFatal("MESSENGER_TEST_BACKEND must be sqlite or postgres, not \"%s\"", qPrintable(name));
    return Backend::Sqlite;
}

bool TestServer::setUp()
{
    if (!m_dir.isValid()) {
        m_error = u"cannot create a temporary folder: "_s + m_dir.errorString();
        return false;
    }
    if (epollRequested()
        && !qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance())) {
        m_error =
            u"MESSENGER_TEST_EVENT_LOOP=epoll, but the thread runs on %1, not EpollEventDispatcher"_s
                .arg(QString::fromLatin1(
                    QAbstractEventDispatcher::instance()->metaObject()->className()));
        return false;
    }
    return prepareDatabase() && start();
}

bool TestServer::prepareDatabase()
{
    if (m_backend == Backend::Sqlite)
        return true; // a new temporary folder holds no database yet
    return readPostgresSettings() && wipePostgres();
}

bool TestServer::readPostgresSettings()
{
    const QString text = qEnvironmentVariable("MESSENGER_TEST_PG");
    if (text.trimmed().isEmpty()) {
        m_error = u"MESSENGER_TEST_BACKEND=postgres, but MESSENGER_TEST_PG (a libpq connection "
                  "string: host port dbname user password) is not set"_s;
        return false;
    }
    const QHash<QString, QString> pairs = parseConnectionString(text);
    DatabaseConfig &db = m_config.database;
    db.host = pairs.value(u"host"_s, u"127.0.0.1"_s);
    bool portOk = true;
    db.port = pairs.contains(u"port"_s) ? pairs.value(u"port"_s).toInt(&portOk) : 5432;
    db.name = pairs.value(u"dbname"_s, db.name);
    db.user = pairs.value(u"user"_s, db.user);
    db.password = pairs.value(u"password"_s);
    if (!portOk) {
        m_error = u"MESSENGER_TEST_PG has an invalid port: "_s + pairs.value(u"port"_s);
        return false;
    }
    return true;
}

bool TestServer::wipePostgres()
{
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s)) {
        m_error = u"the Qt PostgreSQL driver QPSQL is not installed (libqt6sql6-psql)"_s;
        return false;
    }
    const DatabaseConfig &config = m_config.database;
    const QString name = nextConnectionName();
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(config.host);
        db.setPort(config.port);
        db.setDatabaseName(config.name);
        db.setUserName(config.user);
        db.setPassword(config.password);
        db.setConnectOptions(u"connect_timeout=5"_s);
        if (!db.open()) {
            m_error = u"PostgreSQL requested but unreachable (%1@%2:%3/%4): %5"_s.arg(
                config.user, config.host, QString::number(config.port), config.name,
                db.lastError().text());
        } else {
            QSqlQuery query(db);
            ok = query.exec(u"SET client_min_messages TO WARNING"_s)
                && query.exec(u"DROP SCHEMA IF EXISTS public CASCADE"_s)
                && query.exec(u"CREATE SCHEMA public"_s);
            if (!ok)
                m_error = u"cannot reset the PostgreSQL schema: "_s + query.lastError().text();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QString TestServer::nextConnectionName()
{
    static int counter = 0;
    return u"messenger-test-%1"_s.arg(++counter);
}

bool TestServer::start()
{
    if (m_server)
        return true;
    auto server = std::make_unique<MessengerServer>(m_config);
    QString error;
    if (!server->start(&error)) {
        m_error = u"the server did not start: "_s + error;
        return false;
    }
    m_server = std::move(server);
    return true;
}

void TestServer::stop()
{
    if (!m_server)
        return;
    m_server->stop();
    m_server.reset();
}

bool TestServer::restart()
{
    stop();
    return start();
}

QUrl TestServer::url() const
{
    return m_server ? m_server->url() : QUrl();
}

TestClient *TestServer::newClient()
{
    auto client = std::make_unique<TestClient>();
    if (!client->connectTo(url()))
        return nullptr;
    m_clients.push_back(std::move(client));
    return m_clients.back().get();
}

TestClient *TestServer::newUser(const QString &username)
{
    TestClient *client = newClient();
    if (!client || !client->registerUser(username))
        return nullptr;
    return client;
}

TestClient *TestServer::newDevice(const TestClient *user, const QString &deviceName)
{
    TestClient *client = newClient();
    if (!client || !client->login(user->username(), TestClient::DefaultPassword, deviceName))
        return nullptr;
    return client;
}

QString TestServer::createInvite(int uses, qint64 validForMs)
{
    try {
        Database db(m_config.database, nextConnectionName());
        db.open();
        return AccountAdmin::createInvite(db, uses, validForMs);
    } catch (const StoreError &error) {
        m_error = u"createInvite failed: "_s + error.message();
        return {};
    }
}

QVariant TestServer::queryValue(const QString &sql, const QVariantList &values)
{
    try {
        Database db(m_config.database, nextConnectionName());
        db.open();
        QSqlQuery &query = db.prepare(sql);
        for (qsizetype i = 0; i < values.size(); ++i)
            query.bindValue(int(i), values.at(i));
        db.exec(query);
        if (!query.next()) {
            m_error = u"no row for: "_s + sql;
            return {};
        }
        return query.value(0);
    } catch (const StoreError &error) {
        m_error = u"query failed: "_s + error.message();
        return {};
    }
}

QStringList TestServer::daemonArguments(QProcessEnvironment *environment) const
{
    const DatabaseConfig &db = m_config.database;
    if (db.driver == DatabaseConfig::Driver::Sqlite)
        return {u"--db-path"_s, db.sqlitePath};
    environment->insert(u"MESSENGERD_DB_PASSWORD"_s, db.password);
    return {u"--db"_s,      u"postgres"_s,  u"--db-host"_s,
            db.host,        u"--db-port"_s, QString::number(db.port),
            u"--db-name"_s, db.name,        u"--db-user"_s,
            db.user};
}
