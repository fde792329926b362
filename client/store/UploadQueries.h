#pragma once

#include "store/LocalTypes.h"

#include <QList>
#include <QSqlDatabase>

namespace Client {

//! The SQL of the `uploads` table (attachments of held outbox entries). Rare operations — a few
//! per attachment — so the queries are prepared each time, as OutboxQueries does.
namespace UploadQueries {

bool insert(const QSqlDatabase &db, const UploadRow &row);
//! Every row, in message and attachment order.
QList<UploadRow> list(const QSqlDatabase &db);
//! Writes every column of the row with row.localId; false when there is none.
bool update(const QSqlDatabase &db, const UploadRow &row);
//! Forgets the rows of one message.
bool removeFor(const QSqlDatabase &db, const QString &clientId);

} // namespace UploadQueries

} // namespace Client
