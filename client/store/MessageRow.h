#pragma once

#include "protocol/Records.h"
#include "store/LocalTypes.h"

#include <QSqlQuery>
#include <QString>

namespace Client {

//! How a message record maps onto the `messages` table, shared by the queries that read it.
//! Text messages keep their text in `body` (what the search index reads) and no `content`;
//! rich bodies keep their CBOR in `content` and their plain text in `body`; other content types
//! keep their bytes in `content`.
namespace MessageRow {

//! The column list, each prefixed with `alias.` when an alias is given, in the order
//! fromQuery() reads.
QString columns(const QString &alias = {});
Protocol::MessageRecord fromQuery(const QSqlQuery &query, int firstColumn);
//! columns() and what the store worked out locally (edits, reply, mentions), for
//! storedFromQuery(); reactions and the reply's state are read separately.
QString storedColumns(const QString &alias = {});
StoredMessage storedFromQuery(const QSqlQuery &query, int firstColumn);
bool isText(const Protocol::MessageRecord &message);
//! A message.send body (application/vnd.messenger.body+cbor), not an event.
bool isBody(const Protocol::MessageRecord &message);

} // namespace MessageRow

} // namespace Client
