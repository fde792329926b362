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

    //! Opens the stores of the accounts kept in accounts.json. Their models work at once; call
    //! connectAll() to go online.
    bool load(QString *error = nullptr);
    void connectAll();

    QList<Account *> accounts() const { return m_accounts; }
    Account *account(const QString &key) const;
    //! Adds (and opens the store of) an account, or returns the existing one with this key.
    Account *addAccount(const QUrl &serverUrl, const QString &username, QString *error = nullptr);
    //! Signs the account out, forgets its token and deletes its local store.
    void removeAccount(Account *account);

    TrustStore *trustStore() { return &m_trustStore; }

Q_SIGNALS:
    void accountAdded(Account *account);
    void accountRemoved(const QString &key);

private:
    Account *createAccount(const QUrl &serverUrl, const QString &username, QString *error);
    QString storePath(const QString &key) const;
    bool save() const;

    QString m_dataDir;
    TokenVault *m_vault;
    AccountSettings m_settings;
    TrustStore m_trustStore;
    QList<Account *> m_accounts;
};

} // namespace Client
