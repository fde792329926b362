#pragma once

#include "protocol/Protocol.h"

#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <exception>

namespace Server {

//! Where the server keeps its data: an SQLite file (the embedded default) or PostgreSQL.
struct DatabaseConfig
{
    enum class Driver { Sqlite, Postgres };
    Driver driver = Driver::Sqlite;
    QString sqlitePath; //!< file for SQLite
    QString host = QStringLiteral("127.0.0.1");
    int port = 5432;
    QString name = QStringLiteral("messenger");
    QString user = QStringLiteral("messenger");
    QString password;
    //! Reader threads, each with its own connection. A read waits on round trips to the database
    //! far more than it uses a core, so several overlap even on two cores (resumes are reads).
    int readers = 3;
};

//! Thrown on the database threads only, and always caught there: a job that fails with it is
//! rolled back and answered with its code and message.
class StoreError : public std::exception
{
public:
    StoreError(Protocol::ErrorCode code, QString message)
        : m_code(code)
        , m_message(std::move(message))
    {
    }
    Protocol::ErrorCode code() const { return m_code; }
    const QString &message() const { return m_message; }
    const char *what() const noexcept override { return "StoreError"; }

private:
    Protocol::ErrorCode m_code;
    QString m_message;
};

//! One connection to the database, used by exactly one thread. Prepared statements are cached
//! by their SQL text. Every failure throws StoreError.
class Database
{
public:
    explicit Database(DatabaseConfig config, QString connectionName);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    void open(); //!< throws StoreError(Unavailable) when the database cannot be reached
    void close();
    bool isOpen() const;
    void migrate(); //!< applies the migrations the schema has not seen yet
    //! PostgreSQL: ANALYZE on every table of the schema (after migrations or an import), so
    //! the planner works from statistics, not guesses. Nothing on SQLite.
    void analyze();
    int schemaVersion();

    bool isPostgres() const { return m_config.driver == DatabaseConfig::Driver::Postgres; }

    //! A prepared statement for sql, from the cache. Values bound earlier are cleared.
    QSqlQuery &prepare(const QString &sql);
    //! Executes a prepared, bound query; throws on failure.
    void exec(QSqlQuery &query);
    //! Executes a statement without parameters (DDL, BEGIN, ...).
    void run(const QString &sql);

    void begin();
    void commit();
    void rollback();
    void savepoint();
    void releaseSavepoint();
    void rollbackToSavepoint();

    //! Ends every cached statement's result set. SQLite keeps a read snapshot (and refuses to
    //! commit or release a savepoint) while any statement still has rows pending.
    void finishAll();

    //! True after an error that means the connection itself is gone.
    bool connectionLost() const { return m_connectionLost; }

    static qint64 now(); //!< milliseconds since the epoch
    //! "?, ?, ?" style placeholder rows: "(?,?),(?,?)" for rows=2, columns=2.
    static QString placeholders(int rows, int columns);

private:
    [[noreturn]] void fail(const QSqlQuery &query, const QString &what);

    DatabaseConfig m_config;
    QString m_connectionName;
    QSqlDatabase m_db;
    QHash<QString, QSqlQuery> m_statements;
    bool m_connectionLost = false;
};

} // namespace Server
