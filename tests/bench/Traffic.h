#pragma once

#include "ClientLoop.h"
#include "Latency.h"

#include <QJsonObject>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace Bench {

//! message.send traffic over a loop: sends with a timestamp in the content, matches the
//! acknowledgements, and recognises the deliveries. Owns the loop's onFrame while it lives;
//! frames it does not handle go to onOtherFrame.
class Traffic
{
public:
    Traffic(ClientLoop &loop, int payloadBytes);
    ~Traffic();

    //! Sends one message; tag travels in the content (scenarios use it for the conversation
    //! kind or the group). Returns the message's index (also in the content).
    std::uint32_t send(Connection *connection, std::int64_t conversationId, std::uint32_t tag);
    //! Forgets what a closed connection had in flight (churn).
    void forget(Connection *connection);

    //! An acknowledgement ("ok" with seq, or an error) of a send made at sentNs.
    std::function<void(Connection &, std::int64_t sentNs, const Frame &)> onAck;
    //! A message event: who got it, the delivery, and what the content says.
    std::function<void(Connection &, const Frame &, std::int64_t sentNs, std::uint32_t index,
                       std::uint32_t tag)>
        onDelivered;
    //! Every other frame: events and answers to requests of other kinds without a handler.
    std::function<void(Connection &, const Frame &)> onOtherFrame;

    std::uint64_t sent() const { return m_sent; }
    std::uint64_t inFlight() const { return m_inFlight; }
    const std::map<std::string, std::uint64_t> &errors() const { return m_errors; }
    std::uint64_t errorCount() const;
    QJsonObject errorsJson() const;

private:
    void onFrame(Connection &connection, const Frame &frame);

    ClientLoop &m_loop;
    int m_payloadBytes;
    std::string m_content;
    std::uint64_t m_sent = 0;
    std::uint64_t m_inFlight = 0;
    std::uint32_t m_nextIndex = 0;
    std::uint64_t m_nextClientId = 1;
    //! Per connection index: request id -> send time.
    std::vector<std::unordered_map<std::int64_t, std::int64_t>> m_pending;
    std::map<std::string, std::uint64_t> m_errors;
};

//! One measured phase's window: sends and receptions count when they fall inside it.
struct PhaseWindow
{
    std::int64_t start = 0; //!< measurement starts (after the warm-up)
    std::int64_t end = 0;
    bool contains(std::int64_t t) const { return t >= start && t < end; }
    double seconds() const { return double(end - start) / 1e9; }
};

} // namespace Bench
