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

using namespace App;

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // QApplication, not QGuiApplication: the tray icon (QSystemTrayIcon) is a Widgets class.
    QApplication app(argc, argv);
    QGuiApplication::setApplicationName(u"messenger"_s);
    QGuiApplication::setOrganizationName(u"messenger"_s);
    QGuiApplication::setApplicationVersion(QStringLiteral(MESSENGER_VERSION));
    QGuiApplication::setDesktopFileName(u"messenger"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Messenger: chat on your own server."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(u"data-dir"_s, u"Folder for accounts and local data."_s,
                                     u"dir"_s);
    const QCommandLineOption noKeychain(
        u"no-keychain"_s, u"Keep sign-in tokens in memory only (the next start asks again)."_s);
    const QCommandLineOption screenshot(
        u"screenshot"_s, u"Save the window as a PNG after --screenshot-delay ms, then quit."_s,
        u"file"_s);
    const QCommandLineOption screenshotDelay(
        u"screenshot-delay"_s, u"Milliseconds before the screenshot (default 3000)."_s, u"ms"_s,
        u"3000"_s);
    const QCommandLineOption theme(u"theme"_s, u"light or dark instead of the system's theme."_s,
                                   u"theme"_s);
    const QCommandLineOption hostServer(
        u"host-server"_s,
        u"On the first run, host a server on this computer instead of asking "
        "which server to use."_s);
    parser.addOptions({dataDir, noKeychain, theme, screenshot, screenshotDelay, hostServer});
    parser.process(app);

    AppController::Options options {parser.value(dataDir), parser.isSet(noKeychain),
                                    parser.value(theme)};
    options.hostOnFirstRun = parser.isSet(hostServer);
    AppController::setOptions(options);

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

    if (parser.isSet(screenshot)) {
        auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
        const QString file = parser.value(screenshot);
        QTimer::singleShot(parser.value(screenshotDelay).toInt(), &app, [window, file] {
            const bool saved = window && window->grabWindow().save(file);
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
