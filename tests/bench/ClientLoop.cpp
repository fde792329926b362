#include "ClientLoop.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace Bench {

namespace {

//! Big enough for several 256 KiB blob chunks per read: frames are parsed where they landed, and
//! only a frame cut by the end of a read is copied.
constexpr std::size_t ReadBufferSize = 2 * 1024 * 1024;
constexpr std::size_t MaxMessageBytes = 2 * 1024 * 1024;
//! Past this much unsent data a connection is flushed at once instead of at the end of the turn.
constexpr std::size_t EagerFlushBytes = 64 * 1024;
//! A constant mask: RFC 6455 wants it unpredictable to defeat proxy cache poisoning, which
//! cannot happen on loopback; the server only needs the mask bit set.
constexpr std::uint8_t MaskKey[4] = {0x37, 0xfa, 0x21, 0x3d};

enum Opcode : std::uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xa,
};

std::uint64_t eventKey(std::uint32_t index, std::uint32_t generation)
{
    return (std::uint64_t(index) << 32) | generation;
}

void appendFrame(std::string *out, std::uint8_t opcode, const char *payload, std::size_t size)
{
    const std::size_t start = out->size();
    std::size_t header = 2 + 4;
    if (size >= 126)
        header += size <= 0xffff ? 2 : 8;
    out->resize(start + header + size);
    auto *p = reinterpret_cast<std::uint8_t *>(out->data() + start);
    *p++ = std::uint8_t(0x80 | opcode);
    if (size < 126) {
        *p++ = std::uint8_t(0x80 | size);
    } else if (size <= 0xffff) {
        *p++ = 0x80 | 126;
        *p++ = std::uint8_t(size >> 8);
        *p++ = std::uint8_t(size);
    } else {
        *p++ = 0x80 | 127;
        for (int shift = 56; shift >= 0; shift -= 8)
            *p++ = std::uint8_t(std::uint64_t(size) >> shift);
    }
    std::memcpy(p, MaskKey, 4);
    p += 4;
    // Eight bytes at a time: byte by byte, masking 256 KiB chunks was most of the bench's CPU
    // during uploads, taken from the server it measures (2 cores).
    std::uint8_t mask8[8];
    for (int k = 0; k < 8; ++k)
        mask8[k] = MaskKey[k & 3];
    std::uint64_t wide = 0;
    std::memcpy(&wide, mask8, 8);
    const auto *in = reinterpret_cast<const std::uint8_t *>(payload);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, in + i, 8);
        word ^= wide;
        std::memcpy(p + i, &word, 8);
    }
    for (; i < size; ++i)
        p[i] = in[i] ^ MaskKey[i & 3];
}

//! Bytes a frame begun in `in` still lacks to be whole (or to show its length); 0 when its
//! header is already bad (consumeFrames fails it).
std::size_t missingBytes(const std::string &in, std::size_t maxMessageBytes)
{
    const auto *p = reinterpret_cast<const std::uint8_t *>(in.data());
    if (in.size() < 2)
        return 2 - in.size();
    std::uint64_t length = p[1] & 0x7f;
    const std::size_t header = length == 126 ? 4 : length == 127 ? 10 : 2;
    if (in.size() < header)
        return header - in.size();
    if (length == 126) {
        length = (std::uint64_t(p[2]) << 8) | p[3];
    } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | p[2 + i];
    }
    if ((p[1] & 0x80) || length > maxMessageBytes)
        return 0;
    return header + std::size_t(length) - in.size();
}

} // namespace

