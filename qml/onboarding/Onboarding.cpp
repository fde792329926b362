#include "Onboarding.h"

#include "AppLogging.h"
#include "ServerHost.h"
#include "SignInErrors.h"

#include "account/Account.h"
#include "account/AccountManager.h"

#include <QDir>
#include <QHostAddress>

#include <algorithm>

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

namespace {
constexpr int DefaultPort = 7400;
} // namespace

Onboarding::Onboarding(AccountManager *accounts, QSettings *settings, const Options &options,
                       QObject *parent)
    : QObject(parent)
    , m_accounts(accounts)
    , m_settings(settings)
    , m_options(options)
    , m_host(new ServerHost(this))
{
    connect(m_accounts, &AccountManager::accountAdded, this, &Onboarding::firstAccountChanged);
    connect(m_accounts, &AccountManager::accountRemoved, this, &Onboarding::firstAccountChanged);
    connect(m_host, &ServerHost::failed, this, [this](const QString &error, bool portInUse) {
        setBusy(false);
        setErrorMessage(tr("The server on this computer did not start: %1").arg(error));
        setHostingProblem(error, portInUse);
        Q_EMIT serverChanged();
    });
}

Onboarding::~Onboarding() = default;

bool Onboarding::isAddingAccount() const
{
    return m_stage != Stage::Done && m_account;
}

bool Onboarding::isFirstAccount() const
{
    return m_accounts->accounts().isEmpty();
}

void Onboarding::start(Account *current)
{
    const bool hosted = m_settings->value(u"server/hosted"_s).toBool();
    const QUrl url = m_settings->value(u"server/url"_s).toUrl();

    const auto resume = [this, url, current = QPointer<Account>(current)] {
        if (current) {
            setAccount(current);
            current->connectToServer();
        } else if (isHosting()) {
            setStage(Stage::SignIn); // startHostedServer() set the address it listens on
        } else if (url.isValid()) {
            setServerUrl(url, false);
            setStage(Stage::SignIn);
        }
    };
    if (hosted || (m_options.hostOnFirstRun && !url.isValid() && !current)) {
        // The port it listened on last time: the accounts on it and the friends who joined know
        // the server by that address.
        const int port = hosted && url.port() > 0 ? url.port() : m_options.hostedPort;
        // Not started (the port taken by another program, say): someone with an account still
        // gets their chats, from the local store, with the problem and a retry above them —
        // never the first-run page.
        startHostedServer(port, resume, [this, current = QPointer<Account>(current)] {
            if (current)
                setAccount(current);
        });
    } else {
        resume();
    }
}

void Onboarding::setStage(Stage stage)
{
    if (m_stage == stage)
        return;
    m_stage = stage;
    Q_EMIT stageChanged();
}

void Onboarding::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void Onboarding::setErrorMessage(const QString &message)
{
    if (m_errorMessage == message)
        return;
    m_errorMessage = message;
    Q_EMIT errorMessageChanged();
}

bool Onboarding::isHosting() const
{
    return m_host->isServing();
}

QString Onboarding::addressForFriends() const
{
    return m_host->isServing() ? m_host->addressForFriends() : QString();
}

QString Onboarding::hostedFingerprint() const
{
    return m_host->isServing() ? m_host->fingerprint() : QString();
}

void Onboarding::setServerUrl(const QUrl &url, bool hosted)
{
    m_serverUrl = url;
    m_settings->setValue(u"server/url"_s, url);
    m_settings->setValue(u"server/hosted"_s, hosted);
    Q_EMIT serverChanged();
}

void Onboarding::useServer(const QString &address)
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

void Onboarding::startHostedServer(int port, const std::function<void()> &then,
                                   const std::function<void()> &otherwise)
{
    setBusy(true);
    m_hostedPort = port;
    auto *once = new QObject(this);
    connect(m_host, &ServerHost::started, once, [this, then, once](const QUrl &url) {
        once->deleteLater();
        setBusy(false);
        setHostingProblem({}, false);
        setErrorMessage({});
        // This app started that server and read its certificate from it: nothing to ask.
        QString error;
        if (!m_accounts->trustStore()->trust(url.host(), url.port(), m_host->fingerprint(), &error))
            qCWarning(lcOnboarding) << "could not pin the hosted server's certificate:" << error;
        setServerUrl(url, true);
        then();
    });
    connect(m_host, &ServerHost::failed, once, [once, otherwise] {
        once->deleteLater();
        if (otherwise)
            otherwise();
    });
    m_host->start(QDir(m_options.dataDir).filePath(u"server"_s), port);
}

void Onboarding::setHostingProblem(const QString &problem, bool portInUse)
{
    if (m_hostingProblem == problem && m_hostingPortInUse == portInUse)
        return;
    m_hostingProblem = problem;
    m_hostingPortInUse = portInUse;
    Q_EMIT hostingProblemChanged();
}

