#include "LocalStore.h"

#include "ClientLogging.h"
#include "store/ConversationRow.h"
#include "store/MemberQueries.h"
#include "store/MessageRow.h"
#include "store/OutboxQueries.h"
#include "store/StoreMigrations.h"
#include "store/UserQueries.h"

#include <QCborValue>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlRecord>
#include <QUuid>

#include <algorithm>
#include <map>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::ConversationInfo;
using Protocol::MessageRecord;
using Protocol::UserInfo;

namespace {

QString nextConnectionName()
{
    static int counter = 0;
    return u"messenger-local-store-%1"_s.arg(++counter);
}

} // namespace

LocalStore::LocalStore(QObject *parent)
    : QObject(parent)
    , m_connectionName(nextConnectionName())
{
}

LocalStore::~LocalStore()
{
    close();
}

bool LocalStore::open(const QString &filePath, QString *error)
{
    close();
    m_filePath = filePath;
    QDir().mkpath(QFileInfo(filePath).absolutePath());
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(filePath);
    QString reason;
    if (!m_db.open()) {
        reason = m_db.lastError().text();
    } else {
        QSqlQuery pragma(m_db);
        // WAL keeps readers and the writer apart; NORMAL still survives a killed process (the
        // outbox's promise), and only risks the last commits on a power cut.
        for (const QString &sql : {u"PRAGMA journal_mode = WAL"_s, u"PRAGMA synchronous = NORMAL"_s,
                                   u"PRAGMA foreign_keys = OFF"_s, u"PRAGMA busy_timeout = 5000"_s})
            pragma.exec(sql);
        pragma.finish();
        StoreMigrations::migrate(m_db, &reason);
    }
    if (!reason.isEmpty()) {
        qCWarning(lcClientStore).noquote() << "cannot open the local store" << filePath << reason;
        if (error)
            *error = reason;
        close();
        return false;
    }
    loadProfile();
    return true;
}

void LocalStore::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    m_queries.clear();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlQuery &LocalStore::prepare(const QString &sql) const
{
    auto it = m_queries.find(sql);
    if (it == m_queries.end()) {
        QSqlQuery query(m_db);
        if (!query.prepare(sql))
            qCWarning(lcClientStore).noquote()
                << "cannot prepare" << sql << query.lastError().text();
        it = m_queries.insert(sql, query);
    }
    it->finish();
    return *it;
}

bool LocalStore::exec(QSqlQuery &query) const
{
    if (query.exec())
        return true;
    qCWarning(lcClientStore).noquote()
        << "query failed:" << query.lastError().text() << query.lastQuery();
    return false;
}

bool LocalStore::begin()
{
    return m_db.transaction();
}

bool LocalStore::commit()
{
    for (QSqlQuery &query : m_queries)
        query.finish(); // an unfinished SELECT keeps a read snapshot and blocks the commit
    if (m_db.commit())
        return true;
    qCWarning(lcClientStore).noquote() << "commit failed:" << m_db.lastError().text();
    m_db.rollback();
    return false;
}

void LocalStore::loadProfile()
{
    QSqlQuery &q = prepare(u"SELECT value FROM meta WHERE key = 'profile'"_s);
    if (exec(q) && q.next())
        m_profile =
            Protocol::ProfileInfo::fromCbor(QCborValue::fromCbor(q.value(0).toByteArray()).toMap());
    q.finish();
}

void LocalStore::setProfile(const Protocol::ProfileInfo &profile)
{
    QSqlQuery &q = prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES ('profile', ?)"_s);
    q.addBindValue(profile.toCbor().toCborValue().toCbor());
    exec(q);
    m_profile = profile;
    upsertUsers({profile.user});
    Q_EMIT profileChanged();
}

void LocalStore::upsertUsers(const QList<UserInfo> &users)
{
    if (users.isEmpty())
        return;
    begin();
    QList<qint64> ids;
    for (const UserInfo &user : users) {
        if (UserQueries::upsert(m_db, user))
            ids.append(user.id);
    }
    commit();
    Q_EMIT usersChanged(ids);
}

