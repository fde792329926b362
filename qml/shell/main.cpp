// The `messenger` executable: options, style, and the Messenger.Shell module's Main.qml. Everything
// else is in the QML modules and the core library.
#include "AppController.h"
#include "AppIcon.h"
#include "AppLifecycle.h"
#include "QmlPlugins.h"

#include "models/ConversationListModel.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJSValue>
#include <QJsonDocument>
#include <QJsonObject>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <memory>
#include <unistd.h>

using namespace App;

using namespace Qt::StringLiterals;

namespace {

//! The options of the command line, beside --help and --version.
struct Options
{
    QCommandLineOption dataDir {u"data-dir"_s, u"Folder for accounts and local data."_s, u"dir"_s};
    QCommandLineOption noKeychain {
        u"no-keychain"_s, u"Keep sign-in tokens in memory only (the next start asks again)."_s};
    QCommandLineOption screenshot {
        u"screenshot"_s, u"Save the window as a PNG after --screenshot-delay ms, then quit."_s,
        u"file"_s};
    QCommandLineOption screenshotDelay {u"screenshot-delay"_s,
                                        u"Milliseconds before the screenshot (default 3000)."_s,
                                        u"ms"_s, u"3000"_s};
    QCommandLineOption theme {u"theme"_s, u"light or dark instead of the system's theme."_s,
                              u"theme"_s};
    QCommandLineOption hostServer {u"host-server"_s,
                                   u"On the first run, host a server on this computer instead of "
                                   "asking which server to use."_s};
    // For messenger-client-bench (docs/performance.md); hidden from --help.
    QCommandLineOption reportStartup {u"report-startup"_s, {}, u"file"_s};

    void addTo(QCommandLineParser *parser) const
    {
        parser->setApplicationDescription(u"Messenger: chat on your own server."_s);
        parser->addHelpOption();
        parser->addVersionOption();
        parser->addOptions({dataDir, noKeychain, theme, screenshot, screenshotDelay, hostServer});
        QCommandLineOption hidden = reportStartup;
        hidden.setFlags(QCommandLineOption::HiddenFromHelp);
        parser->addOption(hidden);
    }
};

//! Answers --help, --version and a mistaken option before the QApplication exists: that one
//! needs a display, and these are asked on servers and over ssh too. Returns the exit code, or
//! -1 when the app is to start.
int answerWithoutDisplay(int argc, char *argv[], const Options &options)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    QCommandLineParser parser;
    options.addTo(&parser);
    // Qt's own options (-platform xcb, -style …) are single-dash words, which none of ours is: the
    // QApplication takes them out of the arguments later, so they are no mistake here.
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const bool parsed = parser.parse(arguments);
    const QStringList unknown = parser.unknownOptionNames();
    const bool onlyQtOptions = !unknown.isEmpty()
        && std::all_of(unknown.cbegin(), unknown.cend(), [&arguments](const QString &name) {
               return name.size() > 1
                   && std::any_of(arguments.cbegin(), arguments.cend(),
                                  [word = u"-"_s + name](const QString &argument) {
                                      return argument == word || argument.startsWith(word + u'=');
                                  });
           });
    const bool mistaken = !parsed && !onlyQtOptions;
    const bool help = parser.isSet(u"help"_s);
    const bool version = parser.isSet(u"version"_s);
    if (!mistaken && !help && !version)
        return -1;

    QCoreApplication app(argc, argv); // for the program's name in the usage line
    if (mistaken) {
        std::fputs(
            qPrintable(u"%1: %2\n"_s.arg(QCoreApplication::applicationName(), parser.errorText())),
            stderr);
        return 1;
    }
    if (version)
        parser.showVersion(); // exits
    parser.showHelp(0); // exits
}

//! Milliseconds since this process was created (/proc/self/stat, so loading the libraries
//! counts; the kernel keeps it in clock ticks, 10 ms).
qint64 msSinceProcessStart()
{
    QFile stat(u"/proc/self/stat"_s);
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // Field 22 (starttime), counted after the ")" that ends the command's name.
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    const qint64 startTicks = fields.value(19).toLongLong();
    timespec now {};
    clock_gettime(CLOCK_BOOTTIME, &now);
    return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000
        - startTicks * 1000 / sysconf(_SC_CLK_TCK);
}

//! Items of the window's visual tree (a Loader's page is no QObject child of the window).
void collectItems(QQuickItem *item, QList<QQuickItem *> *items)
{
    items->append(item);
    for (QQuickItem *child : item->childItems())
        collectItems(child, items);
}

QObject *objectOf(const QVariant &value)
{
    // A `var` property holds a QJSValue.
    return value.metaType() == QMetaType::fromType<QJSValue>() ? value.value<QJSValue>().toQObject()
                                                               : value.value<QObject *>();
}

//! --report-startup: the conversation view has the reopened conversation's first page, and the
//! chat list its rows.
bool startupShown(const QQuickWindow *window)
{
    QList<QQuickItem *> items;
    collectItems(window->contentItem(), &items);
    return std::any_of(items.cbegin(), items.cend(), [](const QQuickItem *item) {
        const QObject *controller = objectOf(item->property("controller"));
        const auto *account = qobject_cast<Client::Account *>(objectOf(item->property("account")));
        return controller && controller->property("loaded").toBool() && account
            && account->conversationModel() && account->conversationModel()->rowCount() > 0;
    });
}

