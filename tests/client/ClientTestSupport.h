#pragma once

#include "account/Account.h"
#include "account/MemoryTokenVault.h"
#include "api/ApiCall.h"
#include "connection/TrustStore.h"
#include "protocol/Records.h"

#include <QAbstractItemModelTester>
#include <QFuture>
#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>
#include <optional>

class TestServer;

//! Timings short enough for tests: reconnects within tens of milliseconds, typing that is sent
//! once per test and stops after a short idle time.
Client::AccountSettings fastSettings();

//! A text message record as the server would send it.
Protocol::MessageRecord textMessage(qint64 conversationId, qint64 seq, qint64 senderId,
                                    const QString &text, qint64 timestamp = 0);

//! Accounts of one test: their store files in a temporary folder, their tokens in memory.
class ClientFixture
{
public:
    ClientFixture();

    //! A new Account object for server+username, its store opened and read (the same file for
    //! the same username, so a second call is the app started again).
    std::unique_ptr<Client::Account>
    account(const QUrl &server, const QString &username,
            const Client::AccountSettings &settings = fastSettings());
    QString storePath(const QString &username) const;
    //! Registers alice and bob online, opens their direct conversation and waits until both
    //! stores have it. Its id, or 0 when any step failed.
    qint64 directPair(const QUrl &server, std::unique_ptr<Client::Account> *alice,
                      std::unique_ptr<Client::Account> *bob);

    Client::MemoryTokenVault vault;
    Client::TrustStore trustStore;

private:
    QTemporaryDir m_dir;
};

//! What most integration suites start each test with: the real server on a fresh database, and
//! alice and bob (Accounts of a ClientFixture) signed in with their direct conversation open.
//! A suite derives from it beside QObject, calls startPair() in init() and stopPair() in
//! cleanup(), and uses the members as its own.
class TwoAccountSuite
{
protected:
    TwoAccountSuite();
    ~TwoAccountSuite();
    TwoAccountSuite(const TwoAccountSuite &) = delete;
    TwoAccountSuite &operator=(const TwoAccountSuite &) = delete;

    //! Starts all of it; fails the running test when a step fails. `configure` changes the
    //! server's configuration before it starts (e.g. a limit only tests may lower).
    void startPair(const std::function<void(TestServer &)> &configure = {});
    //! The accounts first (they close their stores), then the server.
    void stopPair();

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientFixture> m_fixture;
    std::unique_ptr<Client::Account> m_alice;
    std::unique_ptr<Client::Account> m_bob;
    //! Alice and bob's direct conversation.
    qint64 m_conversation = 0;
};

//! Registers the account's user on the server and waits until it is online.
bool registerOnline(Client::Account *account, const QString &displayName);

//! Runs the event loop until `future` finishes (the store answers from its own thread) and
//! returns its result; a default value when it did not finish within 10 s or was canceled.
template<typename T>
T awaited(QFuture<T> future)
{
    if (!QTest::qWaitFor([&future] { return future.isFinished(); }, 10'000))
        return T {};
    return future.isFinished() && !future.isCanceled() && future.resultCount() > 0 ? future.result()
                                                                                   : T {};
}
//! The answer to one typed API call (ProfileApi, GroupApi, …): the reply and its result.
template<typename Result>
struct Answer
{
    Client::Reply reply;
    Result result {};
};

//! Runs the event loop until `call` is answered; nullopt (and a warning) when it is not within
//! `timeoutMs`.
template<typename Result>
std::optional<Answer<Result>> await(const Client::ApiCall<Result> &call, int timeoutMs = 20'000)
{
    std::optional<Answer<Result>> answer;
    QObject context;
    call.onFinished(&context, [&answer](const Client::Reply &reply, const Result &result) {
        answer = Answer<Result> {reply, result};
    });
    if (!QTest::qWaitFor([&answer] { return answer.has_value(); }, timeoutMs))
        qWarning() << "no answer within" << timeoutMs << "ms";
    return answer;
}

//! The same for futures without a result: true when it finished (not canceled).
bool awaited(QFuture<void> future);

//! Waits until everything the account wrote so far is stored and has left its outbox (the
//! server has it). False after 15 s.
bool outboxDrained(Client::Account *account);

//! Attaches a QAbstractItemModelTester that fails the running test on any inconsistency.
QAbstractItemModelTester *testModel(QAbstractItemModel *model);

//! The TEXT of each row of a message model, top to bottom.
QStringList rowTexts(const QAbstractItemModel *model);