void LocalStore::setPresence(qint64 userId, Protocol::PresenceState presence, qint64 lastSeen)
{
    if (UserQueries::setPresence(m_db, userId, presence, lastSeen))
        Q_EMIT usersChanged({userId});
}

std::optional<UserInfo> LocalStore::user(qint64 id) const
{
    return UserQueries::find(m_db, id);
}

QList<qint64> LocalStore::missingUsers(const QList<qint64> &ids) const
{
    QList<qint64> missing;
    for (qint64 id : ids) {
        if (id > 0 && !missing.contains(id) && !user(id))
            missing.append(id);
    }
    return missing;
}

void LocalStore::upsertConversations(const QList<ConversationInfo> &conversations)
{
    if (conversations.isEmpty())
        return;
    QList<UserInfo> peers;
    for (const ConversationInfo &c : conversations) {
        if (c.peer)
            peers.append(*c.peer);
    }
    upsertUsers(peers);

    begin();
    for (const ConversationInfo &c : conversations) {
        // The server's counters win, except where this device knows more: messages it read with
        // read receipts off (the server's cursor stays behind then) and entries newer than the
        // record.
        QSqlQuery &q = prepare(
            u"INSERT INTO conversations (id, kind, name, role, last_seq, last_activity, "
            u"member_count, "
            "unread, read_seq, delivered_seq, others_read_seq, muted, pinned, archived, peer_id, "
            "active) "
            "VALUES (:id, :kind, COALESCE(:name, ''), :role, :last_seq, :last_activity, "
            ":member_count, :unread, "
            ":read_seq, :delivered_seq, :others_read_seq, :muted, :pinned, :archived, :peer_id, 1) "
            "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
            "role = excluded.role, last_seq = max(last_seq, excluded.last_seq), "
            "last_activity = max(last_activity, excluded.last_activity), "
            "member_count = excluded.member_count, "
            "unread = CASE WHEN excluded.read_seq >= read_seq THEN excluded.unread ELSE max(0, "
            "excluded.unread - (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = "
            "excluded.id "
            "AND m.seq > excluded.read_seq AND m.seq <= conversations.read_seq AND m.sender_id <> "
            ":self "
            "AND m.event IS NULL)) END, "
            "read_seq = max(read_seq, excluded.read_seq), "
            "delivered_seq = max(delivered_seq, excluded.delivered_seq), "
            "others_read_seq = max(others_read_seq, excluded.others_read_seq), "
            "muted = excluded.muted, pinned = excluded.pinned, archived = excluded.archived, "
            "peer_id = excluded.peer_id, active = 1"_s);
        q.bindValue(u":id"_s, c.id);
        q.bindValue(u":kind"_s, int(c.kind));
        q.bindValue(u":name"_s, c.name);
        q.bindValue(u":role"_s, int(c.role));
        q.bindValue(u":last_seq"_s, c.lastSeq);
        q.bindValue(u":last_activity"_s, c.lastActivity);
        q.bindValue(u":member_count"_s, c.memberCount);
        q.bindValue(u":unread"_s, c.unread);
        q.bindValue(u":read_seq"_s, c.readSeq);
        q.bindValue(u":delivered_seq"_s, std::max(c.deliveredSeq, c.othersReadSeq));
        q.bindValue(u":others_read_seq"_s, c.othersReadSeq);
        q.bindValue(u":muted"_s, c.muted);
        q.bindValue(u":pinned"_s, c.pinned);
        q.bindValue(u":archived"_s, c.archived);
        q.bindValue(u":peer_id"_s, c.peer ? QVariant(c.peer->id) : QVariant());
        q.bindValue(u":self"_s, selfId());
        exec(q);
    }
    commit();
    for (const ConversationInfo &c : conversations)
        Q_EMIT conversationChanged(c.id);
}

