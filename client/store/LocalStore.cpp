#include "LocalStore.h"

#include "ClientLogging.h"
#include "store/StoreDatabase.h"
#include "store/StoreThread.h"

#include <QDateTime>
#include <QUuid>

#include <algorithm>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::MessageRecord;

namespace {

bool bySendOrder(const OutboxEntry &a, const OutboxEntry &b)
{
    return a.position < b.position;
}

} // namespace

LocalStore::LocalStore(QObject *parent)
    : QObject(parent)
    , m_db(std::make_unique<StoreDatabase>())
    , m_searchGeneration(std::make_shared<std::atomic<quint64>>(0))
{
    m_expiryTimer.setSingleShot(true);
    m_expiryTimer.setTimerType(Qt::PreciseTimer); // a coarse timer may fire before the expiry
    connect(&m_expiryTimer, &QTimer::timeout, this, &LocalStore::expireNow);
}

LocalStore::~LocalStore()
{
    close();
}

template<typename T>
QFuture<T> LocalStore::enqueue(std::function<T(StoreDatabase &, StoreChanges &)> job)
{
    if (!m_thread)
        return {}; // closed: a canceled future
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    QFuture<T> future = promise->future();
    StoreDatabase *db = m_db.get();
    // The answer comes back through this object's event queue, so answers are applied in the
    // order the jobs ran. A store destroyed meanwhile drops them (its promises then cancel).
    m_thread->post([this, db, job = std::move(job), promise] {
        auto changes = std::make_shared<StoreChanges>();
        if constexpr (std::is_void_v<T>) {
            job(*db, *changes);
            QMetaObject::invokeMethod(
                this,
                [this, changes, promise] {
                    apply(*changes);
                    promise->finish();
                },
                Qt::QueuedConnection);
        } else {
            auto result = std::make_shared<T>(job(*db, *changes));
            QMetaObject::invokeMethod(
                this,
                [this, changes, promise, result] {
                    apply(*changes);
                    promise->addResult(std::move(*result));
                    promise->finish();
                },
                Qt::QueuedConnection);
        }
    });
    return future;
}

// LocalStoreRich.cpp queues jobs of these kinds too.
template QFuture<void> LocalStore::enqueue(std::function<void(StoreDatabase &, StoreChanges &)>);
template QFuture<QList<StoredMessage>>
    LocalStore::enqueue(std::function<QList<StoredMessage>(StoreDatabase &, StoreChanges &)>);
template QFuture<QList<EditInfo>>
    LocalStore::enqueue(std::function<QList<EditInfo>(StoreDatabase &, StoreChanges &)>);
// LocalStoreMedia.cpp too.
template QFuture<bool> LocalStore::enqueue(std::function<bool(StoreDatabase &, StoreChanges &)>);
template QFuture<QList<UploadRow>>
    LocalStore::enqueue(std::function<QList<UploadRow>(StoreDatabase &, StoreChanges &)>);
template QFuture<QList<DownloadRow>>
    LocalStore::enqueue(std::function<QList<DownloadRow>(StoreDatabase &, StoreChanges &)>);
template QFuture<QStringList>
    LocalStore::enqueue(std::function<QStringList(StoreDatabase &, StoreChanges &)>);

QFuture<bool> LocalStore::open(const QString &filePath)
{
    close();
    m_thread = std::make_unique<StoreThread>(u"local-store"_s);
    m_filePath = filePath;
    m_error.clear();
    return enqueue<bool>([filePath](StoreDatabase &db, StoreChanges &changes) {
        QString error;
        if (!db.open(filePath, false, &error)) {
            changes.openError = error.isEmpty() ? u"cannot open %1"_s.arg(filePath) : error;
            return false;
        }
        // Whatever expired while the app was not running goes before anything is shown.
        db.expire(QDateTime::currentMSecsSinceEpoch(), changes);
        changes.messagesUpdated.clear(); // nothing shows them yet: the snapshot follows
        changes.snapshot = std::make_shared<StoreSnapshot>(db.snapshot());
        return true;
    });
}

