#pragma once

#include "ConversationController.h"
#include "ForeignTypes.h"
#include "account/Account.h"
#include "connection/Connection.h"

#include "ConversationFilter.h"
#include <QObject>
#include <QPointer>
#include <QQmlEngine>

#include <QSettings>
#include <QUrl>

#include <memory>

namespace Client {
class AccountManager;
class TokenVault;
} // namespace Client

namespace App {

class ServerHost;

//! The composition root of the app, and its only singleton: it owns the AccountManager, the
//! token vault, the app's settings and the hosted server, and walks the first run (choose a
//! server, sign in) before the main window. Screens get what they work on from it as properties
//! (`account: App.account`, `settings: App.settings`), never by reaching for it.
class AppController : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(App)
    QML_SINGLETON
    //! The account on screen, for the screens' controllers; null on the first run.
    Q_PROPERTY(Client::Account *account READ account NOTIFY accountChanged)
    //! The app's own settings (dataDir/app.ini), for the screens that keep something there.
    Q_PROPERTY(QSettings *settings READ settings CONSTANT)
    Q_PROPERTY(Stage stage READ stage NOTIFY stageChanged)
    Q_PROPERTY(QString serverAddress READ serverAddress NOTIFY serverChanged)
    Q_PROPERTY(bool hosting READ isHosting NOTIFY serverChanged)
    //! What friends type in to join the server hosted here; empty when not hosting.
    Q_PROPERTY(QString addressForFriends READ addressForFriends NOTIFY serverChanged)
    Q_PROPERTY(QString username READ username NOTIFY accountChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    //! Why the last attempt (server, sign-in, registration) failed, in words for the user.
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(ConnectionState connectionState READ connectionState NOTIFY connectionStateChanged)
    Q_PROPERTY(QString connectionError READ connectionError NOTIFY connectionStateChanged)
    //! The conversation list of the account: the chats, or the archived ones (showArchived),
    //! narrowed by conversationFilter (on the name; a filter searches archived ones too).
    Q_PROPERTY(QAbstractItemModel *conversations READ conversations CONSTANT)
    Q_PROPERTY(bool showArchived READ showArchived WRITE setShowArchived NOTIFY showArchivedChanged)
    Q_PROPERTY(int archivedCount READ archivedCount NOTIFY archivedCountChanged)
    Q_PROPERTY(int archivedUnread READ archivedUnread NOTIFY archivedCountChanged)
    //! "light", "dark", or "system" (follow the system); kept in the app's settings. --theme
    //! overrides it for one run.
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY themeChanged)
    //! The accounts of this installation, for the account switcher: a list of maps with key,
    //! username, server, current (bool).
    Q_PROPERTY(QVariantList accounts READ accounts NOTIFY accountsChanged)
    //! SHA-256 of the hosted server's certificate, shown beside addressForFriends; empty when
    //! not hosting.
    Q_PROPERTY(QString hostedFingerprint READ hostedFingerprint NOTIFY serverChanged)
    //! A server's certificate nobody vouches for, waiting for the user's decision: a map with
    //! host, port, fingerprint, reason; empty when there is no question.
    Q_PROPERTY(
        QVariantMap certificateQuestion READ certificateQuestion NOTIFY certificateQuestionChanged)
    //! True while the first-run pages are shown to add another account: they offer a way back.
    Q_PROPERTY(bool addingAccount READ isAddingAccount NOTIFY stageChanged)
    Q_PROPERTY(QString conversationFilter READ conversationFilter WRITE setConversationFilter NOTIFY
                   conversationFilterChanged)
public:
    enum class Stage { ChooseServer, SignIn, Main };
    Q_ENUM(Stage)
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
    };
    static void setOptions(const Options &options);

    explicit AppController(QObject *parent = nullptr);
    ~AppController() override;

    //! The account on screen, or null (first run).
    Client::Account *account() const;
    //! The app's own settings (dataDir/app.ini): theme, window, notifications… Other QSettings
    //! objects on fileName() in this process see the same values at once.
    QSettings *settings() const { return m_settings.get(); }
    QString dataDir() const { return m_dataDir; }

    Stage stage() const { return m_stage; }
    QString theme() const;
    void setTheme(const QString &theme);
    QVariantList accounts() const;
    bool isAddingAccount() const;
    QString serverAddress() const { return m_serverUrl.toString(); }
    bool isHosting() const;
    QString addressForFriends() const;
    QString hostedFingerprint() const;
    QVariantMap certificateQuestion() const { return m_certificateQuestion; }
    QString username() const;
    bool isBusy() const { return m_busy; }
    QString errorMessage() const { return m_errorMessage; }
    ConnectionState connectionState() const;
    QString connectionError() const;
    QAbstractItemModel *conversations() { return &m_filtered; }
    QString conversationFilter() const { return m_filtered.text(); }
    bool showArchived() const { return m_filtered.showArchived(); }
    void setShowArchived(bool show);
    int archivedCount() const { return m_filtered.archivedCount(); }
    int archivedUnread() const { return m_filtered.archivedUnread(); }
    //! Where the screens leave what they restore next time (window geometry, the split's
    //! width); an invalid value the first time.
    Q_INVOKABLE QVariant uiState(const QString &key) const;
    Q_INVOKABLE void setUiState(const QString &key, const QVariant &value);
    void setConversationFilter(const QString &filter);

    //! Uses the server at `address` ("host", "host:port" or a ws:// / wss:// URL).
    Q_INVOKABLE void useServer(const QString &address);
    //! Starts messengerd here and uses it.
    Q_INVOKABLE void hostServer();
    //! Back to the server choice (from the sign-in page).
    Q_INVOKABLE void chooseAnotherServer();
    Q_INVOKABLE void signIn(const QString &username, const QString &password);
    Q_INVOKABLE void registerUser(const QString &username, const QString &displayName,
                                  const QString &password, const QString &invite);
    Q_INVOKABLE void reconnectNow();
    //! The user compared the fingerprint of certificateQuestion and trusts it: it is pinned for
    //! that server and the connection (or sign-in) goes on.
    Q_INVOKABLE void trustCertificate();
    //! The user does not trust it: nothing is pinned, the attempt ends.
    Q_INVOKABLE void rejectCertificate();

    //! Shows the first-run pages to sign in to another server or as another user; the current
    //! account stays until the new one is in (cancelAddAccount() goes back to it).
    Q_INVOKABLE void addAccount();
    Q_INVOKABLE void cancelAddAccount();
    //! Makes the account with this key the one on screen.
    Q_INVOKABLE void switchAccount(const QString &key);
    //! Signs the current account out on the server, forgets its token and local data, and
    //! switches to the next account (or the first-run pages).
    Q_INVOKABLE void signOut();

    //! The controller of one open conversation; QML owns it.
    Q_INVOKABLE ConversationController *openConversation(qint64 conversationId);
    //! A users.search model (QML owns it; set its `query`).
    Q_INVOKABLE QAbstractItemModel *createUserSearch();
    //! Opens (or creates) the direct conversation with a user; conversationReady() follows.
    Q_INVOKABLE void openDirect(qint64 userId);

