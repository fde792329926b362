#include "Population.h"
#include "Resources.h"
#include "Scenario.h"

#include <QJsonObject>

namespace Bench {

//! Idle connections: what one costs the server in memory, and how fast they come back.
//!
//! Users are registered on a first server, which is then restarted on the same database so
//! the baseline RSS carries nothing of the registration. Then every user connects and resumes
//! with its token (the rate of that is the resume figure), and the connections are held with
//! heartbeats while the server's RSS is read.
void runConnectionsScenario(ScenarioContext &context)
{
    const BenchOptions &o = context.options;
    const QString name = QStringLiteral("connections");
    Report &report = context.report;
    // Every connection costs a descriptor on both sides: the client's here, the server's in
    // messengerd (or here too, in-process). Without CAP_SYS_RESOURCE the hard limit caps both.
    const bool spawn = o.serverMode != BenchOptions::ServerMode::InProcess;
    const std::int64_t files = raiseFileLimit(std::int64_t(o.connections) * (spawn ? 1 : 2) + 1000);
    const std::int64_t fit = (files - 1000) / (spawn ? 1 : 2);
    const int n = int(std::min<std::int64_t>(o.connections, fit));
    if (n < 1) {
        report.addError(
            name,
            QStringLiteral("the open-file limit (%1) leaves no room for connections").arg(files));
        return;
    }
    if (n < o.connections)
        report.addNote(
            name,
            QStringLiteral("%1 connections asked, %2 run: the open-file limit is %3 and cannot be "
                           "raised here (setrlimit needs CAP_SYS_RESOURCE above the hard limit)")
                .arg(o.connections)
                .arg(n)
                .arg(files));

    ScenarioRig rig(context, name);
    QString error;
    if (!rig.start(true, n, &error)) {
        report.addError(name, error);
        return;
    }
    std::vector<BenchUser> users;
    const std::int64_t registerStart = nowNs();
    if (!Population::registerUsers(rig.loop(), n, "conn", o.connectParallel, false, &users, nullptr,
                                   &error)) {
        report.addError(name, error);
        return;
    }
    const double registerSeconds = double(nowNs() - registerStart) / 1e9;
    if (!rig.restartServer(&error)) {
        report.addError(name, error);
        return;
    }
    ClientLoop &loop = rig.loop();
    loop.runFor(1.0); // let the new server settle before the baseline
    const qint64 rssBefore = rig.server().rssKib();
    const qint64 benchRssBefore = rssKib();

    std::vector<Connection *> connections;
    connections.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i)
        connections.push_back(loop.create(i));
    CpuWindow resumeCpu(rig.server().pid());
    const std::int64_t overflowsBefore = listenOverflows();
    const Population::ResumeResult resumed =
        Population::resumeAll(loop, connections, users, o.connectParallel, 60 + n / 500.0);
    resumeCpu.finish();
    const std::int64_t overflows = listenOverflows() - overflowsBefore;
    if (resumed.failed > 0)
        report.addNote(name,
                       QStringLiteral("%1 of %2 resumes failed (%3)")
                           .arg(resumed.failed)
                           .arg(n)
                           .arg(resumed.firstError));

    // Hold: every connection sends a "ping" request once per heartbeat interval, spread evenly.
    LatencyRecorder pingLatency;
    std::uint64_t pingsSent = 0;
    std::uint64_t pingsAnswered = 0;
    std::size_t cursor = 0;
    const double tick = 0.01;
    double owed = 0;
    const int heartbeatTimer = loop.every(std::int64_t(tick * 1e9), [&] {
        owed += double(n) * tick / o.heartbeatSeconds;
        for (; owed >= 1; owed -= 1) {
            Connection *c = connections[cursor++ % connections.size()];
            if (!c->isOpen() || !c->authenticated)
                continue;
            c->request("ping", [&, sentAt = nowNs()](Connection &, const Frame &reply) {
                if (reply.isOk()) {
                    pingLatency.add(nowNs() - sentAt);
                    ++pingsAnswered;
                }
            });
            ++pingsSent;
        }
    });
    loop.runFor(std::min(2.0, o.holdSeconds));
    const qint64 rssHeld = rig.server().rssKib();
    const qint64 benchRssHeld = rssKib();
    CpuWindow holdCpu(rig.server().pid());
    loop.runFor(std::max(0.0, o.holdSeconds - 2.0));
    holdCpu.finish();
    loop.cancel(heartbeatTimer);
    loop.runFor(0.5);
    const qint64 rssEnd = rig.server().rssKib();
    std::size_t stillOpen = 0;
    for (Connection *c : connections)
        stillOpen += c->isOpen() && c->authenticated ? 1 : 0;
    const LoopCounters counters = loop.counters();

