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
//! went away meanwhile.
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

private:
    QThreadPool m_pool;
    std::atomic<int> m_pending = 0;
};

} // namespace Server
