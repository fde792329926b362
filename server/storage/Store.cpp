#include "Store.h"

#include <QLoggingCategory>
#include <QMutex>
#include <QThread>
#include <QWaitCondition>

#include <chrono>
#include <deque>

namespace Server {

Q_DECLARE_LOGGING_CATEGORY(lcDatabase)

using Protocol::ErrorCode;

namespace {
constexpr int MaxJobsPerTransaction = 512;
}

//! A database thread: a queue of jobs and the connection that runs them.
class StoreWorker : public QThread
{
public:
    StoreWorker(Store *store, StoreStats *stats, DatabaseConfig config, const QString &name,
                bool transactional)
        : m_store(store)
        , m_stats(stats)
        , m_db(std::move(config), name)
        , m_transactional(transactional)
    {
        setObjectName(name);
    }

    void enqueue(StoreJob job)
    {
        QMutexLocker lock(&m_mutex);
        m_queue.push_back(std::move(job));
        m_depth.fetch_add(1, std::memory_order_relaxed);
        m_wake.wakeOne();
    }

    //! Jobs queued or running.
    int depth() const { return m_depth.load(std::memory_order_relaxed); }

    void stop()
    {
        {
            QMutexLocker lock(&m_mutex);
            m_stopping = true;
            m_wake.wakeOne();
        }
        wait();
    }

protected:
    void run() override
    {
        for (;;) {
            std::vector<StoreJob> batch;
            {
                QMutexLocker lock(&m_mutex);
                while (m_queue.empty() && !m_stopping)
                    m_wake.wait(&m_mutex);
                if (m_queue.empty() && m_stopping)
                    break;
                const std::size_t take = m_transactional
                    ? std::min<std::size_t>(m_queue.size(), MaxJobsPerTransaction)
                    : 1;
                batch.reserve(take);
                for (std::size_t i = 0; i < take; ++i) {
                    batch.push_back(std::move(m_queue.front()));
                    m_queue.pop_front();
                }
            }
            const auto started = std::chrono::steady_clock::now();
            execute(batch);
            const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::steady_clock::now() - started)
                                    .count();
            // A reader runs one job at a time; the writer one transaction (a group commit).
            (m_transactional ? m_stats->writeMicros : m_stats->readMicros).observe(quint64(micros));
            if (m_transactional)
                m_stats->batchSize.observe(batch.size());
            m_depth.fetch_sub(int(batch.size()), std::memory_order_relaxed);
            deliver(std::move(batch));
        }
        m_db.close();
    }

private:
    static void failJob(StoreJob &job, ErrorCode code, const QString &message)
    {
        job.failed = true;
        job.fail(code, message);
    }

    bool ensureOpen(std::vector<StoreJob> &batch)
    {
        if (m_db.isOpen())
            return true;
        try {
            m_db.open();
            if (m_everOpened)
                qCInfo(lcDatabase) << objectName() << "reconnected to the database";
            m_everOpened = true;
            return true;
        } catch (const StoreError &e) {
            for (StoreJob &job : batch)
                failJob(job, ErrorCode::Unavailable, e.message());
            return false;
        }
    }

    // A connection that died while idle (the database server restarted) fails at BEGIN, before
    // anything of the batch ran: reconnect once and go on rather than fail jobs that never
    // reached the database. False (the jobs failed) when the database is still unreachable.
    bool beginTransaction(std::vector<StoreJob> &batch)
    {
        try {
            m_db.begin();
            return true;
        } catch (const StoreError &) {
            if (!m_db.connectionLost())
                throw;
        }
        m_db.close();
        if (!ensureOpen(batch))
            return false;
        m_db.begin();
        return true;
    }

    void execute(std::vector<StoreJob> &batch)
    {
        if (!ensureOpen(batch))
            return;
        if (!m_transactional) {
            for (StoreJob &job : batch) {
                try {
                    job.run(m_db);
                } catch (const StoreError &e) {
                    failJob(job, e.code(), e.message());
                }
                m_db.finishAll(); // the next read must see the newest commit
            }
            return;
        }
        // Savepoints keep one job's failure from undoing the others; a batch that is one unit
        // (a single job, or a single group of sends) needs none.
        std::size_t units = 0;
        for (std::size_t i = 0; i < batch.size(); ++i)
            units += (i == 0 || !batch[i].batch || batch[i].batch != batch[i - 1].batch) ? 1 : 0;
        const bool savepoints = units > 1;
        if (!savepoints && batch.size() > 1) {
            runAlone(batch);
            return;
        }
        try {
            if (!beginTransaction(batch))
                return;
            for (std::size_t i = 0; i < batch.size();) {
                std::size_t end = i + 1;
                if (batch[i].batch) {
                    while (end < batch.size() && batch[end].batch == batch[i].batch)
                        ++end;
                    runGroup(batch, i, end, savepoints);
                } else {
                    runSingle(batch[i], savepoints);
                }
                i = end;
            }
            m_db.commit();
        } catch (const StoreError &e) {
            // The transaction as a whole failed (commit, or the connection went away):
            // nothing of this batch is stored, so nothing of it may be acknowledged.
            m_db.rollback();
            const ErrorCode code = m_db.connectionLost() ? ErrorCode::Unavailable : e.code();
            for (StoreJob &job : batch) {
                if (!job.failed)
                    failJob(job, code == ErrorCode::None ? ErrorCode::Unavailable : code,
                            code == ErrorCode::Unavailable ? QStringLiteral(
                                "storage is unavailable; nothing was stored, try again")
                                                           : e.message());
            }
            if (m_db.connectionLost())
                m_db.close();
        }
    }