void LocalStore::close()
{
    if (m_searchThread) {
        ++*m_searchGeneration; // a search still running stops
        m_searchThread->post([db = m_searchDb.get()] { db->close(); });
        m_searchThread->stop();
        m_searchThread.reset();
        m_searchDb.reset();
    }
    if (m_thread) {
        // Everything queued is written before the connection closes.
        m_thread->post([db = m_db.get()] { db->close(); });
        m_thread->stop();
        m_thread.reset();
    }
    m_expiryTimer.stop();
    m_open = false;
}

QFuture<void> LocalStore::idle()
{
    return enqueue<void>([](StoreDatabase &, StoreChanges &) {});
}

void LocalStore::applySnapshot(const StoreSnapshot &snapshot)
{
    m_profile = snapshot.profile;
    m_users.clear();
    for (const Protocol::UserInfo &user : snapshot.users)
        m_users.insert(user.id, user);
    m_conversations.clear();
    m_drafts.clear();
    for (const ConversationSummary &summary : snapshot.conversations) {
        m_conversations.insert(summary.info.id, summary);
        if (!summary.draft.isEmpty())
            m_drafts.insert(summary.info.id, summary.draft);
    }
    m_members = snapshot.members;
    m_outbox = snapshot.outbox;
    std::sort(m_outbox.begin(), m_outbox.end(), bySendOrder);
    m_unsent.clear();
    for (const UnsentReceipt &owed : snapshot.unsent)
        m_unsent.insert(owed.conversationId, owed);
    m_hiddenCursor = snapshot.hiddenCursor;
}

void LocalStore::apply(const StoreChanges &changes)
{
    if (!changes.openError.isEmpty())
        m_error = changes.openError;
    if (changes.snapshot) {
        applySnapshot(*changes.snapshot);
        m_open = true;
    }
    QList<qint64> userIds;
    for (const Protocol::UserInfo &user : changes.users) {
        m_users.insert(user.id, user);
        userIds.append(user.id);
    }
    for (const ConversationSummary &summary : changes.conversations)
        m_conversations.insert(summary.info.id, summary);
    for (const auto &[conversationId, members] : changes.members)
        m_members.insert(conversationId, members);
    for (const auto &removed : changes.outboxRemoved) {
        const QString &clientId = removed.second;
        m_outbox.removeIf([&clientId](const OutboxEntry &e) { return e.clientId == clientId; });
    }
    for (const OutboxEntry &entry : changes.outboxAdded)
        m_outbox.append(entry);
    for (const OutboxEntry &entry : changes.outboxChanged) {
        for (OutboxEntry &held : m_outbox) {
            if (held.clientId == entry.clientId)
                held = entry;
        }
    }
    if (!changes.outboxAdded.isEmpty() || !changes.outboxChanged.isEmpty())
        std::sort(m_outbox.begin(), m_outbox.end(), bySendOrder);
    for (const UnsentReceipt &owed : changes.unsent) {
        if (owed.readSeq == 0 && owed.deliveredSeq == 0)
            m_unsent.remove(owed.conversationId);
        else
            m_unsent.insert(owed.conversationId, owed);
    }
    if (changes.hiddenCursor >= 0)
        m_hiddenCursor = std::max(m_hiddenCursor, changes.hiddenCursor);
    if (changes.nextExpiry >= 0)
        scheduleExpiry(changes.nextExpiry);

    // Announced in the order readers rely on: names before the entries that use them, entries
    // before the acknowledgements that replace pending rows, the records last.
    if (!userIds.isEmpty())
        Q_EMIT usersChanged(userIds);
    for (const auto &[conversationId, messages] : changes.messagesAdded)
        Q_EMIT messagesAdded(conversationId, messages);
    for (const auto &[conversationId, messages] : changes.messagesUpdated)
        Q_EMIT messagesUpdated(conversationId, messages);
    for (const auto &[conversationId, clientId] : changes.outboxRemoved)
        Q_EMIT outboxEntryRemoved(conversationId, clientId);
    for (const OutboxEntry &entry : changes.outboxAdded)
        Q_EMIT outboxEntryAdded(entry);
    for (const OutboxEntry &entry : changes.outboxChanged)
        Q_EMIT outboxEntryChanged(entry);
    for (const auto &[conversationId, members] : changes.members)
        Q_EMIT membersChanged(conversationId);
    for (qint64 conversationId : changes.receiptOwed)
        Q_EMIT receiptOwed(conversationId);
    for (const ConversationSummary &summary : changes.conversations)
        Q_EMIT conversationChanged(summary.info.id);
    if (changes.snapshot)
        Q_EMIT loaded();
}

