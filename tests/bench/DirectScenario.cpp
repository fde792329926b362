#include "Population.h"
#include "Resources.h"
#include "Scenario.h"
#include "Traffic.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

#include <optional>

namespace Bench {

namespace {

struct DirectPhase
{
    QString name;
    double offeredRate = 0; //!< 0: flat out
    std::uint64_t acked = 0; //!< acknowledged inside the window
    std::uint64_t delivered = 0; //!< delivered inside the window
    std::uint64_t undelivered = 0; //!< acknowledged but never delivered (after the drain)
    LatencyRecorder ack;
    LatencyRecorder delivery;
    std::optional<CpuWindow> cpu;
    double seconds = 0;
    double maxLagMs = 0; //!< how far the paced sender fell behind its schedule
    //! Second by second inside the window: acknowledgements, and the slowest delivery.
    std::vector<double> ackedBySecond;
    std::vector<double> worstDeliveryMsBySecond;

    void tally(std::vector<double> &series, std::int64_t sinceStart, double value, bool keepMax)
    {
        const auto second = std::size_t(sinceStart / 1'000'000'000);
        if (series.size() <= second)
            series.resize(second + 1, 0);
        series[second] = keepMax ? std::max(series[second], value) : series[second] + value;
    }

    double ackedPerSecond() const { return seconds > 0 ? double(acked) / seconds : 0; }
    double deliveredPerSecond() const { return seconds > 0 ? double(delivered) / seconds : 0; }
};

//! P pairs, each user with one connection; connection 2k and 2k+1 share conversation k.
class DirectRun
{
public:
    DirectRun(const BenchOptions &options, ClientLoop &loop, pid_t serverPid,
              std::vector<Connection *> connections, std::vector<std::int64_t> conversations)
        : m_options(options)
        , m_loop(loop)
        , m_serverPid(serverPid)
        , m_connections(std::move(connections))
        , m_conversations(std::move(conversations))
        , m_traffic(loop, options.payloadBytes)
    {
        m_traffic.onAck = [this](Connection &c, std::int64_t sentNs, const Frame &frame) {
            const std::int64_t now = nowNs();
            if (frame.isOk()) {
                ++m_ackedTotal;
                if (m_phase && m_window.contains(now)) {
                    ++m_phase->acked;
                    m_phase->tally(m_phase->ackedBySecond, now - m_window.start, 1, false);
                }
                if (m_phase && m_window.contains(sentNs))
                    m_phase->ack.add(now - sentNs);
            }
            if (m_flatOut && now < m_window.end)
                sendFrom(&c);
        };
        m_traffic.onDelivered = [this](Connection &, const Frame &, std::int64_t sentNs,
                                       std::uint32_t, std::uint32_t) {
            const std::int64_t now = nowNs();
            ++m_deliveredTotal;
            if (m_phase && m_window.contains(now))
                ++m_phase->delivered;
            if (m_phase && m_window.contains(sentNs)) {
                m_phase->delivery.add(now - sentNs);
                m_phase->tally(m_phase->worstDeliveryMsBySecond, sentNs - m_window.start,
                               double(now - sentNs) / 1e6, true);
            }
        };
    }

