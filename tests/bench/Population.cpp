#include "Population.h"

namespace Bench::Population {

namespace {

constexpr std::string_view Password = "bench-password";

QString describe(const Frame &frame)
{
    return QStringLiteral("%1: %2").arg(
        QString::fromUtf8(frame.errorCode().data(), qsizetype(frame.errorCode().size())),
        QString::fromUtf8(frame.body["message"].toText().data(),
                          qsizetype(frame.body["message"].toText().size())));
}

} // namespace

bool registerUsers(ClientLoop &loop, int count, const std::string &prefix, int parallel,
                   bool keepOpen, std::vector<BenchUser> *users,
                   std::vector<Connection *> *connections, QString *error)
{
    users->assign(std::size_t(count), {});
    if (connections)
        connections->clear();
    int started = 0;
    int inFlight = 0;
    int done = 0;
    QString failure;

    const auto startNext = [&] {
        while (failure.isEmpty() && inFlight < parallel && started < count) {
            Connection *c = loop.create(started++);
            ++inFlight;
            loop.open(c);
        }
    };
    loop.onOpen = [&](Connection &c) {
        const std::string username = prefix + std::to_string(c.tag);
        c.request(
            "register", 4,
            [&](Cbor::Writer &w) {
                w.field("username", username);
                w.field("displayName", "Bench " + username);
                w.field("password", Password);
                w.field("protocol", 1);
            },
            [&](Connection &conn, const Frame &reply) {
                --inFlight;
                if (!reply.isOk()) {
                    failure = QStringLiteral("register failed: ") + describe(reply);
                    return;
                }
                BenchUser &user = (*users)[std::size_t(conn.tag)];
                user.id = reply.body["user"]["id"].toInteger();
                user.token = std::string(reply.body["token"].toText());
                conn.authenticated = true;
                ++done;
                if (keepOpen && connections)
                    connections->push_back(&conn);
                else
                    loop.close(&conn);
                startNext();
            });
    };
    loop.onClosed = [&](Connection &c) {
        if (!c.authenticated) {
            --inFlight;
            failure = QStringLiteral("a connection closed before its registration finished");
        }
    };
    startNext();
    const double timeout = 60 + count / 200.0;
    const bool finished =
        loop.runUntil([&] { return done == count || !failure.isEmpty(); }, timeout);
    loop.onOpen = nullptr;
    loop.onClosed = nullptr;
    if (!failure.isEmpty()) {
        *error = failure;
        return false;
    }
    if (!finished) {
        *error = QStringLiteral("registering %1 users took longer than %2 s (%3 done)")
                     .arg(count)
                     .arg(timeout)
                     .arg(done);
        return false;
    }
    if (connections) // in tag order, whatever order the answers came in
        std::sort(connections->begin(), connections->end(),
                  [](const Connection *a, const Connection *b) { return a->tag < b->tag; });
    return true;
}

void resumeOne(Connection *connection, const BenchUser &user, std::function<void(bool)> done)
{
    connection->request(
        "resume", 2,
        [&user](Cbor::Writer &w) {
            w.field("token", user.token);
            w.field("protocol", 1);
        },
        [done = std::move(done)](Connection &c, const Frame &reply) {
            c.authenticated = reply.isOk();
            done(reply.isOk());
        });
}

ResumeResult resumeAll(ClientLoop &loop, const std::vector<Connection *> &connections,
                       const std::vector<BenchUser> &users, int parallel, double timeoutSeconds)
{
    ResumeResult result;
    std::vector<std::int64_t> startedAt(loop.connectionCount() + 1, 0);
    std::size_t next = 0;
    int inFlight = 0;
    const int total = int(connections.size());

    const auto startNext = [&] {
        while (inFlight < parallel && next < connections.size()) {
            Connection *c = connections[next++];
            startedAt[c->index()] = nowNs();
            ++inFlight;
            loop.open(c);
        }
    };
    loop.onOpen = [&](Connection &c) {
        resumeOne(&c, users[std::size_t(c.tag)], [&, conn = &c](bool ok) {
            --inFlight;
            if (ok) {
                ++result.resumed;
                result.latency.add(nowNs() - startedAt[conn->index()]);
            } else {
                ++result.failed;
                if (result.firstError.isEmpty())
                    result.firstError = QStringLiteral("resume refused");
                loop.close(conn);
            }
            startNext();
        });
    };
    loop.onClosed = [&](Connection &c) {
        if (!c.authenticated && startedAt[c.index()] != 0) {
            --inFlight;
            ++result.failed;
            if (result.firstError.isEmpty())
                result.firstError =
                    QStringLiteral("connection closed or refused before the resume finished");
            startedAt[c.index()] = 0;
            startNext();
        }
    };
    const std::int64_t start = nowNs();
    startNext();
    loop.runUntil([&] { return result.resumed + result.failed >= total; }, timeoutSeconds);
    result.seconds = double(nowNs() - start) / 1e9;
    loop.onOpen = nullptr;
    loop.onClosed = nullptr;
    return result;
}

bool requestAll(ClientLoop &loop, int count, int parallel,
                const std::function<void(int, std::function<void(bool, const QString &)>)> &issue,
                double timeoutSeconds, QString *error)
{
    int started = 0;
    int inFlight = 0;
    int done = 0;
    QString failure;
    std::function<void()> startNext = [&] {
        while (failure.isEmpty() && inFlight < parallel && started < count) {
            ++inFlight;
            issue(started++, [&](bool ok, const QString &message) {
                --inFlight;
                if (!ok && failure.isEmpty())
                    failure = message;
                ++done;
                startNext();
            });
        }
    };
    startNext();
    const bool finished =
        loop.runUntil([&] { return done == count || !failure.isEmpty(); }, timeoutSeconds);
    if (!failure.isEmpty()) {
        *error = failure;
        return false;
    }
    if (!finished) {
        *error = QStringLiteral("setup requests timed out (%1 of %2 done)").arg(done).arg(count);
        return false;
    }
    return true;
}

bool openDirectPairs(ClientLoop &loop, int pairs, const std::vector<Connection *> &connections,
                     const std::vector<BenchUser> &accounts,
                     std::vector<std::int64_t> *conversations, QString *error)
{
    conversations->assign(std::size_t(pairs), 0);
    return requestAll(
        loop, pairs, 64,
        [&](int k, const std::function<void(bool, const QString &)> &finish) {
            openDirect(connections[2 * std::size_t(k)], accounts[2 * std::size_t(k) + 1].id,
                       [conversations, k, finish](std::int64_t id, const QString &message) {
                           (*conversations)[std::size_t(k)] = id;
                           finish(id != 0, message);
                       });
        },
        120, error);
}

void openDirect(Connection *from, std::int64_t userId,
                std::function<void(std::int64_t, const QString &)> done)
{
    from->request(
        "direct.open", 1, [userId](Cbor::Writer &w) { w.field("userId", userId); },
        [done = std::move(done)](Connection &, const Frame &reply) {
            if (reply.isOk())
                done(reply.body["conversation"]["id"].toInteger(), {});
            else
                done(0, QStringLiteral("direct.open failed: ") + describe(reply));
        });
}

void createGroup(Connection *owner, const std::string &name,
                 const std::vector<std::int64_t> &memberIds,
                 std::function<void(std::int64_t, const QString &)> done)
{
    owner->request(
        "group.create", 2,
        [&](Cbor::Writer &w) {
            w.field("name", name);
            w.text("memberIds");
            w.array(memberIds.size());
            for (std::int64_t id : memberIds)
                w.integer(id);
        },
        [done = std::move(done)](Connection &, const Frame &reply) {
            if (reply.isOk())
                done(reply.body["conversation"]["id"].toInteger(), {});
            else
                done(0, QStringLiteral("group.create failed: ") + describe(reply));
        });
}

} // namespace Bench::Population
