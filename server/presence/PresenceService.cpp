#include "PresenceService.h"

#include "accounts/AccountQueries.h"
#include "core/Hub.h"
#include "core/Router.h"
#include "core/ServerConfig.h"
#include "core/Session.h"
#include "ops/Metrics.h"
#include "storage/Store.h"

#include "protocol/Frame.h"
#include "protocol/Requests.h"

#include <QCborMap>
#include <QDateTime>
#include <QLoggingCategory>

namespace Server {

Q_LOGGING_CATEGORY(lcPresence, "messengerd.presence")

using Protocol::ErrorCode;
using Protocol::PresenceState;

namespace {
using L = QLatin1StringView;
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

PresenceService::PresenceService(ServerContext context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{
    m_context.router->add(Protocol::Request::SetPresence,
                          [this](const Request &r) { handleSetPresence(r); });
    m_context.router->add(Protocol::Request::Typing, [this](const Request &r) { handleTyping(r); });
    m_typingTimer.setInterval(std::clamp(m_context.config.typingTimeoutMs / 4, 10, 250));
    connect(&m_typingTimer, &QTimer::timeout, this, &PresenceService::expireTyping);
}

void PresenceService::signedIn(Session *session, const Protocol::ProfileInfo &profile,
                               const QList<qint64> &contacts)
{
    Hub *hub = m_context.hub;
    const bool first = hub->addSession(session);
    OnlineUser *user = hub->onlineUser(profile.user.id);
    user->hideLastSeen = profile.hideLastSeen;
    user->sendReadReceipts = profile.sendReadReceipts;
    if (first) {
        user->contacts = QSet<qint64>(contacts.begin(), contacts.end());
        user->contactsLoaded = true;
        user->presence = PresenceState::Offline;
    }
    const PresenceState state = aggregate(profile.user.id);
    if (state != user->presence) {
        user->presence = state;
        publish(profile.user.id, state, 0);
    }
}

void PresenceService::sessionClosed(Session *session)
{
    if (!session->isAuthenticated())
        return;
    if (session->isTransfer()) { // not in presence
        m_context.hub->removeTransferSession(session);
        return;
    }
    const qint64 userId = session->userId();
    Hub *hub = m_context.hub;
    OnlineUser *user = hub->onlineUser(userId);
    if (!user)
        return;
    if (user->sessions.size() > 1) {
        hub->removeSession(session);
        const PresenceState state = aggregate(userId);
        if (state != user->presence) {
            user->presence = state;
            publish(userId, state, 0);
        }
        return;
    }

    // The last connection: the user goes offline. Store the last seen first, then announce it, so
    // whoever hears of it and asks finds the same time.
    const qint64 lastSeen = nowMs();
    const QSet<qint64> contacts = user->contacts;
    const bool hidden = user->hideLastSeen;
    hub->removeSession(session);
    for (auto it = m_typing.begin(); it != m_typing.end();) {
        if (it.key().userId == userId) {
            const qint64 conversationId = it.key().conversationId;
            it = m_typing.erase(it);
            sendTyping(conversationId, userId, false);
        } else {
            ++it;
        }
    }
    m_context.store->write(
        this,
        [userId, lastSeen](Database &db) {
            AccountQueries::setLastSeen(db, {userId}, lastSeen);
            return true;
        },
        [this, userId, lastSeen, contacts, hidden](const Result<bool> &) {
            if (m_context.hub->isOnline(userId))
                return; // back already; they announced themselves online
            QCborMap body {{L("userId"), userId},
                           {L("presence"), Protocol::presenceName(PresenceState::Offline)}};
            if (!hidden)
                body.insert(L("lastSeen"), lastSeen);
            const QByteArray bytes = Protocol::encodeEvent(Protocol::Event::Presence, body);
            int sent = 0;
            for (qint64 contact : contacts)
                sent += m_context.hub->sendToUser(contact, bytes);
            m_context.metrics->addPresenceFanout(sent);
        });
}

void PresenceService::shutdown()
{
    const QList<qint64> online = m_context.hub->onlineUserIds();
    if (online.isEmpty())
        return;
    const qint64 lastSeen = nowMs();
    qCDebug(lcPresence) << online.size() << "user(s) go offline at shutdown";
    m_context.store->write(
        this,
        [online, lastSeen](Database &db) {
            AccountQueries::setLastSeen(db, online, lastSeen);
            return true;
        },
        [](const Result<bool> &result) {
            if (!result.ok())
                qCWarning(lcPresence).noquote() << "last-seen times not stored:" << result.message;
        });
}

void PresenceService::fillPresence(qint64 viewerId, Protocol::UserInfo &user) const
{
    const OnlineUser *viewer = m_context.hub->onlineUser(viewerId);
    const bool visible = user.id == viewerId || (viewer && viewer->contacts.contains(user.id));
    if (!visible) {
        user.presence = PresenceState::Offline;
        user.lastSeen = 0;
        user.avatarBlob.clear();
        user.avatar.clear();
        return;
    }
    const OnlineUser *online = m_context.hub->onlineUser(user.id);
    user.presence = online ? online->presence : PresenceState::Offline;
    if (online && online->hideLastSeen)
        user.lastSeen = 0;
}

void PresenceService::introduce(const QList<qint64> &userIds)
{
    Hub *hub = m_context.hub;
    for (qint64 a : userIds) {
        OnlineUser *user = hub->onlineUser(a);
        if (!user)
            continue;
        for (qint64 b : userIds) {
            if (a == b || user->contacts.contains(b))
                continue;
            user->contacts.insert(b);
            if (const OnlineUser *other = hub->onlineUser(b)) {
                const QCborMap body {{L("userId"), b},
                                     {L("presence"), Protocol::presenceName(other->presence)}};
                m_context.metrics->addPresenceFanout(
                    hub->sendToUser(a, Protocol::encodeEvent(Protocol::Event::Presence, body)));
            }
        }
    }
}

void PresenceService::separate(qint64 userId, const QList<qint64> &contacts,
                               const QList<qint64> &formerMembers)
{
    Hub *hub = m_context.hub;
    const QSet<qint64> remaining(contacts.begin(), contacts.end());
    if (OnlineUser *user = hub->onlineUser(userId))
        user->contacts = remaining;
    for (qint64 member : formerMembers) {
        if (remaining.contains(member))
            continue;
        if (OnlineUser *other = hub->onlineUser(member))
            other->contacts.remove(userId);
    }
}

int PresenceService::sendToContacts(qint64 userId, const QByteArray &bytes)
{
    const OnlineUser *user = m_context.hub->onlineUser(userId);
    if (!user)
        return 0;
    int sent = 0;
    for (qint64 contact : user->contacts)
        sent += m_context.hub->sendToUser(contact, bytes);
    return sent;
}

void PresenceService::updatePrivacy(const Protocol::ProfileInfo &profile)
{
    if (OnlineUser *user = m_context.hub->onlineUser(profile.user.id)) {
        user->hideLastSeen = profile.hideLastSeen;
        user->sendReadReceipts = profile.sendReadReceipts;
    }
}

void PresenceService::handleSetPresence(const Request &request)
{
    const QString state = request.string(L("state"));
    if (state != Protocol::presenceName(PresenceState::Online)
        && state != Protocol::presenceName(PresenceState::Away)) {
        request.fail(ErrorCode::InvalidField,
                     QStringLiteral("\"state\" must be \"online\" or \"away\""),
                     QStringLiteral("state"));
        return;
    }
    Session *session = request.session();
    session->setAway(state == Protocol::presenceName(PresenceState::Away));
    const qint64 userId = session->userId();
    if (OnlineUser *user = m_context.hub->onlineUser(userId)) {
        const PresenceState aggregated = aggregate(userId);
        if (aggregated != user->presence) {
            user->presence = aggregated;
            publish(userId, aggregated, 0);
        }
    }
    request.ok();
}

void PresenceService::handleTyping(const Request &request)
{
    Session *session = request.session();
    if (!session->typingLimiter().take()) {
        request.fail(ErrorCode::RateLimited,
                     QStringLiteral("typing notifications are sent too often"), {},
                     session->typingLimiter().retryAfterMs());
        return;
    }
    const qint64 conversationId = request.integer(L("conversationId"));
    const bool active = request.boolean(L("active"));
    const qint64 userId = session->userId();
    m_context.hub->withMembers(
        conversationId, session,
        [this, request, conversationId, userId, active](const ConversationMembers &members) {
            if (!members.contains(userId)) {
                request.fail(ErrorCode::NotMember,
                             QStringLiteral("you are not a member of this conversation"),
                             QStringLiteral("conversationId"));
                return;
            }
            const TypingKey key {conversationId, userId};
            if (active) {
                m_typing.insert(key, nowMs() + m_context.config.typingTimeoutMs);
                if (!m_typingTimer.isActive())
                    m_typingTimer.start();
                sendTyping(conversationId, userId, true);
            } else if (m_typing.remove(key)) {
                sendTyping(conversationId, userId, false);
            }
            request.ok();
        });
}

void PresenceService::stopTyping(qint64 conversationId, qint64 userId)
{
    if (m_typing.remove(TypingKey {conversationId, userId}))
        sendTyping(conversationId, userId, false);
}

void PresenceService::publish(qint64 userId, PresenceState state, qint64 lastSeen)
{
    QCborMap body {{L("userId"), userId}, {L("presence"), Protocol::presenceName(state)}};
    if (lastSeen > 0)
        body.insert(L("lastSeen"), lastSeen);
    m_context.metrics->addPresenceFanout(
        sendToContacts(userId, Protocol::encodeEvent(Protocol::Event::Presence, body)));
}

PresenceState PresenceService::aggregate(qint64 userId) const
{
    const QList<Session *> &sessions = m_context.hub->sessionsOf(userId);
    if (sessions.isEmpty())
        return PresenceState::Offline;
    for (const Session *session : sessions) {
        if (!session->isAway())
            return PresenceState::Online;
    }
    return PresenceState::Away;
}

void PresenceService::sendTyping(qint64 conversationId, qint64 userId, bool active)
{
    const QByteArray bytes = Protocol::encodeEvent(
        Protocol::Event::Typing,
        QCborMap {{L("conversationId"), conversationId},
                  {L("userId"), userId},
                  {L("active"), active},
                  {L("expiresIn"), active ? m_context.config.typingTimeoutMs : 0}});
    m_context.hub->withMembers(conversationId, this,
                               [this, bytes, userId](const ConversationMembers &members) {
                                   int sent = 0;
                                   for (qint64 member : members.userIds) {
                                       if (member != userId)
                                           sent += m_context.hub->sendToUser(member, bytes);
                                   }
                                   m_context.metrics->addTypingFanout(sent);
                               });
}

void PresenceService::expireTyping()
{
    const qint64 now = nowMs();
    for (auto it = m_typing.begin(); it != m_typing.end();) {
        if (it.value() <= now) {
            const TypingKey key = it.key();
            it = m_typing.erase(it);
            sendTyping(key.conversationId, key.userId, false);
        } else {
            ++it;
        }
    }
    if (m_typing.isEmpty())
        m_typingTimer.stop();
}

} // namespace Server
