// coldstart: the real `messenger` on a data folder holding the generated store, signed in (a
// device token in the real keychain, GNOME Keyring in a private D-Bus session), offline (its
// server address answers nothing), reopening the conversation with the most messages. The app's
// --report-startup says when the first frame with the chat list and that conversation was on
// screen, counted from the process's creation, and its RSS then.
#include "ClientBench.h"

#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/KeychainTokenVault.h"
#include "account/MemoryTokenVault.h"
#include "store/LocalStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTextStream>

#include <csignal>
#include <unistd.h>

using namespace Client;

namespace ClientBench {

namespace {

//! A loopback port nobody listens on (taken from the kernel, then let go): connecting is refused
//! at once, so the app starts offline without waiting for a timeout.
int closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const int port = probe.serverPort();
    probe.close();
    return port;
}

bool copyStore(const QString &from, const QString &to)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(to + suffix);
    return QFile::copy(from, to);
}

const char *const StartScript = R"(#!/bin/sh
# Inside the private D-Bus session: unlock a new GNOME Keyring, put the device token in it (the
# bench's --store-token, through the client's KeychainTokenVault), then start the app (a new
# process: its creation is where the cold start is counted from).
set -e
printf bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$1" --store-token "$2" bench-device-token
shift 2
"$@"
)";

} // namespace

