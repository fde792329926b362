#include "StoreDatabase.h"

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

#include <algorithm>
#include <atomic>
#include <limits>
#include <map>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::ConversationInfo;
using Protocol::MessageRecord;
using Protocol::UserInfo;

namespace {

QString nextConnectionName()
{
    static std::atomic<int> counter = 0;
    return u"messenger-local-store-%1"_s.arg(++counter);
}

} // namespace

StoreDatabase::StoreDatabase()
    : m_connectionName(nextConnectionName())
    , m_prepare([this](const QString &sql) -> QSqlQuery & { return prepare(sql); })
{
}

StoreDatabase::~StoreDatabase()
{
    close();
}

bool StoreDatabase::open(const QString &filePath, bool readOnly, QString *error)
{
    close();
    if (!readOnly)
        QDir().mkpath(QFileInfo(filePath).absolutePath());
    m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connectionName);
    m_db.setDatabaseName(filePath);
    if (readOnly)
        m_db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
    QString reason;
    if (!m_db.open()) {
        reason = m_db.lastError().text();
    } else {
        QSqlQuery pragma(m_db);
        // WAL keeps readers and the writer apart (search reads while sync writes); NORMAL still
        // survives a killed process (the outbox's promise), and only risks the last commits on a
        // power cut.
        for (const QString &sql :
             {u"PRAGMA journal_mode = WAL"_s, u"PRAGMA synchronous = NORMAL"_s,
              u"PRAGMA foreign_keys = OFF"_s, u"PRAGMA busy_timeout = 5000"_s}) {
            if (!readOnly || !sql.contains(u"journal_mode"_s))
                pragma.exec(sql);
        }
        pragma.finish();
        if (!readOnly)
            StoreMigrations::migrate(m_db, &reason);
    }
    if (!reason.isEmpty()) {
        qCWarning(lcClientStore).noquote() << "cannot open the local store" << filePath << reason;
        if (error)
            *error = reason;
        close();
        return false;
    }
    if (!readOnly)
        loadProfile();
    return true;
}

void StoreDatabase::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    m_queries.clear();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlQuery &StoreDatabase::prepare(const QString &sql)
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

bool StoreDatabase::exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    qCWarning(lcClientStore).noquote()
        << "query failed:" << query.lastError().text() << query.lastQuery();
    return false;
}

void StoreDatabase::begin()
{
    if (m_transactionDepth++ == 0 && !m_db.transaction())
        qCWarning(lcClientStore).noquote() << "cannot begin:" << m_db.lastError().text();
}

void StoreDatabase::commit()
{
    if (--m_transactionDepth > 0)
        return;
    for (QSqlQuery &query : m_queries)
        query.finish(); // an unfinished SELECT keeps a read snapshot and blocks the commit
    if (m_db.commit())
        return;
    qCWarning(lcClientStore).noquote() << "commit failed:" << m_db.lastError().text();
    m_db.rollback();
}

void StoreDatabase::finish(const Touched &touched, StoreChanges &changes)
{
    for (qint64 id : touched.users) {
        if (const auto user = UserQueries::find(m_db, id))
            changes.users.append(*user);
    }
    if (touched.conversations.size() > 64) {
        // A sync page of many conversations: one pass over all beats one query each.
        for (const ConversationSummary &summary : summaries(0)) {
            if (touched.conversations.contains(summary.info.id))
                changes.conversations.append(summary);
        }
    } else {
        for (qint64 id : touched.conversations)
            changes.conversations += summaries(id);
    }
    for (qint64 id : touched.members)
        changes.members.append({id, MemberQueries::list(m_db, id)});
    for (qint64 id : touched.unsent)
        changes.unsent.append(MemberQueries::unsent(m_db, id));
    finishRich(touched, changes);
}

void StoreDatabase::loadProfile()
{
    QSqlQuery &q = prepare(u"SELECT value FROM meta WHERE key = 'profile'"_s);
    if (exec(q) && q.next())
        m_profile =
            Protocol::ProfileInfo::fromCbor(QCborValue::fromCbor(q.value(0).toByteArray()).toMap());
    q.finish();
}

