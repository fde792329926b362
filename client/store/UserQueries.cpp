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
    // Every record the server sends says the user's current picture (none included): the
    // stored one follows it.
    q.prepare(u"INSERT INTO users (id, username, display_name, presence, last_seen, avatar_blob, "
              "avatar) VALUES (?, COALESCE(?, ''), COALESCE(?, ''), ?, ?, ?, ?) "
              "ON CONFLICT (id) DO UPDATE SET username = excluded.username, "
              "display_name = excluded.display_name, presence = excluded.presence, "
              "last_seen = excluded.last_seen, avatar_blob = excluded.avatar_blob, "
              "avatar = excluded.avatar"_s);
    q.addBindValue(user.id);
    q.addBindValue(user.username);
    q.addBindValue(user.displayName);
    q.addBindValue(int(user.presence));
    q.addBindValue(user.lastSeen);
    q.addBindValue(avatarBlobValue(user.avatarBlob));
    q.addBindValue(avatarValue(user.avatar));
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
    q.prepare(u"SELECT id, "_s + columns(u"users"_s) + u" FROM users WHERE id = ?"_s);
    q.addBindValue(id);
    if (!run(q) || !q.next())
        return std::nullopt;
    return fromQuery(q, 0, 1);
}

QString columns(const QString &alias)
{
    return u"%1.username, %1.display_name, %1.presence, %1.last_seen, %1.avatar_blob, %1.avatar"_s
        .arg(alias);
}

Protocol::UserInfo fromQuery(const QSqlQuery &q, int idColumn, int first)
{
    Protocol::UserInfo user;
    user.id = q.value(idColumn).toLongLong();
    user.username = q.value(first).toString();
    user.displayName = q.value(first + 1).toString();
    user.presence = Protocol::PresenceState(q.value(first + 2).toInt());
    user.lastSeen = q.value(first + 3).toLongLong();
    user.avatarBlob = q.value(first + 4).toString();
    user.avatar = q.value(first + 5).toByteArray();
    return user;
}

QVariant avatarBlobValue(const QString &avatarBlob)
{
    return avatarBlob.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(avatarBlob);
}

QVariant avatarValue(const QByteArray &avatar)
{
    return avatar.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(avatar);
}

} // namespace UserQueries

} // namespace Client
