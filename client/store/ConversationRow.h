#pragma once

#include "protocol/Records.h"

#include <QSqlQuery>
#include <QString>

namespace Client {

//! How a conversation record maps onto the `conversations` table (aliased `c`) joined with its
//! peer from `users` (aliased `u`), shared by the queries that read it.
namespace ConversationRow {

//! The column list in the order fromQuery() reads; column 15 is `active`, and the peer's
//! columns end at 19, so further columns of a query start at 20.
QString columns();
Protocol::ConversationInfo fromQuery(const QSqlQuery &query);

} // namespace ConversationRow

} // namespace Client
