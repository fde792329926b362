#include "Notifier.h"

#include "store/LocalStore.h"
#include "sync/SyncEngine.h"
#include "text/DisplayText.h"

namespace Client {

Notifier::Notifier(SyncEngine *sync, LocalStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    connect(sync, &SyncEngine::messageArrived, this, &Notifier::onMessage);
}

void Notifier::onMessage(const Protocol::MessageRecord &message)
{
    if (message.isEvent() || message.senderId == m_store->selfId()
        || message.conversationId == m_onScreen)
        return;
    const auto conversation = m_store->conversation(message.conversationId);
    if (conversation && conversation->muted)
        return;
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
    Q_EMIT notify(n);
}

} // namespace Client
