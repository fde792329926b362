#include "ReadMarker.h"

#include "store/LocalStore.h"

#include <algorithm>

namespace Client {

ReadMarker::ReadMarker(LocalStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

void ReadMarker::setVisibleMessages(qint64 conversationId, const QList<qint64> &seqs)
{
    if (seqs.isEmpty())
        return;
    markReadUpTo(conversationId, *std::max_element(seqs.begin(), seqs.end()));
}

void ReadMarker::markReadUpTo(qint64 conversationId, qint64 seq)
{
    if (seq <= 0 || !m_store->markRead(conversationId, seq))
        return;
    if (m_store->profile().sendReadReceipts)
        m_store->oweReceipt(conversationId, seq, 0);
}

} // namespace Client
