#include "MediaChat.h"

#include "Report.h"
#include "Traffic.h"

#include <map>
#include <utility>

namespace Bench {

QJsonObject ChatProbe::Samples::json() const
{
    return {{QStringLiteral("messages_sent"), double(sent)},
            {QStringLiteral("typing_sent"), double(typingSent)},
            {QStringLiteral("errors"), double(errors)},
            {QStringLiteral("send_to_delivered"), Report::toJson(delivered.summary())},
            {QStringLiteral("typing_relay"), Report::toJson(typing.summary())}};
}

ChatProbe::ChatProbe(sockaddr_in server, std::vector<BenchUser> users,
                     std::vector<std::int64_t> conversations, double messagesPerSecond,
                     int payloadBytes)
    : m_server(server)
    , m_users(std::move(users))
    , m_conversations(std::move(conversations))
    , m_messagesPerSecond(messagesPerSecond)
    , m_payloadBytes(payloadBytes)
{
}

ChatProbe::~ChatProbe()
{
    stop();
}

bool ChatProbe::start(QString *error)
{
    std::future<bool> ready = m_ready.get_future();
    m_thread = std::thread([this] { run(); });
    if (!ready.get()) {
        *error = m_error;
        stop();
        return false;
    }
    return true;
}

void ChatProbe::stop()
{
    m_stop.store(true);
    if (m_thread.joinable())
        m_thread.join();
}

void ChatProbe::run()
{
    ClientLoop loop(m_server, {});
    std::vector<Connection *> connections;
    for (std::size_t i = 0; i < m_users.size(); ++i)
        connections.push_back(loop.create(std::int64_t(i)));
    const Population::ResumeResult resumed =
        Population::resumeAll(loop, connections, m_users, 64, 60);
    if (resumed.resumed != int(m_users.size())) {
        m_error = QStringLiteral("chat connections: %1 of %2 resumed (%3)")
                      .arg(resumed.resumed)
                      .arg(m_users.size())
                      .arg(resumed.firstError);
        m_ready.set_value(false);
        return;
    }

    Traffic traffic(loop, m_payloadBytes);
    traffic.onAck = [this](Connection &, std::int64_t, const Frame &frame) {
        if (frame.isError())
            ++m_samples[std::size_t(m_phase.load())].errors;
    };
    traffic.onDelivered = [this](Connection &, const Frame &, std::int64_t sentNs, std::uint32_t,
                                 std::uint32_t phase) {
        if (phase != Idle && phase < PhaseCount)
            m_samples[phase].delivered.add(nowNs() - sentNs);
    };
    // (conversation, typing user) -> when it was sent and in which phase.
    std::map<std::pair<std::int64_t, std::int64_t>, std::pair<std::int64_t, int>> typingSentAt;
    traffic.onOtherFrame = [&](Connection &, const Frame &frame) {
        if (frame.type != "typing" || !frame.body["active"].toBool())
            return;
        const auto it = typingSentAt.find(
            {frame.body["conversationId"].toInteger(), frame.body["userId"].toInteger()});
        if (it == typingSentAt.end())
            return;
        if (it->second.second != Idle)
            m_samples[std::size_t(it->second.second)].typing.add(nowNs() - it->second.first);
        typingSentAt.erase(it);
    };
    m_ready.set_value(true);

    // Open loop, like the direct scenario's paced phases: a slow server shows as latency.
    const std::int64_t start = nowNs();
    const double typingPerSecond = double(connections.size()); // one per connection per second
    std::uint64_t messagesIssued = 0;
    std::uint64_t typingIssued = 0;
    std::size_t nextSender = 0;
    std::size_t nextTyper = 0;
    const int pacer = loop.every(1'000'000, [&] {
        const std::int64_t now = nowNs();
        const int phase = m_phase.load();
        const auto messagesDue = std::uint64_t(double(now - start) * m_messagesPerSecond / 1e9);
        for (; messagesIssued < messagesDue; ++messagesIssued) {
            Connection *c = connections[nextSender++ % connections.size()];
            traffic.send(c, m_conversations[std::size_t(c->tag) / 2], std::uint32_t(phase));
            if (phase != Idle)
                ++m_samples[std::size_t(phase)].sent;
        }
        const auto typingDue = std::uint64_t(double(now - start) * typingPerSecond / 1e9);
        for (; typingIssued < typingDue; ++typingIssued) {
            Connection *c = connections[nextTyper++ % connections.size()];
            const std::int64_t conversationId = m_conversations[std::size_t(c->tag) / 2];
            typingSentAt[{conversationId, m_users[std::size_t(c->tag)].id}] = {nowNs(), phase};
            if (phase != Idle)
                ++m_samples[std::size_t(phase)].typingSent;
            c->request(
                "typing", 2,
                [&](Cbor::Writer &w) {
                    w.field("conversationId", conversationId);
                    w.text("active");
                    w.boolean(true);
                },
                [this, phase](Connection &, const Frame &reply) {
                    if (!reply.isOk())
                        ++m_samples[std::size_t(phase)].errors;
                });
        }
    });
    loop.runUntil([this] { return m_stop.load(); }, 7 * 86'400.0);
    loop.cancel(pacer);
    loop.closeAll();
}

} // namespace Bench
