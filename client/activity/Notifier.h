#pragma once

#include "protocol/Records.h"

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
//! events), in a conversation that is neither on screen nor muted.
class Notifier : public QObject
{
    Q_OBJECT
public:
    Notifier(SyncEngine *sync, LocalStore *store, QObject *parent = nullptr);

    //! The conversation the user is looking at (0: none, e.g. the window is hidden).
    void setConversationOnScreen(qint64 conversationId) { m_onScreen = conversationId; }
    qint64 conversationOnScreen() const { return m_onScreen; }

Q_SIGNALS:
    void notify(const Notification &notification);

private:
    void onMessage(const Protocol::MessageRecord &message);

    LocalStore *m_store;
    qint64 m_onScreen = 0;
};

} // namespace Client
