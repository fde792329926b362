#include "AppController.h"

#include "AppLogging.h"
#include "ConversationController.h"
#include "ServerHost.h"
#include "SignInErrors.h"

#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/KeychainTokenVault.h"
#include "account/MemoryTokenVault.h"
#include "models/ConversationListModel.h"
#include "models/UserSearchModel.h"

#include <QDir>
#include <QHostAddress>
#include <QStandardPaths>
#include <QSysInfo>

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

namespace {
AppController::Options s_options;
constexpr int DefaultPort = 7400;
} // namespace

void AppController::setOptions(const Options &options)
{
    s_options = options;
}

AppController::AppController(QObject *parent)
    : QObject(parent)
    , m_dataDir(s_options.dataDir.isEmpty()
                    ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                    : s_options.dataDir)
    , m_host(new ServerHost(this))
{
    QDir().mkpath(m_dataDir);
    if (s_options.memoryVault)
        m_vault = std::make_unique<MemoryTokenVault>();
    else
        m_vault = std::make_unique<KeychainTokenVault>();
    // Other devices list this one by this name (Settings → Devices).
    AccountSettings accountSettings;
    accountSettings.connection.deviceName = tr("Messenger on %1").arg(QSysInfo::machineHostName());
    m_accounts = std::make_unique<AccountManager>(m_dataDir, m_vault.get(), accountSettings);
    connect(m_accounts.get(), &AccountManager::accountAdded, this, &AppController::accountsChanged);
    connect(m_accounts.get(), &AccountManager::accountRemoved, this,
            &AppController::accountsChanged);
    m_settings =
        std::make_unique<QSettings>(QDir(m_dataDir).filePath(u"app.ini"_s), QSettings::IniFormat);
    connect(&m_filtered, &ConversationFilter::archivedCountChanged, this,
            &AppController::archivedCountChanged);

    connect(m_host, &ServerHost::failed, this, [this](const QString &error) {
        setBusy(false);
        setErrorMessage(tr("The server on this computer did not start: %1").arg(error));
        Q_EMIT serverChanged();
    });
    start();
}

AppController::~AppController()
{
    // Accounts before the vault and the server they talk to.
    setAccount(nullptr);
    m_accounts.reset();
}

Account *AppController::account() const
{
    return m_account;
}

bool AppController::isAddingAccount() const
{
    return m_stage != Stage::Main && m_account;
}

void AppController::start()
{
    QString error;
    if (!m_accounts->load(&error))
        qCWarning(lcApp) << "could not load the accounts:" << error;
    const bool hosted = m_settings->value(u"server/hosted"_s).toBool();
    const QUrl url = m_settings->value(u"server/url"_s).toUrl();

    const auto resume = [this, url] {
        if (!m_accounts->accounts().isEmpty()) {
            Account *account =
                m_accounts->account(m_settings->value(u"accounts/current"_s).toString());
            if (!account)
                account = m_accounts->accounts().constFirst();
            m_serverUrl = account->serverUrl();
            Q_EMIT serverChanged();
            setAccount(account);
            setStage(Stage::Main);
            account->connectToServer();
        } else if (isHosting()) {
            setStage(Stage::SignIn); // startHostedServer() set the address it listens on
        } else if (url.isValid()) {
            setServerUrl(url, false);
            setStage(Stage::SignIn);
        }
    };
    if (hosted || (s_options.hostOnFirstRun && !url.isValid() && m_accounts->accounts().isEmpty()))
        startHostedServer(resume);
    else
        resume();
}

void AppController::setStage(Stage stage)
{
    if (m_stage == stage)
        return;
    m_stage = stage;
    Q_EMIT stageChanged();
}

void AppController::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void AppController::setErrorMessage(const QString &message)
{
    if (m_errorMessage == message)
        return;
    m_errorMessage = message;
    Q_EMIT errorMessageChanged();
}

QString AppController::theme() const
{
    if (!s_options.theme.isEmpty())
        return s_options.theme;
    return m_settings->value(u"ui/theme"_s, u"system"_s).toString();
}

void AppController::setTheme(const QString &theme)
{
    if (theme != u"light"_s && theme != u"dark"_s && theme != u"system"_s)
        return;
    s_options.theme.clear(); // the user's choice wins over --theme from here on
    if (m_settings->value(u"ui/theme"_s, u"system"_s).toString() == theme)
        return;
    m_settings->setValue(u"ui/theme"_s, theme);
    Q_EMIT themeChanged();
}

