#include "TransferClient.h"

#include "ClientLogging.h"
#include "protocol/Protocol.h"

namespace Client {

TransferClient::TransferClient(Connection *chat, TrustStore *trustStore,
                               ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_chat(chat)
    , m_maxChunks(Protocol::Limits::MaxOutstandingChunks)
{
    settings.transfer = true;
    m_connection = new Connection(trustStore, settings, this);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(20'000);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_busy.isEmpty() && m_chunksInFlight == 0) {
            qCDebug(lcClientMedia) << "transfer connection idle: closing";
            m_connection->close();
        }
    });
    connect(m_connection, &Connection::stateChanged, this, [this](Connection::State state) {
        if (state == Connection::State::Online)
            Q_EMIT ready();
        else
            Q_EMIT lost();
    });
    // The transfer connection follows the chat connection: it signs in with the chat's token,
    // and when the user goes offline (or the device is signed out) it goes too.
    connect(m_chat, &Connection::stateChanged, this, [this](Connection::State) { update(); });
}

void TransferClient::setBusy(const QObject *user, bool busy)
{
    if (busy)
        m_busy.insert(user);
    else
        m_busy.remove(user);
    update();
}

void TransferClient::update()
{
    const bool chatUp = m_chat->isSignedIn() && !m_chat->token().isEmpty();
    if (!chatUp) {
        // Offline or signed out: whatever is in flight fails and waits for the next sign-in.
        if (m_connection->state() != Connection::State::Offline || m_chat->token().isEmpty())
            m_connection->close();
        return;
    }
    if (m_busy.isEmpty()) {
        if (m_connection->state() != Connection::State::Offline && !m_idleTimer.isActive())
            m_idleTimer.start();
        return;
    }
    m_idleTimer.stop();
    if (m_connection->state() == Connection::State::Offline) {
        m_connection->setUrl(m_chat->url());
        m_connection->setToken(m_chat->token());
        m_connection->open();
        // Waiting out its own backoff after a loss: the chat is up, so the server is back.
        m_connection->reconnectNow();
    }
}

Request *TransferClient::send(QLatin1StringView type, const QCborMap &fields)
{
    return m_connection->send(type, fields);
}

Request *TransferClient::sendChunk(QLatin1StringView type, const QCborMap &fields)
{
    ++m_chunksInFlight;
    Request *request = m_connection->send(type, fields);
    connect(request, &Request::finished, this, [this] {
        --m_chunksInFlight;
        Q_EMIT chunkSlotFree();
        if (m_busy.isEmpty() && m_chunksInFlight == 0 && !m_idleTimer.isActive()
            && m_connection->state() != Connection::State::Offline)
            m_idleTimer.start();
    });
    return request;
}

} // namespace Client
