#pragma once

#include "protocol/Records.h"

#include <QSqlQuery>
#include <QString>

namespace Client {

//! How a message record maps onto the `messages` table, shared by the queries that read it.
//! Text messages keep their text in `body` (what the search index reads) and no `content`;
//! other content types keep their bytes in `content`.
namespace MessageRow {

//! The column list, each prefixed with `alias.` when an alias is given, in the order
//! fromQuery() reads.
QString columns(const QString &alias = {});
Protocol::MessageRecord fromQuery(const QSqlQuery &query, int firstColumn);
bool isText(const Protocol::MessageRecord &message);

} // namespace MessageRow

} // namespace Client
