#include "SearchIndex.h"

#include "ClientLogging.h"
#include "text/RichText.h"

#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

#include <sqlite3.h>

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

//! The connection's sqlite3 handle (Qt's driver and we link the same system libsqlite3).
sqlite3 *handleOf(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

//! Asks `interrupted` while a statement runs; SQLite abandons it when the answer is yes.
class ProgressGuard
{
public:
    ProgressGuard(sqlite3 *handle, const std::function<bool()> &interrupted)
        : m_handle(interrupted ? handle : nullptr)
        , m_interrupted(interrupted)
    {
        if (m_handle)
            sqlite3_progress_handler(m_handle, StepsBetweenChecks, &ProgressGuard::check, this);
    }
    ~ProgressGuard()
    {
        if (m_handle)
            sqlite3_progress_handler(m_handle, 0, nullptr, nullptr);
    }
    ProgressGuard(const ProgressGuard &) = delete;
    ProgressGuard &operator=(const ProgressGuard &) = delete;

private:
    static constexpr int StepsBetweenChecks = 2000;
    static int check(void *self)
    {
        return static_cast<ProgressGuard *>(self)->m_interrupted() ? 1 : 0;
    }

    sqlite3 *m_handle;
    const std::function<bool()> &m_interrupted;
};

} // namespace

std::optional<QList<SearchHit>> SearchIndex::search(const QSqlDatabase &db, const QString &text,
                                                    qint64 conversationId, int limit,
                                                    const std::function<bool()> &interrupted)
{
    const QString query = text.trimmed();
    if (query.isEmpty() || !db.isOpen())
        return QList<SearchHit>();

    // Newest stored first, by row id: the index (or the table) is walked backwards and the walk
    // stops at `limit` hits, where ORDER BY timestamp had to collect and sort every match (420 ms
    // p95 for "the" over 1M messages; messenger-client-bench). Rows are stored as they arrive,
    // so row order is time order except for older history fetched later, which a common word
    // could push out of the first page; the page itself is sorted by time below.
    const bool indexed = query.toUcs4().size() >= MinIndexedLength;
    const QString filter =
        conversationId > 0 ? u" AND m.conversation_id = :conversation"_s : QString();
    const QString sql = indexed
        ? u"SELECT m.conversation_id, m.seq, m.sender_id, m.timestamp, m.body, m.content_type, "
          u"m.content FROM message_search "
          u"s "
          "JOIN messages m ON m.id = s.rowid WHERE message_search MATCH :query"_s
            + filter + u" ORDER BY s.rowid DESC LIMIT :limit"_s
        // LIKE is case-insensitive for ASCII only; the trigram index folds every script, but
        // one or two characters cannot use it.
        : u"SELECT m.conversation_id, m.seq, m.sender_id, m.timestamp, m.body, m.content_type, "
          u"m.content FROM messages m "
          "WHERE m.body LIKE :query ESCAPE '\\'"_s
            + filter + u" ORDER BY m.id DESC LIMIT :limit"_s;

    const ProgressGuard guard(handleOf(db), interrupted);
    QSqlQuery q(db);
    q.prepare(sql);
    q.bindValue(u":query"_s, indexed ? ftsPhrase(query) : likePattern(query));
    if (conversationId > 0)
        q.bindValue(u":conversation"_s, conversationId);
    q.bindValue(u":limit"_s, limit);
    QList<SearchHit> hits;
    const bool ran = q.exec();
    while (ran && q.next()) {
        hits.append(
            SearchHit {q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toLongLong(),
                       q.value(3).toLongLong(),
                       // The index holds a spoiler's words; the hit shows them hidden.
                       RichText::maskSpoilers(q.value(5).toString(), q.value(6).toByteArray(),
                                              q.value(4).toString())});
    }
    if (interrupted && interrupted())
        return std::nullopt;
    std::stable_sort(hits.begin(), hits.end(), [](const SearchHit &a, const SearchHit &b) {
        return a.timestamp > b.timestamp;
    });
    if (!ran || q.lastError().isValid())
        qCWarning(lcClientStore).noquote() << "search failed:" << q.lastError().text();
    return hits;
}

} // namespace Client
