#include "AccountList.h"

#include "account/AccountManager.h"
#include "media/Avatars.h"

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

namespace {
const QString CurrentKey = u"accounts/current"_s;
} // namespace

AccountList::AccountList(AccountManager *manager, QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_manager(manager)
    , m_settings(settings)
{
    connect(manager, &AccountManager::accountAdded, this, [this](Account *account) {
        watchPhoto(account);
        Q_EMIT entriesChanged();
    });
    for (Account *account : manager->accounts())
        watchPhoto(account);
    connect(manager, &AccountManager::accountRemoved, this, &AccountList::entriesChanged);
    if (!manager->accounts().isEmpty()) {
        m_current = manager->account(m_settings->value(CurrentKey).toString());
        if (!m_current)
            m_current = manager->accounts().constFirst();
    }
}

AccountList::~AccountList() = default;

QVariantList AccountList::entries() const
{
    QVariantList list;
    for (Account *account : m_manager->accounts()) {
        list.append(QVariantMap {{u"key"_s, account->key()},
                                 {u"username"_s, account->username()},
                                 {u"server"_s, account->serverUrl().toString()},
                                 {u"current"_s, account == m_current},
                                 {u"avatarBlob"_s, account->avatars()->ownAvatar()}});
    }
    return list;
}

void AccountList::watchPhoto(Account *account)
{
    connect(account->avatars(), &Avatars::changed, this, &AccountList::entriesChanged);
}

QString AccountList::username() const
{
    return m_current ? m_current->username() : QString();
}

void AccountList::setCurrent(Account *account)
{
    if (m_current == account)
        return;
    m_current = account;
    if (account)
        m_settings->setValue(CurrentKey, account->key());
    else
        m_settings->remove(CurrentKey);
    Q_EMIT currentChanged();
    Q_EMIT entriesChanged();
}

void AccountList::switchAccount(const QString &key)
{
    Account *account = m_manager->account(key);
    if (!account)
        return;
    setCurrent(account);
    if (account->state() == Connection::State::Offline)
        account->connectToServer();
}

void AccountList::addAccount()
{
    Q_EMIT addRequested();
}

void AccountList::signOut()
{
    Account *leaving = m_current;
    if (!leaving)
        return;
    Account *next = nullptr;
    for (Account *account : m_manager->accounts()) {
        if (account != leaving) {
            next = account;
            break;
        }
    }
    // The screens move on (to the next account, or to none) before this one is gone.
    setCurrent(next);
    m_manager->removeAccount(leaving);
    if (next && next->state() == Connection::State::Offline)
        next->connectToServer();
}

} // namespace App
