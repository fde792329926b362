#pragma once

#include "AccountList.h"
#include "AppearanceSettings.h"
#include "ConversationController.h"
#include "ForeignTypes.h"
#include "Onboarding.h"
#include "account/Account.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSettings>

#include <memory>

namespace Client {
class AccountManager;
class TokenVault;
} // namespace Client

namespace App {

//! The composition root of the app, and its only singleton: it owns the token vault, the
//! AccountManager and the app's settings, makes the features' long-lived parts (the way in,
//! the account list, the appearance) and wires them together. Screens get what they work on from
//! it as properties (`account: App.account`, `settings: App.settings`), never by reaching for it.
class AppController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(App)
    QML_SINGLETON
    //! The account on screen, for the screens' controllers; null on the first run.
    Q_PROPERTY(Client::Account *account READ account NOTIFY accountChanged)
    Q_PROPERTY(QString username READ username NOTIFY accountChanged)
    //! The app's own settings (dataDir/app.ini), for the screens that keep something there.
    Q_PROPERTY(QSettings *settings READ settings CONSTANT)
    //! The first-run pages: choose a server, sign in, trust a certificate.
    Q_PROPERTY(App::Onboarding *onboarding READ onboarding CONSTANT)
    //! The accounts of this installation and the one on screen.
    Q_PROPERTY(App::AccountList *accountList READ accountList CONSTANT)
    Q_PROPERTY(App::AppearanceSettings *appearance READ appearance CONSTANT)
    Q_PROPERTY(ConnectionState connectionState READ connectionState NOTIFY connectionStateChanged)
    Q_PROPERTY(QString connectionError READ connectionError NOTIFY connectionStateChanged)
    //! The conversation that was open when the account on screen was last used (0: none), so
    //! that the next start (or a switch back to the account) opens it again; kept per account
    //! in the app's settings.
    //! (double for QML, as QML sees it anyway: qmllint 6.4 knows no 64-bit integer type.)
    Q_PROPERTY(double lastConversation READ lastConversation WRITE setLastConversation NOTIFY
                   lastConversationChanged)
public:
    //! Connection::State, for QML.
    enum class ConnectionState { Offline, Connecting, Syncing, Online };
    Q_ENUM(ConnectionState)

    //! Set by main() before the engine creates the singleton.
    struct Options
    {
        QString dataDir; //!< empty: the platform's app data folder
        bool memoryVault = false; //!< keep tokens in memory only (screenshots, demos)
        QString theme; //!< "light" or "dark" instead of the system's
        int hostedPort = 7400; //!< port of "host a server on this computer" (0: any free one)
        bool hostOnFirstRun =
            false; //!< no server chosen yet: host one instead of asking (scripts/run)
        //! Tests: a vault that outlives the controller (a restart keeps the tokens), not owned.
        Client::TokenVault *vault = nullptr;
    };
    static void setOptions(const Options &options);
    //! The data folder the options name, or the platform's app data folder.
    static QString configuredDataDir();

    explicit AppController(QObject *parent = nullptr);
    ~AppController() override;

    //! The account on screen, or null (first run).
    Client::Account *account() const { return m_account; }
    QString username() const;
    //! The app's own settings (dataDir/app.ini): theme, window, notifications… Other QSettings
    //! objects on fileName() in this process see the same values at once.
    QSettings *settings() const { return m_settings.get(); }
    QString dataDir() const { return m_dataDir; }
    Onboarding *onboarding() const { return m_onboarding; }
    AccountList *accountList() const { return m_accountList; }
    AppearanceSettings *appearance() const { return m_appearance; }
    ConnectionState connectionState() const;
    QString connectionError() const;
    qint64 lastConversation() const;
    void setLastConversation(qint64 conversationId);

    //! Where the screens leave what they restore next time (window geometry, the split's
    //! width); an invalid value the first time.
    Q_INVOKABLE QVariant uiState(const QString &key) const;
    Q_INVOKABLE void setUiState(const QString &key, const QVariant &value);

    Q_INVOKABLE void reconnectNow();
    //! The controller of one open conversation; QML owns it.
    Q_INVOKABLE ConversationController *openConversation(qint64 conversationId);

Q_SIGNALS:
    void accountChanged();
    void connectionStateChanged();
    void lastConversationChanged();

private:
    void setAccount(Client::Account *account);
    QString lastConversationKey() const;
    //! image://avatar finds this account's pictures (until it is removed or the app ends).
    void showAvatarsOf(Client::Account *account);

    QString m_dataDir;
    std::unique_ptr<Client::TokenVault> m_ownVault;
    Client::TokenVault *m_vault = nullptr;
    std::unique_ptr<Client::AccountManager> m_accounts;
    std::unique_ptr<QSettings> m_settings;
    AccountList *m_accountList = nullptr;
    AppearanceSettings *m_appearance = nullptr;
    Onboarding *m_onboarding = nullptr;
    QPointer<Client::Account> m_account;
    QList<QPointer<Client::Account>> m_avatarSources;
};

} // namespace App
