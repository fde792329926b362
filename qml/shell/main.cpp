// The `messenger` executable: options, style, and the Messenger.Shell module's Main.qml. Everything
// else is in the QML modules and the core library.
#include "AppController.h"
#include "QmlPlugins.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTimer>

#include <algorithm>
#include <cstdio>

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

    void addTo(QCommandLineParser *parser) const
    {
        parser->setApplicationDescription(u"Messenger: chat on your own server."_s);
        parser->addHelpOption();
        parser->addVersionOption();
        parser->addOptions({dataDir, noKeychain, theme, screenshot, screenshotDelay, hostServer});
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

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(u"messenger"_s);
    QCoreApplication::setOrganizationName(u"messenger"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(MESSENGER_VERSION));
    const Options options;
    if (const int exitCode = answerWithoutDisplay(argc, argv, options); exitCode >= 0)
        return exitCode;

    // QApplication, not QGuiApplication: the tray icon (QSystemTrayIcon) is a Widgets class.
    QApplication app(argc, argv);
    QGuiApplication::setDesktopFileName(u"messenger"_s);

    QCommandLineParser parser;
    options.addTo(&parser);
    parser.process(app);

    AppController::Options appOptions {parser.value(options.dataDir),
                                       parser.isSet(options.noKeychain),
                                       parser.value(options.theme)};
    appOptions.hostOnFirstRun = parser.isSet(options.hostServer);
    AppController::setOptions(appOptions);

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

    if (parser.isSet(options.screenshot)) {
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
        const QString file = parser.value(options.screenshot);
        QTimer::singleShot(parser.value(options.screenshotDelay).toInt(), &app, [window, file] {
            const bool saved = window && window->grabWindow().save(file);
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
