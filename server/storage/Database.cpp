#include "Database.h"

#include "Migrations.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSqlError>
#include <QVariant>

namespace Server {

Q_LOGGING_CATEGORY(lcDatabase, "messengerd.database")

using Protocol::ErrorCode;

Database::Database(DatabaseConfig config, QString connectionName)
    : m_config(std::move(config))
    , m_connectionName(std::move(connectionName))
{
}

Database::~Database()
{
    close();
}

void Database::open()
{
    close();
    if (isPostgres()) {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
        m_db.setHostName(m_config.host);
        m_db.setPort(m_config.port);
        m_db.setDatabaseName(m_config.name);
        m_db.setUserName(m_config.user);
        m_db.setPassword(m_config.password);
        m_db.setConnectOptions(QStringLiteral("connect_timeout=5"));
    } else {
        m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
        m_db.setDatabaseName(m_config.sqlitePath);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    }
    if (!m_db.open()) {
        const QString error = m_db.lastError().text();
        close();
        throw StoreError(ErrorCode::Unavailable,
                         QStringLiteral("cannot open the database: %1").arg(error));
    }
    m_connectionLost = false;
    if (!isPostgres()) {
        // WAL lets the reader thread work while the writer commits; FULL makes every commit
        // durable before it is acknowledged.
        run(QStringLiteral("PRAGMA journal_mode=WAL"));
        run(QStringLiteral("PRAGMA synchronous=FULL"));
        run(QStringLiteral("PRAGMA foreign_keys=ON"));
        // Deleted and expired message content is overwritten in the file, not merely unlinked
        // from the b-tree (docs/self-hosting.md, "Erased messages").
        run(QStringLiteral("PRAGMA secure_delete=ON"));
    } else {
        run(QStringLiteral("SET client_min_messages TO WARNING"));
    }
}

void Database::close()
{
    m_statements.clear();
    if (m_db.isValid()) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
    }
}

bool Database::isOpen() const
{
    return m_db.isValid() && m_db.isOpen() && !m_connectionLost;
}

int Database::schemaVersion()
{
    const bool exists = m_db.tables().contains(QStringLiteral("schema_version"));
    if (!exists)
        return 0;
    QSqlQuery &q = prepare(QStringLiteral("SELECT MAX(version) FROM schema_version"));
    exec(q);
    return q.next() ? q.value(0).toInt() : 0;
}

void Database::migrate()
{
    const int current = schemaVersion();
    const auto all = Migrations::all(isPostgres());
    for (qsizetype i = current; i < all.size(); ++i) {
        const int version = int(i) + 1;
        qCInfo(lcDatabase) << "applying migration" << version;
        begin();
        try {
            for (const QString &statement : all.at(i))
                run(statement);
            if (version == 1)
                run(QStringLiteral("CREATE TABLE schema_version (version INTEGER NOT NULL)"));
            QSqlQuery &q =
                prepare(QStringLiteral("INSERT INTO schema_version (version) VALUES (?)"));
            q.addBindValue(version);
            exec(q);
            commit();
        } catch (...) {
            rollback();
            throw;
        }
    }
    // Statistics for what the migrations changed: without them PostgreSQL plans the first
    // statements on guesses (docs/performance.md, "Fresh database"). Growth after that is
    // PlannerStatistics' business.
    if (current < all.size())
        analyze();
}

void Database::analyze()
{
    if (!isPostgres())
        return;
    // The schema's own tables only: a bare ANALYZE would also try the shared catalogs, which
    // only a superuser may analyze (a warning for each).
    QSqlQuery &tables =
        prepare(QStringLiteral("SELECT string_agg(format('%I', tablename), ', ') FROM pg_tables "
                               "WHERE schemaname = current_schema()"));
    exec(tables);
    const QString list = tables.next() ? tables.value(0).toString() : QString();
    tables.finish();
    if (!list.isEmpty())
        run(QStringLiteral("ANALYZE ") + list);
}

