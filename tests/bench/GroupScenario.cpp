#include "Population.h"
#include "Resources.h"
#include "Scenario.h"
#include "Traffic.h"

#include <QJsonDocument>

#include <cmath>
#include <optional>

namespace Bench {

namespace {

struct GroupPhase
{
    double offeredRate = 0; //!< messages/s; 0: flat out
    std::uint64_t acked = 0;
    std::uint64_t deliveries = 0; //!< message events received inside the window
    std::uint64_t incomplete = 0; //!< messages some member never got (after the drain)
    LatencyRecorder ack;
    LatencyRecorder delivery; //!< every member
    LatencyRecorder lastMember; //!< per message: until its last member had it
    std::optional<CpuWindow> cpu;
    double seconds = 0;

    double per(std::uint64_t count) const { return seconds > 0 ? double(count) / seconds : 0; }
};

//! G groups of M members, each member one connection; the first S members of each group send.
class GroupRun
{
public:
    GroupRun(const BenchOptions &options, ClientLoop &loop, pid_t serverPid,
             std::vector<Connection *> senders, std::vector<std::int64_t> groupOfSender,
             int members)
        : m_options(options)
        , m_loop(loop)
        , m_serverPid(serverPid)
        , m_senders(std::move(senders))
        , m_groupOfSender(std::move(groupOfSender))
        , m_recipients(std::uint16_t(members - 1))
        , m_traffic(loop, options.payloadBytes)
    {
        m_traffic.onAck = [this](Connection &c, std::int64_t sentNs, const Frame &frame) {
            const std::int64_t now = nowNs();
            if (frame.isOk() && m_phase) {
                if (m_window.contains(now))
                    ++m_phase->acked;
                if (m_window.contains(sentNs))
                    m_phase->ack.add(now - sentNs);
            }
            if (m_flatOut && now < m_window.end)
                sendFrom(c);
        };
        m_traffic.onDelivered = [this](Connection &, const Frame &, std::int64_t sentNs,
                                       std::uint32_t index, std::uint32_t) {
            const std::int64_t now = nowNs();
            ++m_deliveredTotal;
            if (index < m_remaining.size() && m_remaining[index] > 0 && --m_remaining[index] == 0) {
                ++m_completeTotal;
                if (m_phase && m_window.contains(sentNs))
                    m_phase->lastMember.add(now - sentNs);
            }
            if (!m_phase)
                return;
            if (m_window.contains(now))
                ++m_phase->deliveries;
            if (m_window.contains(sentNs))
                m_phase->delivery.add(now - sentNs);
        };
    }

    GroupPhase run(double rate)
    {
        GroupPhase phase;
        phase.offeredRate = rate;
        m_phase = &phase;
        m_flatOut = rate <= 0;
        const std::int64_t start = nowNs();
        m_window.start = start + std::int64_t(m_options.warmupSeconds * 1e9);
        m_window.end = m_window.start + std::int64_t(m_options.durationSeconds * 1e9);
        const std::uint64_t sentBefore = m_traffic.sent();
        const std::uint64_t completeBefore = m_completeTotal;
        int pacer = 0;
        if (m_flatOut) {
            for (int i = 0; i < m_options.groupWindow; ++i) {
                for (Connection *c : m_senders)
                    sendFrom(*c);
            }
        } else {
            std::uint64_t issued = 0;
            std::size_t next = 0;
            pacer = m_loop.every(500'000, [&, rate] {
                const std::int64_t now = nowNs();
                if (now >= m_window.end)
                    return;
                for (const auto due = std::uint64_t(double(now - start) * rate / 1e9); issued < due;
                     ++issued)
                    sendFrom(*m_senders[next++ % m_senders.size()]);
            });
        }
        m_loop.runUntil([&] { return nowNs() >= m_window.start; }, 3600);
        phase.cpu.emplace(m_serverPid);
        m_loop.runUntil([&] { return nowNs() >= m_window.end; }, 3600);
        phase.cpu->finish();
        phase.seconds = m_window.seconds();
        if (pacer)
            m_loop.cancel(pacer);
        m_loop.runUntil(
            [&] {
                return m_traffic.inFlight() == 0
                    && m_completeTotal - completeBefore
                    >= m_traffic.sent() - sentBefore - m_traffic.errorCount();
            },
            30);
        phase.incomplete = (m_traffic.sent() - sentBefore) - (m_completeTotal - completeBefore);
        m_flatOut = false;
        m_phase = nullptr;
        return phase;
    }

    const Traffic &traffic() const { return m_traffic; }

private:
    void sendFrom(Connection &c)
    {
        if (!c.isOpen())
            return;
        const std::uint32_t index = m_traffic.send(&c, m_groupOfSender[std::size_t(c.tag)], 0);
        if (m_remaining.size() <= index)
            m_remaining.resize(std::size_t(index) + 1024, 0);
        m_remaining[index] = m_recipients;
    }

    const BenchOptions &m_options;
    ClientLoop &m_loop;
    pid_t m_serverPid;
    std::vector<Connection *> m_senders;
    std::vector<std::int64_t> m_groupOfSender; //!< by user index (tag)
    std::uint16_t m_recipients;
    Traffic m_traffic;
    std::vector<std::uint16_t> m_remaining; //!< by message index: members still to receive it
    GroupPhase *m_phase = nullptr;
    PhaseWindow m_window;
    bool m_flatOut = false;
    std::uint64_t m_deliveredTotal = 0;
    std::uint64_t m_completeTotal = 0;
};

QJsonObject phaseJson(const GroupPhase &p)
{
    return {{QStringLiteral("offered_rate"), p.offeredRate},
            {QStringLiteral("seconds"), p.seconds},
            {QStringLiteral("acked_per_s"), p.per(p.acked)},
            {QStringLiteral("deliveries_per_s"), p.per(p.deliveries)},
            {QStringLiteral("incomplete_messages"), double(p.incomplete)},
            {QStringLiteral("send_to_ack"), Report::toJson(p.ack.summary())},
            {QStringLiteral("send_to_each_member"), Report::toJson(p.delivery.summary())},
            {QStringLiteral("send_to_last_member"), Report::toJson(p.lastMember.summary())},
            {QStringLiteral("cpu"), Report::toJson(*p.cpu)}};
}

} // namespace

