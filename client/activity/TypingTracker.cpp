#include "TypingTracker.h"

#include "ClientLogging.h"
#include "connection/Connection.h"
#include "protocol/Requests.h"

namespace Client {

using namespace Qt::StringLiterals;

TypingTracker::TypingTracker(Connection *connection, QObject *parent)
    : TypingTracker(connection, Settings {}, parent)
{
}

TypingTracker::TypingTracker(Connection *connection, Settings settings, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_settings(settings)
{
    m_expiryTimer.setSingleShot(true);
    connect(&m_expiryTimer, &QTimer::timeout, this, &TypingTracker::expire);
    connect(m_connection, &Connection::stateChanged, this, [this](Connection::State state) {
        // The server forgets a disconnected typist; so do we, and for everyone we heard of.
        if (state == Connection::State::Offline || state == Connection::State::Connecting)
            clearAll();
    });
}

void TypingTracker::userTyping(qint64 conversationId)
{
    Outgoing &out = m_outgoing[conversationId];
    if (!out.idle) {
        out.idle = new QTimer(this);
        out.idle->setSingleShot(true);
        out.idle->setInterval(m_settings.idleTimeoutMs);
        connect(out.idle, &QTimer::timeout, this,
                [this, conversationId] { userStopped(conversationId); });
    }
    out.idle->start();
    if (out.repeatAfter.hasExpired() || out.repeatAfter.isForever()) {
        out.repeatAfter.setRemainingTime(m_settings.repeatIntervalMs);
        sendTyping(conversationId, true);
    }
}

void TypingTracker::userStopped(qint64 conversationId)
{
    auto it = m_outgoing.find(conversationId);
    if (it == m_outgoing.end())
        return;
    delete it->idle;
    m_outgoing.erase(it);
    sendTyping(conversationId, false);
}

void TypingTracker::sendTyping(qint64 conversationId, bool active)
{
    if (m_connection->state() != Connection::State::Online)
        return; // typing is ephemeral: never queued
    m_connection->send(Protocol::Request::Typing,
                       {{"conversationId"_L1, conversationId}, {"active"_L1, active}});
}

QList<qint64> TypingTracker::typingUsers(qint64 conversationId) const
{
    QList<qint64> users;
    for (const Incoming &in : m_incoming.value(conversationId))
        users.append(in.userId);
    return users;
}

void TypingTracker::applyTyping(qint64 conversationId, qint64 userId, bool active, int expiresInMs)
{
    QList<Incoming> &list = m_incoming[conversationId];
    auto it = std::find_if(list.begin(), list.end(),
                           [userId](const Incoming &in) { return in.userId == userId; });
    const bool wasTyping = it != list.end();
    if (active) {
        const int lifetime = expiresInMs > 0 ? expiresInMs : m_connection->typingTimeoutMs();
        if (wasTyping)
            it->expires.setRemainingTime(lifetime);
        else
            list.append(Incoming {userId, QDeadlineTimer(lifetime)});
    } else if (wasTyping) {
        list.erase(it);
    }
    if (list.isEmpty())
        m_incoming.remove(conversationId);
    rescheduleExpiry();
    if (active != wasTyping)
        Q_EMIT typingChanged(conversationId);
}

void TypingTracker::clearUser(qint64 conversationId, qint64 userId)
{
    applyTyping(conversationId, userId, false, 0);
}

void TypingTracker::expire()
{
    QList<qint64> changed;
    for (auto it = m_incoming.begin(); it != m_incoming.end();) {
        const auto removed =
            it->removeIf([](const Incoming &in) { return in.expires.hasExpired(); });
        if (removed > 0)
            changed.append(it.key());
        it = it->isEmpty() ? m_incoming.erase(it) : std::next(it);
    }
    rescheduleExpiry();
    for (qint64 id : std::as_const(changed))
        Q_EMIT typingChanged(id);
}

void TypingTracker::rescheduleExpiry()
{
    qint64 earliest = -1;
    for (const QList<Incoming> &list : std::as_const(m_incoming)) {
        for (const Incoming &in : list) {
            const qint64 left = in.expires.remainingTime();
            if (earliest < 0 || left < earliest)
                earliest = left;
        }
    }
    if (earliest < 0)
        m_expiryTimer.stop();
    else
        m_expiryTimer.start(int(std::max<qint64>(earliest, 0)));
}

void TypingTracker::clearAll()
{
    for (Outgoing &out : m_outgoing)
        delete out.idle;
    m_outgoing.clear();
    const QList<qint64> ids = m_incoming.keys();
    m_incoming.clear();
    m_expiryTimer.stop();
    for (qint64 id : ids)
        Q_EMIT typingChanged(id);
}

} // namespace Client
