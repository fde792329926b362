#pragma once

#include "core/ServerContext.h"

#include "protocol/Records.h"

#include <QHash>
#include <QObject>
#include <QTimer>

namespace Server {

class Request;
class Session;

//! Presence (online / away / offline and last seen) and typing indicators. Neither is ever
//! stored except the last-seen time; both are pushed only to people who share a conversation.
class PresenceService : public QObject
{
    Q_OBJECT
public:
    explicit PresenceService(ServerContext context, QObject *parent = nullptr);

    //! A session signed in: registers it with the hub; announces the user when they came online.
    void signedIn(Session *session, const Protocol::ProfileInfo &profile,
                  const QList<qint64> &contacts);
    //! A session went away; the user goes offline (with a stored last seen) after their last one.
    void sessionClosed(Session *session);
    //! The server stops: stores the last seen of everyone online in one write, announces nothing.
    void shutdown();

    //! Fills presence and last seen as viewerId may see them, and drops the avatar they may not:
    //! all of it is only for themselves and for users who share a conversation with them.
    void fillPresence(qint64 viewerId, Protocol::UserInfo &user) const;
    //! Users a and b now share a conversation: each sees the other's presence from now on.
    void introduce(const QList<qint64> &userIds);
    //! userId left (or was removed from) a group whose members are now formerMembers, and still
    //! shares a conversation with `contacts` only: whoever of formerMembers is not among them no
    //! longer sees userId's presence, last seen and avatar, nor userId theirs.
    void separate(qint64 userId, const QList<qint64> &contacts, const QList<qint64> &formerMembers);
    //! Sends an event to the user's online contacts; returns the connections written to.
    int sendToContacts(qint64 userId, const QByteArray &bytes);
    //! The user sent a message: their typing state in that conversation ends.
    void stopTyping(qint64 conversationId, qint64 userId);
    void updatePrivacy(const Protocol::ProfileInfo &profile);

private:
    void handleSetPresence(const Request &request);
    void handleTyping(const Request &request);
    void publish(qint64 userId, Protocol::PresenceState state, qint64 lastSeen);
    Protocol::PresenceState aggregate(qint64 userId) const;
    void sendTyping(qint64 conversationId, qint64 userId, bool active);
    void expireTyping();

    ServerContext m_context;
    struct TypingKey
    {
        qint64 conversationId;
        qint64 userId;
        bool operator==(const TypingKey &) const = default;
    };
    friend size_t qHash(const TypingKey &key, size_t seed)
    {
        return qHashMulti(seed, key.conversationId, key.userId);
    }
    QHash<TypingKey, qint64> m_typing; //!< deadline (ms since epoch)
    QTimer m_typingTimer;
};

} // namespace Server