    //! Runs one phase: flat out when rate is 0, else paced at rate messages/s in total.
    DirectPhase run(const QString &name, double rate)
    {
        DirectPhase phase;
        phase.name = name;
        phase.offeredRate = rate;
        m_phase = &phase;
        m_flatOut = rate <= 0;
        const std::int64_t start = nowNs();
        m_window.start = start + std::int64_t(m_options.warmupSeconds * 1e9);
        m_window.end = m_window.start + std::int64_t(m_options.durationSeconds * 1e9);
        const std::uint64_t ackedBefore = m_ackedTotal;
        const std::uint64_t deliveredBefore = m_deliveredTotal;

        int pacer = 0;
        if (m_flatOut) {
            for (int i = 0; i < m_options.window; ++i) {
                for (Connection *c : m_connections)
                    sendFrom(c);
            }
        } else {
            // Open loop: the schedule does not wait for answers, so a slow server shows up as
            // latency, not as a lower offered rate.
            std::uint64_t issued = 0;
            std::size_t next = 0;
            pacer = m_loop.every(1'000'000, [&, rate] {
                const std::int64_t now = nowNs();
                if (now >= m_window.end)
                    return;
                const auto due = std::uint64_t(double(now - start) * rate / 1e9);
                if (due > issued + 1)
                    phase.maxLagMs = std::max(phase.maxLagMs, double(due - issued) / rate * 1000);
                for (; issued < due; ++issued)
                    sendFrom(m_connections[next++ % m_connections.size()]);
            });
        }
        m_loop.runUntil([&] { return nowNs() >= m_window.start; }, 3600);
        phase.cpu.emplace(m_serverPid);
        m_loop.runUntil([&] { return nowNs() >= m_window.end; }, 3600);
        phase.cpu->finish();
        phase.seconds = m_window.seconds();
        if (pacer)
            m_loop.cancel(pacer);
        // Drain: everything sent gets its answer and its delivery before the next phase.
        m_loop.runUntil(
            [&] { return m_traffic.inFlight() == 0 && m_deliveredTotal >= m_ackedTotal; }, 15);
        phase.undelivered = (m_ackedTotal - ackedBefore)
            - std::min(m_ackedTotal - ackedBefore, m_deliveredTotal - deliveredBefore);
        m_flatOut = false;
        m_phase = nullptr;
        return phase;
    }

    const Traffic &traffic() const { return m_traffic; }

private:
    void sendFrom(Connection *c)
    {
        if (c->isOpen())
            m_traffic.send(c, m_conversations[std::size_t(c->tag) / 2], 0);
    }

