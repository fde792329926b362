#include "Hub.h"

#include "Session.h"

#include "storage/Store.h"

#include <QPointer>
#include <QVariant>

namespace Server {

Hub::Hub(Store *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
}

Hub::~Hub() = default;

bool Hub::addSession(Session *session)
{
    OnlineUser &user = m_online[session->userId()];
    user.sessions.append(session);
    ++m_sessionCount;
    return user.sessions.size() == 1;
}

bool Hub::removeSession(Session *session)
{
    auto it = m_online.find(session->userId());
    if (it == m_online.end())
        return false;
    if (it->sessions.removeOne(session))
        --m_sessionCount;
    if (!it->sessions.isEmpty())
        return false;
    m_online.erase(it);
    return true;
}

void Hub::addTransferSession(Session *session)
{
    m_transfers[session->userId()].append(session);
}

void Hub::removeTransferSession(Session *session)
{
    auto it = m_transfers.find(session->userId());
    if (it == m_transfers.end())
        return;
    it->removeOne(session);
    if (it->isEmpty())
        m_transfers.erase(it);
}

OnlineUser *Hub::onlineUser(qint64 userId)
{
    auto it = m_online.find(userId);
    return it == m_online.end() ? nullptr : &*it;
}

const QList<Session *> &Hub::sessionsOf(qint64 userId) const
{
    static const QList<Session *> none;
    const auto it = m_online.constFind(userId);
    return it == m_online.constEnd() ? none : it->sessions;
}

int Hub::sendToUsers(const QList<qint64> &userIds, const QByteArray &bytes, const Session *except)
{
    int sent = 0;
    for (qint64 userId : userIds)
        sent += sendToUser(userId, bytes, except);
    return sent;
}

int Hub::sendToUser(qint64 userId, const QByteArray &bytes, const Session *except)
{
    const auto it = m_online.constFind(userId);
    if (it == m_online.constEnd())
        return 0;
    int sent = 0;
    for (Session *session : it->sessions) {
        if (session != except) {
            session->sendBytes(bytes);
            ++sent;
        }
    }
    return sent;
}

void Hub::withMembers(qint64 conversationId, QObject *context,
                      std::function<void(const ConversationMembers &)> done)
{
    CacheEntry &entry = m_conversations[conversationId];
    if (entry.loaded) {
        done(entry.members);
        return;
    }
    entry.waiters.append({QPointer<QObject>(context), std::move(done)});
    if (entry.waiters.size() > 1)
        return; // a load is under way

    const quint64 generation = entry.generation;
    m_store->read(
        this,
        [conversationId](Database &db) {
            ConversationMembers members;
            QSqlQuery &q = db.prepare(QStringLiteral(
                "SELECT c.kind, m.user_id FROM conversations c JOIN members m "
                "ON m.conversation_id = c.id WHERE c.id = ? ORDER BY m.joined_seq, m.user_id"));
            q.addBindValue(conversationId);
            db.exec(q);
            while (q.next()) {
                members.kind = Protocol::ConversationKind(q.value(0).toInt());
                members.userIds.append(q.value(1).toLongLong());
            }
            return members;
        },
        [this, conversationId, generation](const Result<ConversationMembers> &result) {
            auto it = m_conversations.find(conversationId);
            if (it == m_conversations.end())
                return;
            auto waiters = std::move(it->waiters);
            it->waiters.clear();
            if (!it->loaded && it->generation == generation && result.ok()) {
                it->members = *result;
                it->loaded = true;
            }
            const ConversationMembers members = it->loaded ? it->members : ConversationMembers {};
            for (auto &[waiterContext, callback] : waiters) {
                if (waiterContext)
                    callback(members);
            }
        });
}

void Hub::setMembers(qint64 conversationId, ConversationMembers members)
{
    CacheEntry &entry = m_conversations[conversationId];
    entry.members = std::move(members);
    entry.loaded = true;
    entry.generation = ++m_generation;
    auto waiters = std::move(entry.waiters);
    entry.waiters.clear();
    for (auto &[context, callback] : waiters) {
        if (context)
            callback(entry.members);
    }
}

} // namespace Server
