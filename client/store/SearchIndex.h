#pragma once

#include "store/LocalTypes.h"

#include <QList>
#include <QString>

namespace Client {

class LocalStore;

//! Full-text search over the cached messages, in the local store's FTS5 index with the trigram
//! tokenizer: any substring of three or more characters matches, inside words and in any script
//! (CJK has no spaces to split words at; trigrams do not need them). Shorter queries, which
//! trigrams cannot index, fall back to a LIKE scan.
class SearchIndex
{
public:
    explicit SearchIndex(LocalStore *store);

    //! Messages containing `text` (case-insensitive), newest first. conversationId 0: across all
    //! conversations.
    QList<SearchHit> search(const QString &text, qint64 conversationId = 0, int limit = 100) const;

    //! Characters (code points, not UTF-16 units) a query needs for the index to answer it.
    static constexpr int MinIndexedLength = 3;

private:
    LocalStore *m_store;
};

} // namespace Client
