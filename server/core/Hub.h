#pragma once

#include "protocol/Protocol.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>

#include <functional>
#include <memory>

namespace Server {

class Session;
class Store;

//! Members of a conversation, as the socket thread caches them for fan-out.
struct ConversationMembers
{
    Protocol::ConversationKind kind = Protocol::ConversationKind::Direct;
    QList<qint64> userIds;

    bool contains(qint64 userId) const { return userIds.contains(userId); }
};

//! A signed-in user with at least one live connection.
struct OnlineUser
{
    QList<Session *> sessions;
    QSet<qint64> contacts; //!< users who share a conversation: they see this user's presence
    bool contactsLoaded = false;
    bool hideLastSeen = false;
    bool sendReadReceipts = true;
    Protocol::PresenceState presence = Protocol::PresenceState::Online;
};

//! Who is online and in which conversations: the routing table of the socket thread.
//! Fan-out sends one serialised frame to every online device of a list of users, so the cost
//! of an event is one encode plus one write per device, never a scan of all connections.
class Hub : public QObject
{
    Q_OBJECT
public:
    explicit Hub(Store *store, QObject *parent = nullptr);
    ~Hub() override;

    //! Registers an authenticated session. True when it is the user's first live connection.
    bool addSession(Session *session);
    //! Forgets a session. True when it was the user's last live connection.
    bool removeSession(Session *session);

    //! Transfer connections (blob.* only): not online, no events; kept so that signing a device
    //! out closes them too.
    void addTransferSession(Session *session);
    void removeTransferSession(Session *session);
    QList<Session *> transferSessionsOf(qint64 userId) const { return m_transfers.value(userId); }

    OnlineUser *onlineUser(qint64 userId);
    const QList<Session *> &sessionsOf(qint64 userId) const;
    bool isOnline(qint64 userId) const { return m_online.contains(userId); }
    int onlineUserCount() const { return int(m_online.size()); }
    //! Signed-in connections, over all users.
    int sessionCount() const { return m_sessionCount; }
    QList<qint64> onlineUserIds() const { return m_online.keys(); }

    //! Sends bytes to every live connection of each user, except `except`. Returns the number of
    //! connections written to (for the fan-out metrics).
    int sendToUsers(const QList<qint64> &userIds, const QByteArray &bytes,
                    const Session *except = nullptr);
    int sendToUser(qint64 userId, const QByteArray &bytes, const Session *except = nullptr);

    //! Calls done with the members of a conversation, from the cache or after loading them.
    //! done is not called when context is gone by then.
    void withMembers(qint64 conversationId, QObject *context,
                     std::function<void(const ConversationMembers &)> done);
    //! Replaces the cached members after a membership change committed.
    void setMembers(qint64 conversationId, ConversationMembers members);

private:
    struct CacheEntry
    {
        ConversationMembers members;
        bool loaded = false;
        quint64 generation = 0;
        QList<std::pair<QPointer<QObject>, std::function<void(const ConversationMembers &)>>>
            waiters;
    };

    Store *m_store;
    QHash<qint64, OnlineUser> m_online;
    QHash<qint64, QList<Session *>> m_transfers;
    QHash<qint64, CacheEntry> m_conversations;
    quint64 m_generation = 0;
    int m_sessionCount = 0;
};

} // namespace Server
