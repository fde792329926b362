#include "AdminCommands.h"

#include "core/ConfigLoader.h"
#include "core/EpollEventDispatcher.h"
#include "core/MessengerServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

using namespace Server;

namespace {
int signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
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
                       "user reset-password <name> | invite create"),
        QStringLiteral("[command...]"));
    parser.process(app);

    ServerConfig config;
    QString error;
    if (!ConfigLoader::load(parser, QProcessEnvironment::systemEnvironment(), &config, &error)) {
        QTextStream(stderr) << "messengerd: " << error << Qt::endl;
        return 2;
    }
    if (!parser.positionalArguments().isEmpty())
        return AdminCommands::run(parser.positionalArguments(), parser, config);

    MessengerServer server(config);
    if (!server.start(&error)) {
        QTextStream(stderr) << "messengerd: " << error << Qt::endl;
        return 1;
    }
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

    // SIGINT / SIGTERM stop the server cleanly: the handler only writes to a pipe.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalPipe) == 0) {
        auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, &app);
        QObject::connect(notifier, &QSocketNotifier::activated, &app, &QCoreApplication::quit);
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    return app.exec();
}