std::optional<ConversationInfo> LocalStore::conversation(qint64 id) const
{
    QSqlQuery &q =
        prepare(u"SELECT "_s + ConversationRow::columns()
                + u" FROM conversations c LEFT JOIN users u ON u.id = c.peer_id WHERE c.id = ?"_s);
    q.addBindValue(id);
    if (!exec(q) || !q.next())
        return std::nullopt;
    ConversationInfo c = ConversationRow::fromQuery(q);
    q.finish();
    return c;
}

QList<qint64> LocalStore::conversationIds() const
{
    QList<qint64> ids;
    QSqlQuery &q = prepare(u"SELECT id FROM conversations ORDER BY id"_s);
    if (exec(q)) {
        while (q.next())
            ids.append(q.value(0).toLongLong());
    }
    q.finish();
    return ids;
}

QList<ConversationSummary> LocalStore::summaries() const
{
    return summariesOf(0);
}

std::optional<ConversationSummary> LocalStore::summary(qint64 id) const
{
    const QList<ConversationSummary> list = summariesOf(id);
    return list.isEmpty() ? std::nullopt : std::optional(list.first());
}

QList<ConversationSummary> LocalStore::summariesOf(qint64 id) const
{
    QHash<qint64, OutboxEntry> pending;
    for (const OutboxEntry &entry : outbox(id))
        pending.insert(entry.conversationId, entry); // in send order: the newest one stays

    QList<ConversationSummary> list;
    // The newest entry of each conversation comes from the (conversation_id, seq) index.
    QSqlQuery &q =
        prepare(u"SELECT "_s + ConversationRow::columns() + u", "_s + MessageRow::columns(u"m"_s)
                + u", d.text FROM conversations c LEFT JOIN users u ON u.id = c.peer_id "
                  "LEFT JOIN drafts d ON d.conversation_id = c.id "
                  "LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = "
                  "(SELECT MAX(seq) FROM messages WHERE conversation_id = c.id) "
                  "WHERE :id = 0 OR c.id = :id"_s);
    q.bindValue(u":id"_s, id);
    if (exec(q)) {
        const int draftColumn = q.record().count() - 1;
        while (q.next()) {
            ConversationSummary summary;
            summary.info = ConversationRow::fromQuery(q);
            summary.active = q.value(15).toBool();
            if (!q.value(20).isNull())
                summary.info.lastMessage = MessageRow::fromQuery(q, 20);
            if (pending.contains(summary.info.id))
                summary.newestPending = pending.value(summary.info.id);
            summary.draft = q.value(draftColumn).toString();
            list.append(summary);
        }
    }
    q.finish();
    return list;
}

void LocalStore::setActiveConversations(const QList<qint64> &activeIds)
{
    QList<qint64> changed;
    for (qint64 id : conversationIds()) {
        QSqlQuery &q =
            prepare(u"UPDATE conversations SET active = ? WHERE id = ? AND active <> ?"_s);
        const bool active = activeIds.contains(id);
        q.addBindValue(active);
        q.addBindValue(id);
        q.addBindValue(active);
        if (exec(q) && q.numRowsAffected() > 0)
            changed.append(id);
    }
    for (qint64 id : changed)
        Q_EMIT conversationChanged(id);
}

QString LocalStore::draft(qint64 conversationId) const
{
    QSqlQuery &q = prepare(u"SELECT text FROM drafts WHERE conversation_id = ?"_s);
    q.addBindValue(conversationId);
    const QString text = exec(q) && q.next() ? q.value(0).toString() : QString();
    q.finish();
    return text;
}

void LocalStore::setDraft(qint64 conversationId, const QString &text)
{
    if (draft(conversationId) == text)
        return;
    if (text.trimmed().isEmpty()) {
        QSqlQuery &q = prepare(u"DELETE FROM drafts WHERE conversation_id = ?"_s);
        q.addBindValue(conversationId);
        if (!exec(q) || q.numRowsAffected() == 0)
            return;
    } else {
        QSqlQuery &q =
            prepare(u"INSERT INTO drafts (conversation_id, text, updated) VALUES (?, ?, ?) "
                    "ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text, "
                    "updated = excluded.updated"_s);
        q.addBindValue(conversationId);
        q.addBindValue(text);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        if (!exec(q))
            return;
    }
    Q_EMIT conversationChanged(conversationId);
}

