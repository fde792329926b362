#include "SyncEngine.h"

#include "ClientLogging.h"
#include "connection/Connection.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QCborArray>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::MessageRecord;

SyncEngine::SyncEngine(Connection *connection, LocalStore *store, QObject *parent)
    : SyncEngine(connection, store, Settings {}, parent)
{
}

SyncEngine::SyncEngine(Connection *connection, LocalStore *store, Settings settings,
                       QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_store(store)
    , m_settings(settings)
{
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(m_settings.refreshDelayMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        const QSet<qint64> ids = std::exchange(m_refreshPending, {});
        for (qint64 id : ids)
            refreshConversation(id);
    });

    connect(m_connection, &Connection::signedIn, this,
            [this](const Protocol::ProfileInfo &profile) {
                m_store->setProfile(profile);
                m_usersRequested.clear();
                syncNow();
            });
    connect(m_connection, &Connection::eventReceived, this, &SyncEngine::applyEvent);
}

void SyncEngine::syncNow()
{
    if (!m_connection->isSignedIn())
        return; // the next sign-in syncs
    if (m_running) {
        m_again = true;
        return;
    }
    m_running = true;
    m_again = false;
    requestPage();
}

void SyncEngine::requestPage()
{
    QCborArray cursors;
    for (const auto &[conversationId, seq] : m_store->syncCursors())
        cursors.append(QCborArray {conversationId, seq});
    // hiddenAfter: hides of old entries made on other devices since the last sync.
    Request *request = m_connection->send(Protocol::Request::Sync,
                                          {{"cursors"_L1, cursors},
                                           {"limit"_L1, m_settings.pageLimit},
                                           {"hiddenAfter"_L1, m_store->hiddenCursor()}});
    connect(request, &Request::finished, this, [this](const Reply &reply) {
        if (!reply.isOk()) {
            qCInfo(lcClientSync).noquote() << "sync failed:" << reply.describe();
            m_running = false;
            // Lost connection: the next sign-in syncs again. The server's trouble: try once more.
            if (reply.origin == Reply::Origin::Server && reply.isRetryable())
                QTimer::singleShot(std::max<qint64>(reply.retryAfterMs, 1000), this,
                                   &SyncEngine::syncNow);
            return;
        }
        Protocol::Frame page;
        page.body = reply.body;
        onPage(page, reply.body.value("more"_L1).toBool());
    });
}

void SyncEngine::onPage(const Protocol::Frame &page, bool more)
{
    SyncPage stored;
    for (const QCborValue &value : page.body.value("conversations"_L1).toArray())
        stored.conversations.append(Protocol::ConversationInfo::fromCbor(value.toMap()));
    for (const QCborValue &value : page.body.value("messages"_L1).toArray())
        stored.messages.append(MessageRecord::fromCbor(value.toMap()));
    for (const QCborValue &value : page.body.value("hidden"_L1).toArray()) {
        const QCborArray pair = value.toArray();
        if (pair.size() == 2)
            stored.hidden.append({pair.at(0).toInteger(), pair.at(1).toInteger()});
    }
    if (page.body.contains("hiddenCursor"_L1))
        stored.hiddenCursor = page.body.value("hiddenCursor"_L1).toInteger();
    qCDebug(lcClientSync) << "sync page:" << stored.conversations.size() << "conversations,"
                          << stored.messages.size() << "entries; more:" << more;

    // One transaction on the store's thread; the next page is asked for once this one is in,
    // from the cursors it moved.
    const QList<Protocol::ConversationInfo> conversations = stored.conversations;
    m_store->storeSyncPage(stored).then(
        this, [this, conversations, more](const QList<MessageRecord> &added) {
            for (const Protocol::ConversationInfo &c : conversations) {
                if (c.kind == Protocol::ConversationKind::Group && m_store->members(c.id).isEmpty())
                    scheduleRefresh(c.id);
            }
            afterMessages(added);
            if (more)
                requestPage();
            else
                finishPass();
        });
}

void SyncEngine::finishPass()
{
    m_running = false;
    if (m_again) {
        syncNow();
        return;
    }
    m_connection->markSynced();
    Q_EMIT synced();
}

void SyncEngine::afterMessages(const QList<MessageRecord> &messages)
{
    // Delivery of what arrived is owed in the store with the entries (ReceiptSender sends it).
    QList<qint64> users;
    for (const MessageRecord &m : messages) {
        users.append(m.senderId);
        if (m.isEvent()) {
            users += m.event->userIds;
            scheduleRefresh(m.conversationId); // members, roles or the name changed
        }
    }
    fetchUsers(m_store->missingUsers(users));
}

