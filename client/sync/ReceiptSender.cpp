#include "ReceiptSender.h"

#include "ClientLogging.h"
#include "connection/Connection.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

namespace Client {

using namespace Qt::StringLiterals;

ReceiptSender::ReceiptSender(Connection *connection, LocalStore *store, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_store(store)
{
    m_sendTimer.setSingleShot(true);
    m_sendTimer.setInterval(0); // one request per conversation per burst of arrivals or reads
    connect(&m_sendTimer, &QTimer::timeout, this, [this] {
        const QSet<qint64> changed = std::exchange(m_changed, {});
        if (m_connection->state() != Connection::State::Online)
            return; // the store keeps them; flush() sends them when online again
        for (qint64 id : changed)
            sendOwed(id);
    });
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ReceiptSender::flush);
    connect(m_store, &LocalStore::receiptOwed, this, [this](qint64 conversationId) {
        m_changed.insert(conversationId);
        m_sendTimer.start();
    });
    connect(m_connection, &Connection::stateChanged, this, [this](Connection::State state) {
        if (state == Connection::State::Online)
            flush(); // after the sync: what arrived during it is owed too
        else
            m_inFlight.clear(); // their answers are lost with the connection
    });
}

void ReceiptSender::flush()
{
    if (m_connection->state() != Connection::State::Online || !m_store->isOpen())
        return;
    for (const UnsentReceipt &owed : m_store->unsentReceipts()) {
        m_changed.remove(owed.conversationId);
        sendOwed(owed.conversationId);
    }
}

void ReceiptSender::sendOwed(qint64 conversationId)
{
    const UnsentReceipt owed = m_store->unsentReceipt(conversationId);
    // Read implies delivered on the server: a read cursor at least as far makes the other moot.
    if (owed.deliveredSeq > owed.readSeq)
        send(conversationId, false, owed.deliveredSeq);
    if (owed.readSeq > 0)
        send(conversationId, true, owed.readSeq);
}

void ReceiptSender::send(qint64 conversationId, bool read, qint64 seq)
{
    const QPair<qint64, bool> key {conversationId, read};
    if (m_inFlight.value(key) >= seq)
        return; // the same or a newer cursor is on its way
    m_inFlight.insert(key, seq);
    Request *request =
        m_connection->send(read ? Protocol::Request::MarkRead : Protocol::Request::MarkDelivered,
                           {{"conversationId"_L1, conversationId}, {"seq"_L1, seq}});
    connect(
        request, &Request::finished, this,
        [this, key, conversationId, read, seq](const Reply &reply) {
            const auto settled = [this, key, seq] {
                if (m_inFlight.value(key) == seq)
                    m_inFlight.remove(key);
            };
            if (reply.isRetryable()) {
                settled();
                qCInfo(lcClientSync).noquote() << "receipt not sent:" << reply.describe();
                if (reply.origin == Reply::Origin::Server && !m_retryTimer.isActive())
                    m_retryTimer.start(int(std::max<qint64>(reply.retryAfterMs, 1000)));
                return; // still owed: the next flush sends it
            }
            // Taken, or refused for good (no longer a member): either way nothing is owed
            // any more. It stays "in flight" until the store has forgotten it, so that a
            // flush meanwhile does not send it again. Read covers delivered.
            m_store->receiptAcknowledged(conversationId, read ? seq : 0, seq).then(this, settled);
        });
}

} // namespace Client
