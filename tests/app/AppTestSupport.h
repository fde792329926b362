#pragma once

#include "AppController.h"

#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace Client {
class Account;
} // namespace Client

//! An AppController (the app's composition root, as the QML singleton would be) on a data
//! folder of its own, tokens in memory, signed up as `username` on `server`. Tests of the
//! screens' controllers start from here: AppController::instance()->account() is the account.
class SignedInApp
{
public:
    SignedInApp();
    ~SignedInApp();

    //! Creates the AppController and registers `username` through it (useServer + registerUser,
    //! as the first-run pages do); false when it did not reach the main stage.
    bool signUp(const QUrl &server, const QString &username, const QString &displayName = {});

    //! `peer` (an Account of another user, signed in) opens the direct conversation with this
    //! app's user; its id once both sides have it, 0 on failure.
    qint64 directChatWith(Client::Account *peer);

    App::AppController *app() const { return m_app.get(); }
    Client::Account *account() const;
    QString dataDir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<App::AppController> m_app;
};