bool LocalStore::markRead(qint64 conversationId, qint64 seq)
{
    QSqlQuery &q =
        prepare(u"UPDATE conversations SET read_seq = :seq, unread = (SELECT COUNT(*) FROM "
                "messages WHERE conversation_id = :id AND seq > :seq AND sender_id <> :self "
                "AND event IS NULL) WHERE id = :id AND read_seq < :seq"_s);
    q.bindValue(u":seq"_s, seq);
    q.bindValue(u":id"_s, conversationId);
    q.bindValue(u":self"_s, selfId());
    if (!exec(q) || q.numRowsAffected() == 0)
        return false;
    Q_EMIT conversationChanged(conversationId);
    return true;
}

QList<QPair<qint64, qint64>> LocalStore::syncCursors() const
{
    QList<QPair<qint64, qint64>> cursors;
    QSqlQuery &q = prepare(
        u"SELECT id, synced_seq FROM conversations WHERE synced_seq IS NOT NULL AND active = 1"_s);
    if (exec(q)) {
        while (q.next())
            cursors.append({q.value(0).toLongLong(), q.value(1).toLongLong()});
    }
    q.finish();
    return cursors;
}

qint64 LocalStore::syncedSeq(qint64 conversationId) const
{
    QSqlQuery &q = prepare(u"SELECT synced_seq FROM conversations WHERE id = ?"_s);
    q.addBindValue(conversationId);
    qint64 seq = -1;
    if (exec(q) && q.next() && !q.value(0).isNull())
        seq = q.value(0).toLongLong();
    q.finish();
    return seq;
}

void LocalStore::setSyncedSeq(qint64 conversationId, qint64 seq)
{
    QSqlQuery &q = prepare(u"UPDATE conversations SET synced_seq = ? WHERE id = ? AND "
                           "(synced_seq IS NULL OR synced_seq < ?)"_s);
    q.addBindValue(seq);
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    exec(q);
}

void LocalStore::advanceSyncedSeq(qint64 conversationId, qint64 lowestNew)
{
    qint64 cursor = syncedSeq(conversationId);
    if (cursor < 0)
        cursor = lowestNew - 1; // first entries of a conversation never synced: start at them
    // The cursor may only pass entries that are all here: a gap means sync must fetch it.
    QSqlQuery &q =
        prepare(u"SELECT seq FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq"_s);
    q.addBindValue(conversationId);
    q.addBindValue(cursor);
    if (exec(q)) {
        while (q.next() && q.value(0).toLongLong() == cursor + 1)
            ++cursor;
    }
    q.finish();
    if (cursor >= 0)
        setSyncedSeq(conversationId, cursor);
}

