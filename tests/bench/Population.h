#pragma once

#include "ClientLoop.h"
#include "Latency.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace Bench {

//! A registered account: its id and the device token that resumes it.
struct BenchUser
{
    std::int64_t id = 0;
    std::string token;
};

//! Setting up the people of a scenario over the protocol: registering, resuming, opening
//! conversations. Every helper keeps at most `parallel` operations in flight and drives the
//! loop until all are done; each replaces the loop's onOpen / onClosed while it runs.
namespace Population {

//! Registers count accounts "<prefix><i>", each on its own new connection. With keepOpen the
//! connections stay signed in and are returned (tag = index into users); otherwise closed.
bool registerUsers(ClientLoop &loop, int count, const std::string &prefix, int parallel,
                   bool keepOpen, std::vector<BenchUser> *users,
                   std::vector<Connection *> *connections, QString *error);

struct ResumeResult
{
    int resumed = 0;
    int failed = 0;
    double seconds = 0;
    LatencyRecorder latency; //!< from starting the TCP connect to the resume's "ok"
    QString firstError;
};

//! Connects each (closed or new) connection and resumes it with users[tag].token.
ResumeResult resumeAll(ClientLoop &loop, const std::vector<Connection *> &connections,
                       const std::vector<BenchUser> &users, int parallel, double timeoutSeconds);

//! Starts the resume of one connection (used for churn); done(ok) follows.
void resumeOne(Connection *connection, const BenchUser &user, std::function<void(bool)> done);

//! Issues count requests with at most parallel in flight: issue(i, finish) sends request i and
//! calls finish(ok, message) when it is answered. False on the first failure or a timeout.
bool requestAll(ClientLoop &loop, int count, int parallel,
                const std::function<void(int, std::function<void(bool, const QString &)>)> &issue,
                double timeoutSeconds, QString *error);

//! Opens a direct conversation from connection `from` to userId; done gets its id (0 on error).
void openDirect(Connection *from, std::int64_t userId,
                std::function<void(std::int64_t, const QString &)> done);
//! Opens the direct conversation of each pair k (connections 2k and 2k+1, users 2k and 2k+1),
//! 64 at a time; conversations gets pair k's id at k. False with why on a failure or a timeout.
bool openDirectPairs(ClientLoop &loop, int pairs, const std::vector<Connection *> &connections,
                     const std::vector<BenchUser> &accounts,
                     std::vector<std::int64_t> *conversations, QString *error);
//! Creates a group owned by `owner` with the other members; done gets its id (0 on error).
void createGroup(Connection *owner, const std::string &name,
                 const std::vector<std::int64_t> &memberIds,
                 std::function<void(std::int64_t, const QString &)> done);

} // namespace Population
} // namespace Bench
