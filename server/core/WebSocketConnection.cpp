#include "WebSocketConnection.h"

#include "WebSocketHandshake.h"

#include <QLoggingCategory>
#include <QMetaObject>
#include <QSocketNotifier>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace Server {

Q_LOGGING_CATEGORY(lcConnection, "messengerd.connection")

namespace {

//! XORs a client frame's payload with its 4-byte mask, eight bytes at a time (a 256 KiB chunk
//! byte by byte cost a sixth of the server's time during uploads). phase: the payload's offset
//! in its frame, for a frame unmasked piece by piece as it arrives.
void unmask(char *payload, qint64 length, const quint8 *mask, qint64 phase = 0)
{
    quint8 rotated[4];
    for (int k = 0; k < 4; ++k)
        rotated[k] = mask[(phase + k) & 3];
    mask = rotated;
    quint8 mask8[8];
    for (int k = 0; k < 8; ++k)
        mask8[k] = mask[k & 3];
    quint64 wide = 0;
    std::memcpy(&wide, mask8, sizeof wide);
    qint64 i = 0;
    for (; i + 8 <= length; i += 8) {
        quint64 word = 0;
        std::memcpy(&word, payload + i, sizeof word);
        word ^= wide;
        std::memcpy(payload + i, &word, sizeof word);
    }
    for (; i < length; ++i)
        payload[i] = char(quint8(payload[i]) ^ mask[i & 3]);
}

constexpr qsizetype ReadChunk = 64 * 1024;
//! Reads per readiness event: a peer that sends flat out cannot hold the thread.
constexpr int ReadsPerEvent = 4;
//! Frames at least this big skip the gathering buffer when nothing else waits.
constexpr qsizetype DirectWriteBytes = 16 * 1024;
//! Buffers sized to big frames not fully arrived yet, all connections of this thread together:
//! past this, a frame's bytes are collected as they come (a header alone must not reserve a
//! megabyte per connection).
constexpr qint64 MaxEarlyFrameBytes = 64 << 20;
thread_local qint64 earlyFrameBytes = 0;

//! One read buffer per thread, shared by every connection: an idle connection holds none.
char *scratchBuffer()
{
    thread_local std::unique_ptr<char[]> buffer(new char[ReadChunk]);
    return buffer.get();
}

QHostAddress peerOf(int fd)
{
    sockaddr_storage address {};
    socklen_t length = sizeof address;
    if (::getpeername(fd, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        return {};
    return QHostAddress(reinterpret_cast<const sockaddr *>(&address));
}

} // namespace

WebSocketConnection::WebSocketConnection(qintptr descriptor, const Limits &limits,
                                         const QByteArray &serverName)
    : m_fd(int(descriptor))
    , m_limits(limits)
    , m_serverName(serverName)
{
    ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    m_peerAddress = peerOf(m_fd);
    m_readNotifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Read);
    QObject::connect(m_readNotifier.get(), &QSocketNotifier::activated, m_readNotifier.get(),
                     [this] { onReadable(); });
}

WebSocketConnection::~WebSocketConnection()
{
    m_receiver = nullptr;
    earlyFrameBytes -= m_frame.size();
    m_readNotifier.reset();
    m_writeNotifier.reset();
    if (m_fd >= 0)
        ::close(m_fd);
}

void WebSocketConnection::sendBinary(const QByteArray &message)
{
    if (m_state == State::Closed || m_closeSent)
        return;
    queueFrame(Binary, message.constData(), message.size(), &message);
}

void WebSocketConnection::ping()
{
    if (m_state == State::Open && !m_closeSent)
        queueFrame(Ping, nullptr, 0);
}

void WebSocketConnection::close(quint16 code, const QString &reason)
{
    if (m_state == State::Closed || m_closeSent)
        return;
    if (m_state == State::Handshake) {
        abort();
        return;
    }
    char payload[125];
    payload[0] = char(code >> 8);
    payload[1] = char(code & 0xff);
    QByteArray text = reason.toUtf8();
    if (text.size() > 123) {
        // Cut on a character boundary: the reason must stay valid UTF-8.
        qsizetype end = 123;
        while (end > 0 && (quint8(text.at(end)) & 0xC0) == 0x80)
            --end;
        text.truncate(end);
    }
    std::memcpy(payload + 2, text.constData(), size_t(text.size()));
    queueFrame(Close, payload, 2 + text.size());
    m_closeSent = true;
    m_state = State::Closing;
    // The server closes TCP first (RFC 6455 7.1.1): once the close frame is out, shut down our
    // side, then read until the peer's close frame or end of stream.
    m_writeShutdownPending = true;
    flush();
}

void WebSocketConnection::abort()
{
    teardown();
}

void WebSocketConnection::onReadable()
{
    char *buffer = scratchBuffer();
    for (int round = 0; round < ReadsPerEvent && m_state != State::Closed; ++round) {
        if (!m_frame.isNull()) {
            if (!readFrameRest())
                return;
            continue;
        }
        const ssize_t got = ::recv(m_fd, buffer, size_t(ReadChunk), 0);
        if (got == 0) {
            teardown();
            return;
        }
        if (got < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                teardown();
            return;
        }
        if (m_state == State::Handshake) {
            m_in.append(buffer, got);
            if (!readHandshake()) {
                if (m_state == State::Closed)
                    m_in = QByteArray();
                return;
            }
            if (m_in.isEmpty())
                continue;
            // Frames sent right behind the upgrade request.
            const qsizetype used = processFrames(m_in.data(), m_in.size());
            m_in.remove(0, used);
        } else if (m_in.isEmpty()) {
            // The common case: whole frames in one read, parsed where they landed.
            const qsizetype used = processFrames(buffer, got);
            if (used < got && m_state != State::Closed)
                m_in.append(buffer + used, got - used);
        } else {
            m_in.append(buffer, got);
            const qsizetype used = processFrames(m_in.data(), m_in.size());
            m_in.remove(0, used);
        }
        if (m_in.isEmpty() || m_state == State::Closed)
            m_in = QByteArray(); // an idle (or finished) connection keeps no buffer
        if (got < ReadChunk)
            return;
    }
}

bool WebSocketConnection::readFrameRest()
{
    // At most ReadChunk per round, as for any read: a chunk does not hold the thread longer.
    const qsizetype wanted = std::min(m_frame.size() - m_frameFilled, ReadChunk);
    const ssize_t got = ::recv(m_fd, m_frame.data() + m_frameFilled, size_t(wanted), 0);
    if (got == 0) {
        teardown();
        return false;
    }
    if (got < 0) {
        if (errno == EINTR)
            return true;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            teardown();
        return false;
    }
    unmask(m_frame.data() + m_frameFilled, got, m_frameMask, m_frameFilled);
    m_frameFilled += got;
    if (m_frameFilled < m_frame.size())
        return got == wanted; // else drained
    earlyFrameBytes -= m_frame.size();
    QByteArray payload = std::exchange(m_frame, QByteArray());
    m_frameFilled = 0;
    handleFrame(m_frameOpcode, m_frameFin, payload.data(), payload.size(), &payload);
    return m_state != State::Closed;
}

bool WebSocketConnection::readHandshake()
{
    using Outcome = WebSocketHandshake::Request::Outcome;
    const WebSocketHandshake::Request request =
        WebSocketHandshake::parse(m_in, m_limits.maxHandshakeBytes);
    if (request.outcome == Outcome::Incomplete)
        return false;
    if (request.outcome == Outcome::Refused) {
        refuseHandshake(request.status, request.extraHeaders);
        return false;
    }
    m_in.remove(0, request.headBytes);

    // Messages queued while the request was read go out right behind the answer.
    m_out.prepend(WebSocketHandshake::switchingProtocols(request.key, m_serverName));
    m_state = State::Open;
    flush();
    return m_state != State::Closed;
}

void WebSocketConnection::refuseHandshake(const QByteArray &status, const QByteArray &extraHeaders)
{
    qCDebug(lcConnection) << "refused a WebSocket upgrade from" << m_peerAddress << status;
    m_dropReason = DropReason::ProtocolError;
    const QByteArray answer = WebSocketHandshake::refusal(status, extraHeaders);
    // Best effort, straight to the socket: nothing else was sent on it yet.
    [[maybe_unused]] const auto sent =
        ::send(m_fd, answer.constData(), size_t(answer.size()), MSG_NOSIGNAL);
    teardown();
}

qsizetype WebSocketConnection::processFrames(char *data, qsizetype size)
{
    qsizetype used = 0;
    while (m_state == State::Open || m_state == State::Closing) {
        const auto *p = reinterpret_cast<const quint8 *>(data + used);
        const qsizetype available = size - used;
        if (available < 2)
            break;
        const bool fin = p[0] & 0x80;
        const quint8 opcode = p[0] & 0x0f;
        if (p[0] & 0x70) {
            failConnection(1002, "reserved bits set: no extensions were negotiated");
            break;
        }
        if (!(p[1] & 0x80)) {
            failConnection(1002, "client frames must be masked");
            break;
        }
        qint64 length = p[1] & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (available < 4)
                break;
            length = (qint64(p[2]) << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (available < 10)
                break;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = (length << 8) | p[i];
            header = 10;
            if (length < 0) {
                failConnection(1002, "frame length out of range");
                break;
            }
        }
        const bool control = opcode & 0x8;
        if (control && (!fin || length > 125)) {
            failConnection(1002, "control frames are unfragmented and at most 125 bytes");
            break;
        }
        if (!control && length + m_message.size() > m_limits.maxMessageBytes) {
            failConnection(1009, "message too big");
            break;
        }
        const qsizetype frameBytes = header + 4 + qsizetype(length);
        if (available < frameBytes) {
            // The rest of this frame has not arrived yet. A big one gets a buffer of its own
            // size now, read into directly from here on and handed on as the message.
            if (!control && frameBytes > ReadChunk && available >= header + 4
                && earlyFrameBytes + length <= MaxEarlyFrameBytes) {
                m_frame = QByteArray(qsizetype(length), Qt::Uninitialized);
                earlyFrameBytes += length;
                std::memcpy(m_frameMask, p + header, 4);
                m_frameOpcode = opcode;
                m_frameFin = fin;
                m_frameFilled = available - header - 4;
                std::memcpy(m_frame.data(), data + used + header + 4, size_t(m_frameFilled));
                unmask(m_frame.data(), m_frameFilled, m_frameMask);
                used = size;
            }
            break;
        }
        char *payload = data + used + header + 4;
        unmask(payload, length, p + header);
        used += header + 4 + qsizetype(length);
        if (!handleFrame(opcode, fin, payload, length))
            break;
    }
    return m_state == State::Closed ? size : used;
}

bool WebSocketConnection::handleFrame(quint8 opcode, bool fin, char *payload, qint64 length,
                                      QByteArray *owner)
{
    switch (opcode) {
    case Text:
    case Binary:
        if (m_messageOpcode != 0) {
            failConnection(1002, "a new message started inside a fragmented one");
            return false;
        }
        if (!fin) {
            m_messageOpcode = opcode;
            m_message = owner ? std::move(*owner) : QByteArray(payload, qsizetype(length));
            return true;
        }
        if (m_state == State::Open && m_receiver) {
            if (opcode == Binary)
                m_receiver->binaryReceived(owner ? *owner : QByteArray(payload, qsizetype(length)));
            else
                m_receiver->textReceived();
        }
        return true;
    case Continuation:
        if (m_messageOpcode == 0) {
            failConnection(1002, "a continuation frame without a message");
            return false;
        }
        m_message.append(payload, qsizetype(length));
        if (fin) {
            const quint8 messageOpcode = m_messageOpcode;
            const QByteArray message = std::exchange(m_message, QByteArray());
            m_messageOpcode = 0;
            if (m_state == State::Open && m_receiver) {
                if (messageOpcode == Binary)
                    m_receiver->binaryReceived(message);
                else
                    m_receiver->textReceived();
            }
        }
        return true;
    case Ping:
        if (!m_closeSent)
            queueFrame(Pong, payload, qsizetype(length));
        return true;
    case Pong:
        if (m_receiver)
            m_receiver->pongReceived();
        return true;
    case Close:
        if (!m_closeSent) {
            // Echo the peer's code (or none), then close TCP: the handshake is complete.
            queueFrame(Close, payload, length >= 2 ? 2 : 0);
            m_closeSent = true;
            flush(); // now: the socket closes right after
        }
        teardown();
        return false;
    default:
        failConnection(1002, "unknown opcode");
        return false;
    }
}

void WebSocketConnection::failConnection(quint16 code, const char *reason)
{
    qCDebug(lcConnection) << "closing" << m_peerAddress << code << reason;
    m_dropReason = DropReason::ProtocolError;
    close(code, QString::fromLatin1(reason));
    // Nothing more is read from a peer that broke the protocol.
    teardown();
}

void WebSocketConnection::queueFrame(quint8 opcode, const char *payload, qsizetype size,
                                     const QByteArray *shared)
{
    char header[10];
    qsizetype headerSize = 2;
    header[0] = char(0x80 | opcode);
    if (size < 126) {
        header[1] = char(size);
    } else if (size <= 0xffff) {
        header[1] = char(126);
        header[2] = char(size >> 8);
        header[3] = char(size & 0xff);
        headerSize = 4;
    } else {
        header[1] = char(127);
        for (int i = 0; i < 8; ++i)
            header[2 + i] = char((quint64(size) >> (56 - 8 * i)) & 0xff);
        headerSize = 10;
    }
    if (m_state == State::Open || m_state == State::Closing) {
        if (!m_out.isEmpty() || size < DirectWriteBytes) {
            // Gathered and written once this event is handled: the frames a fan-out or a
            // batch of acknowledgements puts on one connection leave in one write.
            if (write(header, headerSize))
                write(payload, size, shared);
            scheduleFlush();
            return;
        }
        {
            // A big frame with nothing pending: straight to the socket, without a copy.
            iovec parts[2] = {{header, size_t(headerSize)},
                              {const_cast<char *>(payload), size_t(size)}};
            msghdr message {};
            message.msg_iov = parts;
            message.msg_iovlen = size > 0 ? 2 : 1;
            ssize_t sent;
            do
                sent = ::sendmsg(m_fd, &message, MSG_NOSIGNAL);
            while (sent < 0 && errno == EINTR);
            if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                teardown();
                return;
            }
            const qsizetype done = sent < 0 ? 0 : qsizetype(sent);
            if (done == headerSize + size)
                return;
            if (done < headerSize && !write(header + done, headerSize - done))
                return;
            const qsizetype payloadDone = std::max<qsizetype>(0, done - headerSize);
            if (write(payload + payloadDone, size - payloadDone, shared))
                watchWritable(); // the socket is full
            return;
        }
    }
    if (write(header, headerSize))
        write(payload, size, shared);
}

