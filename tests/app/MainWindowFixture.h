#pragma once

#include "AppController.h"

#include <QQmlApplicationEngine>
#include <QTemporaryDir>
#include <QUrl>

#include <functional>
#include <memory>

namespace Client {
class Account;
} // namespace Client

class QQuickItem;
class QQuickWindow;

//! The app's real window: Main.qml loaded as the `messenger` executable loads it (Material style,
//! the Messenger.Shell module), on a data folder of its own with tokens in memory, signed up as
//! `username` through App — the AppController singleton the engine made. For tests that drive
//! the QML (keys, clicks) and read what it shows.
class MainWindowFixture
{
public:
    MainWindowFixture();
    ~MainWindowFixture();

    //! Loads the window on the first-run pages (a fresh data folder); false when it did not show.
    bool load(const QString &theme = QStringLiteral("light"));
    //! The app quits (the window and the App singleton go); load() starts it again.
    void quit();
    //! Changes the app's options before each load() (e.g. hosting, a vault kept across restarts).
    std::function<void(App::AppController::Options &)> adjustOptions;
    //! The app quits and starts again on the same data folder (tokens were kept in memory: the
    //! account is there, and asks for its password); false when the window did not show.
    bool restart(const QString &theme = QStringLiteral("light"));
    //! Loads the window and registers the user on `server`; false when the main page did not come.
    bool signUp(const QUrl &server, const QString &username, const QString &displayName,
                const QString &theme = QStringLiteral("light"));

    App::AppController *app() const;
    Client::Account *account() const;
    QQuickWindow *window() const;
    //! The page on screen (MainPage once signed up).
    QQuickItem *page() const;
    //! The first object with this objectName in the window, or null.
    QObject *find(const QString &objectName) const;
    //! Saves what the window shows as `name`.png in the artifacts folder (MESSENGER_TEST_ARTIFACTS,
    //! else <build>/tests/app/artifacts); false when it could not.
    bool screenshot(const QString &name) const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
};
