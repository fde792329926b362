#include "MemberListModel.h"

#include "media/Avatars.h"
#include "store/LocalStore.h"
#include "sync/SyncEngine.h"
#include "text/Avatar.h"

#include <QDateTime>

namespace Client {

MemberListModel::MemberListModel(LocalStore *store, SyncEngine *sync, Avatars *avatars,
                                 qint64 conversationId, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
    , m_sync(sync)
    , m_avatars(avatars)
    , m_conversationId(conversationId)
    , m_members(store->members(conversationId))
{
    connect(m_store, &LocalStore::membersChanged, this, [this](qint64 id) {
        if (id == m_conversationId)
            reload();
    });
    connect(m_store, &LocalStore::usersChanged, this, [this](const QList<qint64> &ids) {
        if (std::any_of(m_members.cbegin(), m_members.cend(),
                        [&ids](const Protocol::MemberInfo &m) { return ids.contains(m.user.id); }))
            reload();
    });
    if (m_avatars) {
        connect(m_avatars, &Avatars::avatarReady, this, [this](const QString &blobId) {
            for (int i = 0; i < m_members.size(); ++i) {
                if (m_members.at(i).user.avatarBlob == blobId)
                    Q_EMIT dataChanged(index(i), index(i), {AvatarBlobRole});
            }
        });
    }
}

void MemberListModel::refresh()
{
    if (m_sync)
        m_sync->refreshConversation(m_conversationId);
}

void MemberListModel::reload()
{
    const QList<Protocol::MemberInfo> members = m_store->members(m_conversationId);
    const auto sameUsers = [&] {
        if (members.size() != m_members.size())
            return false;
        for (qsizetype i = 0; i < members.size(); ++i) {
            if (members.at(i).user.id != m_members.at(i).user.id)
                return false;
        }
        return true;
    };
    if (sameUsers()) {
        m_members = members;
        if (!m_members.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_members.size()) - 1));
        return;
    }
    // Someone joined or left: a new list (rare, and small: at most 256 members).
    beginResetModel();
    m_members = members;
    endResetModel();
}

int MemberListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_members.size());
}

QVariant MemberListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Protocol::MemberInfo &member = m_members.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return member.user.displayName;
    case UserIdRole:
        return member.user.id;
    case UsernameRole:
        return member.user.username;
    case RoleRole:
        return QString(Protocol::roleName(member.role));
    case PresenceRole:
        return QString(Protocol::presenceName(member.user.presence));
    case LastSeenRole:
        return member.user.lastSeen > 0 ? QDateTime::fromMSecsSinceEpoch(member.user.lastSeen)
                                        : QDateTime();
    case DeliveredSeqRole:
        return member.deliveredSeq;
    case ReadSeqRole:
        return member.readSeq;
    case InitialsRole:
        return Avatar::initials(member.user.displayName);
    case AvatarColorRole:
        return Avatar::color(member.user.id);
    case IsSelfRole:
        return member.user.id == m_store->selfId();
    case AvatarBlobRole:
        return m_avatars ? m_avatars->readyBlob(member.user) : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> MemberListModel::roleNames() const
{
    return {{UserIdRole, "userId"},
            {UsernameRole, "username"},
            {DisplayNameRole, "displayName"},
            {RoleRole, "role"},
            {PresenceRole, "presence"},
            {LastSeenRole, "lastSeen"},
            {DeliveredSeqRole, "deliveredSeq"},
            {ReadSeqRole, "readSeq"},
            {InitialsRole, "initials"},
            {AvatarColorRole, "avatarColor"},
            {IsSelfRole, "isSelf"},
            {AvatarBlobRole, "avatarBlob"}};
}

} // namespace Client
