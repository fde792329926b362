#pragma once

#include "store/LocalTypes.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace Client {

//! The SQL of the outbox table, for LocalStore (which announces the changes). Outbox operations
//! are rare — one per message written or acknowledged — so these prepare their queries each time.
namespace OutboxQueries {

//! Inserts a new entry behind every other one; false on failure.
bool insert(const QSqlDatabase &db, OutboxEntry &entry);
QList<OutboxEntry> list(const QSqlDatabase &db, qint64 conversationId);
std::optional<OutboxEntry> find(const QSqlDatabase &db, const QString &clientId);
bool markFailed(const QSqlDatabase &db, const QString &clientId, const QString &error);
//! Back to pending, behind everything queued now; false when it was not failed.
bool requeue(const QSqlDatabase &db, const QString &clientId);
//! A held entry (attachments uploaded) gets its final content and may go; false when it was not
//! held.
bool release(const QSqlDatabase &db, const QString &clientId, const QByteArray &content);
//! False when there was no such entry.
bool remove(const QSqlDatabase &db, const QString &clientId);

} // namespace OutboxQueries

} // namespace Client