    const BenchOptions &m_options;
    ClientLoop &m_loop;
    pid_t m_serverPid;
    std::vector<Connection *> m_connections;
    std::vector<std::int64_t> m_conversations;
    Traffic m_traffic;
    DirectPhase *m_phase = nullptr;
    PhaseWindow m_window;
    bool m_flatOut = false;
    std::uint64_t m_ackedTotal = 0;
    std::uint64_t m_deliveredTotal = 0;
};

QVariantList toVariants(const std::vector<double> &values)
{
    QVariantList list;
    for (double value : values)
        list.append(std::round(value * 100) / 100);
    return list;
}

QJsonObject phaseJson(const DirectPhase &p, const Traffic &traffic)
{
    return {{QStringLiteral("offered_rate"), p.offeredRate},
            {QStringLiteral("seconds"), p.seconds},
            {QStringLiteral("acked"), double(p.acked)},
            {QStringLiteral("acked_per_s"), p.ackedPerSecond()},
            {QStringLiteral("delivered"), double(p.delivered)},
            {QStringLiteral("delivered_per_s"), p.deliveredPerSecond()},
            {QStringLiteral("undelivered"), double(p.undelivered)},
            {QStringLiteral("pacing_max_lag_ms"), p.maxLagMs},
            {QStringLiteral("send_to_ack"), Report::toJson(p.ack.summary())},
            {QStringLiteral("send_to_delivered"), Report::toJson(p.delivery.summary())},
            {QStringLiteral("cpu"), Report::toJson(*p.cpu)},
            {QStringLiteral("acked_by_second"),
             QJsonArray::fromVariantList(toVariants(p.ackedBySecond))},
            {QStringLiteral("worst_delivery_ms_by_second"),
             QJsonArray::fromVariantList(toVariants(p.worstDeliveryMsBySecond))},
            {QStringLiteral("errors_so_far"), traffic.errorsJson()}};
}

} // namespace

void runDirectScenario(ScenarioContext &context)
{
    const BenchOptions &o = context.options;
    const QString name = QStringLiteral("direct");
    Report &report = context.report;
    const int users = o.pairs * 2;
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
    if (!Population::registerUsers(loop, users, "dir", o.connectParallel, true, &accounts,
                                   &connections, &error)) {
        report.addError(name, error);
        return;
    }
    std::vector<std::int64_t> conversations;
    if (!Population::openDirectPairs(loop, o.pairs, connections, accounts, &conversations,
                                     &error)) {
        report.addError(name, error);
        return;
    }
    loop.runFor(0.3); // the "conversation" events reach the peers

    DirectRun run(o, loop, rig.server().pid(), connections, conversations);
    const DirectPhase flat = run.run(QStringLiteral("flat out"), 0);
    report.addDetail(name, QStringLiteral("flat_out"), phaseJson(flat, run.traffic()));

    const double maxRate = flat.ackedPerSecond();
    const Ceiling &pg = report.postgres();
    Figure durable {name,
                    QStringLiteral("durable_messages_per_s"),
                    QStringLiteral("durable messages/s, flat out"),
                    maxRate,
                    QStringLiteral("msg/s"),
                    Figure::Kind::Throughput,
                    {},
                    {}};
    if (pg.measured) {
        durable.target = QStringLiteral(">= 3x pg (%1)").arg(std::llround(3 * pg.singleTps));
        durable.met = maxRate >= 3 * pg.singleTps;
    }
    report.add(durable);
    if (pg.measured)
        report.add({name, QStringLiteral("durable_vs_pg_hundred_rows"),
                    QStringLiteral("durable messages/s / pg 100-row rows/s"),
                    maxRate / pg.hundredRowsPerSecond, QStringLiteral("x"), Figure::Kind::Other,
                    QStringLiteral(">= 0.5 (stretch)"), maxRate >= 0.5 * pg.hundredRowsPerSecond});
    report.addLatency(name, QStringLiteral("flat_ack"), QStringLiteral("flat out: send->ack"),
                      flat.ack.summary());
    report.addLatency(name, QStringLiteral("flat_delivered"),
                      QStringLiteral("flat out: send->delivered"), flat.delivery.summary());
    report.addCpu(name, QStringLiteral("flat_"), QStringLiteral("flat out: "), *flat.cpu);

    std::vector<std::pair<QString, double>> paced;
    if (o.rate > 0)
        paced.emplace_back(QStringLiteral("at %1/s").arg(o.rate), o.rate);
    else if (maxRate > 0)
        for (double fraction : o.rateFractions)
            paced.emplace_back(QStringLiteral("at %1%").arg(std::lround(fraction * 100)),
                               fraction * maxRate);
    for (const auto &[label, rate] : paced) {
        const DirectPhase phase = run.run(label, rate);
        const QString key = QStringLiteral("paced_%1").arg(std::llround(rate));
        report.addDetail(name, key, phaseJson(phase, run.traffic()));
        const double fraction = maxRate > 0 ? rate / maxRate : 0;
        // Targets: p50 <= 2 ms and p99 <= 20 ms at half the maximum, p99 <= 100 ms at 80%.
        double p50Target = -1;
        double p99Target = -1;
        if (o.rate <= 0 && std::abs(fraction - 0.5) < 0.01) {
            p50Target = 2;
            p99Target = 20;
        } else if (o.rate <= 0 && std::abs(fraction - 0.8) < 0.01) {
            p99Target = 100;
        }
        report.addThroughput(
            name, key + QStringLiteral("_acked_per_s"),
            QStringLiteral("%1 (%2 msg/s offered): acked").arg(label).arg(std::llround(rate)),
            phase.ackedPerSecond(), QStringLiteral("msg/s"));
        report.addLatency(name, key + QStringLiteral("_ack"), label + QStringLiteral(": send->ack"),
                          phase.ack.summary());
        report.addLatency(name, key + QStringLiteral("_delivered"),
                          label + QStringLiteral(": send->delivered"), phase.delivery.summary(),
                          p50Target, p99Target);
        report.addCpu(name, key + QLatin1Char('_'), label + QStringLiteral(": "), *phase.cpu);
    }
    if (run.traffic().errorCount() > 0)
        report.addNote(
            name,
            QStringLiteral("send errors: %1")
                .arg(QString::fromUtf8(
                    QJsonDocument(run.traffic().errorsJson()).toJson(QJsonDocument::Compact))));
    report.addDetail(name, QStringLiteral("setup"),
                     {{QStringLiteral("pairs"), o.pairs},
                      {QStringLiteral("window"), o.window},
                      {QStringLiteral("payload_bytes"), o.payloadBytes},
                      {QStringLiteral("server"), rig.server().describe()}});
}

} // namespace Bench
