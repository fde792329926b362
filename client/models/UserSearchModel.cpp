#include "UserSearchModel.h"

#include "connection/Connection.h"
#include "protocol/Requests.h"
#include "text/Avatar.h"

#include <QCborArray>

namespace Client {

using namespace Qt::StringLiterals;

UserSearchModel::UserSearchModel(Connection *connection, QObject *parent)
    : QAbstractListModel(parent)
    , m_connection(connection)
{
}

void UserSearchModel::setQuery(const QString &query)
{
    const QString prefix = query.trimmed().toLower();
    if (prefix == m_query)
        return;
    m_query = prefix;
    Q_EMIT queryChanged();
    const quint64 generation = ++m_generation;
    if (prefix.isEmpty()) {
        setResults({});
        setBusy(false);
        return;
    }
    setBusy(true);
    Request *request = m_connection->send(
        Protocol::Request::SearchUsers,
        {{"prefix"_L1, prefix.left(Protocol::Limits::MaxUsernameLength)}, {"limit"_L1, 20}});
    connect(request, &Request::finished, this, [this, generation](const Reply &reply) {
        if (generation != m_generation)
            return; // the user typed on
        setBusy(false);
        QList<Protocol::UserInfo> users;
        for (const QCborValue &value : reply.body.value("users"_L1).toArray())
            users.append(Protocol::UserInfo::fromCbor(value.toMap()));
        setResults(users);
    });
}

void UserSearchModel::setResults(const QList<Protocol::UserInfo> &users)
{
    if (users.isEmpty() && m_users.isEmpty())
        return;
    beginResetModel();
    m_users = users;
    endResetModel();
}

void UserSearchModel::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

int UserSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_users.size());
}

QVariant UserSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Protocol::UserInfo &user = m_users.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return user.displayName;
    case UserIdRole:
        return user.id;
    case UsernameRole:
        return user.username;
    case PresenceRole:
        return QString(Protocol::presenceName(user.presence));
    case InitialsRole:
        return Avatar::initials(user.displayName);
    case AvatarColorRole:
        return Avatar::color(user.id);
    default:
        return {};
    }
}

QHash<int, QByteArray> UserSearchModel::roleNames() const
{
    return {{UserIdRole, "userId"},           {UsernameRole, "username"},
            {DisplayNameRole, "displayName"}, {PresenceRole, "presence"},
            {InitialsRole, "initials"},       {AvatarColorRole, "avatarColor"}};
}

} // namespace Client
