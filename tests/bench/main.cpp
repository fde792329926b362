#include "BenchOptions.h"
#include "Ceilings.h"
#include "Report.h"
#include "Resources.h"
#include "Scenario.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <csignal>
#include <memory>

using namespace Bench;

namespace {

QJsonObject describeRun(const BenchOptions &o)
{
    return {
        {QStringLiteral("tool"), QStringLiteral("messenger-bench " MESSENGER_VERSION)},
        {QStringLiteral("started"), QDateTime::currentDateTime().toString(Qt::ISODate)},
        {QStringLiteral("host"), QSysInfo::machineHostName()},
        {QStringLiteral("kernel"), QSysInfo::kernelVersion()},
        {QStringLiteral("cores"), cpuCount()},
        {QStringLiteral("database"), o.databaseName()},
        {QStringLiteral("quick"), o.quick},
        {QStringLiteral("scenarios"), QJsonArray::fromStringList(o.scenarios)},
        {QStringLiteral("arguments"), QJsonArray::fromStringList(QCoreApplication::arguments())}};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("messenger-bench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MESSENGER_VERSION));
    BenchOptions options = BenchOptions::parse(app);
    if (options.messengerd.isEmpty())
        options.messengerd = QStringLiteral(MESSENGERD_PATH);
    std::signal(SIGPIPE, SIG_IGN); // a server that goes away must not kill the client
    QTextStream err(stderr);

    std::unique_ptr<QTemporaryDir> temporary;
    QString workDir = options.workDir;
    if (workDir.isEmpty()) {
        temporary = std::make_unique<QTemporaryDir>(QDir::tempPath()
                                                    + QStringLiteral("/messenger-bench-XXXXXX"));
        temporary->setAutoRemove(!options.keepWorkDir);
        workDir = temporary->path();
    } else if (!QDir().mkpath(workDir)) {
        err << "messenger-bench: cannot create " << workDir << Qt::endl;
        return 2;
    }
    workDir = QDir(workDir).absolutePath();

    Report report;
    report.setRun(describeRun(options));

    Ceiling postgres;
    Ceiling sqlite;
    if (options.skipPgbench) {
        postgres.error = QStringLiteral("skipped (--no-pgbench)");
    } else {
        err << "measuring PostgreSQL's ceiling with pgbench (" << options.pgbenchSeconds
            << " s x 2)..." << Qt::endl;
        postgres = Ceilings::measurePostgres(options, workDir);
        if (!postgres.measured)
            err << "  not measured: " << postgres.error << Qt::endl;
    }
    if (options.database == BenchOptions::Database::Sqlite) {
        err << "measuring SQLite's ceiling..." << Qt::endl;
        sqlite = Ceilings::measureSqlite(options, workDir);
    }
    report.setCeilings(postgres, sqlite);

    ScenarioContext context {options, report, workDir};
    const struct
    {
        const char *name;
        void (*run)(ScenarioContext &);
    } scenarios[] = {{"connections", runConnectionsScenario},
                     {"direct", runDirectScenario},
                     {"group", runGroupScenario},
                     {"mixed", runMixedScenario},
                     {"fresh", runFreshScenario},
                     {"media", runMediaScenario}};
    for (const auto &scenario : scenarios) {
        if (!options.runs(scenario.name))
            continue;
        err << "running " << scenario.name << "..." << Qt::endl;
        const std::int64_t start = nowNs();
        scenario.run(context);
        err << "  done in " << QString::number(double(nowNs() - start) / 1e9, 'f', 1) << " s"
            << Qt::endl;
    }

    QTextStream out(stdout);
    out << "\nmessenger-bench " << MESSENGER_VERSION << " - database " << options.databaseName()
        << ", " << cpuCount() << " cores" << (options.quick ? ", quick" : "") << "\n\n"
        << report.table() << "\n";
    QFile json(options.jsonPath);
    if (!json.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        err << "messenger-bench: cannot write " << options.jsonPath << Qt::endl;
        return 1;
    }
    json.write(QJsonDocument(report.json()).toJson());
    out << "\nresults written to " << QFileInfo(json).absoluteFilePath() << Qt::endl;
    if (options.keepWorkDir)
        out << "work folder kept: " << workDir << Qt::endl;
    return report.hasErrors() ? 1 : 0;
}
