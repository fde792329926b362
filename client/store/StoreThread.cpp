#include "StoreThread.h"

#include <QThread>

namespace Client {

StoreThread::StoreThread(const QString &name)
{
    m_thread = QThread::create([this] { run(); });
    m_thread->setObjectName(name);
    m_thread->start();
}

StoreThread::~StoreThread()
{
    stop();
    delete m_thread;
}

void StoreThread::post(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return;
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

void StoreThread::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && m_thread->isFinished())
            return;
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread->wait();
}

bool StoreThread::isCurrentThread() const
{
    return QThread::currentThread() == m_thread;
}

int StoreThread::queued() const
{
    std::lock_guard lock(m_mutex);
    return int(m_jobs.size());
}

void StoreThread::run()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty())
                return; // stopping, and everything posted before has run
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job();
    }
}

} // namespace Client
