// sync: a real messengerd, a 100,000-message backlog for alice sent by bob over the protocol
// (the client core's Connection, pipelined), then alice's Account signs in and syncs it into a
// fresh store while a 1 ms timer watches the bench's GUI thread.
#include "ClientBench.h"
#include "Corpus.h"

#include "account/Account.h"
#include "account/MemoryTokenVault.h"
#include "connection/Connection.h"
#include "connection/TrustStore.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QCborMap>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTextStream>

#include <memory>

using namespace Client;

namespace ClientBench {

namespace {

const QString Password = QStringLiteral("bench-password-1");

//! messengerd on loopback, embedded SQLite, cheapest Argon2id, throttles out of the way (as
//! messenger-bench starts it).
class Server
{
public:
    explicit Server(QString dataDir)
        : m_dataDir(std::move(dataDir))
    {
    }
    ~Server()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10'000))
                m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    bool start(const QString &program, QString *error)
    {
        QDir().mkpath(m_dataDir);
        const QString log = m_dataDir + QStringLiteral("/messengerd.log");
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("QT_LOGGING_RULES"),
                           QStringLiteral("messengerd.*.info=false\nmessengerd.*.debug=false"));
        m_process.setProcessEnvironment(environment);
        m_process.setStandardOutputFile(log);
        m_process.setStandardErrorFile(log, QIODevice::Append);
        m_process.start(
            program,
            {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), m_dataDir,
             QStringLiteral("--db"), QStringLiteral("sqlite"), QStringLiteral("--password-ops"),
             QStringLiteral("1"), QStringLiteral("--password-mem-kib"), QStringLiteral("8"),
             QStringLiteral("--idle-timeout-s"), QStringLiteral("600"),
             QStringLiteral("--sends-per-second"), QStringLiteral("1000000"),
             QStringLiteral("--requests-per-second"), QStringLiteral("1000000")});
        if (!m_process.waitForStarted(10'000)) {
            *error = QStringLiteral("cannot start %1: %2").arg(program, m_process.errorString());
            return false;
        }
        static const QRegularExpression listening(
            QStringLiteral("listening on wss?://[^:]+:(\\d+)"));
        const QDeadlineTimer deadline(30'000);
        while (!deadline.hasExpired()) {
            QFile file(log);
            if (file.open(QIODevice::ReadOnly)) {
                const auto match = listening.match(QString::fromUtf8(file.readAll()));
                if (match.hasMatch()) {
                    m_port = quint16(match.captured(1).toUInt());
                    return true;
                }
            }
            if (m_process.waitForFinished(50)) {
                *error = QStringLiteral("messengerd exited (log: %1)").arg(log);
                return false;
            }
        }
        *error = QStringLiteral("messengerd did not say its port (log: %1)").arg(log);
        return false;
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_port)); }

private:
    QString m_dataDir;
    QProcess m_process;
    quint16 m_port = 0;
};