StoreSnapshot StoreDatabase::snapshot()
{
    StoreSnapshot snapshot;
    snapshot.profile = m_profile;
    QSqlQuery users(m_db);
    if (users.exec(u"SELECT id, "_s + UserQueries::columns(u"users"_s) + u" FROM users"_s)) {
        while (users.next())
            snapshot.users.append(UserQueries::fromQuery(users, 0, 1));
    }
    snapshot.conversations = summaries(0);
    QSqlQuery members(m_db);
    if (members.exec(u"SELECT conversation_id, user_id, role, delivered_seq, read_seq FROM members "
                     "ORDER BY conversation_id, position"_s)) {
        while (members.next()) {
            Protocol::MemberInfo member;
            member.user.id = members.value(1).toLongLong();
            member.role = Protocol::Role(members.value(2).toInt());
            member.deliveredSeq = members.value(3).toLongLong();
            member.readSeq = members.value(4).toLongLong();
            snapshot.members[members.value(0).toLongLong()].append(member);
        }
    }
    snapshot.outbox = OutboxQueries::list(m_db, 0);
    snapshot.unsent = MemberQueries::unsent(m_db);
    snapshot.hiddenCursor = hiddenCursor();
    return snapshot;
}

void StoreDatabase::setProfile(const Protocol::ProfileInfo &profile, StoreChanges &changes)
{
    Touched touched;
    begin();
    QSqlQuery &q = prepare(u"INSERT OR REPLACE INTO meta (key, value) VALUES ('profile', ?)"_s);
    q.addBindValue(profile.toCbor().toCborValue().toCbor());
    exec(q);
    m_profile = profile;
    upsertUsersIn({profile.user}, touched);
    commit();
    finish(touched, changes);
}

void StoreDatabase::upsertUsersIn(const QList<UserInfo> &users, Touched &touched)
{
    for (const UserInfo &user : users) {
        if (UserQueries::upsert(m_db, user))
            touched.users.insert(user.id);
    }
}

void StoreDatabase::upsertUsers(const QList<UserInfo> &users, StoreChanges &changes)
{
    Touched touched;
    begin();
    upsertUsersIn(users, touched);
    commit();
    finish(touched, changes);
}

void StoreDatabase::setPresence(qint64 userId, Protocol::PresenceState presence, qint64 lastSeen,
                                StoreChanges &changes)
{
    Touched touched;
    if (UserQueries::setPresence(m_db, userId, presence, lastSeen))
        touched.users.insert(userId);
    finish(touched, changes);
}

void StoreDatabase::upsertConversationsIn(const QList<ConversationInfo> &conversations,
                                          Touched &touched)
{
    QList<UserInfo> peers;
    for (const ConversationInfo &c : conversations) {
        if (c.peer)
            peers.append(*c.peer);
    }
    upsertUsersIn(peers, touched);
    for (const ConversationInfo &c : conversations) {
        // The server's counters win, except where this device knows more: messages it read with
        // read receipts off (the server's cursor stays behind then) and entries newer than the
        // record.
        QSqlQuery &q = prepare(
            u"INSERT INTO conversations (id, kind, name, role, last_seq, last_activity, "
            "member_count, unread, read_seq, delivered_seq, others_read_seq, muted, pinned, "
            "archived, peer_id, disappear_seconds, avatar_blob, avatar, active) "
            "VALUES (:id, :kind, COALESCE(:name, ''), :role, :last_seq, :last_activity, "
            ":member_count, :unread, :read_seq, :delivered_seq, :others_read_seq, :muted, "
            ":pinned, :archived, :peer_id, :disappear_seconds, :avatar_blob, :avatar, 1) "
            "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
            "role = excluded.role, last_seq = max(last_seq, excluded.last_seq), "
            "last_activity = max(last_activity, excluded.last_activity), "
            "member_count = excluded.member_count, "
            "unread = CASE WHEN excluded.read_seq >= read_seq THEN excluded.unread ELSE max(0, "
            "excluded.unread - (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = "
            "excluded.id AND m.seq > excluded.read_seq AND m.seq <= conversations.read_seq AND "
            "m.sender_id <> :self AND m.event IS NULL AND m.silent = 0)) END, "
            "read_seq = max(read_seq, excluded.read_seq), "
            "delivered_seq = max(delivered_seq, excluded.delivered_seq), "
            "others_read_seq = max(others_read_seq, excluded.others_read_seq), "
            "muted = excluded.muted, pinned = excluded.pinned, archived = excluded.archived, "
            "peer_id = excluded.peer_id, disappear_seconds = excluded.disappear_seconds, "
            "avatar_blob = excluded.avatar_blob, avatar = excluded.avatar, active = 1"_s);
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
        q.bindValue(u":disappear_seconds"_s, c.disappearSeconds);
        q.bindValue(u":avatar_blob"_s, UserQueries::avatarBlobValue(c.avatarBlob));
        q.bindValue(u":avatar"_s, UserQueries::avatarValue(c.avatar));
        q.bindValue(u":self"_s, selfId());
        exec(q);
        touched.conversations.insert(c.id);
    }
}