    const int held = resumed.resumed;
    const double perConnectionKb =
        held > 0 ? double(rssHeld - rssBefore) * 1024.0 / 1000.0 / held : 0;
    const double resumesPerSecond = resumed.seconds > 0 ? resumed.resumed / resumed.seconds : 0;

    report.add({name, QStringLiteral("connections_held"),
                QStringLiteral("idle connections held to the end"), double(stillOpen),
                QStringLiteral("conns"), Figure::Kind::Other, QStringLiteral(">= 100000"),
                stillOpen >= 100'000});
    report.add({name, QStringLiteral("server_rss_per_connection_kb"),
                QStringLiteral("server RSS per idle connection"), perConnectionKb,
                QStringLiteral("KB"), Figure::Kind::Other, QStringLiteral("<= 10 KB"),
                held > 0 && perConnectionKb <= 10.0});
    report.add({name, QStringLiteral("connect_resume_per_s"),
                QStringLiteral("connect + token resume"), resumesPerSecond, QStringLiteral("/s"),
                Figure::Kind::Throughput, QStringLiteral(">= 2000 /s"), resumesPerSecond >= 2000});
    report.addLatency(name, QStringLiteral("connect_resume"),
                      QStringLiteral("connect + resume latency"), resumed.latency.summary());
    report.addLatency(name, QStringLiteral("heartbeat"),
                      QStringLiteral("ping round trip while held"), pingLatency.summary());
    report.add({name,
                QStringLiteral("listen_overflows"),
                QStringLiteral("SYNs dropped: listen backlog full (kernel)"),
                double(overflows),
                QStringLiteral("conns"),
                Figure::Kind::Other,
                {},
                {}});
    report.add({name,
                QStringLiteral("registrations_per_s"),
                QStringLiteral("registrations (setup, cheapest Argon2id)"),
                registerSeconds > 0 ? n / registerSeconds : 0,
                QStringLiteral("/s"),
                Figure::Kind::Throughput,
                {},
                {}});
    report.addCpu(name, QStringLiteral("resume_"), QStringLiteral("resumes: "), resumeCpu);
    report.add({name,
                QStringLiteral("client_rss_per_connection_kb"),
                QStringLiteral("bench (client) RSS per connection"),
                held > 0 ? double(benchRssHeld - benchRssBefore) * 1024.0 / 1000.0 / held : 0,
                QStringLiteral("KB"),
                Figure::Kind::Other,
                {},
                {}});

    report.addDetail(name, QStringLiteral("setup"),
                     {{QStringLiteral("connections"), n},
                      {QStringLiteral("registration_seconds"), registerSeconds},
                      {QStringLiteral("server"), rig.server().describe()},
                      {QStringLiteral("open_file_limit"), double(files)}});
    report.addDetail(name, QStringLiteral("resume"),
                     {{QStringLiteral("resumed"), resumed.resumed},
                      {QStringLiteral("failed"), resumed.failed},
                      {QStringLiteral("seconds"), resumed.seconds},
                      {QStringLiteral("per_s"), resumesPerSecond},
                      {QStringLiteral("parallel"), o.connectParallel},
                      {QStringLiteral("listen_overflows"), double(overflows)},
                      {QStringLiteral("latency"), Report::toJson(resumed.latency.summary())},
                      {QStringLiteral("cpu"), Report::toJson(resumeCpu)}});
    report.addDetail(name, QStringLiteral("hold"),
                     {{QStringLiteral("server_rss_kib_before"), double(rssBefore)},
                      {QStringLiteral("server_rss_kib_held"), double(rssHeld)},
                      {QStringLiteral("server_rss_kib_end"), double(rssEnd)},
                      {QStringLiteral("still_open"), double(stillOpen)},
                      {QStringLiteral("closed_by_server"), double(counters.closedByPeer)},
                      {QStringLiteral("pings_sent"), double(pingsSent)},
                      {QStringLiteral("pings_answered"), double(pingsAnswered)},
                      {QStringLiteral("server_pings"), double(counters.serverPings)},
                      {QStringLiteral("ping_latency"), Report::toJson(pingLatency.summary())},
                      {QStringLiteral("bench_rss_kib_before"), double(benchRssBefore)},
                      {QStringLiteral("bench_rss_kib_held"), double(benchRssHeld)},
                      {QStringLiteral("cpu"), Report::toJson(holdCpu)}});
    // Stopping with every connection still open: how long the server takes to let go.
    rig.stop();
    report.add({name,
                QStringLiteral("server_stop_seconds"),
                QStringLiteral("server stop with all connections open"),
                rig.lastStopSeconds(),
                QStringLiteral("s"),
                Figure::Kind::Other,
                {},
                {}});
    if (!rig.spawned())
        report.addNote(name,
                       QStringLiteral("the server ran in-process: its RSS includes the client's"));
}

} // namespace Bench
