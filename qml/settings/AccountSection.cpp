#include "AccountSection.h"

#include "store/LocalStore.h"

using namespace Client;

namespace App {

AccountSection::AccountSection(QObject *parent)
    : QObject(parent)
{
}

AccountSection::~AccountSection() = default;

void AccountSection::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account) {
        m_account->disconnect(this);
        m_account->store()->disconnect(this);
        m_account->connection()->disconnect(this);
    }
    m_account = account;
    ++m_epoch;
    if (account) {
        connect(account->connection(), &Connection::stateChanged, this,
                &AccountSection::onlineChanged);
    }
    accountSwitched();
    Q_EMIT accountChanged();
    Q_EMIT onlineChanged();
}

bool AccountSection::isOnline() const
{
    return m_account && m_account->connection()->isSignedIn();
}

} // namespace App
