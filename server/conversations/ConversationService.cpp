#include "ConversationService.h"

#include "ConversationQueries.h"
#include "GroupQueries.h"

#include "accounts/AccountQueries.h"
#include "core/Hub.h"
#include "core/Router.h"
#include "core/Session.h"
#include "core/StoreFailure.h"
#include "media/Avatars.h"
#include "presence/PresenceService.h"
#include "storage/Store.h"

#include "protocol/Frame.h"
#include "protocol/Requests.h"

#include <QCborArray>
#include <QLoggingCategory>

namespace Server {

Q_LOGGING_CATEGORY(lcConversations, "messengerd.conversations")

using Protocol::ConversationInfo;
using Protocol::ErrorCode;
namespace R = Protocol::Request;

namespace {
using L = QLatin1StringView;

struct Joined
{
    GroupQueries::Change change;
    QHash<qint64, ConversationInfo> infos; //!< per joining user who is online
    //! Per user who left or was removed: everyone they still share a conversation with.
    QHash<qint64, QList<qint64>> departedContacts;
};

struct Details
{
    ConversationInfo conversation;
    QList<Protocol::MemberInfo> members;
};

struct Direct
{
    ConversationInfo mine;
    std::optional<ConversationInfo> peers; //!< set when the conversation was just created
};

template<typename T>
bool failed(const Request &request, const Result<T> &result)
{
    return answerStoreFailure(request, result, lcConversations);
}
} // namespace

ConversationService::ConversationService(ServerContext context, PresenceService *presence,
                                         QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_presence(presence)
{
    Router *router = m_context.router;
    router->add(R::ListConversations, [this](const Request &r) { handleList(r); });
    router->add(R::GetConversation, [this](const Request &r) { handleGet(r); });
    router->add(R::SetConversationFlags, [this](const Request &r) { handleFlags(r); });
    router->add(R::OpenDirect, [this](const Request &r) { handleOpenDirect(r); });
    router->add(R::CreateGroup, [this](const Request &r) { handleCreateGroup(r); });
    router->add(R::AddMembers, [this](const Request &r) { handleAdd(r); });
    router->add(R::RemoveMember, [this](const Request &r) { handleRemove(r); });
    router->add(R::LeaveGroup, [this](const Request &r) { handleLeave(r); });
    router->add(R::RenameGroup, [this](const Request &r) { handleRename(r); });
    router->add(R::SetRole, [this](const Request &r) { handleSetRole(r); });
    router->add(R::SetGroupAvatar, [this](const Request &r) { handleSetAvatar(r); });
}

void ConversationService::fillPresence(qint64 viewerId, ConversationInfo &conversation) const
{
    if (conversation.peer)
        m_presence->fillPresence(viewerId, *conversation.peer);
}

void ConversationService::handleList(const Request &request)
{
    const qint64 userId = request.userId();
    m_context.store->read(
        request.session(),
        [userId](Database &db) { return ConversationQueries::conversations(db, userId); },
        [this, request, userId](const Result<QList<ConversationInfo>> &result) {
            if (failed(request, result))
                return;
            QList<ConversationInfo> list = *result;
            ConversationQueries::sortForList(list);
            QCborArray array;
            for (ConversationInfo &c : list) {
                fillPresence(userId, c);
                array.append(c.toCbor());
            }
            request.ok(QCborMap {{L("conversations"), array}});
        });
}

void ConversationService::handleGet(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    m_context.store->read(
        request.session(),
        [=](Database &db) {
            Details details;
            details.conversation = ConversationQueries::conversation(db, conversationId, userId);
            details.members = ConversationQueries::members(db, conversationId);
            return details;
        },
        [this, request, userId](const Result<Details> &result) {
            if (failed(request, result))
                return;
            Details details = *result;
            fillPresence(userId, details.conversation);
            QCborArray members;
            for (Protocol::MemberInfo &member : details.members) {
                m_presence->fillPresence(userId, member.user);
                members.append(member.toCbor());
            }
            request.ok(QCborMap {{L("conversation"), details.conversation.toCbor()},
                                 {L("members"), members}});
        });
}

void ConversationService::handleFlags(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const auto flag = [&request](QLatin1StringView key) {
        return request.has(key) ? std::optional<bool>(request.boolean(key)) : std::nullopt;
    };
    const auto muted = flag(L("muted")), pinned = flag(L("pinned")), archived = flag(L("archived"));
    m_context.store->write(
        request.session(),
        [=](Database &db) {
            ConversationQueries::setFlags(db, conversationId, userId, muted, pinned, archived);
            return ConversationQueries::conversation(db, conversationId, userId);
        },
        [this, request, userId](const Result<ConversationInfo> &result) {
            if (failed(request, result))
                return;
            ConversationInfo conversation = *result;
            fillPresence(userId, conversation);
            const QCborMap body {{L("conversation"), conversation.toCbor()}};
            request.ok(body);
            // The user's other devices keep the same flags.
            m_context.hub->sendToUser(userId,
                                      Protocol::encodeEvent(Protocol::Event::Conversation, body),
                                      request.session());
        });
}

void ConversationService::handleOpenDirect(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 peerId = request.integer(L("userId"));
    if (peerId == userId) {
        request.fail(ErrorCode::InvalidField,
                     QStringLiteral("a direct conversation needs another user"),
                     QStringLiteral("userId"));
        return;
    }
    m_context.store->write(
        this, // not the session: once committed, the others hear of it even if the caller left
        [=](Database &db) {
            bool created = false;
            const qint64 id = ConversationQueries::openDirect(db, userId, peerId, &created);
            Direct direct;
            direct.mine = ConversationQueries::conversation(db, id, userId);
            if (created)
                direct.peers = ConversationQueries::conversation(db, id, peerId);
            return direct;
        },
        [this, request, userId, peerId](const Result<Direct> &result) {
            if (failed(request, result))
                return;
            Direct direct = *result;
            // A new chat makes the two contacts first, so both see each other's presence in it.
            if (direct.peers) {
                m_context.hub->setMembers(direct.mine.id,
                                          {Protocol::ConversationKind::Direct, {userId, peerId}});
                m_presence->introduce({userId, peerId});
            }
            fillPresence(userId, direct.mine);
            const QCborMap body {{L("conversation"), direct.mine.toCbor()}};
            request.ok(body);
            if (direct.peers) {
                fillPresence(peerId, *direct.peers);
                m_context.hub->sendToUser(
                    userId, Protocol::encodeEvent(Protocol::Event::Conversation, body),
                    request.session());
                m_context.hub->sendToUser(
                    peerId,
                    Protocol::encodeEvent(Protocol::Event::Conversation,
                                          QCborMap {{L("conversation"), direct.peers->toCbor()}}));
            }
        });
}

void ConversationService::handleCreateGroup(const Request &request)
{
    const qint64 userId = request.userId();
    const QString name = request.string(L("name")).trimmed();
    if (name.isEmpty()) {
        request.fail(ErrorCode::InvalidField, QStringLiteral("the group name is empty"),
                     QStringLiteral("name"));
        return;
    }
    const QList<qint64> memberIds = request.integers(L("memberIds"));
    runChange(request, memberIds + QList<qint64> {userId},
              [=](Database &db) { return GroupQueries::create(db, userId, name, memberIds); });
}

void ConversationService::handleAdd(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const QList<qint64> userIds = request.integers(L("userIds"));
    runChange(request, userIds,
              [=](Database &db) { return GroupQueries::add(db, conversationId, userId, userIds); });
}

void ConversationService::handleRemove(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const qint64 target = request.integer(L("userId"));
    if (target == userId) {
        request.fail(ErrorCode::InvalidField, QStringLiteral("to remove yourself, leave the group"),
                     QStringLiteral("userId"));
        return;
    }
    runChange(request, {}, [=](Database &db) {
        return GroupQueries::remove(db, conversationId, userId, target);
    });
}

void ConversationService::handleLeave(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    runChange(request, {},
              [=](Database &db) { return GroupQueries::leave(db, conversationId, userId); });
}

void ConversationService::handleRename(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const QString name = request.string(L("name")).trimmed();
    if (name.isEmpty()) {
        request.fail(ErrorCode::InvalidField, QStringLiteral("the group name is empty"),
                     QStringLiteral("name"));
        return;
    }
    // Every member's conversation list shows the new name: they all get the `conversation` event.
    m_context.hub->withMembers(
        conversationId, request.session(), [=, this](const ConversationMembers &members) {
            runChange(request, members.userIds, [=](Database &db) {
                return GroupQueries::rename(db, conversationId, userId, name);
            });
        });
}

void ConversationService::handleSetAvatar(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    bool refused = false;
    const std::optional<AvatarChange> avatar = Avatars::read(request, &refused);
    if (refused)
        return;
    if (!avatar) { // validation requires avatarBlob; kept for safety
        request.fail(ErrorCode::InvalidField, QStringLiteral("\"avatarBlob\" is required"),
                     QStringLiteral("avatarBlob"));
        return;
    }
    // As after a rename, every member's conversation list shows the new picture.
    m_context.hub->withMembers(
        conversationId, request.session(), [=, this](const ConversationMembers &members) {
            runChange(request, members.userIds, [=](Database &db) {
                return GroupQueries::setAvatar(db, conversationId, userId, *avatar);
            });
        });
}

void ConversationService::handleSetRole(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const qint64 target = request.integer(L("userId"));
    const Protocol::Role role = Protocol::roleFromName(request.string(L("role")));
    if (role != Protocol::Role::Admin && role != Protocol::Role::Member) {
        request.fail(ErrorCode::InvalidField,
                     QStringLiteral("\"role\" must be \"admin\" or \"member\""),
                     QStringLiteral("role"));
        return;
    }
    runChange(request, {}, [=](Database &db) {
        return GroupQueries::setRole(db, conversationId, userId, target, role);
    });
}

void ConversationService::runChange(const Request &request, const QList<qint64> &candidates,
                                    std::function<GroupQueries::Change(Database &)> change)
{
    QList<qint64> online;
    for (qint64 id : candidates) {
        if (m_context.hub->isOnline(id) && !online.contains(id))
            online.append(id);
    }
    m_context.store->write(
        this, // not the session: once committed, the others hear of it even if the caller left
        [change = std::move(change), online](Database &db) {
            Joined joined;
            joined.change = change(db);
            // A new name or picture: every member gets the conversation anew.
            const QString action = joined.change.events.isEmpty()
                ? QString()
                : joined.change.events.last().event->action;
            const bool everyone =
                action == QLatin1String("renamed") || action == QLatin1String("avatar");
            for (qint64 id : everyone ? joined.change.members : joined.change.added) {
                if (online.contains(id))
                    joined.infos.insert(
                        id,
                        ConversationQueries::conversation(db, joined.change.conversationId, id));
            }
            // Read in the same transaction, so a later change's introductions come after these.
            for (qint64 id : std::as_const(joined.change.departed))
                joined.departedContacts.insert(id, AccountQueries::contacts(db, id));
            return joined;
        },
        [this, request](const Result<Joined> &result) {
            const QString type = request.body().value(Protocol::Key::Type).toString();
            if (const QString field = Avatars::failedField(result.error);
                type == R::SetGroupAvatar && !field.isEmpty()) {
                request.fail(result.error, result.message, field);
                return;
            }
            if (failed(request, result))
                return;
            const GroupQueries::Change &done = result->change;
            if (type == R::CreateGroup) {
                ConversationInfo mine = result->infos.value(request.userId());
                request.ok(QCborMap {{L("conversation"), mine.toCbor()}});
            } else {
                // The seq of the caller's own action: an owner's `left`, not the `owner` after it.
                request.ok(
                    QCborMap {{L("seq"), done.events.isEmpty() ? 0 : done.events.first().seq}});
            }
            publishChange(request, done, result->infos);
            for (auto it = result->departedContacts.constBegin();
                 it != result->departedContacts.constEnd(); ++it)
                m_presence->separate(it.key(), it.value(), done.members);
        });
}

void ConversationService::publishChange(const Request &request, const GroupQueries::Change &change,
                                        const QHash<qint64, ConversationInfo> &joined)
{
    Hub *hub = m_context.hub;
    hub->setMembers(change.conversationId, {Protocol::ConversationKind::Group, change.members});
    if (!change.added.isEmpty())
        m_presence->introduce(change.members);

    // Newcomers learn of the conversation before its events reach them; after a rename or a new
    // picture every member gets the conversation anew.
    for (auto it = joined.constBegin(); it != joined.constEnd(); ++it) {
        ConversationInfo info = it.value();
        fillPresence(it.key(), info);
        hub->sendToUser(it.key(),
                        Protocol::encodeEvent(Protocol::Event::Conversation,
                                              QCborMap {{L("conversation"), info.toCbor()}}),
                        it.key() == request.userId() ? request.session() : nullptr);
    }
    for (const Protocol::MessageRecord &event : change.events) {
        const QByteArray bytes = Protocol::encodeEvent(Protocol::Event::Message,
                                                       QCborMap {{L("message"), event.toCbor()}});
        hub->sendToUsers(change.recipients, bytes);
    }
}

} // namespace Server
