#pragma once

#include "protocol/MessageBody.h"
#include "protocol/Records.h"
#include "store/LocalTypes.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>

namespace Client {

class LocalStore;
class SyncEngine;

//! What the app needs to show a notification for one message.
struct Notification
{
    qint64 conversationId = 0;
    qint64 seq = 0;
    qint64 senderId = 0;
    QString senderName;
    QString conversationName;
    QString preview;
    qint64 timestamp = 0;
};

//! Decides which arriving messages deserve a notification: messages from others (not membership
//! events), in a conversation that is neither on screen nor muted — except that a mention of
//! this user notifies even when muted. Silent entries (reactions, edits) do not notify, except a
//! reaction to this user's own message ("reacted 👍 to “hello”"). A message from someone this
//! device has not met yet (a new member's first words) waits for the sender's name, which
//! SyncEngine is fetching, up to SenderWaitMs; then it is shown without it.
//!
//! It remembers, per conversation, the message it last notified: when the store's text of that
//! message changes (an edit the store applied: the sender's own, within its time), updated()
//! tells the new preview; when it is deleted for everyone, expires or is hidden, withdrawn().
class Notifier : public QObject
{
    Q_OBJECT
public:
    Notifier(SyncEngine *sync, LocalStore *store, QObject *parent = nullptr);

    static constexpr int SenderWaitMs = 2000;

    //! The conversation the user is looking at (0: none, e.g. the window is hidden).
    void setConversationOnScreen(qint64 conversationId) { m_onScreen = conversationId; }
    qint64 conversationOnScreen() const { return m_onScreen; }

Q_SIGNALS:
    void notify(const Notification &notification);
    //! The message last notified in its conversation now reads differently (edited).
    void updated(const Notification &notification);
    //! The message last notified in this conversation is gone (deleted, expired or hidden).
    void withdrawn(qint64 conversationId);

private:
    void onMessage(const Protocol::MessageRecord &message);
    void onReaction(const Protocol::MessageRecord &message,
                    const Protocol::Body::MessageBody &body);
    //! Notifies now, or once the sender's name is known.
    void deliver(const Protocol::MessageRecord &message);
    void onUsersChanged(const QList<qint64> &userIds);
    Notification describe(const Protocol::MessageRecord &message) const;
    //! Emits notify() and remembers it as the conversation's last.
    void emitNotify(const Notification &notification);
    void onMessagesUpdated(qint64 conversationId, const QList<StoredMessage> &messages);

    LocalStore *m_store;
    qint64 m_onScreen = 0;
    //! Messages waiting for their sender's name, by sender.
    QHash<qint64, QList<Protocol::MessageRecord>> m_waitingForSender;
    //! The notification last emitted per conversation (its preview as last told).
    QHash<qint64, Notification> m_lastNotified;
};

} // namespace Client