void runGroupScenario(ScenarioContext &context)
{
    const BenchOptions &o = context.options;
    const QString name = QStringLiteral("group");
    Report &report = context.report;
    const int members = o.groupSize;
    const int users = o.groups * members;
    raiseFileLimit(std::int64_t(users) * 2 + 10'000);

    ScenarioRig rig(context, name);
    QString error;
    if (!rig.start(false, users, &error)) {
        report.addError(name, error);
        return;
    }
    ClientLoop &loop = rig.loop();
    std::vector<BenchUser> accounts;
    std::vector<Connection *> connections;
    if (!Population::registerUsers(loop, users, "grp", o.connectParallel, true, &accounts,
                                   &connections, &error)) {
        report.addError(name, error);
        return;
    }
    // Member 0 of each group creates it with the others.
    std::vector<std::int64_t> groupIds(std::size_t(o.groups), 0);
    const bool created = Population::requestAll(
        loop, o.groups, 8,
        [&](int g, const std::function<void(bool, const QString &)> &finish) {
            std::vector<std::int64_t> others;
            for (int m = 1; m < members; ++m)
                others.push_back(
                    accounts[std::size_t(g) * std::size_t(members) + std::size_t(m)].id);
            Population::createGroup(connections[std::size_t(g) * std::size_t(members)],
                                    "bench group " + std::to_string(g), others,
                                    [&, g, finish](std::int64_t id, const QString &message) {
                                        groupIds[std::size_t(g)] = id;
                                        finish(id != 0, message);
                                    });
        },
        120, &error);
    if (!created) {
        report.addError(name, error);
        return;
    }
    loop.runFor(0.5); // the "conversation" events reach the members

    std::vector<Connection *> senders;
    std::vector<std::int64_t> groupOfUser(std::size_t(users), 0);
    for (int g = 0; g < o.groups; ++g) {
        for (int m = 0; m < members; ++m)
            groupOfUser[std::size_t(g) * std::size_t(members) + std::size_t(m)] =
                groupIds[std::size_t(g)];
        for (int s = 0; s < o.groupSenders; ++s)
            senders.push_back(connections[std::size_t(g) * std::size_t(members) + std::size_t(s)]);
    }
    GroupRun run(o, loop, rig.server().pid(), senders, groupOfUser, members);
    const GroupPhase flat = run.run(0);
    report.addDetail(name, QStringLiteral("flat_out"), phaseJson(flat));
    const double deliveries = flat.per(flat.deliveries);
    const QString size = QString::number(members);
    report.add({name, QStringLiteral("deliveries_per_s"),
                QStringLiteral("deliveries/s to %1-member groups, flat out").arg(size), deliveries,
                QStringLiteral("/s"), Figure::Kind::Throughput,
                members >= 256 ? QStringLiteral(">= 150000 /s") : QString(),
                members >= 256 ? std::optional<bool>(deliveries >= 150'000) : std::nullopt});
    report.addThroughput(name, QStringLiteral("messages_per_s"),
                         QStringLiteral("group messages/s acked, flat out"), flat.per(flat.acked),
                         QStringLiteral("msg/s"));
    report.addLatency(name, QStringLiteral("flat_last_member"),
                      QStringLiteral("flat out: send->last member"), flat.lastMember.summary());
    report.addCpu(name, QStringLiteral("flat_"), QStringLiteral("flat out: "), *flat.cpu);

    // Half the flat-out message rate: the latency a member sees when the server is not saturated.
    const double halfRate = flat.per(flat.acked) / 2;
    if (halfRate > 0) {
        const GroupPhase half = run.run(halfRate);
        report.addDetail(name, QStringLiteral("paced_half"), phaseJson(half));
        report.addThroughput(
            name, QStringLiteral("half_deliveries_per_s"),
            QStringLiteral("at 50% (%1 msg/s): deliveries").arg(std::llround(halfRate)),
            half.per(half.deliveries));
        report.addLatency(name, QStringLiteral("half_each_member"),
                          QStringLiteral("at 50%: send->each member"), half.delivery.summary());
        report.addLatency(name, QStringLiteral("half_last_member"),
                          QStringLiteral("at 50%: send->last member"), half.lastMember.summary());
    }
    if (run.traffic().errorCount() > 0)
        report.addNote(
            name,
            QStringLiteral("send errors: %1")
                .arg(QString::fromUtf8(
                    QJsonDocument(run.traffic().errorsJson()).toJson(QJsonDocument::Compact))));
    if (flat.incomplete > 0)
        report.addNote(name,
                       QStringLiteral("%1 messages did not reach every member within 30 s")
                           .arg(flat.incomplete));
    report.addDetail(name, QStringLiteral("setup"),
                     {{QStringLiteral("groups"), o.groups},
                      {QStringLiteral("members"), members},
                      {QStringLiteral("senders_per_group"), o.groupSenders},
                      {QStringLiteral("window"), o.groupWindow},
                      {QStringLiteral("server"), rig.server().describe()}});
}

} // namespace Bench
