#pragma once

#include "Histogram.h"

#include "protocol/Protocol.h"

#include <QByteArray>
#include <QLatin1StringView>

#include <array>
#include <vector>

namespace Protocol {
struct RequestSpec;
}

namespace Server {

class Store;

//! The server's counters for /metrics. Lives on the socket thread and is only touched there, so
//! every hook is a plain increment; the database threads keep their own atomics (Store) and
//! gauges are read at scrape time. Owned by MessengerServer for its whole life.
class Metrics
{
public:
    //! Why a connection ended.
    enum class CloseReason : quint8 {
        Peer, //!< the client closed it (or the network did)
        Idle, //!< nothing heard for the idle timeout
        SignInTimeout, //!< connected but not signed in in time
        HandshakeTimeout, //!< the WebSocket upgrade (or TLS) never finished
        CloseTimeout, //!< our close frame was never answered
        ProtocolError, //!< a broken WebSocket frame or upgrade
        SlowConsumer, //!< the client did not read; its queue passed the cap
        Server, //!< the server closed it (sign-out, revoked device, draining)
        Count
    };
    static QLatin1StringView closeReasonName(CloseReason reason);

    //! Read at scrape time from the objects that own them.
    struct Gauges
    {
        int connections = 0;
        int authenticatedSessions = 0;
        int onlineUsers = 0;
        bool draining = false;
        const Store *store = nullptr; //!< null while the server is stopped
    };

    Metrics();

    void connectionAccepted() { ++m_accepted; }
    void connectionRejected() { ++m_rejected; }
    void connectionClosed(CloseReason reason);
    //! A request was answered: ok (ErrorCode::None) or with an error. spec is null for frames
    //! that named no known request.
    void requestAnswered(const Protocol::RequestSpec *spec, Protocol::ErrorCode code);
    //! An error frame went out (also for frames that are no request).
    void errorSent(Protocol::ErrorCode code);
    //! A new message was committed, `micros` after its message.send arrived.
    void messageCommitted(quint64 micros);
    void addDeliveries(int count) { m_deliveries += quint64(count); }
    void addTypingFanout(int count) { m_typingFanout += quint64(count); }
    void addPresenceFanout(int count) { m_presenceFanout += quint64(count); }
    //! The expiry sweeper erased the content of `count` entries whose time had come.
    void addExpiredErased(int count) { m_expiredErased += quint64(count); }
    //! A message.delete deleted a message for everyone (not a repeat of an earlier delete).
    void messageDeleted() { ++m_messagesDeleted; }
    //! Media: an upload finished (its row committed complete) with `bytes`.
    void blobCompleted(qint64 bytes)
    {
        ++m_blobUploads;
        m_blobStoredBytes += bytes;
        ++m_blobsStored;
    }
    void addBlobBytesIn(qint64 bytes) { m_blobBytesIn += quint64(bytes); }
    void addBlobBytesOut(qint64 bytes) { m_blobBytesOut += quint64(bytes); }
    //! The blob sweeper removed `count` blobs (rows).
    void addBlobsSwept(int count) { m_blobsSwept += quint64(count); }
    //! Complete blobs and their bytes, as the sweeper counted them (between sweeps, uploads add).
    void setBlobsStored(qint64 bytes, qint64 count)
    {
        m_blobStoredBytes = bytes;
        m_blobsStored = count;
    }

    //! The whole exposition, Prometheus text format 0.0.4.
    QByteArray exposition(const Gauges &gauges) const;

    // Totals for tests and for `messengerd stats`-like callers.
    quint64 messagesCommitted() const { return m_messagesCommitted; }
    quint64 deliveries() const { return m_deliveries; }

private:
    static constexpr int ErrorCodes = int(Protocol::ErrorCode::Internal) + 1;
    static int codeIndex(Protocol::ErrorCode code);
    int specIndex(const Protocol::RequestSpec *spec) const;

    std::size_t m_requestTypes; //!< known request types; one more row for unknown frames
    std::vector<quint64> m_requests; //!< [type][error code], code None = ok
    std::array<quint64, ErrorCodes> m_errors {};
    std::array<quint64, std::size_t(CloseReason::Count)> m_closed {};
    int m_registerIndex = -1;
    int m_loginIndex = -1;
    int m_resumeIndex = -1;
    quint64 m_accepted = 0;
    quint64 m_rejected = 0;
    quint64 m_messagesCommitted = 0;
    quint64 m_deliveries = 0;
    quint64 m_typingFanout = 0;
    quint64 m_presenceFanout = 0;
    quint64 m_expiredErased = 0;
    quint64 m_messagesDeleted = 0;
    quint64 m_blobUploads = 0;
    quint64 m_blobBytesIn = 0;
    quint64 m_blobBytesOut = 0;
    quint64 m_blobsSwept = 0;
    qint64 m_blobStoredBytes = 0;
    qint64 m_blobsStored = 0;
    quint64 m_rateLimited = 0;
    Histogram m_sendCommit {HistogramBounds::DurationMicros};
};

} // namespace Server
