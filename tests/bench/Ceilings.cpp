#include "Ceilings.h"

#include "ClientLoop.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QVariant>

namespace Bench::Ceilings {

namespace {

// Shaped like the server's messages table (server/storage/Migrations.cpp): the same keys and
// the same unique index, so the database does the same work per row.
const char *const ScratchTable = R"(CREATE TABLE bench_ceiling (
    conversation_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    sender_id BIGINT NOT NULL,
    client_id TEXT,
    kind SMALLINT NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    content %1,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, seq)))";
const char *const ScratchIndex =
    "CREATE UNIQUE INDEX bench_ceiling_client ON bench_ceiling(sender_id, client_id)";

QString connectionName()
{
    static int counter = 0;
    return QStringLiteral("messenger-bench-%1").arg(++counter);
}

//! Runs statements on a fresh connection to the benchmark database.
bool runOnPostgres(const BenchOptions &options, const QStringList &statements, QString *error)
{
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        *error = QStringLiteral("the Qt PostgreSQL driver QPSQL is not installed");
        return false;
    }
    const QString name = connectionName();
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(options.pgHost);
        db.setPort(options.pgPort);
        db.setDatabaseName(options.pgDatabase);
        db.setUserName(options.pgUser);
        db.setPassword(options.pgPassword);
        db.setConnectOptions(QStringLiteral("connect_timeout=5"));
        if (!db.open()) {
            *error = QStringLiteral("cannot reach PostgreSQL %1@%2:%3/%4: %5")
                         .arg(options.pgUser, options.pgHost)
                         .arg(options.pgPort)
                         .arg(options.pgDatabase, db.lastError().text());
        } else {
            QSqlQuery query(db);
            ok = true;
            for (const QString &statement : statements) {
                if (!query.exec(statement)) {
                    *error =
                        QStringLiteral("%1: %2").arg(statement.left(60), query.lastError().text());
                    ok = false;
                    break;
                }
            }
            query.finish();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

QString payloadHex(int bytes)
{
    QByteArray payload(bytes, 'x');
    return QString::fromLatin1(payload.toHex());
}

struct PgbenchRun
{
    double tps = 0;
    double latencyMs = 0;
    QString error;
};

PgbenchRun runPgbench(const BenchOptions &options, const QString &scriptPath)
{
    PgbenchRun run;
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PGPASSWORD"), options.pgPassword);
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    QString program = options.pgbench;
    if (program == QLatin1String("pgbench") && QStandardPaths::findExecutable(program).isEmpty())
        program = QStringLiteral("/usr/lib/postgresql/15/bin/pgbench");
    process.start(program,
                  {QStringLiteral("-n"), QStringLiteral("-M"), QStringLiteral("prepared"),
                   QStringLiteral("-c"), QStringLiteral("1"), QStringLiteral("-T"),
                   QString::number(qMax(1, int(options.pgbenchSeconds))), QStringLiteral("-h"),
                   options.pgHost, QStringLiteral("-p"), QString::number(options.pgPort),
                   QStringLiteral("-U"), options.pgUser, QStringLiteral("-f"), scriptPath,
                   options.pgDatabase});
    if (!process.waitForStarted(10'000)) {
        run.error = QStringLiteral("cannot run %1: %2").arg(program, process.errorString());
        return run;
    }
    process.waitForFinished(int(options.pgbenchSeconds * 1000) + 60'000);
    const QString output = QString::fromLocal8Bit(process.readAll());
    static const QRegularExpression tps(QStringLiteral("tps = ([0-9.]+)"));
    static const QRegularExpression latency(QStringLiteral("latency average = ([0-9.]+) ms"));
    const auto tpsMatch = tps.match(output);
    if (process.exitCode() != 0 || !tpsMatch.hasMatch()) {
        run.error = QStringLiteral("pgbench failed: %1").arg(output.trimmed().right(400));
        return run;
    }
    run.tps = tpsMatch.captured(1).toDouble();
    run.latencyMs = latency.match(output).captured(1).toDouble();
    return run;
}

bool writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    file.write(text.toUtf8());
    return true;
}

} // namespace

bool resetPostgres(const BenchOptions &options, QString *error)
{
    return runOnPostgres(options,
                         {QStringLiteral("SET client_min_messages TO WARNING"),
                          QStringLiteral("DROP SCHEMA IF EXISTS public CASCADE"),
                          QStringLiteral("CREATE SCHEMA public")},
                         error);
}

Ceiling measurePostgres(const BenchOptions &options, const QString &workDir)
{
    Ceiling ceiling;
    ceiling.seconds = qMax(1, int(options.pgbenchSeconds));
    if (!resetPostgres(options, &ceiling.error))
        return ceiling;
    if (!runOnPostgres(options,
                       {QString::fromLatin1(ScratchTable).arg(QStringLiteral("BYTEA")),
                        QString::fromLatin1(ScratchIndex),
                        QStringLiteral("CREATE SEQUENCE bench_ceiling_seq")},
                       &ceiling.error))
        return ceiling;

    const QString columns =
        QStringLiteral("INSERT INTO bench_ceiling (conversation_id, seq, sender_id, client_id, "
                       "kind, content_type, content, created_at) ");
    const QString content = QStringLiteral("'\\x%1'::bytea").arg(payloadHex(options.payloadBytes));
    const QString single = columns
        + QStringLiteral("SELECT 1, s, 1, 'c' || s, 1, 'text/plain', %1, 0 "
                         "FROM (SELECT nextval('bench_ceiling_seq') AS s) g;\n")
              .arg(content);
    const QString hundred = columns
        + QStringLiteral(
              "SELECT 1, s, 1, 'c' || s, 1, 'text/plain', %1, 0 FROM "
              "(SELECT nextval('bench_ceiling_seq') AS s FROM generate_series(1, 100)) g;\n")
              .arg(content);
    const QString singlePath = workDir + QStringLiteral("/pgbench-single.sql");
    const QString hundredPath = workDir + QStringLiteral("/pgbench-hundred.sql");
    if (!writeFile(singlePath, single) || !writeFile(hundredPath, hundred)) {
        ceiling.error = QStringLiteral("cannot write the pgbench scripts into %1").arg(workDir);
        return ceiling;
    }
    const PgbenchRun one = runPgbench(options, singlePath);
    if (!one.error.isEmpty()) {
        ceiling.error = one.error;
        return ceiling;
    }
    const PgbenchRun many = runPgbench(options, hundredPath);
    if (!many.error.isEmpty()) {
        ceiling.error = many.error;
        return ceiling;
    }
    QString ignored;
    runOnPostgres(options,
                  {QStringLiteral("DROP TABLE bench_ceiling"),
                   QStringLiteral("DROP SEQUENCE bench_ceiling_seq")},
                  &ignored);
    ceiling.singleTps = one.tps;
    ceiling.singleLatencyMs = one.latencyMs;
    ceiling.hundredRowsPerSecond = many.tps * 100;
    ceiling.measured = true;
    return ceiling;
}

Ceiling measureSqlite(const BenchOptions &options, const QString &workDir)
{
    Ceiling ceiling;
    ceiling.seconds = qMax(1, int(options.pgbenchSeconds));
    const QString path = workDir + QStringLiteral("/ceiling.sqlite");
    QFile::remove(path);
    const QString name = connectionName();
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open()) {
            ceiling.error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
            q.exec(QStringLiteral("PRAGMA synchronous=FULL"));
            q.exec(QString::fromLatin1(ScratchTable).arg(QStringLiteral("BLOB")));
            q.exec(QString::fromLatin1(ScratchIndex));
            const QByteArray content(options.payloadBytes, 'x');
            qint64 seq = 0;
            const auto insertFor = [&](int rows, double *perSecond, double *latencyMs) {
                QString sql =
                    QStringLiteral("INSERT INTO bench_ceiling (conversation_id, seq, sender_id, "
                                   "client_id, kind, content_type, content, created_at) VALUES ");
                for (int i = 0; i < rows; ++i)
                    sql += (i ? QStringLiteral(",") : QString())
                        + QStringLiteral("(1, ?, 1, ?, 1, 'text/plain', ?, 0)");
                QSqlQuery insert(db);
                insert.prepare(sql);
                const std::int64_t start = nowNs();
                const std::int64_t end = start + std::int64_t(ceiling.seconds * 1e9);
                qint64 transactions = 0;
                while (nowNs() < end) {
                    for (int i = 0; i < rows; ++i) {
                        ++seq;
                        insert.addBindValue(seq);
                        insert.addBindValue(QStringLiteral("c%1").arg(seq));
                        insert.addBindValue(content);
                    }
                    if (!insert.exec()) {
                        ceiling.error = insert.lastError().text();
                        return false;
                    }
                    ++transactions;
                }
                const double seconds = double(nowNs() - start) / 1e9;
                *perSecond = double(transactions) * rows / seconds;
                if (latencyMs)
                    *latencyMs = seconds * 1000 / double(transactions);
                return true;
            };
            double hundredTps = 0;
            ceiling.measured = insertFor(1, &ceiling.singleTps, &ceiling.singleLatencyMs)
                && insertFor(100, &hundredTps, nullptr);
            ceiling.hundredRowsPerSecond = hundredTps;
            q.finish();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    return ceiling;
}

} // namespace Bench::Ceilings
