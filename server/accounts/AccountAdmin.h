#pragma once

#include <QString>

namespace Server {

class Database;

//! What the messengerd admin subcommands do, as functions tests can call too. Synchronous:
//! they run on the caller's thread with the caller's Database.
namespace AccountAdmin {

//! Creates an invite token good for `uses` registrations within validForMs; returns the token.
QString createInvite(Database &db, int uses, qint64 validForMs);
//! Creates a user; throws StoreError(UsernameTaken / InvalidField) when it cannot.
qint64 createUser(Database &db, const QString &username, const QString &displayName,
                  const QString &password, quint64 opsLimit, quint64 memLimit);
//! Sets a new password and signs out every device of the user; false for an unknown user.
bool resetPassword(Database &db, const QString &username, const QString &password, quint64 opsLimit,
                   quint64 memLimit);

} // namespace AccountAdmin

} // namespace Server