QSqlQuery &Database::prepare(const QString &sql)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        QSqlQuery query(m_db);
        query.setForwardOnly(true);
        if (!query.prepare(sql))
            fail(query, QStringLiteral("prepare"));
        it = m_statements.insert(sql, query);
    }
    it->finish();
    return *it;
}

void Database::exec(QSqlQuery &query)
{
    if (!query.exec())
        fail(query, QStringLiteral("exec"));
}

void Database::run(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        fail(query, sql);
}

void Database::begin()
{
    if (!m_db.transaction()) {
        m_connectionLost = true;
        throw StoreError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot begin a transaction: %1").arg(m_db.lastError().text()));
    }
}

void Database::finishAll()
{
    // SQLite refuses to commit while a statement still has rows pending.
    for (QSqlQuery &query : m_statements)
        query.finish();
}

void Database::commit()
{
    finishAll();
    if (!m_db.commit()) {
        m_connectionLost = true;
        throw StoreError(ErrorCode::Unavailable,
                         QStringLiteral("commit failed: %1").arg(m_db.lastError().text()));
    }
}

void Database::rollback()
{
    finishAll();
    m_db.rollback();
}

void Database::savepoint()
{
    finishAll();
    run(QStringLiteral("SAVEPOINT job"));
}

void Database::releaseSavepoint()
{
    finishAll();
    run(QStringLiteral("RELEASE SAVEPOINT job"));
}

void Database::rollbackToSavepoint()
{
    finishAll();
    run(QStringLiteral("ROLLBACK TO SAVEPOINT job"));
}

qint64 Database::now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString Database::placeholders(int rows, int columns)
{
    QString row = QStringLiteral("(");
    for (int c = 0; c < columns; ++c)
        row += c == 0 ? QStringLiteral("?") : QStringLiteral(",?");
    row += QLatin1Char(')');
    QString all;
    all.reserve(rows * (row.size() + 1));
    for (int r = 0; r < rows; ++r) {
        if (r > 0)
            all += QLatin1Char(',');
        all += row;
    }
    return all;
}

namespace {
// QSQLITE reports every failed step as a ConnectionError, a broken UNIQUE constraint too: only
// these primary result codes mean the database file cannot be used right now.
bool sqliteUnusable(const QSqlError &error)
{
    bool ok = false;
    const int primary = error.nativeErrorCode().toInt(&ok) & 0xff;
    if (!ok)
        return error.type() == QSqlError::ConnectionError;
    switch (primary) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
    case 7: // SQLITE_NOMEM
    case 8: // SQLITE_READONLY
    case 10: // SQLITE_IOERR
    case 11: // SQLITE_CORRUPT
    case 13: // SQLITE_FULL
    case 14: // SQLITE_CANTOPEN
    case 15: // SQLITE_PROTOCOL
    case 26: // SQLITE_NOTADB
        return true;
    default:
        return false;
    }
}
} // namespace

void Database::fail(const QSqlQuery &query, const QString &what)
{
    const QSqlError error = query.lastError();
    const bool connectionError =
        error.type() == QSqlError::ConnectionError && (isPostgres() || sqliteUnusable(error));
    const bool lost = connectionError || !m_db.isOpen()
        || error.nativeErrorCode().startsWith(QLatin1String("08"))
        || error.nativeErrorCode().startsWith(QLatin1String("57P"))
        || error.text().contains(QLatin1String("server closed the connection"))
        || error.text().contains(QLatin1String("no connection to the server"));
    if (lost)
        m_connectionLost = true;
    qCWarning(lcDatabase).noquote() << "query failed:" << what << "|" << error.text();
    throw StoreError(lost ? ErrorCode::Unavailable : ErrorCode::Internal,
                     lost ? QStringLiteral("the database is unreachable; try again")
                          : QStringLiteral("the database refused the operation"));
}

} // namespace Server
