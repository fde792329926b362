#pragma once

#include "account/Account.h"

#include <QAbstractItemModel>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>

namespace App {

//! Finds people by username (users.search) on the given account, for the screens that pick
//! someone: the new chat dialog, the member picker of groups. Each newSearch() is a fresh
//! UserSearchModel (set its `query`; roles userId, username, displayName, presence, initials,
//! avatarColor) that QML owns.
class UserFinder : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    //! Whose server is searched: the account on screen (`account: App.account`).
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
public:
    explicit UserFinder(QObject *parent = nullptr);

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);

    //! A new, empty search on the account; null without one.
    Q_INVOKABLE QAbstractItemModel *newSearch() const;

Q_SIGNALS:
    void accountChanged();

private:
    QPointer<Client::Account> m_account;
};

} // namespace App
