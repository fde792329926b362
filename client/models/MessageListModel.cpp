#include "MessageListModel.h"

#include "ClientLogging.h"
#include "store/LocalStore.h"
#include "sync/SyncEngine.h"
#include "text/DisplayText.h"

#include <QDateTime>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::MessageRecord;

MessageListModel::MessageListModel(LocalStore *store, SyncEngine *sync, qint64 conversationId,
                                   int pageSize, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
    , m_sync(sync)
    , m_conversationId(conversationId)
    , m_pageSize(std::max(1, pageSize))
    , m_selfId(store->selfId())
{
    for (const OutboxEntry &entry : m_store->outbox(m_conversationId)) {
        if (!entry.silent) // reactions and edits show on the message they act on
            m_items.append(fromOutbox(entry));
    }
    if (const auto conversation = m_store->conversation(m_conversationId)) {
        m_deliveredSeq = conversation->deliveredSeq;
        m_othersReadSeq = conversation->othersReadSeq;
        m_group = conversation->kind == Protocol::ConversationKind::Group;
        m_role = conversation->role;
    }
    loadFirstPage();

    connect(m_store, &LocalStore::messagesAdded, this, &MessageListModel::onMessagesAdded);
    connect(m_store, &LocalStore::messagesUpdated, this, &MessageListModel::onMessagesUpdated);
    connect(m_store, &LocalStore::outboxEntryAdded, this, &MessageListModel::onOutboxChanged);
    connect(m_store, &LocalStore::outboxEntryChanged, this, &MessageListModel::onOutboxChanged);
    connect(m_store, &LocalStore::outboxEntryRemoved, this,
            [this](qint64 changed, const QString &clientId) {
                const int row = changed == m_conversationId ? pendingRow(clientId) : -1;
                if (row >= 0)
                    removeItem(row); // discarded (an acknowledged one was replaced already)
            });
    connect(m_store, &LocalStore::conversationChanged, this,
            &MessageListModel::onConversationChanged);
    connect(m_store, &LocalStore::loaded, this,
            [this] { onConversationChanged(m_conversationId); });
    connect(m_store, &LocalStore::usersChanged, this, &MessageListModel::onUsersChanged);
    if (m_sync) {
        connect(m_sync, &SyncEngine::historyLoaded, this,
                [this](qint64 loaded, bool more, bool ok) {
                    if (loaded != m_conversationId || !m_loadingOlder)
                        return;
                    if (ok)
                        m_serverHasOlder = more;
                    m_storeHasOlder = true; // what history brought is in the store now
                    prependOlderFromStore(); // ends loadingOlder
                });
    }
}

void MessageListModel::loadFirstPage()
{
    m_store->storedMessages(m_conversationId, 0, m_pageSize)
        .then(this, [this](const QList<StoredMessage> &page) {
            // Entries stored before this read are in the page; the ones after it arrive through
            // messagesAdded, which is ignored until now (see onMessagesAdded).
            m_storeHasOlder = page.size() >= m_pageSize;
            m_loaded = true;
            prependRecords(page);
            Q_EMIT loadedChanged();
            for (const auto &[seq, promise] : std::exchange(m_waitingForLoad, {})) {
                loadUntilNow(seq).then(this, [promise = promise](int row) {
                    promise->addResult(row);
                    promise->finish();
                });
            }
        });
}

QString MessageListModel::userName(qint64 userId) const
{
    if (userId == m_selfId)
        return u"You"_s;
    const auto user = m_store->user(userId);
    return user ? user->displayName : QString();
}

MessageListModel::Item MessageListModel::fromRecord(const MessageRecord &record) const
{
    StoredMessage stored;
    stored.record = record;
    return fromStored(stored);
}

MessageListModel::Item MessageListModel::fromStored(const StoredMessage &stored) const
{
    Item item;
    item.record = stored.record;
    item.stored = stored;
    item.time = stored.record.timestamp;
    item.text = DisplayText::messageText(stored.record, [this](qint64 id) { return userName(id); });
    item.senderName = userName(stored.record.senderId);
    fillRich(item);
    return item;
}

MessageListModel::Item MessageListModel::fromOutbox(const OutboxEntry &entry) const
{
    Item item;
    item.record.conversationId = entry.conversationId;
    item.record.senderId = m_selfId;
    item.record.clientId = entry.clientId;
    item.record.contentType = entry.contentType;
    item.record.content = entry.content;
    item.pending = true;
    item.failed = entry.failed;
    item.error = entry.error;
    item.time = entry.createdAt;
    item.text = DisplayText::messageText(item.record, {});
    item.senderName = userName(m_selfId);
    item.stored.record = item.record;
    fillRich(item);
    return item;
}

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

MessageListModel::Status MessageListModel::status(const Item &item) const
{
    if (item.failed)
        return Status::Failed;
    if (item.pending)
        return Status::Pending;
    if (item.record.senderId != m_selfId || item.record.isEvent())
        return Status::Sent;
    if (item.record.seq <= m_othersReadSeq)
        return Status::Read;
    if (item.record.seq <= m_deliveredSeq)
        return Status::Delivered;
    return Status::Sent;
}

bool MessageListModel::firstOfDay(int row) const
{
    if (row == 0)
        return true;
    return QDateTime::fromMSecsSinceEpoch(m_items.at(row).time).date()
        != QDateTime::fromMSecsSinceEpoch(m_items.at(row - 1).time).date();
}

int MessageListModel::storedCount() const
{
    int count = 0;
    while (count < m_items.size() && !m_items.at(count).pending)
        ++count;
    return count;
}

int MessageListModel::pendingRow(const QString &clientId) const
{
    for (int row = storedCount(); row < m_items.size(); ++row) {
        if (m_items.at(row).record.clientId == clientId)
            return row;
    }
    return -1;
}

int MessageListModel::rowOfSeq(qint64 seq) const
{
    const int stored = storedCount();
    const auto begin = m_items.cbegin();
    const auto it =
        std::lower_bound(begin, begin + stored, seq,
                         [](const Item &item, qint64 value) { return item.record.seq < value; });
    return it != begin + stored && it->record.seq == seq ? int(it - begin) : -1;
}

QFuture<int> MessageListModel::loadUntil(qint64 seq)
{
    if (seq <= 0)
        return QtFuture::makeReadyFuture(-1);
    if (!m_loaded) {
        auto promise = std::make_shared<QPromise<int>>();
        promise->start();
        m_waitingForLoad.append({seq, promise});
        return promise->future();
    }
    return loadUntilNow(seq);
}

QFuture<int> MessageListModel::loadUntilNow(qint64 seq)
{
    if (const int row = rowOfSeq(seq); row >= 0)
        return QtFuture::makeReadyFuture(row);
    // The model holds the newest page from its start, so nothing shown means nothing stored.
    const qint64 oldest = storedCount() > 0 ? m_items.first().record.seq : 0;
    if (oldest == 0 || seq > oldest)
        return QtFuture::makeReadyFuture(-1);
    // One read from `seq` up to what is shown (seqs are dense: oldest - seq rows at most).
    return m_store->storedMessagesFrom(m_conversationId, seq, oldest)
        .then(this, [this, seq](QList<StoredMessage> older) {
            if (older.isEmpty() || older.constFirst().record.seq != seq)
                return -1; // the store does not have it (or does not show it)
            // Rows may have come in above meanwhile (fetchMore): only what is older than them.
            if (storedCount() > 0) {
                const qint64 top = m_items.first().record.seq;
                older.removeIf([top](const StoredMessage &m) { return m.record.seq >= top; });
            }
            prependRecords(older);
            return rowOfSeq(seq);
        });
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const
{
    if (parent.isValid() || !m_loaded || m_loadingOlder || m_changing)
        return false;
    const qint64 oldest = storedCount() > 0 ? m_items.first().record.seq : 0;
    if (oldest == 1)
        return false; // the conversation's first entry is here
    return (oldest > 0 && m_storeHasOlder) || (m_sync && m_serverHasOlder);
}

void MessageListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const qint64 oldest = storedCount() > 0 ? m_items.first().record.seq : 0;
    setLoadingOlder(true);
    if (oldest > 0 && m_storeHasOlder) {
        prependOlderFromStore();
        return;
    }
    m_sync->fetchHistory(m_conversationId, oldest, m_pageSize);
}

void MessageListModel::prependOlderFromStore()
{
    const int stored = storedCount();
    const qint64 oldest = stored > 0 ? m_items.first().record.seq : 0;
    m_store->storedMessages(m_conversationId, oldest, m_pageSize)
        .then(this, [this](QList<StoredMessage> older) {
            m_storeHasOlder = older.size() >= m_pageSize;
            // Rows may have come in meanwhile: only what is older than the top one now.
            const qint64 top = storedCount() > 0 ? m_items.first().record.seq : 0;
            if (top > 0)
                older.removeIf([top](const StoredMessage &m) { return m.record.seq >= top; });
            if (older.isEmpty() && m_sync && m_serverHasOlder && top != 1) {
                // The store had nothing older after all (its last page was exactly full): the
                // server's history, still in this one fetchMore().
                m_sync->fetchHistory(m_conversationId, top, m_pageSize);
                return;
            }
            prependRecords(older);
            setLoadingOlder(false);
        });
}

void MessageListModel::prependRecords(const QList<StoredMessage> &older)
{
    if (older.isEmpty())
        return;
    QList<Item> items;
    for (const StoredMessage &stored : std::as_const(older))
        items.append(fromStored(stored));
    const int count = int(items.size());
    m_changing = true;
    beginInsertRows({}, 0, count - 1);
    m_items = items + m_items;
    endInsertRows();
    m_changing = false;
    // The former first row may share its day with the new rows above it now.
    if (count < m_items.size())
        Q_EMIT dataChanged(index(count), index(count), {FirstOfDayRole});
}

void MessageListModel::insertItem(int row, const Item &item)
{
    m_changing = true;
    beginInsertRows({}, row, row);
    m_items.insert(row, item);
    endInsertRows();
    m_changing = false;
    if (row + 1 < m_items.size())
        Q_EMIT dataChanged(index(row + 1), index(row + 1), {FirstOfDayRole});
}

void MessageListModel::removeItem(int row)
{
    m_changing = true;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
    m_changing = false;
    if (row < m_items.size())
        Q_EMIT dataChanged(index(row), index(row), {FirstOfDayRole});
}

void MessageListModel::onMessagesAdded(qint64 conversationId, const QList<MessageRecord> &messages)
{
    // Before the first page: the page was read after these were stored, so it has them.
    if (conversationId != m_conversationId || !m_loaded)
        return;
    for (const MessageRecord &record : messages) {
        if (!isShown(record))
            continue; // a reaction or an edit: messagesUpdated() shows what it did
        int stored = storedCount();
        const qint64 oldest = stored > 0 ? m_items.first().record.seq : 0;
        // Older than the top row: that is fetchMore's business (history lands here first).
        if (stored > 0 && record.seq < oldest)
            continue;
        if (rowOfSeq(record.seq) >= 0)
            continue;
        if (!record.clientId.isEmpty()) {
            const int pending = pendingRow(record.clientId);
            if (pending >= 0) {
                removeItem(pending); // acknowledged: the stored entry takes its place
                stored = storedCount();
            }
        }
        const auto begin = m_items.cbegin();
        const int row = int(
            std::lower_bound(begin, begin + stored, record.seq,
                             [](const Item &item, qint64 value) { return item.record.seq < value; })
            - begin);
        insertItem(row, fromRecord(record));
    }
}

void MessageListModel::onOutboxChanged(const OutboxEntry &entry)
{
    if (entry.conversationId != m_conversationId || entry.silent)
        return;
    const int row = pendingRow(entry.clientId);
    if (row < 0) {
        insertItem(int(m_items.size()), fromOutbox(entry));
        return;
    }
    if (!entry.failed && row != m_items.size() - 1) {
        // Retried: it goes out after everything queued now, so it moves to the end.
        removeItem(row);
        insertItem(int(m_items.size()), fromOutbox(entry));
        return;
    }
    m_items[row] = fromOutbox(entry);
    Q_EMIT dataChanged(index(row), index(row), {StatusRole, ErrorRole});
}

void MessageListModel::onConversationChanged(qint64 conversationId)
{
    if (conversationId != m_conversationId)
        return;
    const auto conversation = m_store->conversation(m_conversationId);
    if (!conversation)
        return;
    const bool group = conversation->kind == Protocol::ConversationKind::Group;
    if (group != m_group || conversation->role != m_role) {
        m_group = group;
        m_role = conversation->role;
        if (!m_items.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(m_items.size()) - 1),
                               {CanDeleteForEveryoneRole});
    }
    if (conversation->deliveredSeq == m_deliveredSeq
        && conversation->othersReadSeq == m_othersReadSeq)
        return;
    m_deliveredSeq = conversation->deliveredSeq;
    m_othersReadSeq = conversation->othersReadSeq;
    if (!m_items.isEmpty())
        Q_EMIT dataChanged(index(0), index(int(m_items.size()) - 1), {StatusRole});
}

void MessageListModel::onUsersChanged(const QList<qint64> &ids)
{
    for (int row = 0; row < m_items.size(); ++row) {
        Item &item = m_items[row];
        const bool mentions = ids.contains(item.record.senderId)
            || ids.contains(item.stored.replySenderId) || !item.stored.reactions.isEmpty()
            || (item.record.isEvent()
                && (ids.contains(item.record.event->actorId)
                    || std::any_of(ids.begin(), ids.end(), [&item](qint64 id) {
                           return item.record.event->userIds.contains(id);
                       })));
        if (!mentions || item.pending)
            continue;
        item = fromStored(item.stored);
        Q_EMIT dataChanged(index(row), index(row),
                           {SenderNameRole, TextRole, Qt::DisplayRole, ReplySenderNameRole,
                            ReactionsRole, RichTextRole});
    }
}

void MessageListModel::setLoadingOlder(bool loading)
{
    if (m_loadingOlder == loading)
        return;
    m_loadingOlder = loading;
    Q_EMIT loadingOlderChanged();
}

} // namespace Client
