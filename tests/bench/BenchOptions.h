#pragma once

#include <QString>
#include <QStringList>

#include <vector>

class QCoreApplication;

namespace Bench {

//! Everything the command line sets. Defaults are the full run; --quick swaps in small sizes
//! for any size not given explicitly.
struct BenchOptions
{
    enum class Database { Sqlite, Postgres };
    enum class ServerMode { Auto, InProcess, Spawn };

    QStringList scenarios {
        QStringLiteral("connections"), QStringLiteral("direct"), QStringLiteral("group"),
        QStringLiteral("mixed"),       QStringLiteral("fresh"),  QStringLiteral("media"),
    };
    bool quick = false;
    Database database = Database::Postgres;
    ServerMode serverMode = ServerMode::Auto;
    QString messengerd; //!< the server binary for spawn mode
    QStringList serverEnvironment; //!< KEY=VALUE pairs added to the spawned server's environment
    QString jsonPath = QStringLiteral("messenger-bench.json");
    QString workDir; //!< empty: a temporary folder
    bool keepWorkDir = false;
    int sourceAddresses = 0; //!< 127.0.0.2 ... ; 0 picks by connection count

    // PostgreSQL (the server's database and pgbench's)
    QString pgHost = QStringLiteral("127.0.0.1");
    int pgPort = 5432;
    QString pgDatabase = QStringLiteral("messenger_bench");
    QString pgUser = QStringLiteral("messenger_test");
    QString pgPassword = QStringLiteral("messenger_test");
    QString pgbench = QStringLiteral("pgbench");
    double pgbenchSeconds = 10;
    bool skipPgbench = false;

    // connections
    int connections = 100'000;
    int connectParallel = 256;
    double holdSeconds = 30;
    double heartbeatSeconds = 30;

    // direct
    int pairs = 100;
    int window = 8;
    double durationSeconds = 15;
    double warmupSeconds = 2;
    std::vector<double> rateFractions {0.5, 0.8};
    double rate = 0; //!< messages/s for the paced phases; 0 means fractions of the flat-out rate
    int payloadBytes = 100;

    // group
    int groups = 1;
    int groupSize = 256;
    int groupSenders = 4;
    int groupWindow = 4;

    // fresh (direct traffic on a database created just before; --pairs and --window apply)
    double freshSeconds = 60;
    double freshWindowSeconds = 10;

    // mixed
    int mixedUsers = 2000;
    double mixedRate = 500;
    int mixedGroupSize = 10;
    double directShare = 0.7;
    double typingShare = 0.3;
    double receiptShare = 0.3;
    double churnPerSecond = 20;

    // media (blob transfers; --duration sets each chat phase)
    int mediaMib = 100; //!< the large upload and download
    int mediaUsers = 8; //!< users transferring at once
    int mediaUserMib = 16; //!< what each of them transfers
    int mediaChatPairs = 16;
    double mediaChatRate = 100; //!< chat messages/s in total during the latency phases

    //! Parses the command line; exits on --help or an error.
    static BenchOptions parse(const QCoreApplication &app);
    bool runs(const char *scenario) const { return scenarios.contains(QLatin1String(scenario)); }
    QString databaseName() const
    {
        return database == Database::Postgres ? QStringLiteral("postgres")
                                              : QStringLiteral("sqlite");
    }
};

} // namespace Bench