std::optional<Protocol::UserInfo> LocalStore::user(qint64 id) const
{
    const auto it = m_users.constFind(id);
    return it == m_users.cend() ? std::nullopt : std::optional(*it);
}

QList<qint64> LocalStore::missingUsers(const QList<qint64> &ids) const
{
    QList<qint64> missing;
    for (qint64 id : ids) {
        if (id > 0 && !missing.contains(id) && !m_users.contains(id))
            missing.append(id);
    }
    return missing;
}

ConversationSummary LocalStore::filledIn(ConversationSummary summary) const
{
    // Users change without their conversations: the peer as it is now.
    if (summary.info.peer) {
        const auto it = m_users.constFind(summary.info.peer->id);
        if (it != m_users.cend())
            summary.info.peer = *it;
    }
    summary.draft = m_drafts.value(summary.info.id);
    return summary;
}

std::optional<Protocol::ConversationInfo> LocalStore::conversation(qint64 id) const
{
    const auto it = m_conversations.constFind(id);
    if (it == m_conversations.cend())
        return std::nullopt;
    return filledIn(*it).info;
}

QList<qint64> LocalStore::conversationIds() const
{
    QList<qint64> ids = m_conversations.keys();
    std::sort(ids.begin(), ids.end());
    return ids;
}

QList<ConversationSummary> LocalStore::summaries() const
{
    QList<ConversationSummary> list;
    list.reserve(m_conversations.size());
    for (const ConversationSummary &summary : m_conversations)
        list.append(filledIn(summary));
    return list;
}

std::optional<ConversationSummary> LocalStore::summary(qint64 id) const
{
    const auto it = m_conversations.constFind(id);
    if (it == m_conversations.cend())
        return std::nullopt;
    return filledIn(*it);
}

QList<QPair<qint64, qint64>> LocalStore::syncCursors() const
{
    QList<QPair<qint64, qint64>> cursors;
    for (const ConversationSummary &summary : m_conversations) {
        if (summary.active && summary.syncedSeq >= 0)
            cursors.append({summary.info.id, summary.syncedSeq});
    }
    std::sort(cursors.begin(), cursors.end());
    return cursors;
}

qint64 LocalStore::syncedSeq(qint64 conversationId) const
{
    const auto it = m_conversations.constFind(conversationId);
    return it == m_conversations.cend() ? -1 : it->syncedSeq;
}

QList<Protocol::MemberInfo> LocalStore::members(qint64 conversationId) const
{
    QList<Protocol::MemberInfo> members = m_members.value(conversationId);
    for (Protocol::MemberInfo &member : members) {
        const auto it = m_users.constFind(member.user.id);
        if (it != m_users.cend())
            member.user = *it;
    }
    return members;
}

QList<OutboxEntry> LocalStore::outbox(qint64 conversationId) const
{
    if (conversationId == 0)
        return m_outbox;
    QList<OutboxEntry> entries;
    for (const OutboxEntry &entry : m_outbox) {
        if (entry.conversationId == conversationId)
            entries.append(entry);
    }
    return entries;
}

