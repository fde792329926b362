// LocalStore, search: a read-only connection on a thread of its own (see LocalStore.h).
#include "LocalStore.h"

#include "ClientLogging.h"
#include "store/SearchIndex.h"
#include "store/StoreDatabase.h"
#include "store/StoreThread.h"

namespace Client {

using namespace Qt::StringLiterals;

void LocalStore::startSearchThread()
{
    m_searchThread = std::make_unique<StoreThread>(u"local-store-search"_s);
    m_searchDb = std::make_unique<StoreDatabase>();
    m_searchThread->post([db = m_searchDb.get(), path = m_filePath] {
        QString error;
        if (!db->open(path, true, &error))
            qCWarning(lcClientStore).noquote() << "search cannot open the store:" << error;
    });
}

QFuture<QList<SearchHit>> LocalStore::search(const QString &text, qint64 conversationId, int limit)
{
    const quint64 generation = ++*m_searchGeneration;
    if (!m_open || text.trimmed().isEmpty())
        return QtFuture::makeReadyFuture(QList<SearchHit>()); // a cleared field clears at once
    if (!m_searchThread)
        startSearchThread();
    auto promise = std::make_shared<QPromise<QList<SearchHit>>>();
    promise->start();
    QFuture<QList<SearchHit>> future = promise->future();
    m_searchThread->post([this, db = m_searchDb.get(), generations = m_searchGeneration, generation,
                          text, conversationId, limit, promise] {
        const auto superseded = [&generations, generation] { return *generations != generation; };
        auto hits = std::make_shared<std::optional<QList<SearchHit>>>();
        if (!superseded())
            *hits = SearchIndex::search(db->database(), text, conversationId, limit, superseded);
        QMetaObject::invokeMethod(
            this,
            [promise, hits] {
                if (*hits)
                    promise->addResult(std::move(**hits));
                else
                    promise->future().cancel();
                promise->finish();
            },
            Qt::QueuedConnection);
    });
    return future;
}

} // namespace Client
