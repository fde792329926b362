#include "UserFinder.h"

#include "models/UserSearchModel.h"

using namespace Client;

namespace App {

UserFinder::UserFinder(QObject *parent)
    : QObject(parent)
{
}

void UserFinder::setAccount(Account *account)
{
    if (m_account == account)
        return;
    m_account = account;
    Q_EMIT accountChanged();
}

QAbstractItemModel *UserFinder::newSearch() const
{
    if (!m_account)
        return nullptr;
    UserSearchModel *model = m_account->createUserSearchModel(nullptr);
    QQmlEngine::setObjectOwnership(model, QQmlEngine::JavaScriptOwnership);
    return model;
}

} // namespace App
