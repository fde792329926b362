#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

namespace Server {

//! What a Session speaks through: one WebSocket connection, either messengerd's own lean
//! connection on a plain socket (WebSocketConnection) or Qt's QWebSocket for TLS
//! (QtWebSocketTransport).
//!
//! The Receiver is never called from inside a Transport method: a frame written by a fan-out
//! loop cannot turn into a disconnect that edits the list the loop walks. Everything the peer
//! did arrives from the event loop.
class Transport
{
public:
    class Receiver
    {
    public:
        virtual void binaryReceived(const QByteArray &message) = 0;
        virtual void textReceived() = 0;
        virtual void pongReceived() = 0;
        //! The connection is gone (peer closed, close handshake done, aborted, or failed).
        //! Called once; nothing is received after it.
        virtual void transportClosed() = 0;

    protected:
        virtual ~Receiver() = default;
    };

    //! Why the transport ended a connection on its own (for the metrics).
    enum class DropReason : quint8 {
        None,
        SlowConsumer, //!< the peer did not read and its queue passed the cap
        ProtocolError, //!< a broken frame or upgrade request
    };

    virtual ~Transport() = default;

    virtual void setReceiver(Receiver *receiver) = 0;
    //! Queues one binary message. Dropped once the connection closes.
    virtual void sendBinary(const QByteArray &message) = 0;
    virtual void ping() = 0;
    //! Starts the closing handshake with a close code (RFC 6455, 7.4) and a short reason.
    virtual void close(quint16 code, const QString &reason) = 0;
    //! Drops the connection now, without a handshake.
    virtual void abort() = 0;
    //! The WebSocket handshake is done (false while a lean connection still reads it).
    virtual bool isOpen() const = 0;
    virtual QHostAddress peerAddress() const = 0;
    DropReason dropReason() const { return m_dropReason; }

protected:
    DropReason m_dropReason = DropReason::None;
};

} // namespace Server
