#include "SearchIndex.h"

#include "ClientLogging.h"
#include "store/LocalStore.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Client {

using namespace Qt::StringLiterals;

namespace {

// One FTS5 string: double quotes make the whole query a single phrase, so operators and
// punctuation the user typed are searched for, not interpreted.
QString ftsPhrase(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'"', u"\"\""_s);
    return u'"' + escaped + u'"';
}

QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' + escaped + u'%';
}

} // namespace

SearchIndex::SearchIndex(LocalStore *store)
    : m_store(store)
{
}

QList<SearchHit> SearchIndex::search(const QString &text, qint64 conversationId, int limit) const
{
    const QString query = text.trimmed();
    if (query.isEmpty() || !m_store->isOpen())
        return {};

    const bool indexed = query.toUcs4().size() >= MinIndexedLength;
    const QString filter =
        conversationId > 0 ? u" AND m.conversation_id = :conversation"_s : QString();
    const QString sql = indexed
        ? u"SELECT m.conversation_id, m.seq, m.sender_id, m.timestamp, m.body FROM message_search "
          u"s "
          "JOIN messages m ON m.id = s.rowid WHERE message_search MATCH :query"_s
            + filter + u" ORDER BY m.timestamp DESC, m.id DESC LIMIT :limit"_s
        // LIKE is case-insensitive for ASCII only; the trigram index folds every script, but
        // one or two characters cannot use it.
        : u"SELECT m.conversation_id, m.seq, m.sender_id, m.timestamp, m.body FROM messages m "
          "WHERE m.body LIKE :query ESCAPE '\\'"_s
            + filter + u" ORDER BY m.timestamp DESC, m.id DESC LIMIT :limit"_s;

    QSqlQuery q(m_store->database());
    q.prepare(sql);
    q.bindValue(u":query"_s, indexed ? ftsPhrase(query) : likePattern(query));
    if (conversationId > 0)
        q.bindValue(u":conversation"_s, conversationId);
    q.bindValue(u":limit"_s, limit);
    QList<SearchHit> hits;
    if (!q.exec()) {
        qCWarning(lcClientStore).noquote() << "search failed:" << q.lastError().text();
        return hits;
    }
    while (q.next()) {
        hits.append(SearchHit {q.value(0).toLongLong(), q.value(1).toLongLong(),
                               q.value(2).toLongLong(), q.value(3).toLongLong(),
                               q.value(4).toString()});
    }
    return hits;
}

} // namespace Client