int storeToken(const QString &accountKey, const QString &token)
{
    KeychainTokenVault vault;
    int code = -1;
    vault.writeToken(accountKey, token, &vault, [&code](const QString &error) {
        if (!error.isEmpty())
            QTextStream(stderr) << "cannot store the token: " << error << Qt::endl;
        code = error.isEmpty() ? 0 : 1;
    });
    spinUntil([&code] { return code >= 0; }, 30'000);
    return code < 0 ? 1 : code;
}

void runColdStart(Context &context)
{
    const Options &o = context.options;
    const QString phase = QStringLiteral("coldstart");
    const QString root = context.workDir + QStringLiteral("/coldstart");
    const QString dataDir = root + QStringLiteral("/data");
    const QString home = root + QStringLiteral("/home");
    QDir(root).removeRecursively();
    for (const char *sub : {"data", "home/data", "home/config", "home/cache", "home/run"})
        QDir().mkpath(root + QLatin1Char('/') + QLatin1String(sub));
    QFile::setPermissions(home + QStringLiteral("/run"),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    // The data folder as the app keeps it, made by the client's AccountManager: accounts.json and
    // the account's store file, which then becomes a copy of the generated store.
    const QUrl url(QStringLiteral("ws://127.0.0.1:%1").arg(closedPort()));
    const QString username = context.store.selfUsername;
    const QString key = Account::keyFor(url, username);
    QString storePath;
    {
        MemoryTokenVault vault;
        AccountManager manager(dataDir, &vault);
        Account *account = manager.addAccount(url, username);
        spinUntil([account] { return account->isStoreOpen(); }, 30'000);
        storePath = account->store()->filePath();
    }
    if (!copyStore(context.store.path, storePath)) {
        context.report.addError(phase,
                                QStringLiteral("cannot copy the store to %1").arg(storePath));
        return;
    }
    {
        QSettings settings(dataDir + QStringLiteral("/app.ini"), QSettings::IniFormat);
        settings.setValue(QStringLiteral("accounts/current"), key);
        settings.setValue(QStringLiteral("ui-state/lastConversation/") + key,
                          context.store.historyConversation);
    }
    const QString script = root + QStringLiteral("/start.sh");
    {
        QFile file(script);
        file.open(QIODevice::WriteOnly);
        file.write(StartScript);
    }

    const QString xvfb = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
    const bool useXvfb = o.display == QLatin1String("xvfb")
        || (o.display == QLatin1String("auto") && !xvfb.isEmpty());
    if (useXvfb && xvfb.isEmpty()) {
        context.report.addError(phase, QStringLiteral("--display xvfb: xvfb-run is not installed"));
        return;
    }
    for (const char *tool : {"dbus-run-session", "gnome-keyring-daemon"}) {
        if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty()) {
            context.report.addError(phase,
                                    QStringLiteral("%1 is not installed (the token lives "
                                                   "in a real keychain)")
                                        .arg(QLatin1String(tool)));
            return;
        }
    }
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    environment.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/run"));
    environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    if (useXvfb)
        environment.remove(QStringLiteral("QT_QPA_PLATFORM"));
    else
        environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));

    const QString report = root + QStringLiteral("/startup.json");
    QStringList arguments {QStringLiteral("dbus-run-session"),
                           QStringLiteral("--"),
                           QStringLiteral("sh"),
                           script,
                           QCoreApplication::applicationFilePath(),
                           key,
                           o.messenger,
                           QStringLiteral("--data-dir"),
                           dataDir,
                           QStringLiteral("--report-startup"),
                           report};
    QString program = arguments.takeFirst();
    if (useXvfb) {
        arguments.prepend(program);
        arguments = QStringList {QStringLiteral("-a"), QStringLiteral("-s"),
                                 QStringLiteral("-screen 0 1280x800x24")}
            + arguments;
        program = xvfb;
    }

    std::vector<double> times, sinceMain, rss;
    QJsonArray runs;
    QString renderer, platform;
    for (int run = 0; run < o.coldStartRuns; ++run) {
        QFile::remove(report);
        QProcess process;
        process.setProcessEnvironment(environment);
        process.setProcessChannelMode(QProcess::MergedChannels);
        // A group of its own: a start that hangs is ended with Xvfb, D-Bus and the app in it.
        process.setChildProcessModifier([] { ::setsid(); });
        process.start(program, arguments);
        const bool finished = process.waitForFinished(60'000);
        if (!finished) {
            ::kill(-pid_t(process.processId()), SIGTERM);
            if (!process.waitForFinished(5000))
                ::kill(-pid_t(process.processId()), SIGKILL);
            process.waitForFinished(5000);
        }
        QFile file(report);
        if (!file.open(QIODevice::ReadOnly)) {
            context.report.addError(
                phase,
                QStringLiteral("run %1: the app wrote no startup report (%2): %3")
                    .arg(run + 1)
                    .arg(finished ? QStringLiteral("exit %1").arg(process.exitCode())
                                  : QStringLiteral("stopped after 60 s"))
                    .arg(QString::fromLocal8Bit(process.readAll()).right(2000)));
            return;
        }
        const QJsonObject r = QJsonDocument::fromJson(file.readAll()).object();
        times.push_back(r.value(QStringLiteral("ms")).toDouble());
        sinceMain.push_back(r.value(QStringLiteral("ms_since_main")).toDouble());
        rss.push_back(r.value(QStringLiteral("rss_kb")).toDouble() / 1024);
        renderer = r.value(QStringLiteral("renderer")).toString();
        platform = r.value(QStringLiteral("platform")).toString();
        runs.append(r);
    }
    const Percentiles ms = Percentiles::of(times);
    const Percentiles startup = Percentiles::of(sinceMain);
    const Percentiles memory = Percentiles::of(rss);
    context.report.addAtMost(
        phase, QStringLiteral("cold_start_ms"),
        QStringLiteral("process start to first frame, median of %1").arg(o.coldStartRuns), ms.p50,
        QStringLiteral("ms"), 500);
    context.report.add(phase, QStringLiteral("cold_start_max_ms"),
                       QStringLiteral("process start to first frame, slowest run"), ms.max,
                       QStringLiteral("ms"));
    context.report.add(phase, QStringLiteral("cold_start_since_main_ms"),
                       QStringLiteral("main() to first frame, median"), startup.p50,
                       QStringLiteral("ms"));
    context.report.addAtMost(phase, QStringLiteral("cold_start_rss_mb"),
                             QStringLiteral("app RSS at that frame, median"), memory.p50,
                             QStringLiteral("MB"), 150);
    context.report.addDetail(phase, QStringLiteral("runs"), runs);
    context.report.addDetail(phase, QStringLiteral("renderer"), renderer);
    context.report.addDetail(phase, QStringLiteral("platform"), platform);
    context.report.addDetail(phase, QStringLiteral("display"),
                             useXvfb ? QStringLiteral("xvfb-run") : QStringLiteral("offscreen"));
    context.report.addNote(
        phase,
        QStringLiteral("the real messenger on %1 (QPA %2, Qt Quick %3), %4 conversations "
                       "listed, the %5-message conversation reopened; token in GNOME "
                       "Keyring; offline start (the server address refuses); the OS file "
                       "cache holds the store (warm)")
            .arg(useXvfb ? QStringLiteral("Xvfb") : QStringLiteral("offscreen"), platform, renderer)
            .arg(o.conversations)
            .arg(o.historyMessages));
}

} // namespace ClientBench
