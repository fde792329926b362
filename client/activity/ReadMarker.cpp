#include "ReadMarker.h"

#include "connection/Connection.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QPointer>

using namespace Qt::StringLiterals;

ReadMarker::ReadMarker(Connection *connection, LocalStore *store, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_store(store)
{
    connect(m_connection, &Connection::stateChanged, this, [this](Connection::State state) {
        if (state == Connection::State::Online)
            flush();
    });
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
    if (!m_store->profile().sendReadReceipts)
        return;
    qint64 &unsent = m_unsent[conversationId];
    unsent = std::max(unsent, seq);
    sendRead(conversationId, unsent);
}

void ReadMarker::sendRead(qint64 conversationId, qint64 seq)
{
    if (m_connection->state() != Connection::State::Online)
        return; // flush() sends it when online again
    Request *request = m_connection->send(Protocol::Request::MarkRead,
                                          {{"conversationId"_L1, conversationId}, {"seq"_L1, seq}});
    connect(request, &Request::finished, this, [this, conversationId, seq](const Reply &reply) {
        if (reply.isRetryable())
            return; // stays unsent
        if (m_unsent.value(conversationId) == seq)
            m_unsent.remove(conversationId);
    });
}

void ReadMarker::flush()
{
    for (auto it = m_unsent.cbegin(); it != m_unsent.cend(); ++it)
        sendRead(it.key(), it.value());
}