//! Registers a user on a Connection of its own; the connection stays signed in.
bool registerUser(Connection &connection, const QUrl &url, const QString &username, QString *error)
{
    connection.setUrl(url);
    connection.setPasswordSignIn(
        {PasswordSignIn::Kind::Register, username, Password, username, QString()});
    bool failed = false;
    QObject guard; // the lambda goes with this function's locals
    QObject::connect(&connection, &Connection::signInFailed, &guard,
                     [&](Protocol::ErrorCode, const QString &message) {
                         failed = true;
                         *error = QStringLiteral("%1 cannot register: %2").arg(username, message);
                     });
    connection.open();
    if (!spinUntil([&] { return failed || connection.isSignedIn(); }, 30'000)) {
        *error = QStringLiteral("%1 did not sign in within 30 s").arg(username);
        return false;
    }
    return !failed;
}

std::optional<Reply> call(Connection &connection, QLatin1StringView type, const QCborMap &fields)
{
    std::optional<Reply> answer;
    QObject guard;
    Request *request = connection.send(type, fields);
    QObject::connect(request, &Request::finished, &guard,
                     [&answer](const Reply &reply) { answer = reply; });
    spinUntil([&] { return answer.has_value(); }, 60'000);
    return answer;
}

} // namespace

void runSync(Context &context)
{
    const Options &o = context.options;
    const QString phase = QStringLiteral("sync");
    QTextStream err(stderr);
    Server server(context.workDir + QStringLiteral("/sync-server"));
    QString error;
    if (!server.start(o.messengerd, &error)) {
        context.report.addError(phase, error);
        return;
    }
    TrustStore trust;
    ConnectionSettings settings;
    settings.requestTimeoutMs = 300'000; // a long pipelined backlog: answers queue up
    Connection alice(&trust, settings);
    Connection bob(&trust, settings);
    if (!registerUser(alice, server.url(), QStringLiteral("alice"), &error)
        || !registerUser(bob, server.url(), QStringLiteral("bob"), &error)) {
        context.report.addError(phase, error);
        return;
    }
    const qint64 aliceId = alice.profile().user.id;
    alice.close();
    const auto opened =
        call(bob, Protocol::Request::OpenDirect, {{QStringLiteral("userId"), aliceId}});
    if (!opened || !opened->isOk()) {
        context.report.addError(
            phase,
            QStringLiteral("direct.open failed: %1")
                .arg(opened ? opened->describe() : QStringLiteral("no answer")));
        return;
    }
    const qint64 conversationId = opened->body.value(QStringLiteral("conversation"))
                                      .toMap()
                                      .value(QStringLiteral("id"))
                                      .toInteger();

    // alice's app: an Account with its own store signs in once, syncs the conversation (one
    // message: from then on the store has a cursor for it) and goes offline.
    MemoryTokenVault vault;
    AccountSettings accountSettings;
    accountSettings.connection.requestTimeoutMs = 60'000;
    const QString storePath = context.workDir + QStringLiteral("/sync-client/alice.sqlite");
    Account account(server.url(), QStringLiteral("alice"), storePath, &vault, &trust,
                    accountSettings);
    if (!await(account.openStore())) {
        context.report.addError(phase, QStringLiteral("cannot open the client's store"));
        return;
    }
    const auto first = call(bob, Protocol::Request::Send,
                            {{QStringLiteral("conversationId"), conversationId},
                             {QStringLiteral("clientId"), QStringLiteral("bob-first")},
                             {QStringLiteral("contentType"), QStringLiteral("text/plain")},
                             {QStringLiteral("content"), QByteArray("hello")}});
    bool firstSync = false;
    {
        QObject guard;
        QObject::connect(account.syncEngine(), &SyncEngine::synced, &guard,
                         [&firstSync] { firstSync = true; });
        account.signIn(Password);
        spinUntil([&firstSync] { return firstSync; }, 60'000);
    }
    if (!first || !first->isOk() || !firstSync) {
        context.report.addError(
            phase,
            QStringLiteral("alice's first sign-in and sync failed (%1)").arg(account.lastError()));
        return;
    }
    account.disconnectFromServer();
    spinUntil([&account] { return account.state() == Connection::State::Offline; }, 10'000);

    // The backlog: bob sends it with up to Window requests in flight.
    err << "  sending a " << o.syncBacklog << "-message backlog..." << Qt::endl;
    constexpr int Window = 500;
    Corpus corpus(99);
    int sent = 0, acknowledged = 0, refused = 0;
    QString firstRefusal;
    QElapsedTimer clock;
    clock.start();
    std::function<void()> sendNext = [&] {
        const int i = sent++;
        QCborMap fields {{QStringLiteral("conversationId"), conversationId},
                         {QStringLiteral("clientId"), QStringLiteral("bob-%1").arg(i)},
                         {QStringLiteral("contentType"), QStringLiteral("text/plain")},
                         {QStringLiteral("content"), corpus.message().toUtf8()}};
        Request *request = bob.send(Protocol::Request::Send, fields);
        QObject::connect(request, &Request::finished, &bob, [&](const Reply &reply) {
            if (reply.isOk()) {
                ++acknowledged;
            } else if (refused++ == 0) {
                firstRefusal = reply.describe();
            }
            if (sent < o.syncBacklog)
                sendNext();
        });
    };
    for (int i = 0; i < std::min(Window, o.syncBacklog); ++i)
        sendNext();
    if (!spinUntil([&] { return acknowledged + refused >= o.syncBacklog; }, 600'000)
        || refused > 0) {
        context.report.addError(phase,
                                QStringLiteral("the backlog was not stored: %1 of %2 "
                                               "acknowledged, %3 refused (%4)")
                                    .arg(acknowledged)
                                    .arg(o.syncBacklog)
                                    .arg(refused)
                                    .arg(firstRefusal));
        return;
    }
    const double backlogSeconds = double(clock.nsecsElapsed()) / 1e9;
    bob.close();

    // alice's app starts again: resumes with its token and syncs the backlog from its cursor.
    err << "  alice resumes and syncs..." << Qt::endl;
    qint64 signedInNs = -1, syncedNs = -1;
    QObject::connect(account.connection(), &Connection::signedIn, &account,
                     [&] { signedInNs = clock.nsecsElapsed(); });
    QObject::connect(account.syncEngine(), &SyncEngine::synced, &account, [&] {
        if (syncedNs < 0)
            syncedNs = clock.nsecsElapsed();
    });
    StallMeter stalls;
    stalls.start();
    clock.start();
    account.connectToServer();
    const bool synced = spinUntil([&] { return syncedNs >= 0; }, 900'000);
    stalls.stop();
    if (!synced || signedInNs < 0) {
        context.report.addError(
            phase, QStringLiteral("alice did not finish syncing (%1)").arg(account.lastError()));
        return;
    }
    const int stored = await(account.store()->messageCount(conversationId)) - 1; // the first
    const double syncSeconds = double(syncedNs - signedInNs) / 1e9;
    context.report.add(phase, QStringLiteral("sync_backlog"), QStringLiteral("backlog (messages)"),
                       o.syncBacklog, QString());
    context.report.add(phase, QStringLiteral("sync_messages_per_s"),
                       QStringLiteral("messages stored per second (signed in to synced)"),
                       stored / syncSeconds, QStringLiteral("/s"));
    context.report.add(phase, QStringLiteral("sync_seconds"), QStringLiteral("signed in to synced"),
                       syncSeconds, QStringLiteral("s"));
    context.report.addAtMost(phase, QStringLiteral("sync_gui_stall_max_ms"),
                             QStringLiteral("longest GUI-thread stall during resume and sync"),
                             stalls.longestMs(), QStringLiteral("ms"), 16);
    context.report.addDetail(phase, QStringLiteral("gui_thread"), stalls.toJson());
    context.report.addDetail(phase, QStringLiteral("stored"), stored);
    context.report.addDetail(phase, QStringLiteral("sign_in_ms"), double(signedInNs) / 1e6);
    context.report.addDetail(phase, QStringLiteral("backlog_send_seconds"), backlogSeconds);
    context.report.addDetail(phase, QStringLiteral("backlog_send_per_s"),
                             o.syncBacklog / backlogSeconds);
    if (stored != o.syncBacklog)
        context.report.addError(
            phase, QStringLiteral("stored %1 of %2 messages").arg(stored).arg(o.syncBacklog));
    context.report.addNote(phase,
                           QStringLiteral("backlog sent by bob through the client's "
                                          "Connection (%1 message.send in flight) to a "
                                          "spawned messengerd (SQLite); alice's Account "
                                          "(synced once, then offline) resumes with its "
                                          "token; SyncEngine stores the pages (500 each) "
                                          "from its cursor")
                               .arg(Window));
    account.disconnectFromServer();
}

} // namespace ClientBench
