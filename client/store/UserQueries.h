#pragma once

#include "protocol/Records.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <optional>

namespace Client {

//! The SQL of the users table, for LocalStore (which announces the changes).
namespace UserQueries {

//! Inserts or updates one user; false on failure.
bool upsert(const QSqlDatabase &db, const Protocol::UserInfo &user);
//! lastSeen 0 keeps the stored one; true when the user is known.
bool setPresence(const QSqlDatabase &db, qint64 userId, Protocol::PresenceState presence,
                 qint64 lastSeen);
std::optional<Protocol::UserInfo> find(const QSqlDatabase &db, qint64 id);

//! The user columns other queries read (`alias`: the table's name in them), in the order
//! fromQuery() reads: username, display_name, presence, last_seen, avatar_blob, avatar.
QString columns(const QString &alias);
inline constexpr int ColumnCount = 6;
//! A user from a row: the id at `idColumn`, columns() from `first` on. NULL avatar: none.
Protocol::UserInfo fromQuery(const QSqlQuery &query, int idColumn, int first);
//! NULL for none, as the avatar columns keep it.
QVariant avatarBlobValue(const QString &avatarBlob);
QVariant avatarValue(const QByteArray &avatar);

} // namespace UserQueries

} // namespace Client
