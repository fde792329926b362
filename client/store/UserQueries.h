#pragma once

#include "protocol/Records.h"

#include <QSqlDatabase>

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

} // namespace UserQueries

} // namespace Client
