#include "Notifier.h"

#include "store/LocalStore.h"
#include "sync/SyncEngine.h"
#include "text/DisplayText.h"

#include <QTimer>

namespace Client {

Notifier::Notifier(SyncEngine *sync, LocalStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    connect(sync, &SyncEngine::messageArrived, this, &Notifier::onMessage);
    connect(store, &LocalStore::usersChanged, this, &Notifier::onUsersChanged);
}

void Notifier::onMessage(const Protocol::MessageRecord &message)
{
    if (message.isEvent() || message.senderId == m_store->selfId()
        || message.conversationId == m_onScreen)
        return;
    const auto conversation = m_store->conversation(message.conversationId);
    if (conversation && conversation->muted)
        return;
    if (!m_store->user(message.senderId)) {
        QList<Protocol::MessageRecord> &waiting = m_waitingForSender[message.senderId];
        waiting.append(message);
        if (waiting.size() == 1) {
            const qint64 senderId = message.senderId;
            QTimer::singleShot(SenderWaitMs, this, [this, senderId] {
                for (const Protocol::MessageRecord &late : m_waitingForSender.take(senderId)) {
                    if (late.conversationId != m_onScreen)
                        Q_EMIT notify(describe(late));
                }
            });
        }
        return;
    }
    Q_EMIT notify(describe(message));
}

void Notifier::onUsersChanged(const QList<qint64> &userIds)
{
    for (const qint64 id : userIds) {
        if (!m_store->user(id))
            continue;
        for (const Protocol::MessageRecord &message : m_waitingForSender.take(id)) {
            if (message.conversationId != m_onScreen)
                Q_EMIT notify(describe(message));
        }
    }
}

Notification Notifier::describe(const Protocol::MessageRecord &message) const
{
    const auto conversation = m_store->conversation(message.conversationId);
    const DisplayText::NameLookup nameOf = [this](qint64 id) {
        const auto user = m_store->user(id);
        return user ? user->displayName : QString();
    };
    Notification n;
    n.conversationId = message.conversationId;
    n.seq = message.seq;
    n.senderId = message.senderId;
    n.senderName = nameOf(message.senderId);
    n.conversationName = conversation ? DisplayText::conversationName(*conversation) : QString();
    n.preview = DisplayText::preview(message, nameOf);
    n.timestamp = message.timestamp;
    return n;
}

} // namespace Client
