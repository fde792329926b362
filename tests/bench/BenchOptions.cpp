#include "BenchOptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdlib>

namespace Bench {

namespace {

const char *const Description =
    R"(messenger-bench — load generator and measuring tool for messengerd.

It drives a real messengerd over real WebSocket connections on loopback, with PostgreSQL or
SQLite storage, and prints a table of figures (and writes them as JSON). Speed is measured
here, never in timed unit tests. Each scenario gets a fresh database and a fresh server.

Scenarios (--scenario, comma-separated; default all):
  connections  Registers N users, restarts the server, then opens N idle connections that
               resume with their tokens and holds them with heartbeats ("ping" requests).
               Reports the server's RSS per connection ((RSS with N - RSS with none) / N),
               connect + resume rate and latency, and how many connections survived the hold.
  direct       P pairs of users send to each other. First flat out (each connection keeps
               --window sends unacknowledged): durable messages/s, counted only when the
               server acknowledges after its commit. Then paced at fractions of that maximum
               (--rate-fractions) or at --rate: send->ack and send->delivered latency.
  group        Groups of up to 256 members; --group-senders members of each send flat out.
               Reports deliveries/s (message events received) and latency to the last member.
  mixed        A realistic mix at --mixed-rate messages/s: 70% 1:1, 30% groups of about 10,
               typing indicators before some messages, read receipts, and reconnect churn
               (connections closed and resumed with their token).
  fresh        A database created just before, then --pairs pairs sending flat out as in
               direct for --fresh-seconds (60), reported as delivered msg/s per
               --fresh-window (10 s): a regression in the first minute of a new deployment
               (PostgreSQL planning on empty tables) shows as early windows behind late ones.
  media        Blob transfers on transfer connections (blob.create/put/get, 262,144-byte
               chunks, 4 in flight, random bytes as ciphertext with their SHA-256). Measures
               the disk's own sequential write (+ fsync) and read (page cache dropped with
               posix_fadvise) with a file of --media-mib; one --media-mib upload and its
               download, as MB/s and as a ratio to the disk; --media-users users moving
               --media-user-mib each at once (aggregate MB/s); then chat send->delivered and
               typing relay latency on separate connections for --duration with no transfer
               and again while --media-mib uploads and downloads run back to back.

PostgreSQL's own ceiling: in the same run, pgbench (one client) measures single-row INSERT TPS
and 100-row INSERT rows/s on the same database, into a scratch table shaped like the server's
messages table. Every server throughput is also printed as a ratio to the single-row TPS and
every latency as a ratio to pgbench's single-row latency, so results compare across noisy
machines. With --db sqlite the ratios are still to PostgreSQL (when reachable) and an SQLite
ceiling (same pragmas as the server: WAL, synchronous=FULL) is measured as well.

The server runs either spawned (the real messengerd binary: its RSS and CPU are its own) or
in-process (the messenger_server library on its own thread, with rate limits raised; its CPU
is the process's minus the client thread's). A spawned messengerd gets --sends-per-second and
--requests-per-second raised, but its typing limit (2/s per connection) stays, so --server auto
spawns it for the connections scenario and runs it in-process for the others.

The client side is a lean epoll loop (no QWebSocket per connection) on one thread; its CPU use
is reported for every phase. Beyond 25,000 connections it binds to several 127.0.0.x source
addresses (each pair of addresses has ~28k ephemeral ports), and it raises the open-file limit
(past the hard limit only with CAP_SYS_RESOURCE; otherwise the connections scenario shrinks to
fit and says so).

Targets (2 cores, loopback): durable messages/s >= 3x pgbench single-row TPS; send->delivered
p50 <= 2 ms and p99 <= 20 ms at half the maximum rate, p99 <= 100 ms at 80%; >= 150,000
deliveries/s to a 256-member group; >= 100,000 idle connections at <= 10 KB RSS each;
>= 2,000 token resumes/s. See docs/performance.md.)";

struct Parsed
{
    QCommandLineParser parser;
    QString error;

    QString value(const char *name) const { return parser.value(QString::fromLatin1(name)); }
    bool isSet(const char *name) const { return parser.isSet(QString::fromLatin1(name)); }

