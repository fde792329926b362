#pragma once

#include "media/Avatars.h"

#include "protocol/Records.h"

#include <QList>
#include <QString>

class QSqlQuery;

#include <optional>

namespace Server {

class Database;

//! The accounts' SQL. Runs on the database threads only; every function throws StoreError.
namespace AccountQueries {

struct UserRow
{
    Protocol::ProfileInfo profile;
    QString passwordHash;
};

struct DeviceGrant
{
    qint64 deviceId = 0;
    QString token; //!< shown once, to the client; only its hash is stored
};

struct Session
{
    Protocol::ProfileInfo profile;
    qint64 deviceId = 0;
};

//! A new random device or invite token and the hash under which it is stored.
QString newToken();
QByteArray tokenHash(const QString &token);

std::optional<UserRow> findUser(Database &db, const QString &username);
std::optional<UserRow> findUser(Database &db, qint64 userId);
qint64 insertUser(Database &db, const QString &username, const QString &displayName,
                  const QString &passwordHash);
void setPasswordHash(Database &db, qint64 userId, const QString &passwordHash);
DeviceGrant createDevice(Database &db, qint64 userId, const QString &name);
//! The device a token belongs to, and its user. Reads only.
std::optional<Session> resume(Database &db, const QString &token);
//! Deletes a device of userId; false when it has no such device.
bool deleteDevice(Database &db, qint64 userId, qint64 deviceId);
QList<Protocol::DeviceInfo> devices(Database &db, qint64 userId);

//! Consumes one use of an invite; false when it is unknown, used up or expired.
bool consumeInvite(Database &db, const QString &token);
QString createInvite(Database &db, int uses, qint64 validForMs);

//! profile.update: what to change; absent parts stay.
struct ProfileChange
{
    std::optional<QString> displayName;
    std::optional<bool> hideLastSeen;
    std::optional<bool> sendReadReceipts;
    std::optional<AvatarChange> avatar;
};

//! Applies the change. A picture's blob must be the user's own complete blob of at most
//! MaxAvatarBlobBytes (else StoreError NotFound or TooLarge, see BlobQueries::adoptAsAvatar).
Protocol::ProfileInfo updateProfile(Database &db, qint64 userId, const ProfileChange &change);
void setLastSeen(Database &db, const QList<qint64> &userIds, qint64 lastSeen);
//! Marks devices active now (resumes are recorded in batches, not one write each).
void touchDevices(Database &db, const QList<qint64> &deviceIds, qint64 at);

QList<Protocol::UserInfo> searchUsers(Database &db, const QString &prefix, qint64 excludeUserId,
                                      int limit);
//! Users by id with their stored last seen (hidden ones have lastSeen 0); presence is Offline.
QList<Protocol::UserInfo> users(Database &db, const QList<qint64> &userIds);
//! Everyone who shares at least one conversation with userId.
QList<qint64> contacts(Database &db, qint64 userId);
QList<UserRow> allUsers(Database &db);

//! The columns of the User record other people see (id, username, display_name, last_seen,
//! hide_last_seen, avatar_blob, avatar), for a SELECT: qualified with `table` (an alias such as
//! "u" in a join) unless it is empty. readPublicUser reads them back.
QString publicUserColumns(const QString &table = {});
constexpr int PublicUserColumnCount = 7;
//! The User record other people see, from publicUserColumns() starting at column `first`: a
//! hidden last seen reads as 0, presence is Offline.
Protocol::UserInfo readPublicUser(const QSqlQuery &q, int first = 0);

} // namespace AccountQueries

} // namespace Server