QVariantList AppController::accounts() const
{
    QVariantList list;
    for (Account *account : m_accounts->accounts()) {
        list.append(QVariantMap {{u"key"_s, account->key()},
                                 {u"username"_s, account->username()},
                                 {u"server"_s, account->serverUrl().toString()},
                                 {u"current"_s, account == m_account}});
    }
    return list;
}

bool AppController::isHosting() const
{
    return m_host->isRunning();
}

QString AppController::addressForFriends() const
{
    return m_host->isRunning() ? m_host->addressForFriends() : QString();
}

QString AppController::hostedFingerprint() const
{
    return m_host->isRunning() ? m_host->fingerprint() : QString();
}

QString AppController::username() const
{
    return m_account ? m_account->username() : QString();
}

AppController::ConnectionState AppController::connectionState() const
{
    return m_account ? static_cast<ConnectionState>(m_account->state()) : ConnectionState::Offline;
}

QString AppController::connectionError() const
{
    return m_account ? m_account->lastError() : QString();
}

void AppController::setConversationFilter(const QString &filter)
{
    if (filter == conversationFilter())
        return;
    m_filtered.setText(filter);
    Q_EMIT conversationFilterChanged();
}

void AppController::setShowArchived(bool show)
{
    if (show == showArchived())
        return;
    m_filtered.setShowArchived(show);
    Q_EMIT showArchivedChanged();
}

QVariant AppController::uiState(const QString &key) const
{
    return m_settings->value(u"ui-state/"_s + key);
}

void AppController::setUiState(const QString &key, const QVariant &value)
{
    m_settings->setValue(u"ui-state/"_s + key, value);
}

void AppController::setServerUrl(const QUrl &url, bool hosted)
{
    m_serverUrl = url;
    m_settings->setValue(u"server/url"_s, url);
    m_settings->setValue(u"server/hosted"_s, hosted);
    Q_EMIT serverChanged();
}

void AppController::useServer(const QString &address)
{
    QString text = address.trimmed();
    if (text.isEmpty()) {
        setErrorMessage(tr("Type the address of the server."));
        return;
    }
    // No scheme: TLS, as a server reached over a network must speak it; plain ws:// only for
    // this computer (messengerd's default listens on 127.0.0.1 without TLS).
    const bool schemeGiven = text.contains(u"://"_s);
    if (!schemeGiven)
        text.prepend(u"wss://"_s);
    QUrl url(text, QUrl::StrictMode);
    if (!schemeGiven && url.isValid()
        && (url.host() == u"localhost"_s || QHostAddress(url.host()).isLoopback()))
        url.setScheme(u"ws"_s);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != u"ws"_s && url.scheme() != u"wss"_s)) {
        setErrorMessage(
            tr("\"%1\" is not a server address. Type e.g. chat.example.org or 192.168.1.20:7400.")
                .arg(address.trimmed()));
        return;
    }
    if (url.port() == -1 && !schemeGiven)
        url.setPort(DefaultPort);
    m_host->stop();
    setErrorMessage({});
    setServerUrl(url, false);
    setStage(Stage::SignIn);
}

void AppController::startHostedServer(const std::function<void()> &then)
{
    setBusy(true);
    auto *once = new QObject(this);
    connect(m_host, &ServerHost::started, once, [this, then, once](const QUrl &url) {
        once->deleteLater();
        setBusy(false);
        // This app started that server and read its certificate from it: nothing to ask.
        QString error;
        if (!m_accounts->trustStore()->trust(url.host(), url.port(), m_host->fingerprint(), &error))
            qCWarning(lcApp) << "could not pin the hosted server's certificate:" << error;
        setServerUrl(url, true);
        then();
    });
    connect(m_host, &ServerHost::failed, once, [once] { once->deleteLater(); });
    m_host->start(QDir(m_dataDir).filePath(u"server"_s), s_options.hostedPort);
}

void AppController::hostServer()
{
    setErrorMessage({});
    startHostedServer([this] { setStage(Stage::SignIn); });
}

