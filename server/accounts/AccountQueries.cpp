#include "AccountQueries.h"

#include "media/BlobQueries.h"
#include "storage/Database.h"

#include <sodium.h>

#include <QVariant>

namespace Server {

using Protocol::ErrorCode;

namespace AccountQueries {

namespace {

constexpr auto userColumns =
    "id, username, display_name, password_hash, last_seen, hide_last_seen, "
    "send_read_receipts, avatar_blob, avatar";

UserRow readUser(const QSqlQuery &q)
{
    UserRow row;
    row.profile.user.id = q.value(0).toLongLong();
    row.profile.user.username = q.value(1).toString();
    row.profile.user.displayName = q.value(2).toString();
    row.passwordHash = q.value(3).toString();
    row.profile.user.lastSeen = q.value(4).toLongLong();
    row.profile.hideLastSeen = q.value(5).toBool();
    row.profile.sendReadReceipts = q.value(6).toBool();
    row.profile.user.avatarBlob = q.value(7).toString();
    row.profile.user.avatar = q.value(8).toByteArray();
    return row;
}

std::optional<UserRow> findUserWhere(Database &db, const char *where, const QVariant &value)
{
    QSqlQuery &q = db.prepare(QStringLiteral("SELECT %1 FROM users WHERE %2")
                                  .arg(QLatin1String(userColumns), QLatin1String(where)));
    q.addBindValue(value);
    db.exec(q);
    if (!q.next())
        return std::nullopt;
    return readUser(q);
}

QString inList(qsizetype count)
{
    QString list;
    for (qsizetype i = 0; i < count; ++i)
        list += i == 0 ? QStringLiteral("?") : QStringLiteral(",?");
    return list;
}

} // namespace

QString newToken()
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(raw), sizeof raw)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray tokenHash(const QString &token)
{
    // Tokens carry 256 random bits, so a fast hash is enough: a stolen database yields nothing
    // that signs in, and resuming stays cheap.
    const QByteArray bytes = token.toLatin1();
    unsigned char out[32];
    crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char *>(bytes.constData()),
                       quint64(bytes.size()), nullptr, 0);
    return QByteArray(reinterpret_cast<const char *>(out), sizeof out);
}

std::optional<UserRow> findUser(Database &db, const QString &username)
{
    return findUserWhere(db, "username = ?", username.toLower());
}

std::optional<UserRow> findUser(Database &db, qint64 userId)
{
    return findUserWhere(db, "id = ?", userId);
}

qint64 insertUser(Database &db, const QString &username, const QString &displayName,
                  const QString &passwordHash)
{
    if (findUser(db, username))
        throw StoreError(ErrorCode::UsernameTaken,
                         QStringLiteral("the username \"%1\" is taken").arg(username));
    QSqlQuery &q = db.prepare(QStringLiteral(
        "INSERT INTO users (username, display_name, password_hash, created_at) VALUES (?, ?, ?, ?) "
        "RETURNING id"));
    q.addBindValue(username.toLower());
    q.addBindValue(displayName);
    q.addBindValue(passwordHash);
    q.addBindValue(Database::now());
    db.exec(q);
    if (!q.next())
        throw StoreError(ErrorCode::Internal, QStringLiteral("the user was not created"));
    return q.value(0).toLongLong();
}

void setPasswordHash(Database &db, qint64 userId, const QString &passwordHash)
{
    QSqlQuery &q = db.prepare(QStringLiteral("UPDATE users SET password_hash = ? WHERE id = ?"));
    q.addBindValue(passwordHash);
    q.addBindValue(userId);
    db.exec(q);
}

DeviceGrant createDevice(Database &db, qint64 userId, const QString &name)
{
    DeviceGrant grant;
    grant.token = newToken();
    const qint64 now = Database::now();
    QSqlQuery &q = db.prepare(QStringLiteral("INSERT INTO devices (user_id, name, token_hash, "
                                             "created_at, last_active) VALUES (?, ?, ?, ?, ?) "
                                             "RETURNING id"));
    q.addBindValue(userId);
    q.addBindValue(name.isEmpty() ? QStringLiteral("Unnamed device") : name);
    q.addBindValue(tokenHash(grant.token));
    q.addBindValue(now);
    q.addBindValue(now);
    db.exec(q);
    if (!q.next())
        throw StoreError(ErrorCode::Internal, QStringLiteral("the device was not created"));
    grant.deviceId = q.value(0).toLongLong();
    return grant;
}

