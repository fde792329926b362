#pragma once

#include "BenchOptions.h"

#include <QString>

namespace Bench {

//! What the database alone manages from one client: the yardstick the server's figures are
//! divided by, measured in the same run on the same machine.
struct Ceiling
{
    bool measured = false;
    QString error;
    double singleTps = 0; //!< single-row INSERT transactions/s
    double singleLatencyMs = 0; //!< average latency of one of them
    double hundredRowsPerSecond = 0; //!< rows/s inserted 100 per transaction
    double seconds = 0; //!< length of each run
};

namespace Ceilings {

//! Wipes the public schema of the benchmark database (every scenario starts empty).
bool resetPostgres(const BenchOptions &options, QString *error);

//! Runs pgbench (one client, prepared statements) twice on the benchmark database: single-row
//! INSERTs, then 100-row INSERTs, into a scratch table shaped like the server's messages table.
Ceiling measurePostgres(const BenchOptions &options, const QString &workDir);

//! The same two INSERT loops against an SQLite file with the server's pragmas
//! (WAL, synchronous=FULL), from this process.
Ceiling measureSqlite(const BenchOptions &options, const QString &workDir);

} // namespace Ceilings
} // namespace Bench
