#pragma once

#include <QList>
#include <QStringList>

namespace Server {

//! The schema, as an ordered list of migrations. Migration N (1-based) is applied once, in a
//! transaction, and recorded in schema_version. Never edit a migration that has shipped: add one.
namespace Migrations {

//! Statements of every migration for the given dialect.
QList<QStringList> all(bool postgres);

} // namespace Migrations

} // namespace Server
