#pragma once

#include <QString>
#include <QStringList>

namespace Server {

class Database;

//! Keeps PostgreSQL's cached plans in step with a table that grows from nothing.
//!
//! Every connection prepares its statements once, and after five executions PostgreSQL keeps a
//! generic plan made for the table's size at that moment. A plan made while `messages` held a
//! few hundred rows (a new deployment) joins it by hashing a sequential scan of the whole table,
//! and nothing replaces that plan until the table's statistics change: in a fresh database that
//! is autovacuum's first ANALYZE, up to a minute or more later, while every send batch reads the
//! whole (growing) table. docs/performance.md, "Fresh database", has the plans and figures.
//!
//! The writer reports the rows it inserts; each time the table has doubled since the last
//! ANALYZE (from MinRows on), it runs ANALYZE on the tables, inside its transaction (ANALYZE
//! takes a lock that inserts and reads do not wait for). That invalidates every connection's
//! cached plans on them, and the next ones are made for the table's real size. From a few
//! thousand rows on the plans probe the indexes, and growth never makes a probe plan worse, so
//! past StopRows (8 ANALYZEs, the last one ~70 ms) autovacuum's own cadence is enough. SQLite
//! needs none of it: without statistics its planner assumes large tables and uses the indexes.
class PlannerStatistics
{
public:
    static constexpr qint64 MinRows = 1000;
    static constexpr qint64 StopRows = 100'000;

    //! `table` is the one whose growth is counted; every table in `tables` is analyzed.
    PlannerStatistics(QString table, QStringList tables);

    //! After `rows` rows went into the table on `db` (PostgreSQL only), in the writer's
    //! transaction. Never throws: a failed ANALYZE is logged once and not tried again.
    void rowsInserted(Database &db, qint64 rows);

    int analyzeCount() const { return m_analyzeCount; }

private:
    void start(Database &db, qint64 rows);
    void analyze(Database &db);

    QString m_table;
    QStringList m_tables;
    bool m_started = false;
    bool m_done = false;
    qint64 m_rowsAtAnalyze = 0; //!< the table's size at the last ANALYZE (or at start)
    qint64 m_inserted = 0; //!< rows inserted since then
    int m_analyzeCount = 0;
};

} // namespace Server