    // One group of sends and nothing else: one transaction without savepoints. Should the group
    // fail as a whole (it should not: its checks run before it writes), its jobs are run again
    // one by one, each in its own transaction, so only the culprit fails.
    void runAlone(std::vector<StoreJob> &batch)
    {
        std::vector<StoreJob *> jobs;
        jobs.reserve(batch.size());
        for (StoreJob &job : batch)
            jobs.push_back(&job);
        try {
            if (!beginTransaction(batch))
                return;
            batch.front().batch->runBatch(m_db, jobs);
            m_db.commit();
            return;
        } catch (const StoreError &) {
            m_db.rollback();
            if (m_db.connectionLost()) {
                for (StoreJob &job : batch)
                    failJob(
                        job, ErrorCode::Unavailable,
                        QStringLiteral("storage is unavailable; nothing was stored, try again"));
                m_db.close();
                return;
            }
        }
        for (StoreJob &job : batch) {
            job.failed = false;
            std::vector<StoreJob> one;
            one.push_back(std::move(job));
            execute(one);
            job = std::move(one.front());
        }
    }

    // A single job; with savepoints its failure rolls back only its own changes. Without them
    // (a batch of one) a failure propagates and the whole transaction rolls back.
    void runSingle(StoreJob &job, bool savepoints)
    {
        if (!savepoints) {
            try {
                job.run(m_db);
            } catch (const StoreError &e) {
                failJob(job, e.code(), e.message());
                throw; // roll the transaction back: none of the job's changes may stay
            }
            return;
        }
        m_db.savepoint();
        try {
            job.run(m_db);
            m_db.releaseSavepoint();
        } catch (const StoreError &e) {
            if (m_db.connectionLost())
                throw;
            m_db.rollbackToSavepoint();
            failJob(job, e.code(), e.message());
        }
    }

    void runGroup(std::vector<StoreJob> &batch, std::size_t begin, std::size_t end, bool savepoints)
    {
        std::vector<StoreJob *> jobs;
        for (std::size_t i = begin; i < end; ++i)
            jobs.push_back(&batch[i]);
        BatchRunner *runner = batch[begin].batch;
        if (savepoints)
            m_db.savepoint();
        try {
            runner->runBatch(m_db, jobs);
            if (savepoints)
                m_db.releaseSavepoint();
            return;
        } catch (const StoreError &e) {
            if (!savepoints) {
                for (StoreJob *job : jobs)
                    failJob(*job, e.code(), e.message());
                throw;
            }
            if (m_db.connectionLost())
                throw;
            m_db.rollbackToSavepoint();
            m_db.releaseSavepoint();
        }
        // The group failed as a whole: run its jobs one by one so only the culprit fails.
        for (StoreJob *job : jobs) {
            m_db.savepoint();
            try {
                StoreJob *one[] = {job};
                runner->runBatch(m_db, one);
                m_db.releaseSavepoint();
            } catch (const StoreError &e) {
                if (m_db.connectionLost())
                    throw;
                m_db.rollbackToSavepoint();
                failJob(*job, e.code(), e.message());
            }
        }
    }

    void deliver(std::vector<StoreJob> batch)
    {
        // One event per batch: completions run on the Store's thread, in queue order.
        // The pending count drops only after a completion ran: one that queues a follow-up job
        // keeps the count above zero throughout.
        auto jobs = std::make_shared<std::vector<StoreJob>>(std::move(batch));
        QMetaObject::invokeMethod(
            m_store,
            [store = m_store, jobs] {
                for (StoreJob &job : *jobs) {
                    if (job.context)
                        job.complete();
                }
                store->m_pending -= int(jobs->size());
            },
            Qt::QueuedConnection);
    }

    Store *m_store;
    StoreStats *m_stats;
    Database m_db;
    bool m_transactional;
    bool m_everOpened = false;
    QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<StoreJob> m_queue;
    bool m_stopping = false;
    std::atomic<int> m_depth = 0;
};

Store::Store(DatabaseConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
}

Store::~Store()
{
    stop();
}

void Store::open()
{
    {
        Database db(m_config, QStringLiteral("messengerd-migrate"));
        db.open();
        db.migrate();
    }
    m_writer = std::make_unique<StoreWorker>(this, &m_stats, m_config,
                                             QStringLiteral("messengerd-writer"), true);
    for (int i = 0; i < std::max(1, m_config.readers); ++i)
        m_readers.push_back(std::make_unique<StoreWorker>(
            this, &m_stats, m_config, QStringLiteral("messengerd-reader-%1").arg(i + 1), false));
    m_writer->start();
    for (const auto &reader : m_readers)
        reader->start();
}

void Store::stop()
{
    if (m_writer)
        m_writer->stop();
    for (const auto &reader : m_readers)
        reader->stop();
    m_writer.reset();
    m_readers.clear();
}

int Store::writerQueueDepth() const
{
    return m_writer ? m_writer->depth() : 0;
}

QList<int> Store::readerQueueDepths() const
{
    QList<int> depths;
    for (const auto &reader : m_readers)
        depths.append(reader->depth());
    return depths;
}

void Store::submit(bool write, StoreJob job)
{
    Q_ASSERT(m_writer && !m_readers.empty());
    ++m_pending;
    if (write)
        m_writer->enqueue(std::move(job));
    else
        m_readers[m_nextReader++ % m_readers.size()]->enqueue(std::move(job));
}

} // namespace Server
