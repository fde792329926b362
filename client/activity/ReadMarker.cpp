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
    if (seq <= 0)
        return;
    // Already read that far: nothing to write (scrolling reports the same entries many times).
    if (const auto conversation = m_store->conversation(conversationId);
        conversation && conversation->readSeq >= seq)
        return;
    // One transaction: a read cursor the server should learn is never kept without being owed.
    m_store->markRead(conversationId, seq, m_store->profile().sendReadReceipts);
}

} // namespace Client
