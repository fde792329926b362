#include "PlannerStatistics.h"

#include "Database.h"

#include <QLoggingCategory>
#include <QVariant>

#include <algorithm>

namespace Server {

Q_LOGGING_CATEGORY(lcStatistics, "messengerd.database.statistics")

PlannerStatistics::PlannerStatistics(QString table, QStringList tables)
    : m_table(std::move(table))
    , m_tables(std::move(tables))
{
}

void PlannerStatistics::start(Database &db, qint64 rows)
{
    // What the table held when this process started: reltuples is -1 before the first ANALYZE,
    // else its estimate. A table that is already large needs nothing from us.
    QSqlQuery &size = db.prepare(QStringLiteral(
        "SELECT reltuples FROM pg_class WHERE oid = CAST(CAST(? AS TEXT) AS regclass)"));
    size.addBindValue(m_table);
    db.exec(size);
    m_rowsAtAnalyze = size.next() ? std::max<qint64>(0, size.value(0).toLongLong()) : 0;
    size.finish();
    m_started = true;
    m_inserted = rows;
    m_done = m_rowsAtAnalyze >= StopRows;
}

void PlannerStatistics::analyze(Database &db)
{
    db.run(QStringLiteral("ANALYZE ") + m_tables.join(QStringLiteral(", ")));
    m_rowsAtAnalyze += m_inserted;
    m_inserted = 0;
    ++m_analyzeCount;
    m_done = m_rowsAtAnalyze >= StopRows;
    qCDebug(lcStatistics) << "analyzed" << m_tables << "at about" << m_rowsAtAnalyze << "rows of"
                          << m_table;
}

void PlannerStatistics::rowsInserted(Database &db, qint64 rows)
{
    if (m_done || !db.isPostgres())
        return;
    try {
        if (m_started) {
            m_inserted += rows;
            if (m_inserted < std::max(MinRows, m_rowsAtAnalyze))
                return;
        }
        // A savepoint keeps a refused statement (say, the tables belong to another role) from
        // failing the batch's transaction.
        db.run(QStringLiteral("SAVEPOINT statistics"));
        try {
            if (!m_started)
                start(db, rows);
            else
                analyze(db);
            db.run(QStringLiteral("RELEASE SAVEPOINT statistics"));
        } catch (const StoreError &) {
            if (!db.connectionLost()) {
                db.run(QStringLiteral("ROLLBACK TO SAVEPOINT statistics"));
                db.run(QStringLiteral("RELEASE SAVEPOINT statistics"));
            }
            throw;
        }
    } catch (const StoreError &error) {
        if (db.connectionLost())
            throw; // the batch fails anyway; try again on the next connection
        qCWarning(lcStatistics).noquote()
            << "cannot refresh the planner's statistics; autovacuum will:" << error.message();
        m_done = true;
    }
}

} // namespace Server
