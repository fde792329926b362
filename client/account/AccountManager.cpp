#include "AccountManager.h"

#include "ClientLogging.h"
#include "account/TokenVault.h"
#include "store/LocalStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace Client {

using namespace Qt::StringLiterals;

AccountManager::AccountManager(const QString &dataDir, TokenVault *vault,
                               const AccountSettings &settings, QObject *parent)
    : QObject(parent)
    , m_dataDir(dataDir)
    , m_vault(vault)
    , m_settings(settings)
    , m_trustStore(QDir(dataDir).filePath(u"trusted-certificates.json"_s))
{
}

QString AccountManager::storePath(const QString &key) const
{
    // Keys hold '@' and ':'; a hash makes a name every file system accepts.
    const QByteArray name =
        QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    return QDir(m_dataDir).filePath(u"accounts/"_s + QString::fromLatin1(name) + u".sqlite"_s);
}

void AccountManager::load()
{
    QFile file(QDir(m_dataDir).filePath(u"accounts.json"_s));
    if (!file.open(QIODevice::ReadOnly))
        return; // no accounts yet
    const QJsonArray list = QJsonDocument::fromJson(file.readAll()).array();
    for (const QJsonValue &value : list) {
        const QJsonObject entry = value.toObject();
        const QUrl url(entry.value("server"_L1).toString());
        const QString username = entry.value("username"_L1).toString();
        if (account(Account::keyFor(url, username)))
            continue;
        createAccount(url, username);
    }
}

void AccountManager::connectAll()
{
    for (Account *account : std::as_const(m_accounts))
        account->connectToServer();
}

Account *AccountManager::account(const QString &key) const
{
    for (Account *account : m_accounts) {
        if (account->key() == key)
            return account;
    }
    return nullptr;
}

Account *AccountManager::createAccount(const QUrl &serverUrl, const QString &username)
{
    const QString key = Account::keyFor(serverUrl, username);
    auto *account =
        new Account(serverUrl, username, storePath(key), m_vault, &m_trustStore, m_settings, this);
    // Opens on the store's thread; a failure comes as Account::storeFailed().
    account->openStore();
    m_accounts.append(account);
    Q_EMIT accountAdded(account);
    return account;
}

Account *AccountManager::addAccount(const QUrl &serverUrl, const QString &username)
{
    if (Account *existing = account(Account::keyFor(serverUrl, username)))
        return existing;
    Account *account = createAccount(serverUrl, username);
    save();
    return account;
}

void AccountManager::removeAccount(Account *account)
{
    if (!m_accounts.removeOne(account))
        return;
    const QString key = account->key();
    const QString path = account->store()->filePath();
    account->signOut();
    m_vault->removeToken(key, this, {});
    save();
    // The sign-out needs the connection a moment longer; the files go once it is done.
    connect(account, &QObject::destroyed, this, [path] {
        for (const QString &suffix : {QString(), u"-wal"_s, u"-shm"_s})
            QFile::remove(path + suffix);
    });
    connect(account->connection(), &Connection::stateChanged, account,
            [account](Connection::State state) {
                if (state == Connection::State::Offline)
                    account->deleteLater();
            });
    if (account->state() == Connection::State::Offline)
        account->deleteLater();
    Q_EMIT accountRemoved(key);
}

bool AccountManager::save() const
{
    QJsonArray list;
    for (const Account *account : m_accounts)
        list.append(QJsonObject {{"server"_L1, account->serverUrl().toString()},
                                 {"username"_L1, account->username()}});
    QDir().mkpath(m_dataDir);
    QSaveFile file(QDir(m_dataDir).filePath(u"accounts.json"_s));
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(list).toJson()) < 0
        || !file.commit()) {
        qCWarning(lcClientAccount).noquote()
            << "cannot save the account list:" << file.errorString();
        return false;
    }
    return true;
}

} // namespace Client
