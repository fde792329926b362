#pragma once

#include "Latency.h"
#include "Population.h"

#include <QJsonObject>
#include <QString>

#include <netinet/in.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <future>
#include <thread>
#include <vector>

namespace Bench {

//! Chat traffic on its own thread and its own ClientLoop, so the transfer client's work (256 KiB
//! frames to copy and mask) does not delay the chat frames it measures. Pairs of users, each
//! with one ordinary chat connection, send messages at a steady total rate and typing
//! indicators at one per second per connection (the spawned server allows two). Samples are
//! filed under the phase current when they were sent.
class ChatProbe
{
public:
    //! While an upload runs and while a download runs are kept apart: they load different
    //! parts of the server (hashing and fdatasync; reads and the access check per chunk).
    enum Phase { Idle = 0, Baseline = 1, Uploading = 2, Downloading = 3, PhaseCount = 4 };

    struct Samples
    {
        LatencyRecorder delivered; //!< message.send -> the peer's "message" event
        LatencyRecorder typing; //!< typing request -> the peer's "typing" event
        std::uint64_t sent = 0;
        std::uint64_t typingSent = 0;
        std::uint64_t errors = 0;
        QJsonObject json() const;
    };

    //! users 2k and 2k+1 share conversations[k].
    ChatProbe(sockaddr_in server, std::vector<BenchUser> users,
              std::vector<std::int64_t> conversations, double messagesPerSecond, int payloadBytes);
    ~ChatProbe();

    //! Starts the thread, which resumes every user; returns once all are signed in (or not).
    bool start(QString *error);
    void setPhase(Phase phase) { m_phase.store(phase); }
    //! Stops the traffic and joins the thread; the samples are readable afterwards.
    void stop();
    const Samples &samples(Phase phase) const { return m_samples[std::size_t(phase)]; }

private:
    void run();

    sockaddr_in m_server;
    std::vector<BenchUser> m_users;
    std::vector<std::int64_t> m_conversations;
    double m_messagesPerSecond;
    int m_payloadBytes;
    std::thread m_thread;
    std::atomic<int> m_phase {Idle};
    std::atomic<bool> m_stop {false};
    std::promise<bool> m_ready; //!< set by the thread: true once all are signed in
    QString m_error; //!< written by the thread before m_ready is set
    std::array<Samples, PhaseCount> m_samples;
};

} // namespace Bench
