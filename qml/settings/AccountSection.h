#pragma once

#include "account/Account.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>

namespace App {

//! What the sections of the settings screen that work on the account share: the account, given
//! by QML (`account: App.account`) and followed through switches, whether it is signed in now,
//! and a way to tell answers meant for the account shown before from current ones.
class AccountSection : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    //! False when there is no account (the first-run pages); everything else is empty then.
    Q_PROPERTY(bool hasAccount READ hasAccount NOTIFY accountChanged)
    //! Signed in to the server now: server settings can be changed.
    Q_PROPERTY(bool online READ isOnline NOTIFY onlineChanged)
public:
    ~AccountSection() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);
    bool hasAccount() const { return !m_account.isNull(); }
    bool isOnline() const;

Q_SIGNALS:
    void accountChanged();
    void onlineChanged();

protected:
    explicit AccountSection(QObject *parent);

    //! Another account (or none) is shown: what the section showed of the last one goes. Its
    //! signals are disconnected from this object already.
    virtual void accountSwitched() { }
    //! Whether an answer to a request sent at `epoch` (epoch() then) is for the account shown.
    bool isCurrent(quint64 epoch) const { return epoch == m_epoch; }
    quint64 epoch() const { return m_epoch; }

private:
    QPointer<Client::Account> m_account;
    //! Bumped on every account change.
    quint64 m_epoch = 0;
};

} // namespace App
