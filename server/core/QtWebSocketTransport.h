#pragma once

#include "Transport.h"

class QWebSocket;

namespace Server {

//! A Transport over Qt's QWebSocket, for TLS connections (QSslServer does the handshakes).
//! Owns the socket.
class QtWebSocketTransport final : public Transport
{
public:
    QtWebSocketTransport(QWebSocket *socket, qint64 maxPendingBytes);
    ~QtWebSocketTransport() override;

    void setReceiver(Receiver *receiver) override { m_receiver = receiver; }
    void sendBinary(const QByteArray &message) override;
    void ping() override;
    void close(quint16 code, const QString &reason) override;
    void abort() override;
    bool isOpen() const override { return true; }
    QHostAddress peerAddress() const override;

private:
    QWebSocket *m_socket;
    qint64 m_maxPendingBytes;
    Receiver *m_receiver = nullptr;
};

} // namespace Server