void StoreDatabase::upsertConversations(const QList<ConversationInfo> &conversations,
                                        StoreChanges &changes)
{
    Touched touched;
    begin();
    upsertConversationsIn(conversations, touched);
    commit();
    finish(touched, changes);
}

void StoreDatabase::applySyncPage(const SyncPage &page, StoreChanges &changes)
{
    Touched touched;
    begin();
    // Records first: the unread counts they carry already include this page's messages.
    upsertConversationsIn(page.conversations, touched);
    QSet<qint64> active;
    for (const ConversationInfo &c : page.conversations)
        active.insert(c.id);
    // Conversations the server no longer lists (left, removed) stay readable but inactive.
    QList<qint64> inactive;
    QSqlQuery &listed = prepare(u"SELECT id FROM conversations WHERE active = 1"_s);
    if (exec(listed)) {
        while (listed.next()) {
            if (!active.contains(listed.value(0).toLongLong()))
                inactive.append(listed.value(0).toLongLong());
        }
    }
    listed.finish();
    for (qint64 id : std::as_const(inactive)) {
        QSqlQuery &q = prepare(u"UPDATE conversations SET active = 0 WHERE id = ?"_s);
        q.addBindValue(id);
        if (exec(q))
            touched.conversations.insert(id);
    }
    addMessagesIn(page.messages, touched, changes);
    applyHiddenIn(page.hidden, page.hiddenCursor, touched);
    if (page.hiddenCursor >= 0)
        changes.hiddenCursor = page.hiddenCursor;
    settleRich(touched);
    for (const ConversationInfo &c : page.conversations) {
        if (c.lastSeq == 0) {
            // Nothing to fetch: a cursor all the same.
            QSqlQuery &q = prepare(u"UPDATE conversations SET synced_seq = 0 WHERE id = ? AND "
                                   "synced_seq IS NULL"_s);
            q.addBindValue(c.id);
            exec(q);
        }
    }
    commit();
    finish(touched, changes);
}

bool StoreDatabase::markReadIn(qint64 conversationId, qint64 seq, Touched &touched)
{
    QSqlQuery &q = prepare(
        u"UPDATE conversations SET read_seq = :seq, unread = (SELECT COUNT(*) FROM "
        "messages WHERE conversation_id = :id AND seq > :seq AND sender_id <> :self "
        "AND event IS NULL AND silent = 0 AND erased IS NULL AND hidden = 0) WHERE id = :id "
        "AND read_seq < :seq"_s);
    q.bindValue(u":seq"_s, seq);
    q.bindValue(u":id"_s, conversationId);
    q.bindValue(u":self"_s, selfId());
    if (!exec(q) || q.numRowsAffected() == 0)
        return false;
    RichQueries::recountMentions(m_prepare, conversationId, selfId());
    touched.conversations.insert(conversationId);
    return true;
}

bool StoreDatabase::markRead(qint64 conversationId, qint64 seq, bool oweReadReceipt,
                             StoreChanges &changes)
{
    Touched touched;
    begin();
    const bool moved = markReadIn(conversationId, seq, touched);
    if (moved && oweReadReceipt)
        oweIn(conversationId, seq, 0, touched, changes);
    commit();
    finish(touched, changes);
    return moved;
}

void StoreDatabase::setDraft(qint64 conversationId, const QString &text)
{
    if (text.trimmed().isEmpty()) {
        QSqlQuery &q = prepare(u"DELETE FROM drafts WHERE conversation_id = ?"_s);
        q.addBindValue(conversationId);
        exec(q);
        return;
    }
    QSqlQuery &q = prepare(u"INSERT INTO drafts (conversation_id, text, updated) VALUES (?, ?, ?) "
                           "ON CONFLICT (conversation_id) DO UPDATE SET text = excluded.text, "
                           "updated = excluded.updated"_s);
    q.addBindValue(conversationId);
    q.addBindValue(text);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    exec(q);
}

