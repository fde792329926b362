#include "BlobSweeper.h"

#include "BlobQueries.h"
#include "BlobService.h"

#include "ops/Metrics.h"
#include "storage/Store.h"

#include <QLoggingCategory>
#include <QSet>

namespace Server {

Q_LOGGING_CATEGORY(lcBlobSweep, "messengerd.media.sweep")

BlobSweeper::BlobSweeper(Store *store, BlobService *service, int intervalMs, qint64 unusedMs,
                         qint64 retentionMs, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_service(service)
    , m_unusedMs(unusedMs)
    , m_retentionMs(retentionMs)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &BlobSweeper::sweep);
}

void BlobSweeper::start()
{
    m_timer.start();
    sweep();
}

void BlobSweeper::sweep()
{
    if (m_running)
        return; // the previous sweep is still under way
    m_running = true;
    m_removed = 0;
    const qint64 now = Database::now();
    const qint64 unusedBefore = now - m_unusedMs;
    const qint64 retainedSince = m_retentionMs > 0 ? now - m_retentionMs : 0;
    m_store->write(
        this,
        [unusedBefore, retainedSince](Database &db) {
            return BlobQueries::sweep(db, unusedBefore, retainedSince, BatchSize);
        },
        [this](const Result<BlobQueries::Swept> &result) {
            if (!result.ok()) {
                m_running = false;
                qCWarning(lcBlobSweep).noquote()
                    << "sweeping blobs failed, retried later:" << result.message;
                return;
            }
            const QStringList ids = result->ids;
            m_service->forget(ids);
            m_service->io()->run(
                this,
                [blobs = m_service->blobs(), ids] {
                    for (const QString &id : ids)
                        blobs->remove(id);
                    return int(ids.size());
                },
                [this](int removed) {
                    m_removed += removed;
                    if (removed >= BatchSize) {
                        m_running = false;
                        sweep();
                        return;
                    }
                    sweepFiles();
                });
        });
}

void BlobSweeper::sweepFiles()
{
    // Files first, rows after: a row is always committed before its file is created, so a file
    // listed now whose row is missing later has lost its row for good.
    m_service->io()->run(
        this, [blobs = m_service->blobs()] { return blobs->allIds(); },
        [this](const QStringList &files) {
            m_store->read(
                this, [files](Database &db) { return BlobQueries::existing(db, files); },
                [this, files](const Result<QStringList> &result) {
                    if (!result.ok()) {
                        m_running = false;
                        return;
                    }
                    const QSet<QString> rows(result->begin(), result->end());
                    QStringList orphans;
                    for (const QString &id : files) {
                        if (!rows.contains(id))
                            orphans.append(id);
                    }
                    m_service->io()->run(
                        this,
                        [blobs = m_service->blobs(), orphans] {
                            for (const QString &id : orphans)
                                blobs->remove(id);
                            return int(orphans.size());
                        },
                        [this](int orphanCount) {
                            m_running = false;
                            m_service->metrics()->addBlobsSwept(m_removed);
                            updateTotals();
                            if (m_removed > 0 || orphanCount > 0)
                                qCInfo(lcBlobSweep) << "removed" << m_removed << "blob(s) and"
                                                    << orphanCount << "orphan file(s)";
                            Q_EMIT swept(m_removed, orphanCount);
                        });
                });
        });
}

void BlobSweeper::updateTotals()
{
    m_store->read(
        this, [](Database &db) { return BlobQueries::totals(db); },
        [this](const Result<std::pair<qint64, qint64>> &result) {
            if (result.ok())
                m_service->metrics()->setBlobsStored(result->first, result->second);
        });
}

} // namespace Server
