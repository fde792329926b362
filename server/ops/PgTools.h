#pragma once

#include "storage/Database.h"

#include <QStringList>

namespace Server::Ops::PgTools {

//! Runs a PostgreSQL client program (pg_dump, pg_restore) against `database`. The connection
//! goes in a conninfo string without the password; the password goes in a temporary 0600
//! PGPASSFILE that is removed afterwards, so it never appears on a command line, in the
//! environment of the child or in a log. Throws BackupError(ToolFailed) when the program is
//! missing, cannot start or exits with an error (with the last lines of its stderr).
void run(const QString &program, const DatabaseConfig &database, const QStringList &arguments);

//! "host='…' port='…' user='…' dbname='…'" with libpq's quoting.
QString connectionString(const DatabaseConfig &database);

} // namespace Server::Ops::PgTools
