#pragma once

#include "account/Account.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSettings>
#include <QUrl>
#include <QVariantMap>

#include <functional>

namespace Client {
class AccountManager;
} // namespace Client

namespace App {

class ServerHost;

//! The way in: choose a server (an address, or host one on this computer with ServerHost), sign
//! in or register, and trust a self-signed certificate after comparing its fingerprint. The window
//! shows the page of `stage` until it is Done; signing in to another account later (addAccount())
//! and a sign-in the server asks for again come back through the same pages.
//!
//! The composition root (AppController) makes it with the AccountManager and the app's settings
//! (where the server chosen is kept: server/url, server/hosted), tells it which account is on
//! screen (setAccount()) and takes the account of a successful sign-in from signedIn().
class Onboarding : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The onboarding is App.onboarding.")
    Q_PROPERTY(Stage stage READ stage NOTIFY stageChanged)
    Q_PROPERTY(QString serverAddress READ serverAddress NOTIFY serverChanged)
    Q_PROPERTY(bool hosting READ isHosting NOTIFY serverChanged)
    //! What friends type in to join the server hosted here; empty when not hosting.
    Q_PROPERTY(QString addressForFriends READ addressForFriends NOTIFY serverChanged)
    //! SHA-256 of the hosted server's certificate, shown beside addressForFriends; empty when
    //! not hosting.
    Q_PROPERTY(QString hostedFingerprint READ hostedFingerprint NOTIFY serverChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    //! Why the last attempt (server, sign-in, registration) failed, in words for the user.
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    //! A server's certificate nobody vouches for, waiting for the user's decision: a map with
    //! host, port, fingerprint, reason; empty when there is no question.
    Q_PROPERTY(
        QVariantMap certificateQuestion READ certificateQuestion NOTIFY certificateQuestionChanged)
    //! True while the pages are shown to add another account: they offer a way back.
    Q_PROPERTY(bool addingAccount READ isAddingAccount NOTIFY stageChanged)
    //! No account on this installation yet (the sign-in page of a hosted server offers
    //! registration first then).
    Q_PROPERTY(bool firstAccount READ isFirstAccount NOTIFY firstAccountChanged)
    //! Why the server this app hosts did not start, for a banner over the chats (or the first-run
    //! page) with a retry; empty while it runs or when none is hosted.
    Q_PROPERTY(QString hostingProblem READ hostingProblem NOTIFY hostingProblemChanged)
    //! The problem is another program on the port; hostOnAnotherPort() is offered when no
    //! account lives on the hosted server yet (the port is part of its address for friends).
    Q_PROPERTY(bool hostingPortInUse READ isHostingPortInUse NOTIFY hostingProblemChanged)
    Q_PROPERTY(bool canHostOnAnotherPort READ canHostOnAnotherPort NOTIFY hostingProblemChanged)
public:
    //! Done: an account is on screen (the main page).
    enum class Stage { ChooseServer, SignIn, Done };
    Q_ENUM(Stage)

    struct Options
    {
        QString dataDir; //!< the hosted server keeps its data in dataDir/server
        int hostedPort = 7400; //!< port of "host a server on this computer" (0: any free one)
        bool hostOnFirstRun = false; //!< no server chosen yet: host one instead of asking
    };

    Onboarding(Client::AccountManager *accounts, QSettings *settings, const Options &options,
               QObject *parent = nullptr);
    ~Onboarding() override;

    //! Where the app starts: straight in with `current` (connecting it), or on the page that
    //! comes first. Starts the server this app hosts first, when it hosts one.
    void start(Client::Account *current);
    //! The account on screen changed (switched, signed in, signed out): Done with it, or the
    //! pages again without one. Its requests to sign in again and its certificate questions
    //! come here.
    void setAccount(Client::Account *account);
    //! Shows the pages to sign in to another server or as another user; the current account
    //! stays until the new one is in (cancelAddAccount() goes back to it).
    void addAccount();

    Stage stage() const { return m_stage; }
    bool isAddingAccount() const;
    bool isFirstAccount() const;
    QString serverAddress() const { return m_serverUrl.toString(); }
    bool isHosting() const;
    QString addressForFriends() const;
    QString hostedFingerprint() const;
    QVariantMap certificateQuestion() const { return m_certificateQuestion; }
    bool isBusy() const { return m_busy; }
    QString errorMessage() const { return m_errorMessage; }
    QString hostingProblem() const { return m_hostingProblem; }
    bool isHostingPortInUse() const { return m_hostingPortInUse; }
    bool canHostOnAnotherPort() const;

    //! Uses the server at `address` ("host", "host:port" or a ws:// / wss:// URL).
    Q_INVOKABLE void useServer(const QString &address);
    //! Starts messengerd here and uses it.
    Q_INVOKABLE void hostServer();
    //! Back to the server choice (from the sign-in page).
    Q_INVOKABLE void chooseAnotherServer();
    //! Starts the hosted server again after hostingProblem (e.g. the other program is closed).
    Q_INVOKABLE void retryHosting();
    //! Hosts on the next free port after the one taken (when canHostOnAnotherPort).
    Q_INVOKABLE void hostOnAnotherPort();
    Q_INVOKABLE void signIn(const QString &username, const QString &password);
    Q_INVOKABLE void registerUser(const QString &username, const QString &displayName,
                                  const QString &password, const QString &invite);
    //! The user compared the fingerprint of certificateQuestion and trusts it: it is pinned for
    //! that server and the connection (or sign-in) goes on.
    Q_INVOKABLE void trustCertificate();
    //! The user does not trust it: nothing is pinned, the attempt ends.
    Q_INVOKABLE void rejectCertificate();
    Q_INVOKABLE void cancelAddAccount();

Q_SIGNALS:
    void stageChanged();
    void serverChanged();
    void busyChanged();
    void errorMessageChanged();
    void certificateQuestionChanged();
    void firstAccountChanged();
    void hostingProblemChanged();
    //! The user signed in or registered: `account` is in (syncing or online), the one to show.
    void signedIn(Client::Account *account);

private:
    void setStage(Stage stage);
    void setBusy(bool busy);
    void setErrorMessage(const QString &message);
    void setServerUrl(const QUrl &url, bool hosted);
    void beginPasswordSignIn(const QString &username,
                             const std::function<void(Client::Account *)> &signIn);
    //! Hosts on `port`, then `then()`; on failure `otherwise()` (if given) after hostingProblem
    //! is set.
    void startHostedServer(int port, const std::function<void()> &then,
                           const std::function<void()> &otherwise = {});
    void setHostingProblem(const QString &problem, bool portInUse);
    void askAboutCertificate(Client::Account *account, const QString &host, int port,
                             const QString &fingerprint, const QString &reason);
    void setCertificateQuestion(const QVariantMap &question);

    Client::AccountManager *m_accounts;
    QSettings *m_settings;
    Options m_options;
    ServerHost *m_host;
    int m_hostedPort = 0; //!< the port hosting was last asked to use
    QString m_hostingProblem;
    bool m_hostingPortInUse = false;
    QPointer<Client::Account> m_account; //!< on screen
    QPointer<Client::Account> m_signingIn;
    bool m_signingInIsNew = false;
    bool m_refused = false;
    QVariantMap m_certificateQuestion;
    QPointer<Client::Account> m_certificateAccount; //!< whose connection asked certificateQuestion
    QUrl m_serverUrl;
    Stage m_stage = Stage::ChooseServer;
    bool m_busy = false;
    QString m_errorMessage;
};

} // namespace App