QList<MessageRecord> LocalStore::addMessages(const QList<MessageRecord> &messages)
{
    if (messages.isEmpty())
        return {};
    std::map<qint64, QList<MessageRecord>> added; // ordered by conversation for stable signals
    QList<QPair<qint64, QString>> acknowledged;
    begin();
    for (const MessageRecord &m : messages) {
        QSqlQuery &insert =
            prepare(u"INSERT OR IGNORE INTO messages (conversation_id, seq, sender_id, timestamp, "
                    u"client_id, "
                    "content_type, content, body, event) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
        const bool text = MessageRow::isText(m);
        insert.addBindValue(m.conversationId);
        insert.addBindValue(m.seq);
        insert.addBindValue(m.senderId);
        insert.addBindValue(m.timestamp);
        insert.addBindValue(m.isEvent() || m.clientId.isEmpty() ? QVariant()
                                                                : QVariant(m.clientId));
        insert.addBindValue(m.isEvent() ? QVariant() : QVariant(m.contentType));
        insert.addBindValue(m.isEvent() || text ? QVariant() : QVariant(m.content));
        insert.addBindValue(text ? QVariant(QString::fromUtf8(m.content)) : QVariant());
        insert.addBindValue(m.isEvent() ? QVariant(m.event->toCbor().toCborValue().toCbor())
                                        : QVariant());
        if (!exec(insert) || insert.numRowsAffected() == 0)
            continue; // already stored: the (conversationId, seq) dedupe
        added[m.conversationId].append(m);

        // The server has it: whichever way it came back, the outbox is done with it.
        if (m.senderId == selfId() && !m.clientId.isEmpty()
            && OutboxQueries::remove(m_db, m.clientId))
            acknowledged.append({m.conversationId, m.clientId});
    }

    for (auto &[conversationId, list] : added) {
        std::sort(list.begin(), list.end(),
                  [](const MessageRecord &a, const MessageRecord &b) { return a.seq < b.seq; });
        // An entry for a conversation not known yet (its event is still on the way): a
        // placeholder row keeps the entry reachable until the record arrives.
        QSqlQuery &placeholder =
            prepare(u"INSERT OR IGNORE INTO conversations (id, kind, role) VALUES (?, ?, ?)"_s);
        placeholder.addBindValue(conversationId);
        placeholder.addBindValue(int(Protocol::ConversationKind::Direct));
        placeholder.addBindValue(int(Protocol::Role::Member));
        exec(placeholder);

        // Only entries past the newest one the record knew are new to the unread count: the
        // server's count already includes the rest.
        QSqlQuery &counters =
            prepare(u"SELECT last_seq, read_seq FROM conversations WHERE id = ?"_s);
        counters.addBindValue(conversationId);
        qint64 lastSeq = 0, readSeq = 0;
        if (exec(counters) && counters.next()) {
            lastSeq = counters.value(0).toLongLong();
            readSeq = counters.value(1).toLongLong();
        }
        counters.finish();
        qint64 newUnread = 0;
        for (const MessageRecord &m : list) {
            if (m.seq > lastSeq && m.seq > readSeq && m.senderId != selfId() && !m.isEvent())
                ++newUnread;
        }
        QSqlQuery &update =
            prepare(u"UPDATE conversations SET last_seq = max(last_seq, ?), "
                    "last_activity = max(last_activity, ?), unread = unread + ? WHERE id = ?"_s);
        update.addBindValue(list.last().seq);
        update.addBindValue(list.last().timestamp);
        update.addBindValue(newUnread);
        update.addBindValue(conversationId);
        exec(update);
        advanceSyncedSeq(conversationId, list.first().seq);
    }
    commit();

    QList<MessageRecord> all;
    for (const auto &[conversationId, list] : added) {
        Q_EMIT messagesAdded(conversationId, list);
        all += list;
    }
    for (const auto &[conversationId, clientId] : std::as_const(acknowledged))
        Q_EMIT outboxEntryRemoved(conversationId, clientId);
    for (const auto &[conversationId, list] : added)
        Q_EMIT conversationChanged(conversationId);
    return all;
}

QList<MessageRecord> LocalStore::messages(qint64 conversationId, qint64 beforeSeq, int limit) const
{
    QSqlQuery &q = prepare(
        u"SELECT "_s + MessageRow::columns()
        + u" FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"_s);
    q.addBindValue(conversationId);
    q.addBindValue(beforeSeq > 0 ? beforeSeq : std::numeric_limits<qint64>::max());
    q.addBindValue(limit);
    QList<MessageRecord> list;
    if (exec(q)) {
        while (q.next())
            list.prepend(MessageRow::fromQuery(q, 0));
    }
    q.finish();
    return list;
}

qint64 LocalStore::oldestSeq(qint64 conversationId) const
{
    QSqlQuery &q = prepare(u"SELECT MIN(seq) FROM messages WHERE conversation_id = ?"_s);
    q.addBindValue(conversationId);
    qint64 seq = 0;
    if (exec(q) && q.next())
        seq = q.value(0).toLongLong();
    q.finish();
    return seq;
}

int LocalStore::messageCount(qint64 conversationId) const
{
    QSqlQuery &q = prepare(u"SELECT COUNT(*) FROM messages WHERE conversation_id = ?"_s);
    q.addBindValue(conversationId);
    int count = 0;
    if (exec(q) && q.next())
        count = q.value(0).toInt();
    q.finish();
    return count;
}

void LocalStore::setMembers(qint64 conversationId, const QList<Protocol::MemberInfo> &members)
{
    QList<UserInfo> users;
    for (const Protocol::MemberInfo &member : members)
        users.append(member.user);
    upsertUsers(users);
    begin();
    MemberQueries::replace(m_db, conversationId, members);
    commit();
    Q_EMIT membersChanged(conversationId);
}

QList<Protocol::MemberInfo> LocalStore::members(qint64 conversationId) const
{
    return MemberQueries::list(m_db, conversationId);
}

void LocalStore::applyReceipt(const Protocol::ReceiptInfo &receipt)
{
    begin();
    const bool membersMoved = MemberQueries::advanceMember(m_db, receipt);
    if (receipt.userId != selfId())
        MemberQueries::advanceDirectSummary(m_db, receipt);
    commit();
    if (receipt.userId == selfId() && receipt.readSeq > 0)
        markRead(receipt.conversationId, receipt.readSeq); // read on another device of mine
    if (membersMoved)
        Q_EMIT membersChanged(receipt.conversationId);
    Q_EMIT conversationChanged(receipt.conversationId);
}

void LocalStore::oweReceipt(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq)
{
    if ((readSeq > 0 || deliveredSeq > 0)
        && MemberQueries::raiseUnsent(m_db, conversationId, readSeq, deliveredSeq))
        Q_EMIT receiptOwed(conversationId);
}

QList<UnsentReceipt> LocalStore::unsentReceipts() const
{
    return MemberQueries::unsent(m_db);
}

UnsentReceipt LocalStore::unsentReceipt(qint64 conversationId) const
{
    return MemberQueries::unsent(m_db, conversationId);
}

void LocalStore::receiptAcknowledged(qint64 conversationId, qint64 readSeq, qint64 deliveredSeq)
{
    MemberQueries::clearUnsent(m_db, conversationId, readSeq, deliveredSeq);
}

OutboxEntry LocalStore::addToOutbox(qint64 conversationId, const QString &contentType,
                                    const QByteArray &content)
{
    OutboxEntry entry;
    entry.conversationId = conversationId;
    entry.clientId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    entry.contentType = contentType;
    entry.content = content;
    entry.createdAt = QDateTime::currentMSecsSinceEpoch();
    if (!OutboxQueries::insert(m_db, entry))
        return entry;
    Q_EMIT outboxEntryAdded(entry);
    Q_EMIT conversationChanged(conversationId);
    return entry;
}

QList<OutboxEntry> LocalStore::outbox(qint64 conversationId) const
{
    return OutboxQueries::list(m_db, conversationId);
}

std::optional<OutboxEntry> LocalStore::outboxEntry(const QString &clientId) const
{
    return OutboxQueries::find(m_db, clientId);
}

void LocalStore::markOutboxFailed(const QString &clientId, const QString &error)
{
    if (!OutboxQueries::markFailed(m_db, clientId, error))
        return;
    if (const auto entry = outboxEntry(clientId))
        Q_EMIT outboxEntryChanged(*entry);
}

bool LocalStore::retryOutbox(const QString &clientId)
{
    if (!OutboxQueries::requeue(m_db, clientId))
        return false;
    if (const auto entry = outboxEntry(clientId))
        Q_EMIT outboxEntryChanged(*entry);
    return true;
}

bool LocalStore::removeFromOutbox(const QString &clientId)
{
    const auto entry = outboxEntry(clientId);
    if (!entry || !OutboxQueries::remove(m_db, clientId))
        return false;
    Q_EMIT outboxEntryRemoved(entry->conversationId, clientId);
    Q_EMIT conversationChanged(entry->conversationId);
    return true;
}

} // namespace Client