void SyncEngine::applyEvent(const Protocol::Frame &event)
{
    const QCborMap &body = event.body;
    if (event.type == Protocol::Event::Message) {
        const MessageRecord message = MessageRecord::fromCbor(body.value("message"_L1).toMap());
        const bool known = m_store->conversation(message.conversationId).has_value();
        m_store->addMessages({message}).then(
            this, [this, message, known](const QList<MessageRecord> &added) {
                if (!known)
                    scheduleRefresh(message.conversationId);
                // The store's cursor passes only entries that are all there: one that stops short
                // of this entry has a gap below it, which never reached this device.
                const qint64 synced = m_store->syncedSeq(message.conversationId);
                if (synced >= 0 && synced < message.seq)
                    syncNow();
                afterMessages(added);
                for (const MessageRecord &m : added)
                    Q_EMIT messageArrived(m);
            });
    } else if (event.type == Protocol::Event::Conversation) {
        const auto conversation =
            Protocol::ConversationInfo::fromCbor(body.value("conversation"_L1).toMap());
        m_store->upsertConversations({conversation});
        if (conversation.kind == Protocol::ConversationKind::Group)
            scheduleRefresh(conversation.id);
    } else if (event.type == Protocol::Event::Receipt) {
        const auto receipt = Protocol::ReceiptInfo::fromCbor(body);
        m_store->applyReceipt(receipt);
        const auto conversation = m_store->conversation(receipt.conversationId);
        if (conversation && conversation->kind == Protocol::ConversationKind::Group)
            scheduleRefresh(receipt.conversationId); // the group's minimum cursors moved
    } else if (event.type == Protocol::Event::Typing) {
        Q_EMIT typingReceived(body.value("conversationId"_L1).toInteger(),
                              body.value("userId"_L1).toInteger(), body.value("active"_L1).toBool(),
                              int(body.value("expiresIn"_L1).toInteger()));
    } else if (event.type == Protocol::Event::Presence) {
        m_store->setPresence(body.value("userId"_L1).toInteger(),
                             Protocol::presenceFromName(body.value("presence"_L1).toString()),
                             body.value("lastSeen"_L1).toInteger());
    } else if (event.type == Protocol::Event::Hidden) {
        // Deleted for me on another device of this user.
        QList<qint64> seqs;
        for (const QCborValue &seq : body.value("seqs"_L1).toArray())
            seqs.append(seq.toInteger());
        m_store->hide(body.value("conversationId"_L1).toInteger(), seqs);
    } else if (event.type == Protocol::Event::User) {
        m_store->upsertUsers({Protocol::UserInfo::fromCbor(body.value("user"_L1).toMap())});
    } else {
        qCDebug(lcClientSync) << "ignoring event" << event.type;
    }
}

void SyncEngine::fetchHistory(qint64 conversationId, qint64 beforeSeq, int limit)
{
    if (m_historyInFlight.contains(conversationId))
        return;
    m_historyInFlight.insert(conversationId);
    QCborMap fields {{"conversationId"_L1, conversationId}, {"limit"_L1, limit}};
    if (beforeSeq > 0)
        fields.insert("before"_L1, beforeSeq);
    Request *request = m_connection->send(Protocol::Request::History, fields);
    connect(request, &Request::finished, this, [this, conversationId](const Reply &reply) {
        m_historyInFlight.remove(conversationId);
        if (!reply.isOk()) {
            Q_EMIT historyLoaded(conversationId, true, false);
            return;
        }
        QList<MessageRecord> messages;
        for (const QCborValue &value : reply.body.value("messages"_L1).toArray())
            messages.append(MessageRecord::fromCbor(value.toMap()));
        const bool more = reply.body.value("more"_L1).toBool();
        m_store->addMessages(messages).then(
            this, [this, conversationId, more](const QList<MessageRecord> &added) {
                afterMessages(added);
                Q_EMIT historyLoaded(conversationId, more, true);
            });
    });
}

void SyncEngine::refreshConversation(qint64 conversationId)
{
    Request *request = m_connection->send(Protocol::Request::GetConversation,
                                          {{"conversationId"_L1, conversationId}});
    connect(request, &Request::finished, this, [this, conversationId](const Reply &reply) {
        if (reply.error == Protocol::ErrorCode::NotMember) {
            syncNow(); // left or removed: the sync's conversation list marks it inactive
            return;
        }
        if (!reply.isOk())
            return;
        m_store->upsertConversations(
            {Protocol::ConversationInfo::fromCbor(reply.body.value("conversation"_L1).toMap())});
        QList<Protocol::MemberInfo> members;
        for (const QCborValue &value : reply.body.value("members"_L1).toArray())
            members.append(Protocol::MemberInfo::fromCbor(value.toMap()));
        m_store->setMembers(conversationId, members);
    });
}

void SyncEngine::scheduleRefresh(qint64 conversationId)
{
    m_refreshPending.insert(conversationId);
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void SyncEngine::fetchUsers(QList<qint64> ids)
{
    ids.removeIf([this](qint64 id) { return m_usersRequested.contains(id); });
    if (ids.isEmpty())
        return;
    for (qint64 id : std::as_const(ids))
        m_usersRequested.insert(id);
    for (qsizetype start = 0; start < ids.size(); start += Protocol::Limits::MaxUserIds) {
        QCborArray batch;
        for (qint64 id : ids.mid(start, Protocol::Limits::MaxUserIds))
            batch.append(id);
        Request *request = m_connection->send(Protocol::Request::GetUsers, {{"userIds"_L1, batch}});
        connect(request, &Request::finished, this, [this](const Reply &reply) {
            QList<Protocol::UserInfo> users;
            for (const QCborValue &value : reply.body.value("users"_L1).toArray())
                users.append(Protocol::UserInfo::fromCbor(value.toMap()));
            m_store->upsertUsers(users);
        });
    }
}

} // namespace Client
