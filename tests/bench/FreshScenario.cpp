#include "Population.h"
#include "Resources.h"
#include "Scenario.h"
#include "Traffic.h"

#include <QJsonArray>

#include <cmath>

#include <optional>

namespace Bench {

namespace {

//! One window of the fresh phase: what was delivered and acknowledged inside it.
struct FreshWindow
{
    std::uint64_t acked = 0;
    std::uint64_t delivered = 0;
    LatencyRecorder delivery;
    std::optional<CpuWindow> cpu;
};

} // namespace

// A database created just before, then flat-out direct traffic, delivered msg/s reported window
// by window: a plan that PostgreSQL made while the tables were empty and keeps too long shows
// as windows that fall behind the later ones (docs/performance.md, "Fresh database").
void runFreshScenario(ScenarioContext &context)
{
    const BenchOptions &o = context.options;
    const QString name = QStringLiteral("fresh");
    Report &report = context.report;
    const int users = o.pairs * 2;
    raiseFileLimit(std::int64_t(users) * 2 + 10'000);

    // ScenarioRig::start drops and recreates the schema: every table is new, with no
    // statistics, exactly as in a database created a moment ago.
    ScenarioRig rig(context, name);
    QString error;
    const std::int64_t created = nowNs();
    if (!rig.start(false, users, &error)) {
        report.addError(name, error);
        return;
    }
    ClientLoop &loop = rig.loop();
    std::vector<BenchUser> accounts;
    std::vector<Connection *> connections;
    if (!Population::registerUsers(loop, users, "fresh", o.connectParallel, true, &accounts,
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

    const auto windowNs = std::int64_t(o.freshWindowSeconds * 1e9);
    const auto count = std::size_t(std::ceil(o.freshSeconds / o.freshWindowSeconds));
    std::vector<FreshWindow> windows(count);
    const std::int64_t start = nowNs();
    const std::int64_t end = start + std::int64_t(o.freshSeconds * 1e9);
    const auto windowOf = [&](std::int64_t t) -> FreshWindow * {
        if (t < start || t >= end)
            return nullptr;
        return &windows[std::min(count - 1, std::size_t((t - start) / windowNs))];
    };

    Traffic traffic(loop, o.payloadBytes);
    const auto sendFrom = [&](Connection *c) {
        if (c->isOpen() && nowNs() < end)
            traffic.send(c, conversations[std::size_t(c->tag) / 2], 0);
    };
    traffic.onAck = [&](Connection &c, std::int64_t, const Frame &frame) {
        const std::int64_t now = nowNs();
        if (frame.isOk()) {
            if (FreshWindow *w = windowOf(now))
                ++w->acked;
        }
        sendFrom(&c);
    };
    traffic.onDelivered = [&](Connection &, const Frame &, std::int64_t sentNs, std::uint32_t,
                              std::uint32_t) {
        const std::int64_t now = nowNs();
        if (FreshWindow *w = windowOf(now)) {
            ++w->delivered;
            w->delivery.add(now - sentNs);
        }
    };
    const pid_t serverPid = rig.server().pid();
    std::size_t current = 0;
    windows[0].cpu.emplace(serverPid);
    // Flat out: each connection keeps --window sends unacknowledged.
    for (int i = 0; i < o.window; ++i) {
        for (Connection *c : connections)
            sendFrom(c);
    }
    const int ticker = loop.every(100'000'000, [&] {
        const std::size_t now = std::min(count, std::size_t((nowNs() - start) / windowNs));
        for (; current < now; ++current) {
            windows[current].cpu->finish();
            if (current + 1 < count)
                windows[current + 1].cpu.emplace(serverPid);
        }
    });
    loop.runUntil([&] { return nowNs() >= end; }, o.freshSeconds + 60);
    loop.cancel(ticker);
    for (; current < count; ++current)
        windows[current].cpu->finish();
    loop.runUntil([&] { return traffic.inFlight() == 0; }, 15);

    QJsonArray details;
    double slowest = -1;
    double fastest = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const FreshWindow &w = windows[i];
        const double from = double(i) * o.freshWindowSeconds;
        const double to = std::min(o.freshSeconds, from + o.freshWindowSeconds);
        const double rate = double(w.delivered) / (to - from);
        slowest = slowest < 0 ? rate : std::min(slowest, rate);
        fastest = std::max(fastest, rate);
        const QString span = QStringLiteral("%1-%2s").arg(from).arg(to);
        report.addThroughput(name, QStringLiteral("delivered_per_s_%1").arg(span),
                             QStringLiteral("%1: delivered").arg(span), rate,
                             QStringLiteral("msg/s"));
        details.append(QJsonObject {
            {QStringLiteral("from_s"), from},
            {QStringLiteral("to_s"), to},
            {QStringLiteral("delivered"), double(w.delivered)},
            {QStringLiteral("delivered_per_s"), rate},
            {QStringLiteral("acked_per_s"), double(w.acked) / (to - from)},
            {QStringLiteral("send_to_delivered"), Report::toJson(w.delivery.summary())},
            {QStringLiteral("cpu"), Report::toJson(*w.cpu)}});
    }
    // The same load all along: windows far apart mean the server's speed changed as the
    // database filled (a machine with noisy storage moves this by some 10-20 % too).
    if (fastest > 0)
        report.add({name, QStringLiteral("slowest_window_vs_fastest"),
                    QStringLiteral("slowest window / fastest window"), slowest / fastest,
                    QStringLiteral("x"), Figure::Kind::Other, QStringLiteral(">= 0.75"),
                    slowest >= 0.75 * fastest});
    if (traffic.errorCount() > 0)
        report.addNote(name, QStringLiteral("send errors: %1").arg(traffic.errorCount()));
    report.addDetail(name, QStringLiteral("windows"), {{QStringLiteral("windows"), details}});
    report.addDetail(name, QStringLiteral("setup"),
                     {{QStringLiteral("pairs"), o.pairs},
                      {QStringLiteral("window"), o.window},
                      {QStringLiteral("seconds"), o.freshSeconds},
                      {QStringLiteral("window_seconds"), o.freshWindowSeconds},
                      {QStringLiteral("database_to_first_send_s"), double(start - created) / 1e9},
                      {QStringLiteral("server"), rig.server().describe()}});
}

} // namespace Bench
