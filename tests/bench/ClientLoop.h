#pragma once

#include "Cbor.h"

#include <netinet/in.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Bench {

//! Monotonic nanoseconds; the same clock in every thread of the process.
std::int64_t nowNs();

//! One decoded frame from the server: its type, request id and the whole CBOR map.
struct Frame
{
    std::string_view type;
    std::int64_t id = 0;
    Cbor::Value body;

    bool isOk() const { return type == "ok"; }
    bool isError() const { return type == "error"; }
    std::string_view errorCode() const { return body["code"].toText(); }
};

class Connection;
using ReplyHandler = std::function<void(Connection &, const Frame &)>;

//! One client WebSocket connection of the lean client: a socket, its buffers and the requests
//! waiting for an answer. Owned by a ClientLoop, which never frees it while the loop lives, so
//! scenarios may keep plain pointers.
class Connection
{
public:
    enum class State { Idle, Connecting, Handshaking, Open, Closed };

    State state() const { return m_state; }
    bool isOpen() const { return m_state == State::Open; }
    std::uint32_t index() const { return m_index; }

    //! Whatever the scenario wants to remember here (a user index, usually).
    std::int64_t tag = -1;
    //! Set by the scenario once the connection is signed in.
    bool authenticated = false;

    //! Queues a request {"t": type, "id": n, ...}: writeFields adds exactly extraPairs key/value
    //! pairs through the Cbor::Writer. handler, if set, receives the "ok" or "error" answer;
    //! answers without a handler go to ClientLoop::onFrame. Returns the request id.
    template<typename WriteFields>
    std::int64_t request(std::string_view type, int extraPairs, WriteFields writeFields,
                         ReplyHandler handler = {});
    std::int64_t request(std::string_view type, ReplyHandler handler = {})
    {
        return request(
            type, 0, [](Cbor::Writer &) {}, std::move(handler));
    }

    std::size_t pendingHandlers() const { return m_handlers.size(); }

private:
    friend class ClientLoop;
    void queueBinary(const std::string &payload);
    void queueControl(std::uint8_t opcode, std::string_view payload);

    class ClientLoop *m_loop = nullptr;
    std::uint32_t m_index = 0;
    std::uint32_t m_generation = 0;
    int m_fd = -1;
    State m_state = State::Idle;
    bool m_dirty = false;
    bool m_wantWrite = false;
    std::int64_t m_nextId = 1;
    std::string m_in; //!< bytes of an incomplete frame (or handshake response)
    std::string m_out; //!< bytes not yet written
    std::size_t m_outOffset = 0;
    std::string m_fragments; //!< payload of a fragmented message being reassembled
    std::unordered_map<std::int64_t, ReplyHandler> m_handlers;
};

//! Totals the loop keeps; the scenarios read differences between two snapshots.
struct LoopCounters
{
    std::uint64_t framesIn = 0;
    std::uint64_t framesOut = 0;
    std::uint64_t bytesIn = 0;
    std::uint64_t bytesOut = 0;
    std::uint64_t connectFailures = 0;
    std::uint64_t closedByPeer = 0;
    std::uint64_t serverPings = 0;
};

//! The lean client: one thread, one epoll set, thousands of non-blocking sockets speaking just
//! enough WebSocket (RFC 6455: the upgrade, masked client frames, ping/pong, close) to drive the
//! server. It costs a few hundred bytes per idle connection and no allocation per frame, where
//! a QWebSocket costs tens of kilobytes and several allocations.
class ClientLoop
{
public:
    //! sources: local addresses to bind outgoing connections to, used in turn; each one gives
    //! its own ~28k ephemeral ports toward the server.
    ClientLoop(sockaddr_in server, std::vector<in_addr> sources);
    ~ClientLoop();
    ClientLoop(const ClientLoop &) = delete;
    ClientLoop &operator=(const ClientLoop &) = delete;

    //! A new connection object, not yet connected.
    Connection *create(std::int64_t tag = -1);
    Connection *connection(std::uint32_t index) const { return m_connections[index].get(); }
    std::size_t connectionCount() const { return m_connections.size(); }

    //! Starts connecting (TCP, then the WebSocket upgrade); onOpen follows, or onClosed.
    void open(Connection *connection);
    //! Sends a close frame and drops the socket at once; onClosed is not called.
    void close(Connection *connection);
    void closeAll();

    std::function<void(Connection &)> onOpen;
    //! Events, and answers to requests sent without a handler.
    std::function<void(Connection &, const Frame &)> onFrame;
    //! The peer closed, the socket failed, or the connect did not succeed.
    std::function<void(Connection &)> onClosed;

    //! Calls fn every intervalNs (first after one interval) until cancelled; returns its id.
    int every(std::int64_t intervalNs, std::function<void()> fn);
    void cancel(int timerId);

    //! Serves the sockets until done() is true or timeoutSeconds pass; false on timeout.
    bool runUntil(const std::function<bool()> &done, double timeoutSeconds);
    void runFor(double seconds);

    const LoopCounters &counters() const { return m_counters; }
    //! Connections currently open (upgrade done, not closed).
    std::size_t openCount() const { return m_openCount; }

private:
    friend class Connection;
    struct Timer
    {
        int id;
        std::int64_t interval;
        std::int64_t due;
        std::function<void()> fn;
    };

    void markDirty(Connection *connection);
    void flushDirty();
    void flush(Connection *connection);
    void setWantWrite(Connection *connection, bool want);
    void onReadable(Connection *connection);
    void onWritable(Connection *connection);
    void fail(Connection *connection);
    void release(Connection *connection);
    //! Consumes complete frames from data; returns how many bytes it used.
    std::size_t consumeFrames(Connection *connection, const std::uint8_t *data, std::size_t size);
    bool consumeHandshake(Connection *connection);
    void dispatch(Connection *connection, const std::uint8_t *payload, std::size_t size);
    void runTimers(std::int64_t now);
    std::int64_t nextTimerDue() const;

    int m_epoll = -1;
    sockaddr_in m_server {};
    std::vector<in_addr> m_sources;
    std::size_t m_nextSource = 0;
    std::vector<std::unique_ptr<Connection>> m_connections;
    std::vector<Connection *> m_dirty;
    std::vector<Timer> m_timers;
    int m_nextTimerId = 1;
    std::vector<std::uint8_t> m_readBuffer;
    std::string m_handshakeRequest;
    LoopCounters m_counters;
    std::size_t m_openCount = 0;
};

//! The payload scratch buffer requests are encoded into before framing (one per thread).
std::string &requestScratch();

template<typename WriteFields>
std::int64_t Connection::request(std::string_view type, int extraPairs, WriteFields writeFields,
                                 ReplyHandler handler)
{
    const std::int64_t id = m_nextId++;
    std::string &payload = requestScratch();
    payload.clear();
    Cbor::Writer writer(&payload);
    writer.map(std::uint64_t(extraPairs) + 2);
    writer.field("t", type);
    writer.field("id", id);
    writeFields(writer);
    if (handler)
        m_handlers.emplace(id, std::move(handler));
    queueBinary(payload);
    return id;
}

} // namespace Bench