void AppController::chooseAnotherServer()
{
    setErrorMessage({});
    setStage(Stage::ChooseServer);
}

void AppController::beginPasswordSignIn(const QString &username,
                                        const std::function<void(Account *)> &signIn)
{
    if (username.trimmed().isEmpty()) {
        setErrorMessage(tr("Type your username."));
        return;
    }
    QString error;
    const QString key = Account::keyFor(m_serverUrl, username);
    m_signingInIsNew = m_accounts->account(key) == nullptr;
    Account *account = m_accounts->addAccount(m_serverUrl, username.trimmed(), &error);
    if (!account) {
        setErrorMessage(tr("Could not open the local data: %1").arg(error));
        return;
    }
    if (m_signingIn && m_signingIn != account)
        m_signingIn->disconnect(this);
    m_signingIn = account;
    m_refused = false;
    setErrorMessage({});
    setBusy(true);

    const auto fail = [this, account](const QString &message) {
        account->disconnect(this);
        account->connection()->disconnect(this);
        account->disconnectFromServer();
        setBusy(false);
        setErrorMessage(message);
        if (m_signingInIsNew && account != m_account)
            m_accounts->removeAccount(account);
        m_signingIn = nullptr;
    };
    connect(account->connection(), &Connection::signInFailed, this,
            [this, fail](Protocol::ErrorCode code, const QString &message) {
                m_refused = true;
                fail(SignInErrors::describe(code, message));
            });
    connect(
        account, &Account::lastErrorChanged, this, [this, account, fail](const QString &lastError) {
            if (lastError.isEmpty())
                return;
            // A refusal sets lastError just before signInFailed() says why: decide once both are
            // in.
            QMetaObject::invokeMethod(
                this,
                [this, account, fail, lastError] {
                    if (m_refused || m_signingIn != account || account->connection()->isSignedIn())
                        return;
                    if (m_certificateAccount == account) {
                        setBusy(false); // the user decides; trustCertificate() goes on
                        return;
                    }
                    fail(SignInErrors::unreachable(lastError));
                },
                Qt::QueuedConnection);
        });
    connect(account, &Account::certificateNotTrusted, this,
            [this, account](const QString &host, int port, const QString &fingerprint,
                            const QString &reason) {
                askAboutCertificate(account, host, port, fingerprint, reason);
            });
    connect(account, &Account::stateChanged, this, [this, account](Connection::State state) {
        if (state != Connection::State::Syncing && state != Connection::State::Online)
            return;
        account->disconnect(this);
        account->connection()->disconnect(this);
        m_signingIn = nullptr;
        setBusy(false);
        setAccount(account);
        setStage(Stage::Main);
    });
    signIn(account);
}

void AppController::signIn(const QString &username, const QString &password)
{
    beginPasswordSignIn(username, [password](Account *account) { account->signIn(password); });
}

void AppController::registerUser(const QString &username, const QString &displayName,
                                 const QString &password, const QString &invite)
{
    beginPasswordSignIn(username, [=](Account *account) {
        account->registerUser(displayName.trimmed().isEmpty() ? username.trimmed()
                                                              : displayName.trimmed(),
                              password, invite.trimmed());
    });
}

void AppController::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnect(this);
    m_account = account;
    if (account)
        m_settings->setValue(u"accounts/current"_s, account->key());
    m_filtered.setSourceModel(account ? account->conversationModel() : nullptr);
    if (account) {
        connect(account, &Account::stateChanged, this, &AppController::connectionStateChanged);
        connect(account, &Account::lastErrorChanged, this, &AppController::connectionStateChanged);
        connect(account, &Account::signInRequired, this, [this](const QString &reason) {
            qCInfo(lcApp) << "sign-in required:" << reason;
            setErrorMessage(tr("Please sign in again."));
            setStage(Stage::SignIn);
        });
        connect(account, &Account::certificateNotTrusted, this,
                [this, account](const QString &host, int port, const QString &fingerprint,
                                const QString &reason) {
                    askAboutCertificate(account, host, port, fingerprint, reason);
                });
        connect(account, &Account::tokenNotStored, this, [](const QString &error) {
            qCWarning(lcApp) << "token not stored; the next start asks for the password:" << error;
        });
    }
    Q_EMIT accountChanged();
    Q_EMIT accountsChanged();
    Q_EMIT connectionStateChanged();
}

