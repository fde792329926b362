#include "AppController.h"

#include "AppLogging.h"
#include "AvatarImageProvider.h"
#include "ConversationController.h"

#include "account/Account.h"
#include "account/AccountManager.h"
#include "account/KeychainTokenVault.h"
#include "account/MemoryTokenVault.h"
#include "media/Avatars.h"
#include "models/ConversationListModel.h"

#include <QDir>
#include <QStandardPaths>
#include <QSysInfo>

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

namespace {
AppController::Options s_options;
} // namespace

void AppController::setOptions(const Options &options)
{
    s_options = options;
}

QString AppController::configuredDataDir()
{
    return s_options.dataDir.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        : s_options.dataDir;
}

AppController::AppController(QObject *parent)
    : QObject(parent)
    , m_dataDir(configuredDataDir())
{
    QDir().mkpath(m_dataDir);
    if (s_options.vault) {
        // A test's, kept across restarts.
    } else if (s_options.memoryVault) {
        m_ownVault = std::make_unique<MemoryTokenVault>();
    } else {
        m_ownVault = std::make_unique<KeychainTokenVault>();
    }
    m_vault = s_options.vault ? s_options.vault : m_ownVault.get();
    // Other devices list this one by this name (Settings → Devices).
    AccountSettings accountSettings;
    accountSettings.connection.deviceName = tr("Messenger on %1").arg(QSysInfo::machineHostName());
    m_accounts = std::make_unique<AccountManager>(m_dataDir, m_vault, accountSettings);
    m_settings =
        std::make_unique<QSettings>(QDir(m_dataDir).filePath(u"app.ini"_s), QSettings::IniFormat);

    m_accounts->load();
    m_appearance = new AppearanceSettings(m_settings.get(), s_options.theme, this);
    m_accountList = new AccountList(m_accounts.get(), m_settings.get(), this);
    m_onboarding =
        new Onboarding(m_accounts.get(), m_settings.get(),
                       {m_dataDir, s_options.hostedPort, s_options.hostOnFirstRun}, this);

    // A sign-in puts its account on screen; the list says which one is; another account is
    // added through the first-run pages.
    connect(m_onboarding, &Onboarding::signedIn, m_accountList, &AccountList::setCurrent);
    connect(m_accountList, &AccountList::currentChanged, this, [this] {
        setAccount(m_accountList->current());
        m_onboarding->setAccount(m_account);
    });
    connect(m_accountList, &AccountList::addRequested, m_onboarding, &Onboarding::addAccount);
    for (Account *account : m_accounts->accounts())
        showAvatarsOf(account);
    connect(m_accounts.get(), &AccountManager::accountAdded, this, &AppController::showAvatarsOf);
    // Before the account is deleted (later, once signed out), never after.
    connect(m_accounts.get(), &AccountManager::accountRemoved, this, [this] {
        for (const QPointer<Account> &account : std::as_const(m_avatarSources)) {
            if (!account || !m_accounts->accounts().contains(account.data()))
                AvatarImageProvider::removeSource(account.data());
        }
        m_avatarSources.removeIf([this](const QPointer<Account> &account) {
            return !account || !m_accounts->accounts().contains(account.data());
        });
    });
    setAccount(m_accountList->current());
    m_onboarding->start(m_account);
}

AppController::~AppController()
{
    // Accounts before the vault and the server they talk to; no picture read from them after.
    setAccount(nullptr);
    for (const QPointer<Account> &account : std::as_const(m_avatarSources))
        AvatarImageProvider::removeSource(account.data());
    m_accounts.reset();
}

void AppController::showAvatarsOf(Account *account)
{
    m_avatarSources.append(account);
    AvatarImageProvider::addSource(account, [avatars = account->avatars()](const QString &blobId) {
        return avatars->open(blobId);
    });
}

void AppController::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account)
        m_account->disconnect(this);
    m_account = account;
    if (account) {
        connect(account, &Account::stateChanged, this, &AppController::connectionStateChanged);
        connect(account, &Account::lastErrorChanged, this, &AppController::connectionStateChanged);
    }
    Q_EMIT accountChanged();
    Q_EMIT connectionStateChanged();
    Q_EMIT lastConversationChanged();
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

QString AppController::lastConversationKey() const
{
    // An account's key ("user@host:port") holds no '/', which QSettings would take for a group.
    return u"ui-state/lastConversation/"_s + m_account->key();
}

qint64 AppController::lastConversation() const
{
    if (!m_account)
        return 0;
    const qint64 id = m_settings->value(lastConversationKey()).toLongLong();
    // Gone from the list since (its data forgotten): nothing to open. A list not read yet (the
    // first frame of a start) is no reason to doubt it.
    const ConversationListModel *list = m_account->conversationModel();
    if (id > 0 && list && list->rowCount() > 0 && list->rowOf(id) < 0)
        return 0;
    return qMax<qint64>(0, id);
}

void AppController::setLastConversation(qint64 conversationId)
{
    if (!m_account || conversationId == lastConversation())
        return;
    if (conversationId > 0)
        m_settings->setValue(lastConversationKey(), conversationId);
    else
        m_settings->remove(lastConversationKey());
    Q_EMIT lastConversationChanged();
}

QVariant AppController::uiState(const QString &key) const
{
    return m_settings->value(u"ui-state/"_s + key);
}

void AppController::setUiState(const QString &key, const QVariant &value)
{
    m_settings->setValue(u"ui-state/"_s + key, value);
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

} // namespace App