std::optional<Session> resume(Database &db, const QString &token)
{
    QSqlQuery &q =
        db.prepare(QStringLiteral("SELECT id, user_id FROM devices WHERE token_hash = ?"));
    q.addBindValue(tokenHash(token));
    db.exec(q);
    if (!q.next())
        return std::nullopt;
    Session session;
    session.deviceId = q.value(0).toLongLong();
    const qint64 userId = q.value(1).toLongLong();
    q.finish();
    auto user = findUser(db, userId);
    if (!user)
        return std::nullopt;
    session.profile = user->profile;
    return session;
}

bool deleteDevice(Database &db, qint64 userId, qint64 deviceId)
{
    QSqlQuery &q = db.prepare(QStringLiteral("DELETE FROM devices WHERE id = ? AND user_id = ?"));
    q.addBindValue(deviceId);
    q.addBindValue(userId);
    db.exec(q);
    return q.numRowsAffected() > 0;
}

QList<Protocol::DeviceInfo> devices(Database &db, qint64 userId)
{
    QSqlQuery &q = db.prepare(QStringLiteral(
        "SELECT id, name, created_at, last_active FROM devices WHERE user_id = ? ORDER BY id"));
    q.addBindValue(userId);
    db.exec(q);
    QList<Protocol::DeviceInfo> list;
    while (q.next()) {
        Protocol::DeviceInfo device;
        device.id = q.value(0).toLongLong();
        device.name = q.value(1).toString();
        device.createdAt = q.value(2).toLongLong();
        device.lastActive = q.value(3).toLongLong();
        list.append(device);
    }
    return list;
}

bool consumeInvite(Database &db, const QString &token)
{
    QSqlQuery &q = db.prepare(
        QStringLiteral("UPDATE invites SET uses_left = uses_left - 1 "
                       "WHERE token_hash = ? AND uses_left > 0 AND expires_at > ? RETURNING id"));
    q.addBindValue(tokenHash(token));
    q.addBindValue(Database::now());
    db.exec(q);
    return q.next();
}

QString createInvite(Database &db, int uses, qint64 validForMs)
{
    QString token = newToken();
    const qint64 now = Database::now();
    QSqlQuery &q = db.prepare(QStringLiteral(
        "INSERT INTO invites (token_hash, created_at, expires_at, uses_left) VALUES (?, ?, ?, ?)"));
    q.addBindValue(tokenHash(token));
    q.addBindValue(now);
    q.addBindValue(now + validForMs);
    q.addBindValue(uses);
    db.exec(q);
    return token;
}

Protocol::ProfileInfo updateProfile(Database &db, qint64 userId, const ProfileChange &change)
{
    const auto &[displayName, hideLastSeen, sendReadReceipts, avatar] = change;
    if (displayName) {
        QSqlQuery &q = db.prepare(QStringLiteral("UPDATE users SET display_name = ? WHERE id = ?"));
        q.addBindValue(*displayName);
        q.addBindValue(userId);
        db.exec(q);
    }
    if (hideLastSeen) {
        QSqlQuery &q =
            db.prepare(QStringLiteral("UPDATE users SET hide_last_seen = ? WHERE id = ?"));
        q.addBindValue(*hideLastSeen);
        q.addBindValue(userId);
        db.exec(q);
    }
    if (sendReadReceipts) {
        QSqlQuery &q =
            db.prepare(QStringLiteral("UPDATE users SET send_read_receipts = ? WHERE id = ?"));
        q.addBindValue(*sendReadReceipts);
        q.addBindValue(userId);
        db.exec(q);
    }
    if (avatar && avatar->blobId.isEmpty()) {
        QSqlQuery &q = db.prepare(
            QStringLiteral("UPDATE users SET avatar_blob = NULL, avatar = NULL WHERE id = ?"));
        q.addBindValue(userId);
        db.exec(q);
    } else if (avatar) {
        BlobQueries::adoptAsAvatar(db, avatar->blobId, userId);
        QSqlQuery &q =
            db.prepare(QStringLiteral("UPDATE users SET avatar_blob = ?, avatar = ? WHERE id = ?"));
        q.addBindValue(avatar->blobId);
        q.addBindValue(avatar->descriptor);
        q.addBindValue(userId);
        db.exec(q);
    }
    auto user = findUser(db, userId);
    if (!user)
        throw StoreError(ErrorCode::NotFound, QStringLiteral("no such user"));
    return user->profile;
}

