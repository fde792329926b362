#pragma once

#include "store/LocalTypes.h"

#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace Client {

//! The SQL of the `downloads` table (the Downloader's queue, kept across restarts). A few writes
//! per attachment, so the queries are prepared each time, as UploadQueries does.
namespace DownloadQueries {

//! Queues the row. When its blob is queued already it keeps its place, unless an urgent row
//! raises a normal one: then it is urgent, queued now (never back to normal).
bool upsert(const QSqlDatabase &db, const DownloadRow &row);
//! Every row whose descriptor decodes, in the order to run them: urgent ones first, then as
//! they were queued. A row that no longer decodes is dropped.
QList<DownloadRow> list(const QSqlDatabase &db);
bool remove(const QSqlDatabase &db, const QString &blobId);
//! Remembers a blob the server no longer keeps (past its media retention) and forgets its
//! download, in one statement each (the caller's transaction).
bool addExpired(const QSqlDatabase &db, const QString &blobId);
QStringList expired(const QSqlDatabase &db);

} // namespace DownloadQueries

} // namespace Client
