#include "ConversationListModel.h"

#include "activity/TypingTracker.h"
#include "media/Avatars.h"
#include "store/LocalStore.h"
#include "text/Avatar.h"
#include "text/DisplayText.h"

#include <QDateTime>

namespace Client {

using namespace Qt::StringLiterals;

ConversationListModel::ConversationListModel(LocalStore *store, TypingTracker *typing,
                                             Avatars *avatars, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
    , m_typing(typing)
    , m_avatars(avatars)
{
    reload();
    connect(m_store, &LocalStore::loaded, this, &ConversationListModel::reload);
    connect(m_store, &LocalStore::conversationChanged, this, &ConversationListModel::refresh);
    connect(m_store, &LocalStore::outboxEntryChanged, this,
            [this](const OutboxEntry &entry) { refresh(entry.conversationId); });
    connect(m_store, &LocalStore::usersChanged, this, [this](const QList<qint64> &ids) {
        // Names and presence show in direct conversations and in previews.
        QList<qint64> affected;
        for (const Row &row : std::as_const(m_rows)) {
            const auto &info = row.summary.info;
            if ((info.peer && ids.contains(info.peer->id))
                || (info.lastMessage && ids.contains(info.lastMessage->senderId)))
                affected.append(info.id);
        }
        for (qint64 id : affected)
            refresh(id);
    });
    if (m_avatars) {
        connect(m_avatars, &Avatars::avatarReady, this, [this](const QString &blobId) {
            for (int i = 0; i < m_rows.size(); ++i) {
                const Protocol::ConversationInfo &info = m_rows.at(i).summary.info;
                const bool group = info.kind == Protocol::ConversationKind::Group;
                if ((group           ? info.avatarBlob
                         : info.peer ? info.peer->avatarBlob
                                     : QString())
                    == blobId)
                    Q_EMIT dataChanged(index(i), index(i), {AvatarBlobRole});
            }
        });
    }
    if (m_typing) {
        connect(m_typing, &TypingTracker::typingChanged, this, [this](qint64 conversationId) {
            const int row = rowOf(conversationId);
            if (row < 0)
                return;
            m_rows[row].typing = typingText(conversationId);
            Q_EMIT dataChanged(index(row), index(row), {TypingRole});
        });
    }
}

int ConversationListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ConversationListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const Protocol::ConversationInfo &info = row.summary.info;
    const bool direct = info.kind == Protocol::ConversationKind::Direct;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return row.name;
    case IdRole:
        return info.id;
    case KindRole:
        return QString(Protocol::conversationKindName(info.kind));
    case InitialsRole:
        return Avatar::initials(row.name);
    case AvatarColorRole:
        return Avatar::color(direct && info.peer ? info.peer->id : info.id);
    case LastMessageRole:
        return row.preview;
    case LastMessageSenderRole:
        return row.lastSender;
    case LastActivityRole:
        return row.activity > 0 ? QDateTime::fromMSecsSinceEpoch(row.activity) : QDateTime();
    case UnreadCountRole:
        return int(info.unread);
    case PeerPresenceRole:
        return direct && info.peer ? QString(Protocol::presenceName(info.peer->presence))
                                   : QString();
    case PeerLastSeenRole:
        return direct && info.peer && info.peer->lastSeen > 0
            ? QDateTime::fromMSecsSinceEpoch(info.peer->lastSeen)
            : QDateTime();
    case TypingRole:
        return row.typing;
    case MutedRole:
        return info.muted;
    case PinnedRole:
        return info.pinned;
    case ArchivedRole:
        return info.archived;
    case PendingRole:
        return row.summary.newestPending.has_value();
    case ActiveRole:
        return row.summary.active;
    case DraftRole:
        return row.summary.draft.simplified();
    case UnreadMentionsRole:
        return int(row.summary.unreadMentions);
    case AvatarBlobRole:
        return m_avatars ? m_avatars->readyBlob(info) : QString();
    default:
        return {};
    }
}

