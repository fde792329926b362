#include "GroupController.h"

#include "AppLogging.h"
#include "GroupErrors.h"

#include "account/Account.h"
#include "api/GroupApi.h"
#include "connection/Request.h"
#include "media/Avatars.h"
#include "models/MemberListModel.h"
#include "store/LocalStore.h"
#include "text/Avatar.h"

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;
using Protocol::Role;

namespace {

bool isSelf(const Account *account, qint64 userId)
{
    return account && account->store()->selfId() == userId;
}

//! The user ids QML hands over, without the ones that cannot be.
QList<qint64> positiveIds(const QVariantList &ids)
{
    QList<qint64> list;
    for (const QVariant &id : ids) {
        if (id.toLongLong() > 0)
            list.append(id.toLongLong());
    }
    return list;
}

} // namespace

GroupController::GroupController(QObject *parent)
    : QObject(parent)
{
}

GroupController::GroupController(Account *account, qint64 conversationId, QObject *parent)
    : QObject(parent)
    , m_conversationId(conversationId)
{
    setAccount(account);
}

GroupController::~GroupController() = default;

void GroupController::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account) {
        m_account->store()->disconnect(this);
        m_account->avatars()->disconnect(this);
    }
    m_account = account;
    if (account) {
        // The group's photo became drawable, changed or went.
        connect(account->avatars(), &Avatars::changed, this, &GroupController::groupChanged);
        LocalStore *store = account->store();
        connect(store, &LocalStore::conversationChanged, this, [this](qint64 id) {
            if (id != m_conversationId)
                return;
            reloadSummary();
            Q_EMIT groupChanged();
        });
    }
    rebuild();
    Q_EMIT accountChanged();
}

void GroupController::setConversationId(qint64 conversationId)
{
    if (m_conversationId == conversationId)
        return;
    m_conversationId = conversationId;
    Q_EMIT conversationIdChanged();
    rebuild();
}

void GroupController::rebuild()
{
    delete m_members;
    m_members = nullptr;
    reloadSummary();
    if (m_account && m_account->store()->isOpen() && m_conversationId > 0) {
        m_members = m_account->createMemberModel(m_conversationId, this);
        // Roles, names and who is in: after the model took the store's change in.
        connect(m_members, &QAbstractItemModel::modelReset, this, &GroupController::groupChanged);
        connect(m_members, &QAbstractItemModel::dataChanged, this, &GroupController::groupChanged);
        // The panel is open: ask for the current list (roles and presence may have moved).
        if (isMember())
            m_members->refresh();
    }
    setError({});
    Q_EMIT membersModelChanged();
    Q_EMIT groupChanged();
}

void GroupController::reloadSummary()
{
    m_summary.reset();
    if (m_account && m_conversationId > 0 && m_account->store()->isOpen())
        m_summary = m_account->store()->summary(m_conversationId);
}

QAbstractItemModel *GroupController::members() const
{
    return m_members;
}

bool GroupController::isGroup() const
{
    return m_summary && m_summary->info.kind == Protocol::ConversationKind::Group;
}

bool GroupController::isMember() const
{
    return m_summary && m_summary->active;
}

QString GroupController::name() const
{
    return m_summary ? m_summary->info.name : QString();
}

QString GroupController::initials() const
{
    return Avatar::initials(name());
}

QString GroupController::avatarColor() const
{
    return Avatar::color(m_conversationId);
}

int GroupController::memberCount() const
{
    return m_summary ? m_summary->info.memberCount : 0;
}

Role GroupController::role() const
{
    if (!m_summary || !m_summary->active
        || m_summary->info.kind != Protocol::ConversationKind::Group)
        return Role::None;
    return m_summary->info.role;
}

Role GroupController::roleOf(qint64 userId) const
{
    if (!m_members)
        return Role::None;
    for (int row = 0; row < m_members->rowCount(); ++row) {
        const QModelIndex index = m_members->index(row);
        if (index.data(MemberListModel::UserIdRole).toLongLong() == userId)
            return Protocol::roleFromName(index.data(MemberListModel::RoleRole).toString());
    }
    return Role::None;
}

QString GroupController::myRole() const
{
    const Role mine = role();
    return mine == Role::None ? QString() : QString(Protocol::roleName(mine));
}

QVariantList GroupController::memberIds() const
{
    QVariantList ids;
    for (int row = 0; m_members && row < m_members->rowCount(); ++row)
        ids.append(m_members->index(row).data(MemberListModel::UserIdRole));
    return ids;
}

QString GroupController::heirName() const
{
    if (role() != Role::Owner || !m_members)
        return {};
    // The list is in the server's order of succession: owner, admins, then members, each by when
    // they joined.
    for (int row = 0; row < m_members->rowCount(); ++row) {
        const QModelIndex index = m_members->index(row);
        if (!index.data(MemberListModel::IsSelfRole).toBool())
            return index.data(MemberListModel::DisplayNameRole).toString();
    }
    return {};
}