bool WebSocketConnection::write(const char *data, qsizetype size, const QByteArray *shared)
{
    if (m_state == State::Closed)
        return false;
    if (size == 0)
        return true;
    if (m_out.size() + size > m_limits.maxPendingBytes) {
        qCInfo(lcConnection) << "dropping" << m_peerAddress << "which does not read: more than"
                             << m_limits.maxPendingBytes << "bytes queued for it";
        m_dropReason = DropReason::SlowConsumer;
        teardown();
        return false;
    }
    // A tail of the caller's QByteArray is queued by reference.
    if (shared && data + size == shared->constData() + shared->size())
        m_out.append(*shared, shared->size() - size);
    else
        m_out.append(data, size);
    return true;
}

void WebSocketConnection::scheduleFlush()
{
    if (m_flushQueued || m_writeNotifier)
        return; // already on its way, or waiting for the socket to take more
    m_flushQueued = true;
    QMetaObject::invokeMethod(
        m_readNotifier.get(),
        [this] {
            m_flushQueued = false;
            flush();
        },
        Qt::QueuedConnection);
}

void WebSocketConnection::watchWritable()
{
    if (m_writeNotifier)
        return;
    m_writeNotifier = std::make_unique<QSocketNotifier>(m_fd, QSocketNotifier::Write);
    QObject::connect(m_writeNotifier.get(), &QSocketNotifier::activated, m_writeNotifier.get(),
                     [this] { flush(); });
}