void setLastSeen(Database &db, const QList<qint64> &userIds, qint64 lastSeen)
{
    constexpr qsizetype Chunk = 500;
    for (qsizetype i = 0; i < userIds.size(); i += Chunk) {
        const QList<qint64> part = userIds.mid(i, Chunk);
        QSqlQuery &q = db.prepare(QStringLiteral("UPDATE users SET last_seen = ? WHERE id IN (%1)")
                                      .arg(inList(part.size())));
        q.addBindValue(lastSeen);
        for (qint64 id : part)
            q.addBindValue(id);
        db.exec(q);
    }
}

void touchDevices(Database &db, const QList<qint64> &deviceIds, qint64 at)
{
    constexpr qsizetype Chunk = 500;
    for (qsizetype i = 0; i < deviceIds.size(); i += Chunk) {
        const QList<qint64> part = deviceIds.mid(i, Chunk);
        QSqlQuery &q =
            db.prepare(QStringLiteral("UPDATE devices SET last_active = ? WHERE id IN (%1)")
                           .arg(inList(part.size())));
        q.addBindValue(at);
        for (qint64 id : part)
            q.addBindValue(id);
        db.exec(q);
    }
}

QList<Protocol::UserInfo> searchUsers(Database &db, const QString &prefix, qint64 excludeUserId,
                                      int limit)
{
    QString pattern = prefix.toLower();
    pattern.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    pattern.replace(QLatin1Char('%'), QLatin1String("\\%"));
    pattern.replace(QLatin1Char('_'), QLatin1String("\\_"));
    pattern += QLatin1Char('%');
    QSqlQuery &q = db.prepare(QStringLiteral("SELECT %1 FROM users WHERE username LIKE ? ESCAPE "
                                             "'\\' AND id <> ? ORDER BY username LIMIT ?")
                                  .arg(publicUserColumns()));
    q.addBindValue(pattern);
    q.addBindValue(excludeUserId);
    q.addBindValue(limit);
    db.exec(q);
    QList<Protocol::UserInfo> list;
    while (q.next())
        list.append(readPublicUser(q));
    return list;
}

QList<Protocol::UserInfo> users(Database &db, const QList<qint64> &userIds)
{
    QList<Protocol::UserInfo> list;
    if (userIds.isEmpty())
        return list;
    QSqlQuery &q = db.prepare(QStringLiteral("SELECT %1 FROM users WHERE id IN (%2) ORDER BY id")
                                  .arg(publicUserColumns(), inList(userIds.size())));
    for (qint64 id : userIds)
        q.addBindValue(id);
    db.exec(q);
    while (q.next())
        list.append(readPublicUser(q));
    return list;
}

QString publicUserColumns(const QString &table)
{
    static const char *const names[PublicUserColumnCount] = {
        "id", "username", "display_name", "last_seen", "hide_last_seen", "avatar_blob", "avatar"};
    const QString prefix = table.isEmpty() ? QString() : table + QLatin1Char('.');
    QStringList columns;
    for (const char *name : names)
        columns.append(prefix + QLatin1String(name));
    return columns.join(QStringLiteral(", "));
}

Protocol::UserInfo readPublicUser(const QSqlQuery &q, int first)
{
    Protocol::UserInfo user;
    user.id = q.value(first).toLongLong();
    user.username = q.value(first + 1).toString();
    user.displayName = q.value(first + 2).toString();
    user.lastSeen = q.value(first + 4).toBool() ? 0 : q.value(first + 3).toLongLong();
    user.avatarBlob = q.value(first + 5).toString();
    user.avatar = q.value(first + 6).toByteArray();
    return user;
}

QList<qint64> contacts(Database &db, qint64 userId)
{
    QSqlQuery &q = db.prepare(
        QStringLiteral("SELECT DISTINCT other.user_id FROM members mine JOIN members other "
                       "ON other.conversation_id = mine.conversation_id "
                       "WHERE mine.user_id = ? AND other.user_id <> ?"));
    q.addBindValue(userId);
    q.addBindValue(userId);
    db.exec(q);
    QList<qint64> list;
    while (q.next())
        list.append(q.value(0).toLongLong());
    return list;
}

QList<UserRow> allUsers(Database &db)
{
    QSqlQuery &q = db.prepare(
        QStringLiteral("SELECT %1 FROM users ORDER BY username").arg(QLatin1String(userColumns)));
    db.exec(q);
    QList<UserRow> list;
    while (q.next())
        list.append(readUser(q));
    return list;
}

} // namespace AccountQueries

} // namespace Server