std::int64_t nowNs()
{
    timespec ts {};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string &requestScratch()
{
    thread_local std::string scratch;
    return scratch;
}

void Connection::queueBinary(const std::string &payload)
{
    if (m_state != State::Open)
        return;
    appendFrame(&m_out, Binary, payload.data(), payload.size());
    ++m_loop->m_counters.framesOut;
    m_loop->markDirty(this);
}

void Connection::queueControl(std::uint8_t opcode, std::string_view payload)
{
    appendFrame(&m_out, opcode, payload.data(), payload.size());
    m_loop->markDirty(this);
}

ClientLoop::ClientLoop(sockaddr_in server, std::vector<in_addr> sources)
    : m_epoll(epoll_create1(EPOLL_CLOEXEC))
    , m_server(server)
    , m_sources(std::move(sources))
    , m_readBuffer(ReadBufferSize)
{
    char host[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &server.sin_addr, host, sizeof host);
    // A fixed key: the server's answer is not checked beyond its status line.
    m_handshakeRequest = std::string("GET / HTTP/1.1\r\nHost: ") + host + ':'
        + std::to_string(ntohs(server.sin_port))
        + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n";
}

ClientLoop::~ClientLoop()
{
    for (auto &connection : m_connections) {
        if (connection->m_fd >= 0)
            ::close(connection->m_fd);
    }
    if (m_epoll >= 0)
        ::close(m_epoll);
}

Connection *ClientLoop::create(std::int64_t tag)
{
    auto connection = std::make_unique<Connection>();
    connection->m_loop = this;
    connection->m_index = std::uint32_t(m_connections.size());
    connection->tag = tag;
    m_connections.push_back(std::move(connection));
    return m_connections.back().get();
}

void ClientLoop::open(Connection *c)
{
    if (c->m_state != Connection::State::Idle && c->m_state != Connection::State::Closed)
        return;
    c->m_in.clear();
    c->m_out.clear();
    c->m_outOffset = 0;
    c->m_fragments.clear();
    c->m_handlers.clear();
    c->authenticated = false;
    c->m_wantWrite = false;
    ++c->m_generation;

    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        ++m_counters.connectFailures;
        c->m_state = Connection::State::Closed;
        if (onClosed)
            onClosed(*c);
        return;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (!m_sources.empty()) {
        // Let connect() choose the port for the full 4-tuple, so each source address gets the
        // whole ephemeral range toward the server instead of sharing it with the others.
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
        sockaddr_in local {};
        local.sin_family = AF_INET;
        local.sin_addr = m_sources[m_nextSource++ % m_sources.size()];
        if (::bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0) {
            // connect() picks a source itself: only the spread over the sources is lost.
        }
    }
    c->m_fd = fd;
    c->m_state = Connection::State::Connecting;
    const int result =
        ::connect(fd, reinterpret_cast<const sockaddr *>(&m_server), sizeof m_server);
    if (result < 0 && errno != EINPROGRESS) {
        fail(c);
        return;
    }
    epoll_event event {};
    event.events = EPOLLIN | EPOLLOUT;
    event.data.u64 = eventKey(c->m_index, c->m_generation);
    epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
    c->m_wantWrite = true;
}

void ClientLoop::release(Connection *c)
{
    if (c->m_fd >= 0) {
        epoll_ctl(m_epoll, EPOLL_CTL_DEL, c->m_fd, nullptr);
        ::close(c->m_fd);
        c->m_fd = -1;
    }
    if (c->m_state == Connection::State::Open)
        --m_openCount;
    c->m_state = Connection::State::Closed;
    c->authenticated = false;
    c->m_handlers.clear();
    // Idle connections must stay small: give the buffers back.
    std::string().swap(c->m_in);
    std::string().swap(c->m_out);
    std::string().swap(c->m_fragments);
    c->m_outOffset = 0;
    ++c->m_generation; // stale epoll events for the old socket are ignored
}

void ClientLoop::close(Connection *c)
{
    if (c->m_state == Connection::State::Open) {
        const char status[2] = {char(0x03), char(0xe8)}; // 1000, normal closure
        c->queueControl(Close, std::string_view(status, 2));
        ::send(c->m_fd, c->m_out.data() + c->m_outOffset, c->m_out.size() - c->m_outOffset,
               MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    release(c);
}

void ClientLoop::closeAll()
{
    for (auto &connection : m_connections) {
        if (connection->m_fd >= 0)
            close(connection.get());
    }
}

void ClientLoop::fail(Connection *c)
{
    const bool wasOpen = c->m_state == Connection::State::Open;
    if (c->m_state == Connection::State::Connecting || c->m_state == Connection::State::Handshaking)
        ++m_counters.connectFailures;
    else if (wasOpen)
        ++m_counters.closedByPeer;
    release(c);
    if (onClosed)
        onClosed(*c);
}

void ClientLoop::markDirty(Connection *c)
{
    if (!c->m_dirty) {
        c->m_dirty = true;
        m_dirty.push_back(c);
    }
    if (c->m_out.size() - c->m_outOffset >= EagerFlushBytes)
        flush(c);
}

void ClientLoop::setWantWrite(Connection *c, bool want)
{
    if (c->m_wantWrite == want || c->m_fd < 0)
        return;
    c->m_wantWrite = want;
    epoll_event event {};
    event.events = EPOLLIN | (want ? std::uint32_t(EPOLLOUT) : 0u);
    event.data.u64 = eventKey(c->m_index, c->m_generation);
    epoll_ctl(m_epoll, EPOLL_CTL_MOD, c->m_fd, &event);
}

void ClientLoop::flush(Connection *c)
{
    if (c->m_fd < 0 || c->m_state == Connection::State::Connecting)
        return;
    while (c->m_outOffset < c->m_out.size()) {
        const ssize_t written = ::send(c->m_fd, c->m_out.data() + c->m_outOffset,
                                       c->m_out.size() - c->m_outOffset, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                setWantWrite(c, true);
                return;
            }
            fail(c);
            return;
        }
        m_counters.bytesOut += std::uint64_t(written);
        c->m_outOffset += std::size_t(written);
    }
    c->m_out.clear();
    c->m_outOffset = 0;
    if (c->m_out.capacity() > 64 * 1024)
        std::string().swap(c->m_out);
    setWantWrite(c, false);
}

void ClientLoop::flushDirty()
{
    // Callbacks run by a flush (a failure) may mark more connections dirty: index, not iterate.
    for (std::size_t i = 0; i < m_dirty.size(); ++i) {
        Connection *c = m_dirty[i];
        c->m_dirty = false;
        flush(c);
    }
    m_dirty.clear();
}

void ClientLoop::onWritable(Connection *c)
{
    if (c->m_state == Connection::State::Connecting) {
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(c->m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
        if (error != 0) {
            fail(c);
            return;
        }
        c->m_state = Connection::State::Handshaking;
        c->m_out.assign(m_handshakeRequest);
        c->m_outOffset = 0;
    }
    flush(c);
}

void ClientLoop::onReadable(Connection *c)
{
    const std::uint32_t generation = c->m_generation;
    for (int round = 0; round < 4; ++round) {
        const ssize_t received = ::recv(c->m_fd, m_readBuffer.data(), m_readBuffer.size(), 0);
        if (received == 0) {
            fail(c);
            return;
        }
        if (received < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                fail(c);
            return;
        }
        m_counters.bytesIn += std::uint64_t(received);
        const auto *data = m_readBuffer.data();
        const std::size_t size = std::size_t(received);
        if (c->m_state == Connection::State::Handshaking) {
            c->m_in.append(reinterpret_cast<const char *>(data), size);
            if (!consumeHandshake(c))
                return;
        } else if (c->m_in.empty()) {
            // The common case: parse straight from the shared buffer, keep only a tail.
            const std::size_t used = consumeFrames(c, data, size);
            if (c->m_generation != generation || c->m_state != Connection::State::Open)
                return;
            if (used < size)
                c->m_in.assign(reinterpret_cast<const char *>(data + used), size - used);
        } else {
            // Complete the frame begun in m_in with just the bytes it lacks, then parse the rest
            // where it landed: each byte is copied at most once.
            std::size_t offset = 0;
            while (!c->m_in.empty() && offset < size) {
                const std::size_t wanted = missingBytes(c->m_in, MaxMessageBytes);
                const std::size_t take = std::min(wanted, size - offset);
                c->m_in.append(reinterpret_cast<const char *>(data + offset), take);
                offset += take;
                if (take < wanted)
                    break;
                const std::size_t used = consumeFrames(
                    c, reinterpret_cast<const std::uint8_t *>(c->m_in.data()), c->m_in.size());
                if (c->m_generation != generation || c->m_state != Connection::State::Open)
                    return;
                c->m_in.erase(0, used);
            }
            if (offset < size) {
                const std::size_t used = consumeFrames(c, data + offset, size - offset);
                if (c->m_generation != generation || c->m_state != Connection::State::Open)
                    return;
                if (offset + used < size)
                    c->m_in.assign(reinterpret_cast<const char *>(data + offset + used),
                                   size - offset - used);
            }
        }
        if (size < m_readBuffer.size())
            return; // drained; level-triggered epoll reports anything that arrives later
    }
}

bool ClientLoop::consumeHandshake(Connection *c)
{
    const std::size_t end = c->m_in.find("\r\n\r\n");
    if (end == std::string::npos) {
        if (c->m_in.size() > 16 * 1024)
            fail(c);
        return false;
    }
    if (c->m_in.compare(0, 12, "HTTP/1.1 101") != 0) {
        fail(c);
        return false;
    }
    std::string rest = c->m_in.substr(end + 4);
    std::string().swap(c->m_in);
    c->m_state = Connection::State::Open;
    ++m_openCount;
    const std::uint32_t generation = c->m_generation;
    if (onOpen)
        onOpen(*c);
    if (c->m_generation != generation || c->m_state != Connection::State::Open)
        return false;
    if (!rest.empty()) {
        const std::size_t used =
            consumeFrames(c, reinterpret_cast<const std::uint8_t *>(rest.data()), rest.size());
        if (c->m_generation != generation || c->m_state != Connection::State::Open)
            return false;
        c->m_in.assign(rest, used);
    }
    return true;
}

std::size_t ClientLoop::consumeFrames(Connection *c, const std::uint8_t *data, std::size_t size)
{
    const std::uint32_t generation = c->m_generation;
    std::size_t offset = 0;
    while (size - offset >= 2) {
        const std::uint8_t *p = data + offset;
        const bool fin = p[0] & 0x80;
        const std::uint8_t opcode = p[0] & 0x0f;
        const bool masked = p[1] & 0x80;
        std::uint64_t length = p[1] & 0x7f;
        std::size_t header = 2;
        if (length == 126) {
            if (size - offset < 4)
                break;
            length = (std::uint64_t(p[2]) << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (size - offset < 10)
                break;
            length = 0;
            for (int i = 0; i < 8; ++i)
                length = (length << 8) | p[2 + i];
            header = 10;
        }
        if (masked || length > MaxMessageBytes) {
            fail(c); // servers never mask; nothing we send asks for megabytes
            return offset;
        }
        if (size - offset - header < length)
            break;
        const std::uint8_t *payload = p + header;
        offset += header + std::size_t(length);

        switch (opcode) {
        case Binary:
        case Text:
            if (fin) {
                dispatch(c, payload, std::size_t(length));
            } else {
                c->m_fragments.assign(reinterpret_cast<const char *>(payload), std::size_t(length));
            }
            break;
        case Continuation:
            c->m_fragments.append(reinterpret_cast<const char *>(payload), std::size_t(length));
            if (fin) {
                const std::string whole = std::move(c->m_fragments);
                c->m_fragments.clear();
                dispatch(c, reinterpret_cast<const std::uint8_t *>(whole.data()), whole.size());
            }
            break;
        case Ping:
            ++m_counters.serverPings;
            c->queueControl(
                Pong,
                std::string_view(reinterpret_cast<const char *>(payload), std::size_t(length)));
            break;
        case Close:
            fail(c);
            return offset;
        default:
            break; // pong, reserved opcodes
        }
        if (c->m_generation != generation || c->m_state != Connection::State::Open)
            return offset;
    }
    return offset;
}

void ClientLoop::dispatch(Connection *c, const std::uint8_t *payload, std::size_t size)
{
    ++m_counters.framesIn;
    Frame frame;
    frame.body = Cbor::Value(payload, payload + size);
    frame.type = frame.body["t"].toText();
    frame.id = frame.body["id"].toInteger(0);
    if (frame.id != 0 && (frame.isOk() || frame.isError())) {
        const auto it = c->m_handlers.find(frame.id);
        if (it != c->m_handlers.end()) {
            ReplyHandler handler = std::move(it->second);
            c->m_handlers.erase(it);
            handler(*c, frame);
            return;
        }
    }
    if (onFrame)
        onFrame(*c, frame);
}

int ClientLoop::every(std::int64_t intervalNs, std::function<void()> fn)
{
    const int id = m_nextTimerId++;
    m_timers.push_back({id, intervalNs, nowNs() + intervalNs, std::move(fn)});
    return id;
}

void ClientLoop::cancel(int timerId)
{
    std::erase_if(m_timers, [timerId](const Timer &timer) { return timer.id == timerId; });
}

std::int64_t ClientLoop::nextTimerDue() const
{
    std::int64_t due = INT64_MAX;
    for (const Timer &timer : m_timers)
        due = std::min(due, timer.due);
    return due;
}

void ClientLoop::runTimers(std::int64_t now)
{
    // A timer may cancel itself or add others: work on ids, not iterators.
    std::vector<int> dueIds;
    for (const Timer &timer : m_timers) {
        if (timer.due <= now)
            dueIds.push_back(timer.id);
    }
    for (int id : dueIds) {
        auto it = std::find_if(m_timers.begin(), m_timers.end(),
                               [id](const Timer &timer) { return timer.id == id; });
        if (it == m_timers.end())
            continue;
        // A timer that fell behind skips the missed ticks instead of firing back to back: the
        // pacers work out what is due from the clock, not from the number of ticks.
        it->due += it->interval;
        if (it->due <= now)
            it->due = now + it->interval;
        std::function<void()> fn = it->fn; // the timer may be cancelled while it runs
        fn();
    }
}

bool ClientLoop::runUntil(const std::function<bool()> &done, double timeoutSeconds)
{
    const std::int64_t deadline = nowNs() + std::int64_t(timeoutSeconds * 1e9);
    std::vector<epoll_event> events(1024);
    for (;;) {
        flushDirty();
        if (done && done())
            return true;
        std::int64_t now = nowNs();
        if (now >= deadline)
            return false;
        const std::int64_t wake = std::min(deadline, nextTimerDue());
        const std::int64_t waitNs = std::max<std::int64_t>(0, wake - now);
        timespec timeout {time_t(waitNs / 1'000'000'000), long(waitNs % 1'000'000'000)};
        const int ready =
            epoll_pwait2(m_epoll, events.data(), int(events.size()), &timeout, nullptr);
        for (int i = 0; i < ready; ++i) {
            const std::uint64_t key = events[std::size_t(i)].data.u64;
            const auto index = std::uint32_t(key >> 32);
            if (index >= m_connections.size())
                continue;
            Connection *c = m_connections[index].get();
            if (c->m_generation != std::uint32_t(key) || c->m_fd < 0)
                continue;
            const std::uint32_t flags = events[std::size_t(i)].events;
            if (flags & EPOLLOUT)
                onWritable(c);
            if (c->m_generation != std::uint32_t(key) || c->m_fd < 0)
                continue;
            if (flags & (EPOLLIN | EPOLLHUP | EPOLLERR))
                onReadable(c);
        }
        now = nowNs();
        if (nextTimerDue() <= now)
            runTimers(now);
    }
}

void ClientLoop::runFor(double seconds)
{
    runUntil({}, seconds);
}

} // namespace Bench
