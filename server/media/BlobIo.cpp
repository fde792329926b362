#include "BlobIo.h"

namespace Server {

BlobIo::BlobIo(int threads, QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(threads);
    m_pool.setObjectName(QStringLiteral("messengerd-blobio"));
}

BlobIo::~BlobIo()
{
    m_pool.waitForDone();
}

} // namespace Server
