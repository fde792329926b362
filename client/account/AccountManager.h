#pragma once

#include "account/Account.h"
#include "connection/TrustStore.h"

#include <QList>
#include <QObject>

namespace Client {

class TokenVault;

//! The accounts of this installation, side by side: different servers, or different users of
//! one server. Each has its own store file under dataDir/accounts/, its own connection and its own
//! keychain entry; the list itself (server and username of each) is kept in dataDir/accounts.json,
//! and the certificates the user trusted in dataDir/trusted-certificates.json.
class AccountManager : public QObject
{
    Q_OBJECT
public:
    AccountManager(const QString &dataDir, TokenVault *vault, const AccountSettings &settings = {},
                   QObject *parent = nullptr);

    //! Opens the stores of the accounts kept in accounts.json (each on its own thread; their
    //! models fill in when they are read). Call connectAll() to go online. A store that cannot
    //! be opened says so with Account::storeFailed().
    void load();
    void connectAll();

    QList<Account *> accounts() const { return m_accounts; }
    Account *account(const QString &key) const;
    //! Adds (and opens the store of) an account, or returns the existing one with this key.
    Account *addAccount(const QUrl &serverUrl, const QString &username);
    //! Signs the account out, forgets its token and deletes its local store.
    void removeAccount(Account *account);

    TrustStore *trustStore() { return &m_trustStore; }

Q_SIGNALS:
    void accountAdded(Account *account);
    void accountRemoved(const QString &key);

private:
    Account *createAccount(const QUrl &serverUrl, const QString &username);
    QString storePath(const QString &key) const;
    bool save() const;

    QString m_dataDir;
    TokenVault *m_vault;
    AccountSettings m_settings;
    TrustStore m_trustStore;
    QList<Account *> m_accounts;
};

} // namespace Client
