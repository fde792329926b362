#include "AdminCommands.h"

#include "accounts/AccountAdmin.h"
#include "accounts/AccountQueries.h"
#include "ops/Backup.h"
#include "ops/ControlProtocol.h"
#include "ops/ControlServer.h"
#include "storage/Database.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QStandardPaths>
#include <QTextStream>

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>

namespace Server {

namespace AdminCommands {

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

// Reads a password from stdin: with a prompt and no echo on a terminal, else one line.
QString readPassword(const QString &prompt)
{
    const bool terminal = isatty(STDIN_FILENO);
    termios saved {};
    if (terminal) {
        err() << prompt << Qt::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    QTextStream in(stdin);
    QString password = in.readLine();
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        err() << Qt::endl;
    }
    return password;
}

DatabaseConfig databaseOf(const ServerConfig &config)
{
    DatabaseConfig database = config.database;
    if (database.driver == DatabaseConfig::Driver::Sqlite && database.sqlitePath.isEmpty()) {
        const QString dir = config.dataDir.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
                + QStringLiteral("/messengerd")
            : config.dataDir;
        QDir().mkpath(dir);
        database.sqlitePath = dir + QStringLiteral("/messenger.db");
    }
    return database;
}

// The tokens are gone from the database, but connections signed in with them stay signed in
// until they end: the running server (if any) closes them, asked over its control socket.
int signOutLiveConnections(const ServerConfig &config, Database &db, const QString &username)
{
    const auto user = AccountQueries::findUser(db, username);
    if (!user)
        return 0;
    QString error;
    const QString socket = config.effectiveDataDir() + QStringLiteral("/control.sock");
    const QByteArray answer = ControlServer::request(
        socket, ControlProtocol::encodeSignOutUser(user->profile.user.id), &error);
    if (answer.isEmpty()) {
        if (!error.isEmpty()) {
            err() << "messengerd: the running server did not sign the user out: " << error << "\n";
            return 1;
        }
        return 0; // no server runs on this data folder: no live connection to end
    }
    if (!answer.startsWith("ok ")) {
        err() << "messengerd: the running server answered: " << QString::fromUtf8(answer) << "\n";
        return 1;
    }
    out() << answer.mid(3).toLongLong() << " live connection(s) closed" << Qt::endl;
    return 0;
}

int usage()
{
    err() << "usage: messengerd user add <username> [--display-name NAME]\n"
             "       messengerd user list\n"
             "       messengerd user reset-password <username>\n"
             "       messengerd invite create [--uses N] [--expires-days D]\n"
             "       messengerd config check [--config FILE]\n"
             "       messengerd backup <new-folder>\n"
             "       messengerd restore <backup-folder> [--force]\n"
             "Passwords are read from standard input (prompted on a terminal).\n";
    return 2;
}

} // namespace

void addOptions(QCommandLineParser &parser)
{
    parser.addOption(QCommandLineOption(QStringLiteral("display-name"),
                                        QStringLiteral("user add: the display name."),
                                        QStringLiteral("name")));
    parser.addOption(
        QCommandLineOption(QStringLiteral("uses"),
                           QStringLiteral("invite create: registrations it allows (default 1)."),
                           QStringLiteral("n"), QStringLiteral("1")));
    parser.addOption(
        QCommandLineOption(QStringLiteral("expires-days"),
                           QStringLiteral("invite create: days it stays valid (default 7)."),
                           QStringLiteral("days"), QStringLiteral("7")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("force"),
        QStringLiteral("restore: replace a database (and merge into a blob folder) that already "
                       "holds data.")));
}

int run(const QStringList &arguments, const QCommandLineParser &parser, const ServerConfig &config)
{
    if (sodium_init() < 0) {
        err() << "libsodium could not be initialised\n";
        return 1;
    }
    const QString noun = arguments.value(0);
    const QString verb = arguments.value(1);
    // Backup and restore never migrate: they copy the database as it is.
    if ((noun == QLatin1String("backup") || noun == QLatin1String("restore"))
        && arguments.size() == 2) {
        const Ops::BackupTarget target {databaseOf(config), config.effectiveDataDir()};
        return noun == QLatin1String("backup")
            ? Ops::backup(target, verb, out(), err())
            : Ops::restore(target, verb, parser.isSet(QStringLiteral("force")), out(), err());
    }
    try {
        Database db(databaseOf(config), QStringLiteral("messengerd-admin"));
        db.open();
        db.migrate();

        if (noun == QLatin1String("user") && verb == QLatin1String("add")
            && arguments.size() == 3) {
            const QString username = arguments.at(2).toLower();
            const QString password =
                readPassword(QStringLiteral("Password for %1: ").arg(username));
            const qint64 id = AccountAdmin::createUser(
                db, username, parser.value(QStringLiteral("display-name")), password,
                config.passwordOpsLimit, config.passwordMemLimit);
            out() << "created user " << username << " (id " << id << ")" << Qt::endl;
            return 0;
        }
        if (noun == QLatin1String("user") && verb == QLatin1String("list")
            && arguments.size() == 2) {
            const auto users = AccountQueries::allUsers(db);
            out() << QStringLiteral("%1  %2  %3\n")
                         .arg(QStringLiteral("id"), 6)
                         .arg(QStringLiteral("username"), -32)
                         .arg(QStringLiteral("display name"));
            for (const auto &user : users)
                out() << QStringLiteral("%1  %2  %3\n")
                             .arg(user.profile.user.id, 6)
                             .arg(user.profile.user.username, -32)
                             .arg(user.profile.user.displayName);
            out() << users.size() << " users" << Qt::endl;
            return 0;
        }
        if (noun == QLatin1String("user") && verb == QLatin1String("reset-password")
            && arguments.size() == 3) {
            const QString username = arguments.at(2).toLower();
            const QString password =
                readPassword(QStringLiteral("New password for %1: ").arg(username));
            if (password.size() < Protocol::Limits::MinPasswordLength) {
                err() << "a password has at least " << Protocol::Limits::MinPasswordLength
                      << " characters\n";
                return 1;
            }
            if (!AccountAdmin::resetPassword(db, username, password, config.passwordOpsLimit,
                                             config.passwordMemLimit)) {
                err() << "there is no user " << username << "\n";
                return 1;
            }
            out() << "password of " << username << " reset; all its devices are signed out"
                  << Qt::endl;
            return signOutLiveConnections(config, db, username);
        }
        if (noun == QLatin1String("invite") && verb == QLatin1String("create")
            && arguments.size() == 2) {
            bool usesOk = false, daysOk = false;
            const int uses = parser.value(QStringLiteral("uses")).toInt(&usesOk);
            const int days = parser.value(QStringLiteral("expires-days")).toInt(&daysOk);
            if (!usesOk || uses < 1 || !daysOk || days < 1) {
                err() << "--uses and --expires-days must be positive whole numbers\n";
                return 2;
            }
            const QString token =
                AccountAdmin::createInvite(db, uses, qint64(days) * 24 * 3600 * 1000);
            out() << token << Qt::endl;
            err() << "invite good for " << uses << " registration(s) within " << days
                  << " day(s)\n";
            return 0;
        }
    } catch (const StoreError &e) {
        err() << "messengerd: " << e.message() << "\n";
        return 1;
    }
    return usage();
}

} // namespace AdminCommands

} // namespace Server