    void readInt(const char *name, int *out, int min, int max)
    {
        if (!isSet(name))
            return;
        bool ok = false;
        const int v = value(name).toInt(&ok);
        if (!ok || v < min || v > max)
            error = QStringLiteral("--%1 must be a whole number from %2 to %3")
                        .arg(QLatin1String(name))
                        .arg(min)
                        .arg(max);
        else
            *out = v;
    }
    void readDouble(const char *name, double *out, double min, double max)
    {
        if (!isSet(name))
            return;
        bool ok = false;
        const double v = value(name).toDouble(&ok);
        if (!ok || v < min || v > max)
            error = QStringLiteral("--%1 must be a number from %2 to %3")
                        .arg(QLatin1String(name))
                        .arg(min)
                        .arg(max);
        else
            *out = v;
    }
};

void add(QCommandLineParser &parser, const char *name, const char *valueName, const char *help)
{
    parser.addOption(QCommandLineOption(QString::fromLatin1(name), QString::fromUtf8(help),
                                        QString::fromLatin1(valueName)));
}

void addFlag(QCommandLineParser &parser, const char *name, const char *help)
{
    parser.addOption(QCommandLineOption(QString::fromLatin1(name), QString::fromUtf8(help)));
}

[[noreturn]] void failWith(const QString &message)
{
    QTextStream(stderr) << "messenger-bench: " << message << "\n(see --help)" << Qt::endl;
    std::exit(2);
}

} // namespace

