#include "BlobIo.h"

#include <sys/resource.h>
#include <unistd.h>

namespace Server {

BlobIo::BlobIo(int threads, QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(threads);
    m_pool.setObjectName(QStringLiteral("messengerd-blobio"));
}

void BlobIo::lowerThreadPriority()
{
    thread_local bool lowered = false;
    if (lowered)
        return;
    lowered = true;
    // Best effort: a failure leaves the thread at the normal priority.
    ::setpriority(PRIO_PROCESS, id_t(::gettid()), TransferNice);
}

BlobIo::~BlobIo()
{
    m_pool.waitForDone();
}

} // namespace Server
