#include "UserQueries.h"

#include "ClientLogging.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Client {

using namespace Qt::StringLiterals;

namespace UserQueries {

namespace {
bool run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcClientStore).noquote() << "user query failed:" << q.lastError().text();
    return false;
}
} // namespace

bool upsert(const QSqlDatabase &db, const Protocol::UserInfo &user)
{
    QSqlQuery q(db);
    q.prepare(u"INSERT INTO users (id, username, display_name, presence, last_seen) "
              "VALUES (?, COALESCE(?, ''), COALESCE(?, ''), ?, ?) ON CONFLICT (id) DO UPDATE SET "
              "username = excluded.username, display_name = excluded.display_name, "
              "presence = excluded.presence, last_seen = excluded.last_seen"_s);
    q.addBindValue(user.id);
    q.addBindValue(user.username);
    q.addBindValue(user.displayName);
    q.addBindValue(int(user.presence));
    q.addBindValue(user.lastSeen);
    return run(q);
}

bool setPresence(const QSqlDatabase &db, qint64 userId, Protocol::PresenceState presence,
                 qint64 lastSeen)
{
    QSqlQuery q(db);
    q.prepare(
        u"UPDATE users SET presence = ?, last_seen = CASE WHEN ? > 0 THEN ? ELSE last_seen END "
        "WHERE id = ?"_s);
    q.addBindValue(int(presence));
    q.addBindValue(lastSeen);
    q.addBindValue(lastSeen);
    q.addBindValue(userId);
    return run(q) && q.numRowsAffected() > 0;
}

std::optional<Protocol::UserInfo> find(const QSqlDatabase &db, qint64 id)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT username, display_name, presence, last_seen FROM users WHERE id = ?"_s);
    q.addBindValue(id);
    if (!run(q) || !q.next())
        return std::nullopt;
    return Protocol::UserInfo {id, q.value(0).toString(), q.value(1).toString(),
                               Protocol::PresenceState(q.value(2).toInt()),
                               q.value(3).toLongLong()};
}

} // namespace UserQueries

} // namespace Client