bool Onboarding::canHostOnAnotherPort() const
{
    if (!m_hostingPortInUse)
        return false;
    // An account is known by its server's address (Account::keyFor): moving the server would
    // orphan it, and friends would look for it at the old port.
    const QUrl hosted = m_settings->value(u"server/url"_s).toUrl();
    const auto accounts = m_accounts->accounts();
    return std::none_of(accounts.cbegin(), accounts.cend(), [&hosted](const Account *account) {
        return account->serverUrl().host() == hosted.host()
            && account->serverUrl().port() == hosted.port();
    });
}

void Onboarding::retryHosting()
{
    setErrorMessage({});
    startHostedServer(m_hostedPort, [this] {
        if (m_account)
            m_account->connectToServer();
        else
            setStage(Stage::SignIn);
    });
}

void Onboarding::hostOnAnotherPort()
{
    if (!canHostOnAnotherPort())
        return;
    int port = m_hostedPort > 0 ? m_hostedPort + 1 : DefaultPort;
    for (const int last = port + 100; port < last && !ServerHost::isPortFree(port); ++port) { }
    setErrorMessage({});
    startHostedServer(port, [this] { setStage(Stage::SignIn); });
}

void Onboarding::hostServer()
{
    setErrorMessage({});
    startHostedServer(m_options.hostedPort, [this] { setStage(Stage::SignIn); });
}

void Onboarding::chooseAnotherServer()
{
    setErrorMessage({});
    setStage(Stage::ChooseServer);
}

void Onboarding::beginPasswordSignIn(const QString &username,
                                     const std::function<void(Account *)> &signIn)
{
    if (username.trimmed().isEmpty()) {
        setErrorMessage(tr("Type your username."));
        return;
    }
    const QString key = Account::keyFor(m_serverUrl, username);
    m_signingInIsNew = m_accounts->account(key) == nullptr;
    Account *account = m_accounts->addAccount(m_serverUrl, username.trimmed());
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
    connect(account, &Account::storeFailed, this, [fail](const QString &error) {
        fail(tr("Could not open the local data: %1").arg(error));
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
        // Signed in again as the account on screen: what setAccount() watched went just now.
        if (account == m_account)
            m_account = nullptr;
        setAccount(account);
        Q_EMIT signedIn(account);
    });
    signIn(account);
}

void Onboarding::signIn(const QString &username, const QString &password)
{
    beginPasswordSignIn(username, [password](Account *account) { account->signIn(password); });
}

void Onboarding::registerUser(const QString &username, const QString &displayName,
                              const QString &password, const QString &invite)
{
    beginPasswordSignIn(username, [=](Account *account) {
        account->registerUser(displayName.trimmed().isEmpty() ? username.trimmed()
                                                              : displayName.trimmed(),
                              password, invite.trimmed());
    });
}

void Onboarding::setAccount(Account *account)
{
    if (m_account != account) {
        if (m_account)
            m_account->disconnect(this);
        m_account = account;
        if (account) {
            connect(account, &Account::signInRequired, this, [this](const QString &reason) {
                qCInfo(lcOnboarding) << "sign-in required:" << reason;
                setErrorMessage(tr("Please sign in again."));
                setStage(Stage::SignIn);
            });
            connect(account, &Account::certificateNotTrusted, this,
                    [this, account](const QString &host, int port, const QString &fingerprint,
                                    const QString &reason) {
                        askAboutCertificate(account, host, port, fingerprint, reason);
                    });
            connect(account, &Account::tokenNotStored, this, [](const QString &error) {
                qCWarning(lcOnboarding)
                    << "token not stored; the next start asks for the password:" << error;
            });
        }
    }
    if (account) {
        m_serverUrl = account->serverUrl();
        Q_EMIT serverChanged();
        setStage(Stage::Done);
    } else {
        setStage(m_serverUrl.isValid() ? Stage::SignIn : Stage::ChooseServer);
    }
}

void Onboarding::addAccount()
{
    setErrorMessage({});
    setStage(Stage::ChooseServer);
}

void Onboarding::cancelAddAccount()
{
    if (!m_account)
        return;
    setErrorMessage({});
    m_serverUrl = m_account->serverUrl();
    Q_EMIT serverChanged();
    setStage(Stage::Done);
}

void Onboarding::askAboutCertificate(Account *account, const QString &host, int port,
                                     const QString &fingerprint, const QString &reason)
{
    m_certificateAccount = account;
    setCertificateQuestion({{u"host"_s, host},
                            {u"port"_s, port},
                            {u"fingerprint"_s, fingerprint},
                            {u"reason"_s, reason}});
}

void Onboarding::setCertificateQuestion(const QVariantMap &question)
{
    if (m_certificateQuestion == question)
        return;
    m_certificateQuestion = question;
    Q_EMIT certificateQuestionChanged();
}

void Onboarding::trustCertificate()
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

void Onboarding::rejectCertificate()
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

} // namespace App