std::optional<OutboxEntry> LocalStore::outboxEntry(const QString &clientId) const
{
    for (const OutboxEntry &entry : m_outbox) {
        if (entry.clientId == clientId)
            return entry;
    }
    return std::nullopt;
}

QList<UnsentReceipt> LocalStore::unsentReceipts() const
{
    QList<UnsentReceipt> list = m_unsent.values();
    std::sort(list.begin(), list.end(), [](const UnsentReceipt &a, const UnsentReceipt &b) {
        return a.conversationId < b.conversationId;
    });
    return list;
}

UnsentReceipt LocalStore::unsentReceipt(qint64 conversationId) const
{
    return m_unsent.value(conversationId, UnsentReceipt {conversationId, 0, 0});
}

QFuture<void> LocalStore::setProfile(const Protocol::ProfileInfo &profile)
{
    // Who the user is comes from the server at sign-in and is needed at once (own messages,
    // the settings screen): held here now, written behind.
    m_profile = profile;
    Q_EMIT profileChanged();
    return enqueue<void>(
        [profile](StoreDatabase &db, StoreChanges &changes) { db.setProfile(profile, changes); });
}

QFuture<void> LocalStore::upsertUsers(const QList<Protocol::UserInfo> &users)
{
    if (users.isEmpty())
        return QtFuture::makeReadyFuture();
    return enqueue<void>(
        [users](StoreDatabase &db, StoreChanges &changes) { db.upsertUsers(users, changes); });
}

QFuture<void> LocalStore::setPresence(qint64 userId, Protocol::PresenceState presence,
                                      qint64 lastSeen)
{
    return enqueue<void>([=](StoreDatabase &db, StoreChanges &changes) {
        db.setPresence(userId, presence, lastSeen, changes);
    });
}

QFuture<void>
LocalStore::upsertConversations(const QList<Protocol::ConversationInfo> &conversations)
{
    if (conversations.isEmpty())
        return QtFuture::makeReadyFuture();
    return enqueue<void>([conversations](StoreDatabase &db, StoreChanges &changes) {
        db.upsertConversations(conversations, changes);
    });
}

namespace {
QList<MessageRecord> flatten(const StoreChanges &changes)
{
    QList<MessageRecord> all;
    for (const auto &[conversationId, messages] : changes.messagesAdded)
        all += messages;
    return all;
}
} // namespace

QFuture<QList<MessageRecord>> LocalStore::storeSyncPage(const SyncPage &page)
{
    return enqueue<QList<MessageRecord>>([page](StoreDatabase &db, StoreChanges &changes) {
        db.applySyncPage(page, changes);
        return flatten(changes);
    });
}

QFuture<bool> LocalStore::markRead(qint64 conversationId, qint64 seq, bool oweReadReceipt)
{
    return enqueue<bool>([=](StoreDatabase &db, StoreChanges &changes) {
        return db.markRead(conversationId, seq, oweReadReceipt, changes);
    });
}

void LocalStore::setDraft(qint64 conversationId, const QString &text)
{
    const QString kept = text.trimmed().isEmpty() ? QString() : text;
    if (m_drafts.value(conversationId) == kept)
        return;
    if (kept.isEmpty())
        m_drafts.remove(conversationId);
    else
        m_drafts.insert(conversationId, kept);
    if (m_thread)
        m_thread->post(
            [db = m_db.get(), conversationId, kept] { db->setDraft(conversationId, kept); });
    Q_EMIT conversationChanged(conversationId);
}

QFuture<void> LocalStore::setSyncedSeq(qint64 conversationId, qint64 seq)
{
    return enqueue<void>([=](StoreDatabase &db, StoreChanges &changes) {
        db.setSyncedSeq(conversationId, seq, changes);
    });
}

