#pragma once

#include <QSqlDatabase>
#include <QString>

namespace Client {

//! The local store's schema, as numbered steps. PRAGMA user_version records how many were
//! applied; each step runs in its own transaction, so a crash leaves either the old or the new
//! schema, never half of one.
namespace StoreMigrations {

int latestVersion();
//! Brings db up to latestVersion(); false with a reason on failure.
bool migrate(QSqlDatabase &db, QString *error);

} // namespace StoreMigrations

} // namespace Client
