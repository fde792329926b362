#include "ClientBench.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include <csignal>
#include <cstdlib>
#include <memory>

using namespace ClientBench;

namespace {

Options parse(const QCoreApplication &app)
{
    Options o;
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Measures the desktop client (docs/performance.md, \"Client\"): cold start of the real "
        "app on a generated store, local search, history paging, sync from a real messengerd, "
        "steady memory. Prints a table; writes JSON."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption quick(
        QStringLiteral("quick"), QStringLiteral("Small sizes (smoke test, well under a minute)."));
    const QCommandLineOption phases(
        QStringLiteral("phases"),
        QStringLiteral("Comma-separated: coldstart,search,history,sync,memory (default all)."),
        QStringLiteral("list"));
    const QCommandLineOption conversations(QStringLiteral("conversations"),
                                           QStringLiteral("Conversations in the store (1000)."),
                                           QStringLiteral("n"));
    const QCommandLineOption messages(QStringLiteral("messages"),
                                      QStringLiteral("Messages in the store (1000000)."),
                                      QStringLiteral("n"));
    const QCommandLineOption history(
        QStringLiteral("history-messages"),
        QStringLiteral("Messages of the conversation history opens and the app reopens (100000)."),
        QStringLiteral("n"));
    const QCommandLineOption scroll(QStringLiteral("scroll-messages"),
                                    QStringLiteral("Messages scrolled through and back (10000)."),
                                    QStringLiteral("n"));
    const QCommandLineOption backlog(QStringLiteral("sync-backlog"),
                                     QStringLiteral("Messages waiting for the client (100000)."),
                                     QStringLiteral("n"));
    const QCommandLineOption runs(QStringLiteral("cold-start-runs"),
                                  QStringLiteral("Starts of the app (5)."), QStringLiteral("n"));
    const QCommandLineOption repeats(QStringLiteral("search-repeats"),
                                     QStringLiteral("Queries of each kind and scope (40)."),
                                     QStringLiteral("n"));
    const QCommandLineOption cache(
        QStringLiteral("store-cache"),
        QStringLiteral("Folder where generated stores are kept and reused when of the same shape "
                       "(default ~/.cache/messenger-client-bench)."),
        QStringLiteral("dir"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Where to write the JSON results."),
                                  QStringLiteral("file"), o.jsonPath);
    const QCommandLineOption workDir(QStringLiteral("work-dir"),
                                     QStringLiteral("Folder for the runs' files (default: a "
                                                    "temporary one)."),
                                     QStringLiteral("dir"));
    const QCommandLineOption keep(QStringLiteral("keep-work-dir"),
                                  QStringLiteral("Keep the temporary folder."));
    const QCommandLineOption messenger(QStringLiteral("messenger"),
                                       QStringLiteral("The app (default: this build's)."),
                                       QStringLiteral("path"), QStringLiteral(MESSENGER_PATH));
    const QCommandLineOption messengerd(QStringLiteral("messengerd"),
                                        QStringLiteral("The server (default: this build's)."),
                                        QStringLiteral("path"), QStringLiteral(MESSENGERD_PATH));
    const QCommandLineOption display(
        QStringLiteral("display"),
        QStringLiteral("Where the app's window goes: auto (Xvfb when xvfb-run is installed, "
                       "else offscreen), xvfb or offscreen."),
        QStringLiteral("mode"), o.display);
    parser.addOptions({quick, phases, conversations, messages, history, scroll, backlog, runs,
                       repeats, cache, json, workDir, keep, messenger, messengerd, display});
    parser.process(app);

    o.quick = parser.isSet(quick);
    if (o.quick) {
        o.conversations = 50;
        o.messages = 20'000;
        o.historyMessages = 5'000;
        o.scrollMessages = 2'000;
        o.syncBacklog = 5'000;
        o.coldStartRuns = 1;
        o.searchRepeats = 10;
    }
    const auto number = [&parser](const QCommandLineOption &option, int &value) {
        if (!parser.isSet(option))
            return;
        bool ok = false;
        const int n = parser.value(option).toInt(&ok);
        if (!ok || n < 1) {
            QTextStream(stderr) << "messenger-client-bench: --" << option.names().constFirst()
                                << " takes a positive number" << Qt::endl;
            std::exit(2);
        }
        value = n;
    };
    number(conversations, o.conversations);
    number(messages, o.messages);
    number(history, o.historyMessages);
    number(scroll, o.scrollMessages);
    number(backlog, o.syncBacklog);
    number(runs, o.coldStartRuns);
    number(repeats, o.searchRepeats);
    if (parser.isSet(phases))
        o.phases = parser.value(phases).split(QLatin1Char(','), Qt::SkipEmptyParts);
    o.storeCache = parser.isSet(cache)
        ? parser.value(cache)
        : QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)
            + QStringLiteral("/messenger-client-bench");
    o.jsonPath = parser.value(json);
    o.workDir = parser.value(workDir);
    o.keepWorkDir = parser.isSet(keep);
    o.messenger = parser.value(messenger);
    o.messengerd = parser.value(messengerd);
    o.display = parser.value(display);
    return o;
}

QJsonObject describeRun(const Options &o)
{
    return {
        {QStringLiteral("tool"), QStringLiteral("messenger-client-bench " MESSENGER_VERSION)},
        {QStringLiteral("started"), QDateTime::currentDateTime().toString(Qt::ISODate)},
        {QStringLiteral("host"), QSysInfo::machineHostName()},
        {QStringLiteral("kernel"), QSysInfo::kernelVersion()},
        {QStringLiteral("cores"), cpuCount()},
        {QStringLiteral("quick"), o.quick},
        {QStringLiteral("phases"), QJsonArray::fromStringList(o.phases)},
        {QStringLiteral("conversations"), o.conversations},
        {QStringLiteral("messages"), o.messages},
        {QStringLiteral("history_messages"), o.historyMessages},
        {QStringLiteral("scroll_messages"), o.scrollMessages},
        {QStringLiteral("sync_backlog"), o.syncBacklog},
        {QStringLiteral("arguments"), QJsonArray::fromStringList(QCoreApplication::arguments())}};
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("messenger-client-bench"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MESSENGER_VERSION));
    // Used by the cold start's script inside its D-Bus session; not an option for people.
    if (argc == 4 && qstrcmp(argv[1], "--store-token") == 0)
        return storeToken(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    const Options options = parse(app);
    std::signal(SIGPIPE, SIG_IGN);
    QTextStream err(stderr);

    std::unique_ptr<QTemporaryDir> temporary;
    QString workDir = options.workDir;
    if (workDir.isEmpty()) {
        temporary = std::make_unique<QTemporaryDir>(
            QDir::tempPath() + QStringLiteral("/messenger-client-bench-XXXXXX"));
        temporary->setAutoRemove(!options.keepWorkDir);
        workDir = temporary->path();
    } else if (!QDir().mkpath(workDir)) {
        err << "messenger-client-bench: cannot create " << workDir << Qt::endl;
        return 2;
    }
    workDir = QDir(workDir).absolutePath();

    Report report;
    report.setRun(describeRun(options));
    Context context {options, report, workDir, {}};

    QElapsedTimer total;
    total.start();
    const bool needsStore = options.runs("coldstart") || options.runs("search")
        || options.runs("history") || options.runs("memory");
    QString error;
    if (needsStore && !prepareStore(context, &error)) {
        report.addError(QStringLiteral("store"), error);
    } else if (needsStore) {
        report.addDetail(QStringLiteral("store"), QStringLiteral("path"), context.store.path);
        report.addDetail(QStringLiteral("store"), QStringLiteral("reused"), context.store.reused);
        report.addDetail(QStringLiteral("store"), QStringLiteral("size_mb"),
                         double(QFileInfo(context.store.path).size()) / (1024 * 1024));
        if (!context.store.reused)
            report.addDetail(QStringLiteral("store"), QStringLiteral("generation_seconds"),
                             context.store.generationSeconds);
        err << "store: " << context.store.path
            << (context.store.reused
                    ? QStringLiteral(" (reused)")
                    : QStringLiteral(" (generated in %1 s)").arg(context.store.generationSeconds))
            << Qt::endl;
        const struct
        {
            const char *name;
            bool runs;
            void (*run)(Context &);
        } phases[] = {
            {"coldstart", options.runs("coldstart"), runColdStart},
            {"search", options.runs("search"), runSearch},
            {"history", options.runs("history") || options.runs("memory"), runHistoryAndMemory},
        };
        for (const auto &phase : phases) {
            if (!phase.runs)
                continue;
            err << "running " << phase.name << "..." << Qt::endl;
            QElapsedTimer clock;
            clock.start();
            phase.run(context);
            err << "  done in " << QString::number(double(clock.elapsed()) / 1000.0, 'f', 1) << " s"
                << Qt::endl;
        }
    }
    if (options.runs("sync")) {
        err << "running sync..." << Qt::endl;
        QElapsedTimer clock;
        clock.start();
        runSync(context);
        err << "  done in " << QString::number(double(clock.elapsed()) / 1000.0, 'f', 1) << " s"
            << Qt::endl;
    }
    report.addDetail(QStringLiteral("run"), QStringLiteral("seconds"),
                     double(total.elapsed()) / 1000.0);

    QTextStream out(stdout);
    out << "\nmessenger-client-bench " << MESSENGER_VERSION << " - " << cpuCount() << " cores"
        << (options.quick ? ", quick" : "") << ", " << options.conversations << " conversations, "
        << options.messages << " messages\n\n"
        << report.table() << "\n";
    QFile json(options.jsonPath);
    if (!json.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        err << "messenger-client-bench: cannot write " << options.jsonPath << Qt::endl;
        return 1;
    }
    json.write(QJsonDocument(report.json()).toJson());
    out << "\nresults written to " << QFileInfo(json).absoluteFilePath() << " ("
        << QString::number(double(total.elapsed()) / 1000.0, 'f', 1) << " s)" << Qt::endl;
    if (options.keepWorkDir)
        out << "work folder kept: " << workDir << Qt::endl;
    return report.hasErrors() ? 1 : 0;
}