QHash<int, QByteArray> ConversationListModel::roleNames() const
{
    return {{IdRole, "conversationId"},
            {KindRole, "kind"},
            {NameRole, "name"},
            {InitialsRole, "initials"},
            {AvatarColorRole, "avatarColor"},
            {LastMessageRole, "lastMessage"},
            {LastMessageSenderRole, "lastMessageSender"},
            {LastActivityRole, "lastActivity"},
            {UnreadCountRole, "unreadCount"},
            {PeerPresenceRole, "peerPresence"},
            {PeerLastSeenRole, "peerLastSeen"},
            {TypingRole, "typing"},
            {MutedRole, "muted"},
            {PinnedRole, "pinned"},
            {ArchivedRole, "archived"},
            {PendingRole, "pending"},
            {ActiveRole, "active"},
            {DraftRole, "draft"},
            {UnreadMentionsRole, "unreadMentions"},
            {AvatarBlobRole, "avatarBlob"}};
}

int ConversationListModel::rowOf(qint64 conversationId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).summary.info.id == conversationId)
            return i;
    }
    return -1;
}

QString ConversationListModel::userName(qint64 userId) const
{
    if (userId == m_store->selfId())
        return u"You"_s;
    const auto user = m_store->user(userId);
    return user ? user->displayName : QString();
}

QString ConversationListModel::typingText(qint64 conversationId) const
{
    if (!m_typing)
        return {};
    const QList<qint64> users = m_typing->typingUsers(conversationId);
    if (users.isEmpty())
        return {};
    if (users.size() > 2)
        return u"%1 people are typing\u2026"_s.arg(users.size());
    QStringList names;
    for (qint64 id : users) {
        const QString name = userName(id);
        names.append(name.isEmpty() ? u"Someone"_s : name);
    }
    return names.join(u" and "_s)
        + (users.size() == 1 ? u" is typing\u2026"_s : u" are typing\u2026"_s);
}

ConversationListModel::Row ConversationListModel::makeRow(const ConversationSummary &summary) const
{
    Row row;
    row.summary = summary;
    const Protocol::ConversationInfo &info = summary.info;
    row.name = DisplayText::conversationName(info);
    row.activity = info.lastActivity;
    const DisplayText::NameLookup nameOf = [this](qint64 id) { return userName(id); };
    if (summary.newestPending && summary.newestPending->createdAt >= info.lastActivity) {
        Protocol::MessageRecord pending;
        pending.contentType = summary.newestPending->contentType;
        pending.content = summary.newestPending->content;
        row.preview = DisplayText::preview(pending, nameOf);
        row.lastSender = userName(m_store->selfId());
        row.activity = summary.newestPending->createdAt;
    } else if (info.lastMessage) {
        row.preview = DisplayText::preview(*info.lastMessage, nameOf);
        row.lastSender =
            info.lastMessage->isEvent() ? QString() : userName(info.lastMessage->senderId);
    }
    row.typing = typingText(info.id);
    return row;
}

bool ConversationListModel::before(const Row &a, const Row &b)
{
    if (a.summary.info.pinned != b.summary.info.pinned)
        return a.summary.info.pinned;
    if (a.activity != b.activity)
        return a.activity > b.activity;
    return a.summary.info.id > b.summary.info.id;
}

int ConversationListModel::sortedPosition(const Row &row, int skip) const
{
    // The position among the other rows (ignoring index `skip`), as a final index.
    int position = 0;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (i != skip && before(m_rows.at(i), row))
            ++position;
    }
    return position;
}

void ConversationListModel::reload()
{
    beginResetModel();
    m_rows.clear();
    for (const ConversationSummary &summary : m_store->summaries())
        m_rows.append(makeRow(summary));
    std::sort(m_rows.begin(), m_rows.end(), &ConversationListModel::before);
    endResetModel();
}

void ConversationListModel::refresh(qint64 conversationId)
{
    const auto summary = m_store->summary(conversationId);
    const int current = rowOf(conversationId);
    if (!summary) {
        if (current >= 0) {
            beginRemoveRows({}, current, current);
            m_rows.removeAt(current);
            endRemoveRows();
        }
        return;
    }
    Row row = makeRow(*summary);
    if (current < 0) {
        const int position = sortedPosition(row, -1);
        beginInsertRows({}, position, position);
        m_rows.insert(position, row);
        endInsertRows();
        return;
    }
    const int target = sortedPosition(row, current);
    if (target != current) {
        // beginMoveRows counts the destination before the move.
        beginMoveRows({}, current, current, {}, target > current ? target + 1 : target);
        m_rows.move(current, target);
        endMoveRows();
    }
    m_rows[target] = row;
    Q_EMIT dataChanged(index(target), index(target));
}

} // namespace Client
