#include "Notifier.h"

#include "protocol/MessageBody.h"
#include "store/LocalStore.h"
#include "sync/SyncEngine.h"
#include "text/DisplayText.h"

#include <QTimer>

namespace Client {

using namespace Qt::StringLiterals;

Notifier::Notifier(SyncEngine *sync, LocalStore *store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    connect(sync, &SyncEngine::messageArrived, this, &Notifier::onMessage);
    connect(store, &LocalStore::usersChanged, this, &Notifier::onUsersChanged);
    connect(store, &LocalStore::messagesUpdated, this, &Notifier::onMessagesUpdated);
}

void Notifier::onMessage(const Protocol::MessageRecord &message)
{
    namespace Body = Protocol::Body;
    if (message.isEvent() || message.senderId == m_store->selfId()
        || message.conversationId == m_onScreen || !message.erased.isEmpty() || message.hidden)
        return;
    Body::MessageBody body;
    if (message.contentType == Body::ContentType) {
        const Body::DecodedBody decoded = Body::decode(message.content);
        if (decoded.ok())
            body = decoded.body;
    }
    const qint64 self = m_store->selfId();
    const bool mentionsMe =
        std::any_of(body.mentions.cbegin(), body.mentions.cend(),
                    [self](const Body::Mention &m) { return m.userId == self; });
    const auto conversation = m_store->conversation(message.conversationId);
    // A mention of this user notifies even in a muted conversation.
    if (conversation && conversation->muted && !mentionsMe)
        return;
    if (body.kind == Body::Kind::Reaction) {
        onReaction(message, body);
        return;
    }
    if (message.silent || body.kind == Body::Kind::Edit)
        return; // edits and other silent entries never notify
    deliver(message);
}

void Notifier::onReaction(const Protocol::MessageRecord &message,
                          const Protocol::Body::MessageBody &body)
{
    if (body.emoji.isEmpty())
        return;
    // Only a reaction to this user's own message, which the store has to say.
    m_store->storedMessagesFrom(message.conversationId, body.target, body.target + 1)
        .then(this, [this, message, emoji = body.emoji](const QList<StoredMessage> &targets) {
            if (targets.isEmpty() || targets.first().record.senderId != m_store->selfId()
                || message.conversationId == m_onScreen)
                return;
            const QString quoted = DisplayText::preview(targets.first().record, {}, 60);
            Protocol::MessageRecord shown = message;
            shown.contentType = u"text/plain"_s;
            shown.content = u"reacted %1 to \u201c%2\u201d"_s.arg(emoji, quoted).toUtf8();
            deliver(shown);
        });
}

void Notifier::deliver(const Protocol::MessageRecord &message)
{
    if (!m_store->user(message.senderId)) {
        QList<Protocol::MessageRecord> &waiting = m_waitingForSender[message.senderId];
        waiting.append(message);
        if (waiting.size() == 1) {
            const qint64 senderId = message.senderId;
            QTimer::singleShot(SenderWaitMs, this, [this, senderId] {
                for (const Protocol::MessageRecord &late : m_waitingForSender.take(senderId)) {
                    if (late.conversationId != m_onScreen)
                        emitNotify(describe(late));
                }
            });
        }
        return;
    }
    emitNotify(describe(message));
}

void Notifier::onUsersChanged(const QList<qint64> &userIds)
{
    for (const qint64 id : userIds) {
        if (!m_store->user(id))
            continue;
        for (const Protocol::MessageRecord &message : m_waitingForSender.take(id)) {
            if (message.conversationId != m_onScreen)
                emitNotify(describe(message));
        }
    }
}

void Notifier::emitNotify(const Notification &notification)
{
    m_lastNotified.insert(notification.conversationId, notification);
    Q_EMIT notify(notification);
}

void Notifier::onMessagesUpdated(qint64 conversationId, const QList<StoredMessage> &messages)
{
    const auto last = m_lastNotified.find(conversationId);
    if (last == m_lastNotified.end())
        return;
    for (const StoredMessage &stored : messages) {
        if (stored.record.seq != last->seq)
            continue;
        if (!stored.record.erased.isEmpty() || stored.record.hidden) {
            m_lastNotified.erase(last);
            Q_EMIT withdrawn(conversationId);
            return;
        }
        // The store's text: an edit counts only if the store applied it.
        const DisplayText::NameLookup nameOf = [this](qint64 id) {
            const auto user = m_store->user(id);
            return user ? user->displayName : QString();
        };
        const QString preview = DisplayText::preview(stored.record, nameOf);
        if (preview == last->preview)
            return;
        last->preview = preview;
        Q_EMIT updated(*last);
        return;
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