QFuture<QList<MessageRecord>> LocalStore::addMessages(const QList<MessageRecord> &messages)
{
    if (messages.isEmpty())
        return QtFuture::makeReadyFuture(QList<MessageRecord>());
    return enqueue<QList<MessageRecord>>([messages](StoreDatabase &db, StoreChanges &changes) {
        db.addMessages(messages, changes);
        return flatten(changes);
    });
}

QFuture<void> LocalStore::setMembers(qint64 conversationId,
                                     const QList<Protocol::MemberInfo> &members)
{
    return enqueue<void>([=](StoreDatabase &db, StoreChanges &changes) {
        db.setMembers(conversationId, members, changes);
    });
}

QFuture<void> LocalStore::applyReceipt(const Protocol::ReceiptInfo &receipt)
{
    return enqueue<void>(
        [receipt](StoreDatabase &db, StoreChanges &changes) { db.applyReceipt(receipt, changes); });
}

QFuture<void> LocalStore::oweReceipt(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq)
{
    return enqueue<void>([=](StoreDatabase &db, StoreChanges &changes) {
        db.oweReceipt(conversationId, readSeq, deliveredSeq, changes);
    });
}

QFuture<void> LocalStore::receiptAcknowledged(qint64 conversationId, qint64 readSeq,
                                              qint64 deliveredSeq)
{
    return enqueue<void>([=](StoreDatabase &db, StoreChanges &changes) {
        db.receiptAcknowledged(conversationId, readSeq, deliveredSeq, changes);
    });
}

OutboxEntry LocalStore::newOutboxEntry(qint64 conversationId, const QString &contentType,
                                       const QByteArray &content)
{
    OutboxEntry entry;
    entry.conversationId = conversationId;
    entry.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    entry.contentType = contentType;
    entry.content = content;
    entry.createdAt = QDateTime::currentMSecsSinceEpoch();
    return entry;
}

OutboxEntry LocalStore::addToOutbox(qint64 conversationId, const QString &contentType,
                                    const QByteArray &content, bool silent, qint64 refSeq)
{
    OutboxEntry entry = newOutboxEntry(conversationId, contentType, content);
    entry.silent = silent;
    entry.refSeq = refSeq;
    enqueue<bool>([entry](StoreDatabase &db, StoreChanges &changes) {
        return db.addToOutbox(entry, changes);
    });
    return entry;
}

QFuture<bool> LocalStore::markOutboxFailed(const QString &clientId, const QString &error)
{
    return enqueue<bool>([=](StoreDatabase &db, StoreChanges &changes) {
        return db.markOutboxFailed(clientId, error, changes);
    });
}

QFuture<bool> LocalStore::retryOutbox(const QString &clientId)
{
    return enqueue<bool>([=](StoreDatabase &db, StoreChanges &changes) {
        return db.retryOutbox(clientId, changes);
    });
}

QFuture<bool> LocalStore::removeFromOutbox(const QString &clientId)
{
    return enqueue<bool>([=](StoreDatabase &db, StoreChanges &changes) {
        return db.removeFromOutbox(clientId, changes);
    });
}

QFuture<QList<MessageRecord>> LocalStore::messages(qint64 conversationId, qint64 beforeSeq,
                                                   int limit)
{
    return enqueue<QList<MessageRecord>>([=](StoreDatabase &db, StoreChanges &) {
        return db.messages(conversationId, beforeSeq, limit);
    });
}

QFuture<QList<MessageRecord>> LocalStore::messagesFrom(qint64 conversationId, qint64 fromSeq,
                                                       qint64 beforeSeq)
{
    return enqueue<QList<MessageRecord>>([=](StoreDatabase &db, StoreChanges &) {
        return db.messagesFrom(conversationId, fromSeq, beforeSeq);
    });
}

QFuture<int> LocalStore::messageCount(qint64 conversationId)
{
    return enqueue<int>(
        [=](StoreDatabase &db, StoreChanges &) { return db.messageCount(conversationId); });
}

} // namespace Client
