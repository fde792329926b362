#pragma once

#include <QDeadlineTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

namespace Client {

class Connection;

//! Typing indicators, both ways.
//!
//! Outgoing: the app calls userTyping() on every edit. A `typing active` goes out at most once per
//! repeat interval (~3 s, inside the server's 5 s expiry) while edits continue, and `typing
//! inactive` after the idle interval without edits or when the message is sent (userStopped()).
//!
//! Incoming: the server's typing events, each valid for its `expiresIn`; states that are not
//! refreshed in time, and all of them when the connection drops, expire here without waiting for
//! the server's own `active: false`.
class TypingTracker : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        int repeatIntervalMs = 3000;
        int idleTimeoutMs = 4000;
    };

    explicit TypingTracker(Connection *connection, QObject *parent = nullptr);
    TypingTracker(Connection *connection, Settings settings, QObject *parent = nullptr);

    void userTyping(qint64 conversationId);
    void userStopped(qint64 conversationId);

    //! Users typing in a conversation now, in the order they started.
    QList<qint64> typingUsers(qint64 conversationId) const;
    //! A typing event from the server.
    void applyTyping(qint64 conversationId, qint64 userId, bool active, int expiresInMs);
    //! The user's message arrived: they have stopped typing it.
    void clearUser(qint64 conversationId, qint64 userId);

Q_SIGNALS:
    void typingChanged(qint64 conversationId);

private:
    struct Outgoing
    {
        QDeadlineTimer repeatAfter;
        QTimer *idle = nullptr;
    };
    struct Incoming
    {
        qint64 userId = 0;
        QDeadlineTimer expires;
    };

    void sendTyping(qint64 conversationId, bool active);
    void expire();
    void rescheduleExpiry();
    void clearAll();

    Connection *m_connection;
    Settings m_settings;
    QHash<qint64, Outgoing> m_outgoing;
    QHash<qint64, QList<Incoming>> m_incoming;
    QTimer m_expiryTimer;
};

} // namespace Client