void WebSocketConnection::flush()
{
    if (m_state == State::Closed)
        return;
    switch (m_out.writeTo(m_fd)) {
    case SendQueue::Written::Failed:
        teardown();
        return;
    case SendQueue::Written::Blocked:
        watchWritable();
        return;
    case SendQueue::Written::All:
        break;
    }
    if (m_writeNotifier) {
        // Deleted later: flush() may run inside this notifier's own activation.
        m_writeNotifier->setEnabled(false);
        m_writeNotifier.release()->deleteLater();
    }
    if (m_writeShutdownPending) {
        m_writeShutdownPending = false;
        ::shutdown(m_fd, SHUT_WR);
    }
}

void WebSocketConnection::teardown()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    // Stop watching before the descriptor goes: a closed fd must never stay registered.
    m_readNotifier->setEnabled(false);
    if (m_writeNotifier) {
        m_writeNotifier->setEnabled(false);
        m_writeNotifier.release()->deleteLater();
    }
    ::close(m_fd);
    m_fd = -1;
    // m_in stays: a frame being parsed out of it may have led here (a handler closing its own
    // session). onReadable() lets it go once parsing stopped.
    m_out.clear();
    m_message = QByteArray();
    earlyFrameBytes -= m_frame.size();
    m_frame = QByteArray();
    m_frameFilled = 0;
    // Told from the event loop, never from inside a send: see Transport.
    QMetaObject::invokeMethod(
        m_readNotifier.get(),
        [this] {
            if (m_receiver && !std::exchange(m_notified, true))
                m_receiver->transportClosed();
        },
        Qt::QueuedConnection);
}

} // namespace Server
