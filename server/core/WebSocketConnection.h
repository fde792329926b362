#pragma once

#include "SendQueue.h"
#include "Transport.h"

#include <QByteArray>
#include <QHostAddress>

#include <memory>

class QSocketNotifier;

namespace Server {

//! messengerd's own server side of a WebSocket (RFC 6455) on a plain TCP socket, for the many
//! idle connections one server holds: a file descriptor, one read notifier, and buffers that
//! exist only while bytes wait in them. QWebSocket + QTcpSocket cost ~13 KB of heap per
//! connection and a 32 KiB write chunk at peak; this costs a few hundred bytes when idle.
//!
//! It reads the HTTP upgrade (WebSocketHandshake), answers 101, then exchanges frames: client
//! frames must be masked, no extensions, control frames ≤ 125 bytes, a message (all its fragments)
//! ≤ maxMessageBytes (else close 1009). Messages sent before the handshake is done go out right
//! after the 101. A peer that does not read gets at most maxPendingBytes queued, then the
//! connection is dropped. Big frames (blob chunks) are neither copied in nor out: one arriving is
//! read straight into a buffer of its size, which becomes the message; one sent is queued by
//! reference. TLS connections keep using QWebSocket (QtWebSocketTransport).
class WebSocketConnection final : public Transport
{
public:
    struct Limits
    {
        qint64 maxMessageBytes = 1 << 20;
        qint64 maxPendingBytes = 8 << 20; //!< queued for a peer that does not read
        qsizetype maxHandshakeBytes = 8 * 1024;
    };

    //! Adopts a connected socket (made non-blocking, TCP_NODELAY) and starts reading the upgrade
    //! request. `serverName` goes into the Server header of the 101 answer.
    WebSocketConnection(qintptr descriptor, const Limits &limits, const QByteArray &serverName);
    ~WebSocketConnection() override;
    WebSocketConnection(const WebSocketConnection &) = delete;
    WebSocketConnection &operator=(const WebSocketConnection &) = delete;

    void setReceiver(Receiver *receiver) override { m_receiver = receiver; }
    void sendBinary(const QByteArray &message) override;
    void ping() override;
    void close(quint16 code, const QString &reason) override;
    void abort() override;
    bool isOpen() const override { return m_state == State::Open || m_state == State::Closing; }
    QHostAddress peerAddress() const override { return m_peerAddress; }

private:
    enum class State : quint8 { Handshake, Open, Closing, Closed };
    enum Opcode : quint8 {
        Continuation = 0x0,
        Text = 0x1,
        Binary = 0x2,
        Close = 0x8,
        Ping = 0x9,
        Pong = 0xA
    };

    void onReadable();
    //! Creates the write notifier: only a connection whose socket is full has one.
    void watchWritable();
    //! Flushes m_out once the current event is handled (one posted call per connection).
    void scheduleFlush();
    //! Consumes the upgrade request from m_in (WebSocketHandshake parses it); false while it is
    //! incomplete and when the connection was refused.
    bool readHandshake();
    //! Parses and dispatches every whole frame in data[0, size); returns how many bytes it used.
    //! The start of a big frame is moved into m_frame, whose rest is then read straight into it.
    qsizetype processFrames(char *data, qsizetype size);
    //! Reads into m_frame; false when onReadable() must stop (socket drained, closed or failed).
    bool readFrameRest();
    //! payload[0, length) is unmasked. owner, when given, holds exactly that payload and may be
    //! handed on as the message without a copy.
    bool handleFrame(quint8 opcode, bool fin, char *payload, qint64 length,
                     QByteArray *owner = nullptr);
    //! shared, when given, holds exactly payload[0, size): a big one is queued by reference.
    void queueFrame(quint8 opcode, const char *payload, qsizetype size,
                    const QByteArray *shared = nullptr);
    //! Queues bytes (copied, or by reference when shared is given); false when the peer went
    //! past maxPendingBytes and was dropped.
    bool write(const char *data, qsizetype size, const QByteArray *shared = nullptr);
    void flush();
    void failConnection(quint16 code, const char *reason);
    void refuseHandshake(const QByteArray &status, const QByteArray &extraHeaders = {});
    //! Stops all I/O and closes the socket now; tells the receiver from the event loop.
    void teardown();

    int m_fd = -1;
    State m_state = State::Handshake;
    bool m_closeSent = false;
    bool m_writeShutdownPending = false;
    bool m_notified = false;
    bool m_flushQueued = false;
    quint8 m_messageOpcode = 0; //!< opcode of the fragmented message being collected, 0 if none
    Limits m_limits;
    Receiver *m_receiver = nullptr;
    std::unique_ptr<QSocketNotifier> m_readNotifier;
    std::unique_ptr<QSocketNotifier> m_writeNotifier; //!< only while output is pending
    QByteArray m_in; //!< an incomplete handshake or frame, empty when idle
    QByteArray m_message; //!< fragments of a message collected so far
    QByteArray m_frame; //!< the payload of a big frame being read, sized to it; else null
    qsizetype m_frameFilled = 0; //!< bytes of m_frame read (and unmasked) so far
    quint8 m_frameMask[4] = {};
    quint8 m_frameOpcode = 0;
    bool m_frameFin = false;
    SendQueue m_out; //!< bytes the socket did not take yet
    QByteArray m_serverName;
    QHostAddress m_peerAddress;
};

} // namespace Server