qint64 StoreDatabase::syncedSeq(qint64 conversationId)
{
    QSqlQuery &q = prepare(u"SELECT synced_seq FROM conversations WHERE id = ?"_s);
    q.addBindValue(conversationId);
    qint64 seq = -1;
    if (exec(q) && q.next() && !q.value(0).isNull())
        seq = q.value(0).toLongLong();
    q.finish();
    return seq;
}

void StoreDatabase::setSyncedSeq(qint64 conversationId, qint64 seq, StoreChanges &changes)
{
    Touched touched;
    QSqlQuery &q = prepare(u"UPDATE conversations SET synced_seq = ? WHERE id = ? AND "
                           "(synced_seq IS NULL OR synced_seq < ?)"_s);
    q.addBindValue(seq);
    q.addBindValue(conversationId);
    q.addBindValue(seq);
    if (exec(q) && q.numRowsAffected() > 0)
        touched.conversations.insert(conversationId);
    finish(touched, changes);
}

void StoreDatabase::advanceSyncedSeq(qint64 conversationId, qint64 lowestNew)
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
    if (cursor < 0)
        return;
    QSqlQuery &update = prepare(u"UPDATE conversations SET synced_seq = ? WHERE id = ? AND "
                                "(synced_seq IS NULL OR synced_seq < ?)"_s);
    update.addBindValue(cursor);
    update.addBindValue(conversationId);
    update.addBindValue(cursor);
    exec(update);
}

QList<ConversationSummary> StoreDatabase::summaries(qint64 id)
{
    QHash<qint64, OutboxEntry> pending;
    for (const OutboxEntry &entry : OutboxQueries::list(m_db, id)) {
        if (!entry.silent) // reactions and edits are no preview
            pending.insert(entry.conversationId, entry); // in send order: the newest one stays
    }

    QList<ConversationSummary> list;
    // The newest shown entry of each conversation comes from the (conversation_id, seq) index,
    // walked backwards past reactions and edits.
    QSqlQuery &q =
        prepare(u"SELECT "_s + ConversationRow::columns() + u", "_s + MessageRow::columns(u"m"_s)
                + u", d.text, c.synced_seq, c.unread_mentions, c.disappear_seconds "
                  "FROM conversations c LEFT JOIN users u ON u.id = c.peer_id "
                  "LEFT JOIN drafts d ON d.conversation_id = c.id "
                  "LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = "
                  "(SELECT seq FROM messages WHERE conversation_id = c.id AND "_s
                + RichQueries::shownCondition()
                + u" ORDER BY seq DESC LIMIT 1) "
                  "WHERE :id = 0 OR c.id = :id"_s);
    q.bindValue(u":id"_s, id);
    if (exec(q)) {
        const int draftColumn = q.record().count() - 4;
        while (q.next()) {
            ConversationSummary summary;
            summary.info = ConversationRow::fromQuery(q);
            summary.active = q.value(15).toBool();
            if (!q.value(ConversationRow::ColumnCount).isNull())
                summary.info.lastMessage = MessageRow::fromQuery(q, ConversationRow::ColumnCount);
            if (pending.contains(summary.info.id))
                summary.newestPending = pending.value(summary.info.id);
            summary.draft = q.value(draftColumn).toString();
            summary.syncedSeq =
                q.value(draftColumn + 1).isNull() ? -1 : q.value(draftColumn + 1).toLongLong();
            summary.unreadMentions = q.value(draftColumn + 2).toLongLong();
            summary.info.disappearSeconds = q.value(draftColumn + 3).toLongLong();
            list.append(summary);
        }
    }
    q.finish();
    return list;
}

void StoreDatabase::setMembers(qint64 conversationId, const QList<Protocol::MemberInfo> &members,
                               StoreChanges &changes)
{
    Touched touched;
    QList<UserInfo> users;
    for (const Protocol::MemberInfo &member : members)
        users.append(member.user);
    begin();
    upsertUsersIn(users, touched);
    MemberQueries::replace(m_db, conversationId, members);
    commit();
    touched.members.insert(conversationId);
    finish(touched, changes);
}

} // namespace Client