//! Writes {ms, ms_since_main, rss_kb, renderer, platform} when the first frame showing what
//! startupShown() asks for is on screen, then quits (messenger-client-bench measures a cold
//! start with it). The frame is the one synchronised after the state was seen on the GUI thread.
void reportStartup(QQuickWindow *window, const QString &file, const QElapsedTimer &sinceMain)
{
    auto seen = std::make_shared<std::atomic<bool>>(false);
    auto synced = std::make_shared<std::atomic<bool>>(false);
    auto done = std::make_shared<std::atomic<bool>>(false);
    QObject::connect(window, &QQuickWindow::afterAnimating, window, [=] {
        if (!*seen && startupShown(window))
            *seen = true;
    });
    QObject::connect(
        window, &QQuickWindow::beforeSynchronizing, window, [=] { *synced = seen->load(); },
        Qt::DirectConnection);
    QObject::connect(
        window, &QQuickWindow::frameSwapped, window,
        [=, &sinceMain] {
            if (!*synced || done->exchange(true))
                return;
            const qint64 ms = msSinceProcessStart();
            const qint64 mainMs = sinceMain.elapsed();
            QMetaObject::invokeMethod(window, [=] {
                QFile status(u"/proc/self/status"_s);
                qint64 rssKb = 0;
                if (status.open(QIODevice::ReadOnly)) {
                    for (const QByteArray &line : status.readAll().split('\n')) {
                        if (line.startsWith("VmRSS:"))
                            rssKb = line.mid(6).trimmed().split(' ').value(0).toLongLong();
                    }
                }
                const auto api = window->rendererInterface()->graphicsApi();
                const QJsonObject report {{u"ms"_s, ms},
                                          {u"ms_since_main"_s, mainMs},
                                          {u"rss_kb"_s, rssKb},
                                          {u"renderer"_s,
                                           api == QSGRendererInterface::OpenGL ? u"OpenGL"_s
                                               : api == QSGRendererInterface::Software
                                               ? u"Software"_s
                                               : QString::number(int(api))},
                                          {u"platform"_s, QGuiApplication::platformName()}};
                QFile out(file);
                if (out.open(QIODevice::WriteOnly | QIODevice::Truncate))
                    out.write(QJsonDocument(report).toJson());
                QCoreApplication::exit(0);
            });
        },
        Qt::DirectConnection);
}

} // namespace

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    QCoreApplication::setApplicationName(u"messenger"_s);
    QCoreApplication::setOrganizationName(u"messenger"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MESSENGER_VERSION));
    const Options options;
    if (const int exitCode = answerWithoutDisplay(argc, argv, options); exitCode >= 0)
        return exitCode;

    // QApplication, not QGuiApplication: the tray icon (QSystemTrayIcon) is a Widgets class.
    QApplication app(argc, argv);
    // The .desktop file's name (Wayland's app id) and the icon of every window: the installed
    // theme's, else the one bundled (resources/README.md).
    QGuiApplication::setDesktopFileName(QLatin1String(AppId));
    QGuiApplication::setWindowIcon(appIcon());

    QCommandLineParser parser;
    options.addTo(&parser);
    parser.process(app);

    AppController::Options appOptions {parser.value(options.dataDir),
                                       parser.isSet(options.noKeychain),
                                       parser.value(options.theme)};
    appOptions.hostOnFirstRun = parser.isSet(options.hostServer);
    AppController::setOptions(appOptions);

    // One app per data folder: a second start shows the first one's window and leaves.
    QDir().mkpath(AppController::configuredDataDir());
    SingleInstance instance(AppController::configuredDataDir());
    if (!instance.claim()) {
        if (instance.activateRunning()) {
            std::fputs("messenger: already running on this data folder; its window is shown\n",
                       stderr);
            return 0;
        }
        std::fputs(qPrintable(u"messenger: another Messenger holds %1 but does not answer\n"_s.arg(
                       AppController::configuredDataDir())),
                   stderr);
        return 1;
    }
    // Ended by a signal, the app still stops the server it hosts and closes its stores.
    quitOnTerminationSignals();

    // Material follows the system's light or dark setting (Main.qml sets Material.System).
    QQuickStyle::setStyle(u"Material"_s);

    QQmlApplicationEngine engine;
    engine.addImportPath(u"qrc:/qt/qml"_s);
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app,
        [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    engine.load(QUrl(u"qrc:/qt/qml/Messenger/Shell/Main.qml"_s));
    if (engine.rootObjects().isEmpty())
        return 1;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    QObject::connect(&instance, &SingleInstance::activationRequested, window, [window] {
        window->setWindowStates(window->windowStates() & ~Qt::WindowMinimized);
        window->show(); // also from the tray, where closing the window put it
        window->raise();
        window->requestActivate();
    });

    if (parser.isSet(options.screenshot)) {
        const QString file = parser.value(options.screenshot);
        QTimer::singleShot(parser.value(options.screenshotDelay).toInt(), &app, [window, file] {
            const bool saved = window && window->grabWindow().save(file);
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    if (parser.isSet(options.reportStartup))
        reportStartup(window, parser.value(options.reportStartup), sinceMain);
    return QApplication::exec();
}
