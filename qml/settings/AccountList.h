#pragma once

#include "account/Account.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSettings>
#include <QVariantList>

namespace Client {
class AccountManager;
} // namespace Client

namespace App {

//! The accounts of this installation and the one on screen, for the settings' account switcher:
//! switch to another, add one (the first-run pages come back for it), sign out of the current
//! one. The account on screen is remembered in the app's settings (accounts/current) for the next
//! start.
//!
//! Made by the composition root (App.accountList), which shows whatever account is current.
class AccountList : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The account list is App.accountList.")
    //! A list of maps with key, username, server, current (bool), avatarBlob (the account's own
    //! photo when it can be drawn, else ""), in the order they were added.
    Q_PROPERTY(QVariantList entries READ entries NOTIFY entriesChanged)
    //! The account on screen; null when there is none (the first-run pages).
    Q_PROPERTY(Client::Account *current READ current NOTIFY currentChanged)
    //! The current account's username; empty when there is none.
    Q_PROPERTY(QString username READ username NOTIFY currentChanged)
public:
    //! `manager` has loaded its accounts: the current one is the one remembered, else the first.
    AccountList(Client::AccountManager *manager, QSettings *settings, QObject *parent = nullptr);
    ~AccountList() override;

    QVariantList entries() const;
    Client::Account *current() const { return m_current; }
    QString username() const;

    //! Makes `account` (one of the manager's, or null) the one on screen.
    void setCurrent(Client::Account *account);

    //! Makes the account with this key the one on screen (connecting it if it is offline).
    Q_INVOKABLE void switchAccount(const QString &key);
    //! Asks for the pages to sign in to another server or as another user (addRequested()).
    Q_INVOKABLE void addAccount();
    //! Signs the current account out on the server, forgets its token and local data, and goes
    //! on with the next account (or none).
    Q_INVOKABLE void signOut();

Q_SIGNALS:
    void entriesChanged();
    void currentChanged();
    void addRequested();

private:
    void watchPhoto(Client::Account *account);

    Client::AccountManager *m_manager;
    QSettings *m_settings;
    QPointer<Client::Account> m_current;
};

} // namespace App
