#include "AdminCommands.h"
#include "ConfigCheck.h"

#include "core/ConfigLoader.h"
#include "core/EpollEventDispatcher.h"
#include "core/MessengerServer.h"
#include "ops/Logging.h"
#include "ops/SystemdNotify.h"
#include "runtime/DataDirLock.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimer>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace Server;

namespace {
int signalPipe[2] = {-1, -1};
volatile std::sig_atomic_t stopRequested = 0;

// Async-signal-safe only: the signal's number goes through a pipe to the event loop. A second
// SIGTERM or SIGINT while the first one's drain runs ends the process at once.
void onSignal(int signal)
{
    if (signal != SIGHUP) {
        if (stopRequested)
            ::_exit(1);
        stopRequested = 1;
    }
    const char byte = char(signal);
    [[maybe_unused]] const auto written = ::write(signalPipe[1], &byte, 1);
}
} // namespace

int main(int argc, char *argv[])
{
    // The socket thread runs on EpollEventDispatcher: Qt's dispatchers do work in proportion to
    // the number of sockets on every iteration (glib on every write even), which dominates with
    // tens of thousands of connections. MESSENGERD_EVENT_LOOP=poll falls back to Qt's poll()
    // dispatcher, =glib to Qt's default (for comparisons, or should the epoll loop misbehave).
    // QT_NO_GLIB=1 (unless the environment sets it) also keeps any other thread off glib.
    const QByteArray eventLoop = qgetenv("MESSENGERD_EVENT_LOOP").toLower();
    if (eventLoop != "glib" && !qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    if (eventLoop.isEmpty() || eventLoop == "epoll") {
        auto *dispatcher = new EpollEventDispatcher;
        if (dispatcher->isValid())
            QCoreApplication::setEventDispatcher(dispatcher); // the application takes ownership
        else
            delete dispatcher; // already logged why; Qt's poll dispatcher takes over
    } else if (eventLoop != "poll" && eventLoop != "glib") {
        QTextStream(stderr) << "messengerd: MESSENGERD_EVENT_LOOP must be epoll, poll or glib, not "
                            << eventLoop << Qt::endl;
        return 2;
    }
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("messengerd"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MESSENGER_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "messengerd — the messenger's server.\n"
        "With no subcommand it serves clients. Options also come from MESSENGERD_* environment "
        "variables "
        "(e.g. MESSENGERD_PORT) and from --config FILE; the command line wins over both."));
    parser.addHelpOption();
    parser.addVersionOption();
    ConfigLoader::addOptions(parser);
    AdminCommands::addOptions(parser);
    parser.addPositionalArgument(
        QStringLiteral("command"),
        QStringLiteral("Optional admin command: user add <name> | user list | "
                       "user reset-password <name> | invite create | backup <dir> | "
                       "restore <dir>"),
        QStringLiteral("[command...]"));
    parser.process(app);

    const QStringList command = parser.positionalArguments();
    if (command.size() == 2 && command.at(0) == QLatin1String("config")
        && command.at(1) == QLatin1String("check"))
        return ConfigCheck::run(parser, QProcessEnvironment::systemEnvironment());

    ServerConfig config;
    QString error;
    if (!ConfigLoader::load(parser, QProcessEnvironment::systemEnvironment(), &config, &error)) {
        QTextStream(stderr) << "messengerd: " << error << Qt::endl;
        return 2;
    }
    Logging::Format logFormat = Logging::Format::Readable;
    Logging::formatFromName(config.logFormat, &logFormat); // checked by the loader
    Logging::install(logFormat);
    Logging::setLevel(config.logLevel);
    if (!parser.positionalArguments().isEmpty())
        return AdminCommands::run(parser.positionalArguments(), parser, config);

    // One server per data folder: a second one would write the same SQLite file and TLS folder.
    // The lock also tells the app that hosts this server about one a previous run left behind.
    Runtime::DataDirLock dataDirLock;
    if (!dataDirLock.acquire(config.effectiveDataDir(), &error)) {
        QTextStream(stderr) << "messengerd: " << error << Qt::endl;
        return 3;
    }
    MessengerServer server(config);
    SystemdNotify systemd;
    const auto status = [&server] {
        return QStringLiteral("serving %1 connection(s) on %2")
            .arg(server.connectionCount())
            .arg(server.url().toString());
    };
    // SIGINT / SIGTERM drain and stop the server; SIGHUP reloads the configuration. Set up before
    // the server listens: a signal that comes as soon as it listens is handled, not fatal.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, [&] {
            char signal = 0;
            if (::read(signalPipe[0], &signal, 1) != 1)
                return;
            if (signal == SIGHUP) {
                systemd.reloading();
                ServerConfig fresh;
                QString reloadError;
                if (!ConfigLoader::load(parser, QProcessEnvironment::systemEnvironment(), &fresh,
                                        &reloadError)) {
                    qCWarning(lcOps).noquote()
                        << "reload: the configuration is not valid, keeping the current one:"
                        << reloadError;
                } else {
                    if (fresh.logLevel != server.config().logLevel)
                        qCInfo(lcOps).noquote()
                            << "reload: log level" << Logging::levelName(fresh.logLevel);
                    Logging::setLevel(fresh.logLevel);
                    server.reload(fresh);
                    qCInfo(lcOps) << "reloaded";
                }
                systemd.ready(status());
                return;
            }
            systemd.stopping(
                QStringLiteral("draining %1 connection(s)").arg(server.connectionCount()));
            server.beginDrain();
        });
        QObject::connect(&server, &MessengerServer::drained, &app, &QCoreApplication::quit);
        struct sigaction action = {};
        action.sa_handler = onSignal;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        sigaction(SIGINT, &action, nullptr);
        sigaction(SIGTERM, &action, nullptr);
        sigaction(SIGHUP, &action, nullptr);
    }
    if (!server.start(&error)) {
        QTextStream(stderr) << "messengerd: " << error << Qt::endl;
        return 1;
    }
    dataDirLock.publish(server.url());
    QTextStream(stdout) << "messengerd " << MESSENGER_VERSION << " listening on "
                        << server.url().toString() << "\n  database: "
                        << (server.config().database.driver == DatabaseConfig::Driver::Sqlite
                                ? server.config().database.sqlitePath
                                : QStringLiteral("postgres://%1@%2:%3/%4")
                                      .arg(server.config().database.user,
                                           server.config().database.host)
                                      .arg(server.config().database.port)
                                      .arg(server.config().database.name))
                        << "\n  registration: "
                        << Protocol::registrationPolicyName(server.config().registration)
                        << Qt::endl;
    if (!server.certificateFingerprint().isEmpty())
        QTextStream(stdout) << "  certificate SHA-256: " << server.certificateFingerprint()
                            << (server.config().tlsSelfSigned
                                    ? " (self-signed: clients compare this once)"
                                    : "")
                            << Qt::endl;

    systemd.ready(status());
    QTimer statusTimer; // STATUS= for `systemctl status`
    statusTimer.setTimerType(Qt::VeryCoarseTimer);
    QObject::connect(&statusTimer, &QTimer::timeout, &app, [&] {
        if (!server.isDraining())
            systemd.status(status());
    });
    if (qEnvironmentVariableIsSet("NOTIFY_SOCKET"))
        statusTimer.start(10'000);
    const int code = app.exec();
    server.stop(); // the store commits every queued job before it stops
    qCInfo(lcOps) << "stopped";
    return code;
}
