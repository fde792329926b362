#include "QtWebSocketTransport.h"

#include "protocol/Protocol.h"

#include <QWebSocket>

namespace Server {

QtWebSocketTransport::QtWebSocketTransport(QWebSocket *socket, qint64 maxPendingBytes)
    : m_socket(socket)
    , m_maxPendingBytes(maxPendingBytes)
{
    socket->setParent(nullptr);
    socket->setMaxAllowedIncomingFrameSize(Protocol::Limits::MaxFrameBytes);
    socket->setMaxAllowedIncomingMessageSize(Protocol::Limits::MaxFrameBytes);
    QObject::connect(socket, &QWebSocket::binaryMessageReceived, socket,
                     [this](const QByteArray &message) {
                         if (m_receiver)
                             m_receiver->binaryReceived(message);
                     });
    QObject::connect(socket, &QWebSocket::textMessageReceived, socket, [this] {
        if (m_receiver)
            m_receiver->textReceived();
    });
    QObject::connect(socket, &QWebSocket::pong, socket, [this] {
        if (m_receiver)
            m_receiver->pongReceived();
    });
    // Queued: QWebSocket::abort() and failed writes report the disconnect synchronously.
    QObject::connect(
        socket, &QWebSocket::disconnected, socket,
        [this] {
            if (m_receiver)
                m_receiver->transportClosed();
        },
        Qt::QueuedConnection);
}

QtWebSocketTransport::~QtWebSocketTransport()
{
    QObject::disconnect(m_socket, nullptr, nullptr, nullptr);
    delete m_socket;
}

void QtWebSocketTransport::sendBinary(const QByteArray &message)
{
    // The same cap as WebSocketConnection's for a peer that does not read.
    if (m_socket->bytesToWrite() + message.size() > m_maxPendingBytes) {
        m_dropReason = DropReason::SlowConsumer;
        m_socket->abort();
        return;
    }
    m_socket->sendBinaryMessage(message);
}

void QtWebSocketTransport::ping()
{
    m_socket->ping();
}

void QtWebSocketTransport::close(quint16 code, const QString &reason)
{
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason);
}

void QtWebSocketTransport::abort()
{
    m_socket->abort();
}

QHostAddress QtWebSocketTransport::peerAddress() const
{
    return m_socket->peerAddress();
}

} // namespace Server
