#pragma once

#include "Database.h"

#include "ops/Histogram.h"
#include <QObject>

#include <QPointer>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace Server {

//! The outcome of a job run on a database thread: a value, or an error code and message.
template<typename T>
struct Result
{
    std::optional<T> value;
    Protocol::ErrorCode error = Protocol::ErrorCode::None;
    QString message;

    bool ok() const { return error == Protocol::ErrorCode::None && value.has_value(); }
    const T &operator*() const { return *value; }
    const T *operator->() const { return &*value; }
};

struct StoreJob;

//! Runs consecutive jobs that share it as one unit (e.g. sends: one multi-row insert).
class BatchRunner
{
public:
    virtual ~BatchRunner() = default;
    //! Runs every job of the span, storing each one's result or error. Throwing StoreError fails
    //! the whole group, which the worker then retries job by job.
    virtual void runBatch(Database &db, std::span<StoreJob *> jobs) = 0;
};

struct StoreJob
{
    std::function<void(Database &)> run;
    std::function<void(Protocol::ErrorCode, const QString &)> fail;
    std::function<void()> complete; //!< runs on the Store's thread, if context still exists
    QPointer<QObject> context;
    BatchRunner *batch = nullptr;
    std::shared_ptr<void> payload; //!< what a BatchRunner reads
    std::shared_ptr<void> result; //!< where a BatchRunner writes (a Result<T>)
    bool failed = false;
};

class StoreWorker;

//! What the database threads measure for /metrics: atomics, written there and read on the socket
//! thread at scrape time.
struct StoreStats
{
    AtomicHistogram readMicros {HistogramBounds::DurationMicros}; //!< one read job
    AtomicHistogram writeMicros {HistogramBounds::DurationMicros}; //!< one write transaction
    AtomicHistogram batchSize {HistogramBounds::BatchSize}; //!< jobs per write transaction
};

//! Owns the database threads. Jobs are closures that run on a database thread with that thread's
//! Database; their results come back on the Store's thread (the socket thread), never blocking it.
//!
//! Writes go to one writer thread that commits every job queued at the same moment in one
//! transaction (group commit), each job inside its own savepoint so one failure costs only itself.
//! Reads go to one of several reader threads (DatabaseConfig::readers, in turn), each with its own
//! connection: two reads may finish in either order, as two requests of a client may.
class Store : public QObject
{
    Q_OBJECT
public:
    explicit Store(DatabaseConfig config, QObject *parent = nullptr);
    ~Store() override;

    //! Opens the database, applies migrations and starts the threads. Throws StoreError.
    void open();
    void stop();
    const DatabaseConfig &config() const { return m_config; }

    const StoreStats &stats() const { return m_stats; }
    //! Jobs queued or running on the writer thread; 0 while the store is stopped.
    int writerQueueDepth() const;
    //! The same for each reader thread, in order.
    QList<int> readerQueueDepths() const;
    //! Jobs submitted whose completion has not run yet (a draining server waits for zero).
    int pendingJobs() const { return m_pending.load(); }

    template<typename Fn, typename Done>
    void write(QObject *context, Fn fn, Done done)
    {
        submit(true, makeJob(context, std::move(fn), std::move(done)));
    }

    template<typename Fn, typename Done>
    void read(QObject *context, Fn fn, Done done)
    {
        submit(false, makeJob(context, std::move(fn), std::move(done)));
    }

    //! Queues a job that a BatchRunner runs together with its neighbours. The runner stores a
    //! value of type T for each job through setBatchResult<T>.
    template<typename T, typename Done>
    void writeBatched(QObject *context, BatchRunner *runner, std::shared_ptr<void> payload,
                      Done done)
    {
        auto result = std::make_shared<Result<T>>();
        StoreJob job;
        job.context = context;
        job.batch = runner;
        job.payload = std::move(payload);
        job.result = result;
        job.run = [](Database &) {};
        job.fail = [result](Protocol::ErrorCode code, const QString &message) {
            result->value.reset();
            result->error = code;
            result->message = message;
        };
        job.complete = [result, done = std::move(done)]() mutable { done(std::move(*result)); };
        submit(true, std::move(job));
    }

    template<typename T>
    static void setBatchResult(StoreJob &job, T value)
    {
        auto result = std::static_pointer_cast<Result<T>>(job.result);
        result->value = std::move(value);
        result->error = Protocol::ErrorCode::None;
    }

private:
    template<typename Fn, typename Done>
    StoreJob makeJob(QObject *context, Fn fn, Done done)
    {
        using T = std::invoke_result_t<Fn, Database &>;
        auto result = std::make_shared<Result<T>>();
        StoreJob job;
        job.context = context;
        job.run = [result, fn = std::move(fn)](Database &db) mutable { result->value = fn(db); };
        job.fail = [result](Protocol::ErrorCode code, const QString &message) {
            result->value.reset();
            result->error = code;
            result->message = message;
        };
        job.complete = [result, done = std::move(done)]() mutable { done(std::move(*result)); };
        return job;
    }

    void submit(bool write, StoreJob job);

    DatabaseConfig m_config;
    StoreStats m_stats;
    std::unique_ptr<StoreWorker> m_writer;
    std::vector<std::unique_ptr<StoreWorker>> m_readers;
    std::atomic<unsigned> m_nextReader = 0;
    std::atomic<int> m_pending = 0;

    friend class StoreWorker;
};

} // namespace Server