Q_SIGNALS:
    void stageChanged();
    void serverChanged();
    void accountChanged();
    void busyChanged();
    void errorMessageChanged();
    void connectionStateChanged();
    void conversationFilterChanged();
    void showArchivedChanged();
    void archivedCountChanged();
    void themeChanged();
    void certificateQuestionChanged();
    void accountsChanged();
    void conversationReady(qint64 conversationId);

private:
    void start();
    void setStage(Stage stage);
    void setBusy(bool busy);
    void setErrorMessage(const QString &message);
    void setServerUrl(const QUrl &url, bool hosted);
    void beginPasswordSignIn(const QString &username,
                             const std::function<void(Client::Account *)> &signIn);
    void setAccount(Client::Account *account);
    void startHostedServer(const std::function<void()> &then);
    void askAboutCertificate(Client::Account *account, const QString &host, int port,
                             const QString &fingerprint, const QString &reason);
    void setCertificateQuestion(const QVariantMap &question);

    QString m_dataDir;
    std::unique_ptr<Client::TokenVault> m_vault;
    std::unique_ptr<Client::AccountManager> m_accounts;
    std::unique_ptr<QSettings> m_settings;
    ServerHost *m_host;
    QPointer<Client::Account> m_account;
    QPointer<Client::Account> m_signingIn;
    bool m_signingInIsNew = false;
    bool m_refused = false;
    QVariantMap m_certificateQuestion;
    QPointer<Client::Account> m_certificateAccount; //!< whose connection asked certificateQuestion
    ConversationFilter m_filtered;
    QUrl m_serverUrl;
    Stage m_stage = Stage::ChooseServer;
    bool m_busy = false;
    QString m_errorMessage;
};

} // namespace App