bool GroupController::mayRename(Role me)
{
    return me == Role::Owner || me == Role::Admin;
}

bool GroupController::mayAdd(Role me)
{
    return me == Role::Owner || me == Role::Admin;
}

bool GroupController::mayRemove(Role me, Role them)
{
    if (them == Role::None || them == Role::Owner)
        return false;
    return me == Role::Owner || (me == Role::Admin && them == Role::Member);
}

bool GroupController::mayPromote(Role me, Role them)
{
    return (me == Role::Owner || me == Role::Admin) && them == Role::Member;
}

bool GroupController::mayDemote(Role me, Role them)
{
    return me == Role::Owner && them == Role::Admin;
}

bool GroupController::canRename() const
{
    return mayRename(role());
}

bool GroupController::canAddMembers() const
{
    return mayAdd(role());
}

bool GroupController::canLeave() const
{
    return role() != Role::None;
}

bool GroupController::canRemove(qint64 userId) const
{
    return !isSelf(m_account, userId) && mayRemove(role(), roleOf(userId));
}

bool GroupController::canPromote(qint64 userId) const
{
    return !isSelf(m_account, userId) && mayPromote(role(), roleOf(userId));
}

bool GroupController::canDemote(qint64 userId) const
{
    return !isSelf(m_account, userId) && mayDemote(role(), roleOf(userId));
}

void GroupController::setBusy(bool busy)
{
    if (!busy)
        m_savingPhoto = false; // a photo change ends with the request that carried it
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void GroupController::setError(const QString &error)
{
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void GroupController::clearError()
{
    setError({});
}

void GroupController::fail(Action action, const QString &error)
{
    setError(error);
    Q_EMIT failed(action, error);
}

bool GroupController::checkName(Action action, const QString &name)
{
    if (name.isEmpty()) {
        fail(action, tr("Type a name for the group."));
        return false;
    }
    if (name.size() > Protocol::Limits::MaxGroupNameLength) {
        fail(action,
             tr("The name is too long: at most %1 characters.")
                 .arg(Protocol::Limits::MaxGroupNameLength));
        return false;
    }
    return true;
}

void GroupController::track(Action action, Request *request,
                            std::function<void(const Reply &)> onOk)
{
    setBusy(true);
    const Role mine = role();
    connect(request, &Request::finished, this,
            [this, action, mine, onOk = std::move(onOk)](const Reply &reply) {
                setBusy(false);
                if (!reply.isOk()) {
                    qCInfo(lcGroups) << "group action" << action << "failed:" << reply.describe();
                    fail(action, GroupErrors::describe(action, reply, mine));
                    return;
                }
                setError({});
                if (onOk)
                    onOk(reply);
                Q_EMIT succeeded(action);
            });
}

void GroupController::create(const QString &name, const QVariantList &memberIds)
{
    const QString trimmed = name.trimmed();
    if (!m_account || m_busy || !checkName(Action::Create, trimmed))
        return;
    const QList<qint64> ids = positiveIds(memberIds);
    if (ids.size() + 1 > Protocol::Limits::MaxGroupMembers) {
        fail(Action::Create,
             tr("A group can have at most %1 members.").arg(Protocol::Limits::MaxGroupMembers));
        return;
    }
    // The account stores the new conversation before this answer reaches us (it connected first).
    track(Action::Create, m_account->createGroup(trimmed, ids), [this](const Reply &reply) {
        const qint64 id =
            Protocol::ConversationInfo::fromCbor(reply.body.value("conversation"_L1).toMap()).id;
        setConversationId(id);
        Q_EMIT created(id);
    });
}

void GroupController::rename(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (!m_account || m_busy || !checkName(Action::Rename, trimmed))
        return;
    if (trimmed == this->name()) {
        Q_EMIT succeeded(Action::Rename); // nothing to change
        return;
    }
    track(Action::Rename, groups().rename(m_conversationId, trimmed).request());
}

void GroupController::addMembers(const QVariantList &userIds)
{
    const QList<qint64> ids = positiveIds(userIds);
    if (!m_account || m_busy || ids.isEmpty())
        return;
    track(Action::Add, groups().addMembers(m_conversationId, ids).request());
}

void GroupController::removeMember(qint64 userId)
{
    if (!m_account || m_busy)
        return;
    track(Action::Remove, groups().removeMember(m_conversationId, userId).request());
}

void GroupController::promote(qint64 userId)
{
    if (!m_account || m_busy)
        return;
    track(Action::Promote, groups().setRole(m_conversationId, userId, Role::Admin).request());
}

void GroupController::demote(qint64 userId)
{
    if (!m_account || m_busy)
        return;
    track(Action::Demote, groups().setRole(m_conversationId, userId, Role::Member).request());
}

void GroupController::leave()
{
    if (!m_account || m_busy)
        return;
    track(Action::Leave, groups().leave(m_conversationId).request());
}

GroupApi GroupController::groups() const
{
    return GroupApi(m_account->connection());
}

} // namespace App
