#include "Population.h"
#include "Resources.h"
#include "Scenario.h"
#include "Traffic.h"

#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <deque>
#include <optional>
#include <random>
#include <unordered_map>
#include <utility>

namespace Bench {

namespace {

enum Kind : std::uint32_t { Direct = 1, Group = 2 };

struct Conversation
{
    std::int64_t id = 0;
    Kind kind = Direct;
};

//! The conversations of the mix: every user has four direct peers ((u, u+1) and (u, u+7)
//! around a ring) and sits in three groups of about --mixed-group-size.
struct Layout
{
    std::vector<std::pair<int, int>> directPairs;
    std::vector<std::vector<int>> groups; //!< user indexes; the first one creates the group
};

Layout makeLayout(int users, int groupSize, std::mt19937 &random)
{
    Layout layout;
    for (int u = 0; u < users; ++u) {
        layout.directPairs.emplace_back(u, (u + 1) % users);
        layout.directPairs.emplace_back(u, (u + 7) % users);
    }
    std::vector<int> order(static_cast<std::size_t>(users));
    for (int round = 0; round < 3; ++round) {
        for (int u = 0; u < users; ++u)
            order[std::size_t(u)] = u;
        std::shuffle(order.begin(), order.end(), random);
        for (int start = 0; start < users; start += groupSize) {
            const int end = std::min(users, start + groupSize);
            std::vector<int> group(order.begin() + start, order.begin() + end);
            if (group.size() < 3 && !layout.groups.empty()) {
                auto &last = layout.groups.back();
                last.insert(last.end(), group.begin(), group.end());
            } else {
                layout.groups.push_back(std::move(group));
            }
        }
    }
    return layout;
}

std::uint64_t typingKey(std::int64_t conversationId, std::int64_t userId)
{
    return (std::uint64_t(conversationId) << 24) ^ std::uint64_t(userId);
}

} // namespace

void runMixedScenario(ScenarioContext &context)
{
    const BenchOptions &o = context.options;
    const QString name = QStringLiteral("mixed");
    Report &report = context.report;
    const int users = o.mixedUsers;
    raiseFileLimit(std::int64_t(users) * 2 + 10'000);
    std::mt19937 random(20240601);

    ScenarioRig rig(context, name);
    QString error;
    if (!rig.start(false, users, &error)) {
        report.addError(name, error);
        return;
    }
    ClientLoop &loop = rig.loop();
    std::vector<BenchUser> accounts;
    std::vector<Connection *> connections;
    if (!Population::registerUsers(loop, users, "mix", o.connectParallel, true, &accounts,
                                   &connections, &error)) {
        report.addError(name, error);
        return;
    }

    const Layout layout = makeLayout(users, o.mixedGroupSize, random);
    std::vector<std::vector<Conversation>> directsOf(static_cast<std::size_t>(users));
    std::vector<std::vector<Conversation>> groupsOf(static_cast<std::size_t>(users));
    bool ok = Population::requestAll(
        loop, int(layout.directPairs.size()), 64,
        [&](int i, const std::function<void(bool, const QString &)> &finish) {
            const auto [a, b] = layout.directPairs[std::size_t(i)];
            Population::openDirect(
                connections[std::size_t(a)], accounts[std::size_t(b)].id,
                [&, a = a, b = b, finish](std::int64_t id, const QString &message) {
                    directsOf[std::size_t(a)].push_back({id, Direct});
                    directsOf[std::size_t(b)].push_back({id, Direct});
                    finish(id != 0, message);
                });
        },
        300, &error);
    ok = ok
        && Population::requestAll(
             loop, int(layout.groups.size()), 32,
             [&](int g, const std::function<void(bool, const QString &)> &finish) {
                 const std::vector<int> &members = layout.groups[std::size_t(g)];
                 std::vector<std::int64_t> others;
                 for (std::size_t m = 1; m < members.size(); ++m)
                     others.push_back(accounts[std::size_t(members[m])].id);
                 Population::createGroup(
                     connections[std::size_t(members.front())], "mix " + std::to_string(g), others,
                     [&, g, finish](std::int64_t id, const QString &message) {
                         for (int member : layout.groups[std::size_t(g)])
                             groupsOf[std::size_t(member)].push_back({id, Group});
                         finish(id != 0, message);
                     });
             },
             300, &error);
    if (!ok) {
        report.addError(name, error);
        return;
    }
    loop.runFor(0.5);

    // --- the load ---
    Traffic traffic(loop, o.payloadBytes);
    PhaseWindow window;
    const std::int64_t start = nowNs();
    window.start = start + std::int64_t(o.warmupSeconds * 1e9);
    window.end = window.start + std::int64_t(o.durationSeconds * 1e9);
    std::uniform_real_distribution<double> chance(0, 1);

    std::uint64_t acked = 0, deliveredDirect = 0, deliveredGroup = 0;
    std::uint64_t typingAcked = 0, typingRelayed = 0, receiptsSent = 0, receiptsAcked = 0,
                  otherErrors = 0;
    std::uint64_t reconnects = 0, reconnectFailures = 0, droppedByServer = 0, skippedOffline = 0;
    std::uint64_t otherInFlight = 0; // typing and receipt requests not answered yet
    std::vector<std::uint32_t> otherInFlightOf(loop.connectionCount(), 0);
    const auto forgetOthers = [&](Connection &c) {
        otherInFlight -= otherInFlightOf[c.index()];
        otherInFlightOf[c.index()] = 0;
    };
    LatencyRecorder ackLatency, directLatency, groupLatency, typingLatency, reconnectLatency;
    std::unordered_map<std::uint64_t, std::int64_t> typingAckedAt;
    std::vector<std::int64_t> reconnectStartedAt(loop.connectionCount(), 0); // 0: not reconnecting
    struct Delayed
    {
        std::int64_t due;
        Connection *connection;
        Conversation conversation;
    };
    std::deque<Delayed> delayed; // messages waiting for their typing indicator's lead time
    constexpr std::int64_t TypingLeadNs = 300'000'000;

    const auto countReply = [&](Connection &c, std::uint64_t *counter) {
        ++otherInFlight;
        ++otherInFlightOf[c.index()];
        return [&, counter](Connection &conn, const Frame &reply) {
            --otherInFlight;
            --otherInFlightOf[conn.index()];
            if (reply.isOk())
                ++*counter;
            else
                ++otherErrors;
        };
    };
    traffic.onAck = [&](Connection &, std::int64_t sentNs, const Frame &frame) {
        const std::int64_t now = nowNs();
        if (!frame.isOk())
            return;
        if (window.contains(now))
            ++acked;
        if (window.contains(sentNs))
            ackLatency.add(now - sentNs);
    };
    traffic.onDelivered = [&](Connection &c, const Frame &frame, std::int64_t sentNs, std::uint32_t,
                              std::uint32_t tag) {
        const std::int64_t now = nowNs();
        if (window.contains(now))
            ++(tag == Group ? deliveredGroup : deliveredDirect);
        if (window.contains(sentNs))
            (tag == Group ? groupLatency : directLatency).add(now - sentNs);
        if (chance(random) < o.receiptShare && now < window.end) {
            const Cbor::Value message = frame.body["message"];
            const std::int64_t conversationId = message["conversationId"].toInteger();
            const std::int64_t seq = message["seq"].toInteger();
            c.request(
                "receipt.read", 2,
                [&](Cbor::Writer &w) {
                    w.field("conversationId", conversationId);
                    w.field("seq", seq);
                },
                countReply(c, &receiptsAcked));
            ++receiptsSent;
        }
    };
    traffic.onOtherFrame = [&](Connection &, const Frame &frame) {
        if (frame.type != "typing" || !frame.body["active"].toBool())
            return;
        const auto it = typingAckedAt.find(
            typingKey(frame.body["conversationId"].toInteger(), frame.body["userId"].toInteger()));
        if (it == typingAckedAt.end())
            return;
        const std::int64_t now = nowNs();
        if (window.contains(now)) {
            ++typingRelayed;
            typingLatency.add(now - it->second);
        }
    };
    loop.onOpen = [&](Connection &c) {
        Population::resumeOne(&c, accounts[std::size_t(c.tag)], [&, conn = &c](bool resumed) {
            const std::int64_t startedAt = std::exchange(reconnectStartedAt[conn->index()], 0);
            if (!resumed) {
                ++reconnectFailures;
                return;
            }
            const std::int64_t now = nowNs();
            if (window.contains(now) && startedAt != 0) {
                ++reconnects;
                reconnectLatency.add(now - startedAt);
            }
        });
    };
    loop.onClosed = [&](Connection &c) {
        forgetOthers(c);
        traffic.forget(&c);
        if (reconnectStartedAt[c.index()] != 0)
            ++reconnectFailures;
        else
            ++droppedByServer;
        reconnectStartedAt[c.index()] = nowNs();
        loop.open(&c); // a real client comes back
    };

    const auto sendMessage = [&](Connection *c, const Conversation &conversation) {
        if (c->isOpen() && c->authenticated)
            traffic.send(c, conversation.id, conversation.kind);
    };
    std::uint64_t issued = 0;
    const int pacer = loop.every(500'000, [&] {
        const std::int64_t now = nowNs();
        while (!delayed.empty() && delayed.front().due <= now) {
            sendMessage(delayed.front().connection, delayed.front().conversation);
            delayed.pop_front();
        }
        if (now >= window.end)
            return;
        for (const auto due = std::uint64_t(double(now - start) * o.mixedRate / 1e9); issued < due;
             ++issued) {
            const auto u = std::size_t(random() % std::uint32_t(users));
            Connection *c = connections[u];
            if (!c->isOpen() || !c->authenticated) {
                ++skippedOffline;
                continue;
            }
            const auto &pool =
                chance(random) < o.directShare || groupsOf[u].empty() ? directsOf[u] : groupsOf[u];
            const Conversation conversation = pool[random() % pool.size()];
            if (chance(random) < o.typingShare) {
                typingAckedAt[typingKey(conversation.id, accounts[u].id)] = nowNs();
                c->request(
                    "typing", 2,
                    [&](Cbor::Writer &w) {
                        w.field("conversationId", conversation.id);
                        w.text("active");
                        w.boolean(true);
                    },
                    countReply(*c, &typingAcked));
                delayed.push_back({now + TypingLeadNs, c, conversation});
            } else {
                sendMessage(c, conversation);
            }
        }
    });
    double churnOwed = 0;
    const int churner = loop.every(10'000'000, [&] {
        if (nowNs() >= window.end)
            return;
        churnOwed += o.churnPerSecond * 0.01;
        for (; churnOwed >= 1; churnOwed -= 1) {
            Connection *c = connections[random() % connections.size()];
            if (!c->isOpen() || !c->authenticated)
                continue;
            forgetOthers(*c);
            traffic.forget(c);
            loop.close(c);
            reconnectStartedAt[c->index()] = nowNs();
            loop.open(c);
        }
    });

    loop.runUntil([&] { return nowNs() >= window.start; }, 3600);
    CpuWindow cpu(rig.server().pid());
    loop.runUntil([&] { return nowNs() >= window.end; }, 3600);
    cpu.finish();
    loop.cancel(churner);
    // Everything asked gets its answer before the server stops: a server stopped with a full
    // write queue is not what is measured here.
    const bool drained = loop.runUntil(
        [&] { return delayed.empty() && traffic.inFlight() == 0 && otherInFlight == 0; }, 180);
    loop.cancel(pacer);
    if (!drained)
        report.addNote(
            name,
            QStringLiteral("%1 requests were still unanswered 180 s after the load stopped")
                .arg(traffic.inFlight() + otherInFlight));
    loop.onOpen = nullptr;
    loop.onClosed = nullptr;

    const double seconds = window.seconds();
    const auto per = [seconds](std::uint64_t n) { return seconds > 0 ? double(n) / seconds : 0; };
    report.addThroughput(
        name, QStringLiteral("messages_per_s"),
        QStringLiteral("messages/s acked (%1 offered)").arg(std::llround(o.mixedRate)), per(acked),
        QStringLiteral("msg/s"));
    report.addThroughput(name, QStringLiteral("deliveries_per_s"),
                         QStringLiteral("deliveries/s (1:1 + group)"),
                         per(deliveredDirect + deliveredGroup));
    report.addLatency(name, QStringLiteral("ack"), QStringLiteral("send->ack"),
                      ackLatency.summary());
    report.addLatency(name, QStringLiteral("direct_delivered"),
                      QStringLiteral("1:1 send->delivered"), directLatency.summary());
    report.addLatency(name, QStringLiteral("group_delivered"),
                      QStringLiteral("group send->each member"), groupLatency.summary());
    const LatencySummary typing = typingLatency.summary();
    report.addLatency(name, QStringLiteral("typing"), QStringLiteral("typing relay"), typing, -1,
                      20);
    report.addThroughput(name, QStringLiteral("receipts_per_s"),
                         QStringLiteral("read receipts/s acked"), per(receiptsAcked));
    report.addThroughput(name, QStringLiteral("reconnects_per_s"),
                         QStringLiteral("reconnects (resume)/s"), per(reconnects));
    report.addLatency(name, QStringLiteral("reconnect"),
                      QStringLiteral("reconnect: connect + resume"), reconnectLatency.summary());
    report.addCpu(name, QString(), QString(), cpu);
    report.addDetail(name, QStringLiteral("run"),
                     {{QStringLiteral("users"), users},
                      {QStringLiteral("direct_conversations"), double(layout.directPairs.size())},
                      {QStringLiteral("groups"), double(layout.groups.size())},
                      {QStringLiteral("offered_rate"), o.mixedRate},
                      {QStringLiteral("seconds"), seconds},
                      {QStringLiteral("acked"), double(acked)},
                      {QStringLiteral("delivered_direct"), double(deliveredDirect)},
                      {QStringLiteral("delivered_group"), double(deliveredGroup)},
                      {QStringLiteral("typing_acked"), double(typingAcked)},
                      {QStringLiteral("typing_relayed"), double(typingRelayed)},
                      {QStringLiteral("receipts_sent"), double(receiptsSent)},
                      {QStringLiteral("receipts_acked"), double(receiptsAcked)},
                      {QStringLiteral("reconnects"), double(reconnects)},
                      {QStringLiteral("reconnect_failures"), double(reconnectFailures)},
                      {QStringLiteral("dropped_by_server"), double(droppedByServer)},
                      {QStringLiteral("sends_skipped_offline"), double(skippedOffline)},
                      {QStringLiteral("other_errors"), double(otherErrors)},
                      {QStringLiteral("send_errors"), traffic.errorsJson()},
                      {QStringLiteral("send_to_ack"), Report::toJson(ackLatency.summary())},
                      {QStringLiteral("direct_delivered"), Report::toJson(directLatency.summary())},
                      {QStringLiteral("group_delivered"), Report::toJson(groupLatency.summary())},
                      {QStringLiteral("typing"), Report::toJson(typing)},
                      {QStringLiteral("reconnect"), Report::toJson(reconnectLatency.summary())},
                      {QStringLiteral("cpu"), Report::toJson(cpu)},
                      {QStringLiteral("server"), rig.server().describe()}});
    if (traffic.errorCount() + otherErrors + reconnectFailures > 0)
        report.addNote(
            name,
            QStringLiteral("errors: %1 sends (%2), %3 typing/receipts, %4 failed reconnects")
                .arg(traffic.errorCount())
                .arg(QString::fromUtf8(
                    QJsonDocument(traffic.errorsJson()).toJson(QJsonDocument::Compact)))
                .arg(otherErrors)
                .arg(reconnectFailures));
}

} // namespace Bench
