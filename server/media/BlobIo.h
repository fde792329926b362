#pragma once

#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <atomic>
#include <functional>
#include <memory>
#include <type_traits>

namespace Server {

//! A small thread pool for the blocking file work of blobs (open, pwrite, pread, fdatasync,
//! rename, fsync): the socket thread never waits on a disk. run() does fn on a pool thread and
//! hands its result to done on the thread of this object (the socket thread), unless context
//! went away meanwhile. Its threads run at a lower priority (nice TransferNice): on a busy
//! machine, hashing and writing a blob yields to the socket thread and the database threads
//! that serve chat.
class BlobIo : public QObject
{
    Q_OBJECT
public:
    explicit BlobIo(int threads, QObject *parent = nullptr);
    ~BlobIo() override; //!< waits for the work under way

    template<typename Fn, typename Done>
    void run(QObject *context, Fn fn, Done done)
    {
        using T = std::invoke_result_t<Fn>;
        ++m_pending;
        QPointer<QObject> guard(context);
        m_pool.start([this, guard, fn = std::move(fn), done = std::move(done)]() mutable {
            lowerThreadPriority();
            auto result = std::make_shared<T>(fn());
            QMetaObject::invokeMethod(
                this,
                [this, guard, result, done = std::move(done)]() mutable {
                    --m_pending;
                    if (guard)
                        done(std::move(*result));
                },
                Qt::QueuedConnection);
        });
    }

    //! Work queued or running whose completion has not run yet.
    int pending() const { return m_pending.load(); }

    //! The nice value of the pool's threads (the socket thread has 0).
    static constexpr int TransferNice = 10;

private:
    //! Once per pool thread (Linux: setpriority() on a thread id affects that thread only).
    static void lowerThreadPriority();

    QThreadPool m_pool;
    std::atomic<int> m_pending = 0;
};

} // namespace Server