BenchOptions BenchOptions::parse(const QCoreApplication &app)
{
    BenchOptions o;
    Parsed p;
    QCommandLineParser &parser = p.parser;
    parser.setApplicationDescription(QString::fromUtf8(Description));
    parser.addHelpOption();
    parser.addVersionOption();

    add(parser, "scenario", "list",
        "Scenarios to run: connections,direct,group,mixed,fresh,media (default all).");
    addFlag(parser, "quick", "Small sizes and short phases: the whole run takes under a minute.");
    add(parser, "db", "driver", "The server's database: postgres (default) or sqlite.");
    add(parser, "server", "mode", "auto (default), inprocess or spawn; see above.");
    add(parser, "messengerd", "path",
        "The messengerd binary for spawn mode (default: the one built with this).");
    add(parser, "server-env", "KEY=VALUE",
        "Add a variable to the spawned server's environment (repeatable), "
        "e.g. MESSENGERD_EVENT_LOOP=poll to try Qt's poll() dispatcher instead of messengerd's "
        "epoll one.");
    add(parser, "json", "file",
        "Where to write the results as JSON (default messenger-bench.json).");
    add(parser, "work-dir", "dir",
        "Folder for SQLite files, pgbench scripts and server logs (default: temporary).");
    addFlag(parser, "keep", "Keep the work folder (server logs, SQLite files) after the run.");
    add(parser, "source-addresses", "n",
        "Bind client sockets to 127.0.0.2 .. 127.0.0.(n+1) in turn "
        "(default: one per 25,000 connections, 0 = let the kernel pick).");

    add(parser, "pg-host", "host", "PostgreSQL host (default 127.0.0.1).");
    add(parser, "pg-port", "port", "PostgreSQL port (default 5432).");
    add(parser, "pg-database", "name",
        "PostgreSQL database; its public schema is WIPED (default messenger_bench).");
    add(parser, "pg-user", "role", "PostgreSQL role (default messenger_test).");
    add(parser, "pg-password", "password",
        "PostgreSQL password (default messenger_test; or PGPASSWORD).");
    add(parser, "pgbench", "path", "The pgbench binary (default: pgbench on PATH).");
    add(parser, "pgbench-seconds", "s", "Length of each pgbench run (default 10; quick 3).");
    addFlag(parser, "no-pgbench", "Skip the PostgreSQL ceiling (no ratios are printed then).");

    add(parser, "connections", "n",
        "connections: idle connections to hold (default 100000; quick 1000).");
    add(parser, "connect-parallel", "n",
        "connections: connects + resumes in flight at once (default 256).");
    add(parser, "hold-seconds", "s", "connections: how long to hold them (default 30; quick 3).");
    add(parser, "heartbeat-seconds", "s",
        "connections: interval of each connection's ping request (default 30; quick 1).");

    add(parser, "pairs", "n", "direct: pairs of users (default 100; quick 20).");
    add(parser, "window", "n",
        "direct: unacknowledged sends per connection when flat out (default 8).");
    add(parser, "duration", "s",
        "Length of each measured phase of direct, group and mixed (default 15; quick 3).");
    add(parser, "warmup", "s",
        "Time before each phase's measurement starts (default 2; quick 0.5).");
    add(parser, "rate-fractions", "list",
        "direct: paced phases as fractions of the flat-out rate (default 0.5,0.8).");
    add(parser, "rate", "msgs/s",
        "direct: one paced phase at this total rate instead of the fractions.");
    add(parser, "payload", "bytes", "Message content size, at least 16 (default 100).");

    add(parser, "groups", "n", "group: number of groups (default 1).");
    add(parser, "group-size", "n",
        "group: members per group, at most 256 (default 256; quick 64).");
    add(parser, "group-senders", "n", "group: members of each group that send (default 4).");
    add(parser, "group-window", "n", "group: unacknowledged sends per sender (default 4).");

    add(parser, "fresh-seconds", "s",
        "fresh: how long the traffic runs on the new database (default 60; quick 10).");
    add(parser, "fresh-window", "s",
        "fresh: length of each reported window (default 10; quick 2).");

    add(parser, "mixed-users", "n",
        "mixed: users, each with one connection (default 2000; quick 200).");
    add(parser, "mixed-rate", "msgs/s",
        "mixed: offered messages/s in total (default 500; quick 200).");
    add(parser, "mixed-group-size", "n", "mixed: members per group (default 10).");
    add(parser, "typing-share", "0..1",
        "mixed: share of messages preceded by a typing indicator (default 0.3).");
    add(parser, "receipt-share", "0..1",
        "mixed: share of received messages answered with receipt.read (default 0.3).");
    add(parser, "churn", "per s",
        "mixed: connections dropped and resumed per second (default 20; quick 5).");

    add(parser, "media-mib", "MiB",
        "media: size of the large upload and download (default 100; quick 16).");
    add(parser, "media-users", "n", "media: users transferring at once (default 8; quick 4).");
    add(parser, "media-user-mib", "MiB",
        "media: what each of those users transfers (default 16; quick 4).");
    add(parser, "media-chat-pairs", "n",
        "media: pairs of chat users measuring latency (default 16; quick 4).");
    add(parser, "media-chat-rate", "msgs/s",
        "media: chat messages/s in total while measuring (default 100).");

    parser.process(app);

    if (p.isSet("scenario")) {
        o.scenarios = p.value("scenario").split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &s : std::as_const(o.scenarios)) {
            if (s != QLatin1String("connections") && s != QLatin1String("direct")
                && s != QLatin1String("group") && s != QLatin1String("mixed")
                && s != QLatin1String("fresh") && s != QLatin1String("media"))
                failWith(QStringLiteral("unknown scenario \"%1\"").arg(s));
        }
    }
    o.quick = p.isSet("quick");
    if (o.quick) {
        o.connections = 1000;
        o.holdSeconds = 3;
        o.heartbeatSeconds = 1;
        o.pairs = 20;
        o.durationSeconds = 3;
        o.warmupSeconds = 0.5;
        o.groupSize = 64;
        o.mixedUsers = 200;
        o.mixedRate = 200;
        o.churnPerSecond = 5;
        o.pgbenchSeconds = 3;
        o.freshSeconds = 10;
        o.freshWindowSeconds = 2;
        o.mediaMib = 16;
        o.mediaUsers = 4;
        o.mediaUserMib = 4;
        o.mediaChatPairs = 4;
    }
    if (p.isSet("db")) {
        const QString db = p.value("db");
        if (db == QLatin1String("sqlite"))
            o.database = Database::Sqlite;
        else if (db == QLatin1String("postgres") || db == QLatin1String("postgresql"))
            o.database = Database::Postgres;
        else
            failWith(QStringLiteral("--db must be postgres or sqlite"));
    }
    if (p.isSet("server")) {
        const QString mode = p.value("server");
        if (mode == QLatin1String("auto"))
            o.serverMode = ServerMode::Auto;
        else if (mode == QLatin1String("inprocess"))
            o.serverMode = ServerMode::InProcess;
        else if (mode == QLatin1String("spawn"))
            o.serverMode = ServerMode::Spawn;
        else
            failWith(QStringLiteral("--server must be auto, inprocess or spawn"));
    }
    if (p.isSet("messengerd"))
        o.messengerd = p.value("messengerd");
    for (const QString &pair : parser.values(QStringLiteral("server-env"))) {
        if (!pair.contains(QLatin1Char('=')))
            failWith(QStringLiteral("--server-env takes KEY=VALUE"));
        o.serverEnvironment << pair;
    }
    if (p.isSet("json"))
        o.jsonPath = p.value("json");
    if (p.isSet("work-dir"))
        o.workDir = p.value("work-dir");
    o.keepWorkDir = p.isSet("keep");
    p.readInt("source-addresses", &o.sourceAddresses, 0, 250);

    if (p.isSet("pg-host"))
        o.pgHost = p.value("pg-host");
    p.readInt("pg-port", &o.pgPort, 1, 65535);
    if (p.isSet("pg-database"))
        o.pgDatabase = p.value("pg-database");
    if (p.isSet("pg-user"))
        o.pgUser = p.value("pg-user");
    if (p.isSet("pg-password"))
        o.pgPassword = p.value("pg-password");
    else if (qEnvironmentVariableIsSet("PGPASSWORD"))
        o.pgPassword = qEnvironmentVariable("PGPASSWORD");
    if (p.isSet("pgbench"))
        o.pgbench = p.value("pgbench");
    p.readDouble("pgbench-seconds", &o.pgbenchSeconds, 1, 600);
    o.skipPgbench = p.isSet("no-pgbench");

    p.readInt("connections", &o.connections, 1, 2'000'000);
    p.readInt("connect-parallel", &o.connectParallel, 1, 100'000);
    p.readDouble("hold-seconds", &o.holdSeconds, 0, 86'400);
    p.readDouble("heartbeat-seconds", &o.heartbeatSeconds, 0.1, 3600);

    p.readInt("pairs", &o.pairs, 1, 100'000);
    p.readInt("window", &o.window, 1, 10'000);
    p.readDouble("duration", &o.durationSeconds, 0.5, 86'400);
    p.readDouble("warmup", &o.warmupSeconds, 0, 3600);
    if (p.isSet("rate-fractions")) {
        o.rateFractions.clear();
        for (const QString &part :
             p.value("rate-fractions").split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            bool ok = false;
            const double f = part.toDouble(&ok);
            if (!ok || f <= 0 || f > 2)
                failWith(QStringLiteral("--rate-fractions takes numbers in (0, 2], e.g. 0.5,0.8"));
            o.rateFractions.push_back(f);
        }
    }
    p.readDouble("rate", &o.rate, 1, 10'000'000);
    p.readInt("payload", &o.payloadBytes, 16, 64 * 1024);

    p.readInt("groups", &o.groups, 1, 10'000);
    p.readInt("group-size", &o.groupSize, 2, 256);
    p.readInt("group-senders", &o.groupSenders, 1, 256);
    p.readInt("group-window", &o.groupWindow, 1, 10'000);

    p.readDouble("fresh-seconds", &o.freshSeconds, 0.5, 86'400);
    p.readDouble("fresh-window", &o.freshWindowSeconds, 0.1, 86'400);
    p.readInt("mixed-users", &o.mixedUsers, 20, 1'000'000);
    p.readDouble("mixed-rate", &o.mixedRate, 1, 10'000'000);
    p.readInt("mixed-group-size", &o.mixedGroupSize, 3, 256);
    p.readDouble("typing-share", &o.typingShare, 0, 1);
    p.readDouble("receipt-share", &o.receiptShare, 0, 1);
    p.readDouble("churn", &o.churnPerSecond, 0, 100'000);
    p.readInt("media-mib", &o.mediaMib, 1, 4096);
    p.readInt("media-users", &o.mediaUsers, 1, 1000);
    p.readInt("media-user-mib", &o.mediaUserMib, 1, 4096);
    p.readInt("media-chat-pairs", &o.mediaChatPairs, 1, 10'000);
    p.readDouble("media-chat-rate", &o.mediaChatRate, 1, 1'000'000);

    if (!p.error.isEmpty())
        failWith(p.error);
    o.groupSenders = std::min(o.groupSenders, o.groupSize);
    return o;
}

} // namespace Bench
