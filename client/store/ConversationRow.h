#pragma once

#include "protocol/Records.h"

#include <QSqlQuery>
#include <QString>

namespace Client {

//! How a conversation record maps onto the `conversations` table (aliased `c`) joined with its
//! peer from `users` (aliased `u`), shared by the queries that read it.
namespace ConversationRow {

//! The column list in the order fromQuery() reads; column 15 is `active`, the peer's columns
//! and the group's picture follow, and further columns of a query start at ColumnCount.
QString columns();
inline constexpr int ColumnCount = 24;
Protocol::ConversationInfo fromQuery(const QSqlQuery &query);

} // namespace ConversationRow

} // namespace Client