void AppController::addAccount()
{
    setErrorMessage({});
    setStage(Stage::ChooseServer);
}

void AppController::cancelAddAccount()
{
    if (!m_account)
        return;
    setErrorMessage({});
    m_serverUrl = m_account->serverUrl();
    Q_EMIT serverChanged();
    setStage(Stage::Main);
}

void AppController::switchAccount(const QString &key)
{
    Account *account = m_accounts->account(key);
    if (!account)
        return;
    m_serverUrl = account->serverUrl();
    Q_EMIT serverChanged();
    setAccount(account);
    setStage(Stage::Main);
    if (account->state() == Connection::State::Offline)
        account->connectToServer();
}

void AppController::signOut()
{
    Account *account = m_account;
    if (!account)
        return;
    setAccount(nullptr);
    m_accounts->removeAccount(account);
    const QList<Account *> rest = m_accounts->accounts();
    if (!rest.isEmpty()) {
        switchAccount(rest.constFirst()->key());
    } else {
        m_settings->remove(u"accounts/current"_s);
        setStage(m_serverUrl.isValid() ? Stage::SignIn : Stage::ChooseServer);
    }
    Q_EMIT accountsChanged();
}

void AppController::askAboutCertificate(Account *account, const QString &host, int port,
                                        const QString &fingerprint, const QString &reason)
{
    m_certificateAccount = account;
    setCertificateQuestion({{u"host"_s, host},
                            {u"port"_s, port},
                            {u"fingerprint"_s, fingerprint},
                            {u"reason"_s, reason}});
}

void AppController::setCertificateQuestion(const QVariantMap &question)
{
    if (m_certificateQuestion == question)
        return;
    m_certificateQuestion = question;
    Q_EMIT certificateQuestionChanged();
}

void AppController::trustCertificate()
{
    Account *account = m_certificateAccount;
    const QString fingerprint = m_certificateQuestion.value(u"fingerprint"_s).toString();
    m_certificateAccount = nullptr;
    setCertificateQuestion({});
    if (!account)
        return;
    if (account == m_signingIn)
        setBusy(true);
    if (!account->connection()->trustCertificate(fingerprint)) {
        setBusy(false);
        setErrorMessage(tr("The certificate could not be trusted: %1").arg(account->lastError()));
    }
}

void AppController::rejectCertificate()
{
    Account *account = m_certificateAccount;
    m_certificateAccount = nullptr;
    setCertificateQuestion({});
    if (account && account == m_signingIn) {
        // Ends the attempt as any other failure does (the account is dropped if it was new).
        setErrorMessage(tr("Not connected: you did not trust the server's certificate."));
        account->disconnect(this);
        account->connection()->disconnect(this);
        account->disconnectFromServer();
        if (m_signingInIsNew && account != m_account)
            m_accounts->removeAccount(account);
        m_signingIn = nullptr;
        setBusy(false);
    }
}

void AppController::reconnectNow()
{
    if (m_account)
        m_account->connection()->reconnectNow();
}

ConversationController *AppController::openConversation(qint64 conversationId)
{
    if (!m_account || conversationId <= 0)
        return nullptr;
    auto *controller = new ConversationController(m_account, conversationId);
    QQmlEngine::setObjectOwnership(controller, QQmlEngine::JavaScriptOwnership);
    return controller;
}

QAbstractItemModel *AppController::createUserSearch()
{
    if (!m_account)
        return nullptr;
    UserSearchModel *model = m_account->createUserSearchModel(nullptr);
    QQmlEngine::setObjectOwnership(model, QQmlEngine::JavaScriptOwnership);
    return model;
}

void AppController::openDirect(qint64 userId)
{
    if (!m_account)
        return;
    Request *request = m_account->openDirect(userId);
    connect(request, &Request::finished, this, [this](const Reply &reply) {
        if (!reply.isOk()) {
            setErrorMessage(tr("Could not open the chat: %1").arg(reply.message));
            return;
        }
        // The account stored the conversation when this answer came (it connected first).
        Q_EMIT conversationReady(Protocol::ConversationInfo::fromCbor(
                                     reply.body.value(QLatin1StringView("conversation")).toMap())
                                     .id);
    });
}

} // namespace App
