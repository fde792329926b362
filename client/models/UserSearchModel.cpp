#include "UserSearchModel.h"

#include "connection/Connection.h"
#include "media/Avatars.h"
#include "protocol/Requests.h"
#include "text/Avatar.h"

#include <QCborArray>

namespace Client {

using namespace Qt::StringLiterals;

UserSearchModel::UserSearchModel(Connection *connection, Avatars *avatars, QObject *parent)
    : QAbstractListModel(parent)
    , m_connection(connection)
    , m_avatars(avatars)
{
    if (m_avatars) {
        connect(m_avatars, &Avatars::avatarReady, this, [this](const QString &blobId) {
            for (int i = 0; i < m_users.size(); ++i) {
                if (m_users.at(i).avatarBlob == blobId)
                    Q_EMIT dataChanged(index(i), index(i), {AvatarBlobRole});
            }
        });
    }
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
    if (m_avatars) {
        // Results are not stored: their pictures are learned here.
        for (const Protocol::UserInfo &user : users)
            m_avatars->learn(user.avatarBlob, user.avatar);
    }
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
    case AvatarBlobRole:
        return m_avatars ? m_avatars->readyBlob(user) : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> UserSearchModel::roleNames() const
{
    return {{UserIdRole, "userId"},           {UsernameRole, "username"},
            {DisplayNameRole, "displayName"}, {PresenceRole, "presence"},
            {InitialsRole, "initials"},       {AvatarColorRole, "avatarColor"},
            {AvatarBlobRole, "avatarBlob"}};
}

} // namespace Client
