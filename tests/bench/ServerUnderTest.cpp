#include "ServerUnderTest.h"

#include "ClientLoop.h"
#include "Resources.h"

#include "core/EpollEventDispatcher.h"
#include "core/MessengerServer.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QRegularExpression>
#include <QThread>

using namespace Server;

namespace Bench {

namespace {
// Far beyond anything the load reaches: the benchmark measures the server, not its throttles.
constexpr RateLimit Unlimited {1e9, 1e9};
// One log line per sign-in would be measured along with the server: keep warnings only.
const char *const LoggingRules = "messengerd.*.info=false\nmessengerd.*.debug=false";
} // namespace

ServerUnderTest::ServerUnderTest(const BenchOptions &options, QString dataDir, bool spawn,
                                 int maxConnections)
    : m_options(options)
    , m_dataDir(std::move(dataDir))
    , m_logPath(m_dataDir + QStringLiteral("/messengerd.log"))
    , m_spawn(spawn)
    , m_maxConnections(maxConnections)
{
}

ServerUnderTest::~ServerUnderTest()
{
    stop();
}

bool ServerUnderTest::start(QString *error)
{
    return m_spawn ? startSpawned(error) : startInProcess(error);
}

pid_t ServerUnderTest::pid() const
{
    return m_process ? pid_t(m_process->processId()) : 0;
}

qint64 ServerUnderTest::rssKib() const
{
    return Bench::rssKib(pid());
}

QString ServerUnderTest::describe() const
{
    return m_spawn ? QStringLiteral("spawned messengerd (pid %1)%2")
                         .arg(pid())
                         .arg(m_options.serverEnvironment.isEmpty() ? QString()
                                                                    : QStringLiteral(" with ")
                                      + m_options.serverEnvironment.join(QLatin1Char(' ')))
                   : QStringLiteral("in-process messenger_server, rate limits raised");
}

bool ServerUnderTest::startSpawned(QString *error)
{
    QStringList arguments {QStringLiteral("--port"),
                           QStringLiteral("0"),
                           QStringLiteral("--data-dir"),
                           m_dataDir,
                           QStringLiteral("--password-ops"),
                           QStringLiteral("1"),
                           QStringLiteral("--password-mem-kib"),
                           QStringLiteral("8"),
                           QStringLiteral("--max-connections"),
                           QString::number(m_maxConnections),
                           QStringLiteral("--idle-timeout-s"),
                           QStringLiteral("600"),
                           QStringLiteral("--sends-per-second"),
                           QStringLiteral("1000000"),
                           QStringLiteral("--requests-per-second"),
                           QStringLiteral("1000000")};
    // Media: no per-user byte throttle, quota or pending-upload limit in the way.
    arguments << QStringLiteral("--blob-mib-per-second") << QStringLiteral("100000")
              << QStringLiteral("--blob-quota-mib") << QStringLiteral("1048576")
              << QStringLiteral("--max-pending-uploads") << QStringLiteral("1000")
              << QStringLiteral("--max-blob-mib") << QStringLiteral("4096")
              << QStringLiteral("--blob-upload-mib-per-hour") << QStringLiteral("1073741824");
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QString::fromLatin1(LoggingRules));
    for (const QString &pair : m_options.serverEnvironment)
        environment.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
    if (m_options.database == BenchOptions::Database::Postgres) {
        arguments << QStringLiteral("--db") << QStringLiteral("postgres")
                  << QStringLiteral("--db-host") << m_options.pgHost << QStringLiteral("--db-port")
                  << QString::number(m_options.pgPort) << QStringLiteral("--db-name")
                  << m_options.pgDatabase << QStringLiteral("--db-user") << m_options.pgUser;
        environment.insert(QStringLiteral("MESSENGERD_DB_PASSWORD"), m_options.pgPassword);
    } else {
        arguments << QStringLiteral("--db") << QStringLiteral("sqlite");
    }
    QFile::remove(m_logPath);
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(environment);
    // Logs go to a file: a pipe nobody reads would stall the server once it is full.
    m_process->setStandardOutputFile(m_logPath);
    m_process->setStandardErrorFile(m_logPath, QIODevice::Append);
    m_process->start(m_options.messengerd, arguments);
    if (!m_process->waitForStarted(10'000)) {
        *error = QStringLiteral("cannot start %1: %2")
                     .arg(m_options.messengerd, m_process->errorString());
        m_process.reset();
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("listening on wss?://[^:]+:(\\d+)"));
    const QDeadlineTimer deadline(30'000);
    while (!deadline.hasExpired()) {
        QFile log(m_logPath);
        if (log.open(QIODevice::ReadOnly)) {
            const QRegularExpressionMatch match = listening.match(QString::fromUtf8(log.readAll()));
            if (match.hasMatch()) {
                m_port = quint16(match.captured(1).toUInt());
                return true;
            }
        }
        if (m_process->waitForFinished(50)) {
            QFile failed(m_logPath);
            failed.open(QIODevice::ReadOnly);
            *error = QStringLiteral("messengerd exited: %1")
                         .arg(QString::fromUtf8(failed.readAll()).trimmed());
            m_process.reset();
            return false;
        }
    }
    *error =
        QStringLiteral("messengerd did not report its port within 30 s (log: %1)").arg(m_logPath);
    stop();
    return false;
}

bool ServerUnderTest::startInProcess(QString *error)
{
    ServerConfig config;
    config.listenAddress = QHostAddress::LocalHost;
    config.port = 0;
    config.dataDir = m_dataDir;
    config.passwordOpsLimit = 1;
    config.passwordMemLimit = 8 * 1024;
    config.maxConnections = m_maxConnections;
    config.idleTimeoutMs = 600'000;
    config.requests = Unlimited;
    config.sends = Unlimited;
    config.typing = Unlimited;
    config.logins = Unlimited;
    config.failedLoginsPerAccount = Unlimited;
    config.failedLoginsPerAddress = Unlimited;
    config.blobBytes = Unlimited;
    config.blobUploadBytesPerHour = qint64(1) << 50;
    config.blobQuotaBytes = qint64(1) << 40;
    config.maxPendingUploads = 1000;
    config.maxBlobBytes = qint64(4096) << 20;
    if (m_options.database == BenchOptions::Database::Postgres) {
        config.database.driver = DatabaseConfig::Driver::Postgres;
        config.database.host = m_options.pgHost;
        config.database.port = m_options.pgPort;
        config.database.name = m_options.pgDatabase;
        config.database.user = m_options.pgUser;
        config.database.password = m_options.pgPassword;
    } else {
        config.database.driver = DatabaseConfig::Driver::Sqlite;
        config.database.sqlitePath = m_dataDir + QStringLiteral("/messenger.db");
    }
    QLoggingCategory::setFilterRules(QString::fromLatin1(LoggingRules));

    // The server lives on its own thread with its own event loop, as in messengerd (the same
    // epoll dispatcher), while the client's epoll loop owns the main thread.
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("messengerd-sockets"));
    if (auto *dispatcher = new EpollEventDispatcher; dispatcher->isValid())
        m_thread->setEventDispatcher(dispatcher);
    else
        delete dispatcher;
    m_thread->start();
    m_anchor = new QObject;
    m_anchor->moveToThread(m_thread.get());
    bool started = false;
    QMetaObject::invokeMethod(
        m_anchor,
        [&] {
            m_server = new MessengerServer(config);
            started = m_server->start(error);
            if (started) {
                m_port = m_server->port();
            } else {
                delete m_server;
                m_server = nullptr;
            }
        },
        Qt::BlockingQueuedConnection);
    if (!started)
        stop();
    return started;
}

void ServerUnderTest::stop()
{
    const std::int64_t start = nowNs();
    const bool running = m_process || m_thread;
    if (m_process) {
        if (m_process->state() != QProcess::NotRunning) {
            m_process->terminate();
            if (!m_process->waitForFinished(300'000)) {
                m_process->kill();
                m_process->waitForFinished(5'000);
                m_exitProblem =
                    QStringLiteral("messengerd did not stop within 300 s of SIGTERM; killed");
            } else if (m_process->exitStatus() == QProcess::CrashExit) {
                m_exitProblem = QStringLiteral("messengerd was killed by a signal (a crash) before "
                                               "or while stopping (log: %1)")
                                    .arg(m_logPath);
            } else if (m_process->exitCode() != 0) {
                m_exitProblem = QStringLiteral("messengerd exited with %1 (log: %2)")
                                    .arg(m_process->exitCode())
                                    .arg(m_logPath);
            }
        }
        m_process.reset();
    }
    if (m_thread) {
        if (m_server) {
            MessengerServer *server = m_server;
            QMetaObject::invokeMethod(
                m_anchor, [server] { delete server; }, Qt::BlockingQueuedConnection);
            m_server = nullptr;
        }
        m_anchor->deleteLater(); // runs as the thread finishes
        m_anchor = nullptr;
        m_thread->quit();
        m_thread->wait();
        m_thread.reset();
    }
    if (running)
        m_stopSeconds = double(nowNs() - start) / 1e9;
    m_port = 0;
}

} // namespace Bench
