#pragma once

#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

class QThread;

namespace Client {

//! A thread of its own for database work: it runs the jobs given to it one at a time, in the
//! order they were given, and nothing else. Whoever posts jobs owns what they touch there (an
//! SQLite connection is only ever used on the thread that opened it).
//!
//! Unlike a QThread's event loop, stop() never drops work: it returns once every job posted
//! before it has run, so a store that is closed (the app quits, the account is removed) still
//! writes everything it was given.
class StoreThread
{
public:
    using Job = std::function<void()>;

    //! Starts the thread; `name` is what debuggers and `top -H` show.
    explicit StoreThread(const QString &name);
    //! stop().
    ~StoreThread();

    StoreThread(const StoreThread &) = delete;
    StoreThread &operator=(const StoreThread &) = delete;

    //! Queues a job behind every job posted before it. Thread-safe. Jobs posted after stop()
    //! started are dropped.
    void post(Job job);
    //! Runs what is queued, then ends the thread and waits for it. Idempotent.
    void stop();
    //! True on the thread itself (for assertions).
    bool isCurrentThread() const;
    //! Jobs waiting, not counting the one running (for the benchmark and tests).
    int queued() const;

private:
    void run();

    QThread *m_thread = nullptr;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
};

} // namespace Client
