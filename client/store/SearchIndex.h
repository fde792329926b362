#pragma once

#include "store/LocalTypes.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <optional>

namespace Client {

//! Full-text search over the cached messages, in the local store's FTS5 index with the trigram
//! tokenizer: any substring of three or more characters matches, inside words and in any script
//! (CJK has no spaces to split words at; trigrams do not need them). Shorter queries, which
//! trigrams cannot index, fall back to a LIKE scan.
//!
//! LocalStore runs it on a read-only connection of its own thread; `interrupted` is asked while
//! SQLite works (every few thousand steps of its virtual machine), so that a search the user has
//! already typed past stops at once instead of finishing.
namespace SearchIndex {

//! Messages containing `text` (case-insensitive), newest first; conversationId 0: across all
//! conversations. nullopt when `interrupted` said to stop.
std::optional<QList<SearchHit>> search(const QSqlDatabase &db, const QString &text,
                                       qint64 conversationId = 0, int limit = 100,
                                       const std::function<bool()> &interrupted = {});

//! Characters (code points, not UTF-16 units) a query needs for the index to answer it.
constexpr int MinIndexedLength = 3;

} // namespace SearchIndex

} // namespace Client
