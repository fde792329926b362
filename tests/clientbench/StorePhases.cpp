// search, history and memory: the client core's LocalStore and models on the generated store,
// with the bench's main thread in the GUI thread's place.
#include "ClientBench.h"
#include "Corpus.h"

#include "models/MessageListModel.h"
#include "models/MessageSearchModel.h"
#include "store/LocalStore.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QTextStream>

#include <functional>
#include <memory>

using namespace Client;

namespace ClientBench {

namespace {

double msSince(const QElapsedTimer &clock)
{
    return double(clock.nsecsElapsed()) / 1e6;
}

//! Opens the generated store the way the app does (LocalStore::open on its thread); the open
//! itself is timed as a detail.
bool openStore(Context &context, LocalStore &store, const QString &phase)
{
    QElapsedTimer clock;
    clock.start();
    if (!await(store.open(context.store.path))) {
        context.report.addError(
            phase, QStringLiteral("cannot open the store: %1").arg(store.errorString()));
        return false;
    }
    context.report.addDetail(phase, QStringLiteral("store_open_ms"), msSince(clock));
    return true;
}

//! Reads every role of rows [from, to) as the view's delegates would.
void readRows(const QAbstractItemModel &model, int from, int to, int step = 1)
{
    const QList<int> roles = model.roleNames().keys();
    for (int row = from; row != to; row += step) {
        const QModelIndex index = model.index(row, 0);
        for (int role : roles)
            (void)model.data(index, role);
    }
}

} // namespace

void runSearch(Context &context)
{
    const QString phase = QStringLiteral("search");
    LocalStore store;
    if (!openStore(context, store, phase))
        return;
    MessageSearchModel model(&store);
    Corpus corpus(7);
    QEventLoop loop;
    QElapsedTimer clock;
    double finishedMs = 0;
    QObject::connect(&model, &MessageSearchModel::finished, &loop, [&] {
        finishedMs = msSince(clock);
        loop.quit();
    });
    const auto searchOnce = [&](const QString &text, qint64 conversationId) {
        clock.start();
        model.search(text, conversationId);
        loop.exec();
        return finishedMs;
    };
    // The first query of a connection reads the index's pages from the file: not what is
    // measured (the app's search connection stays open).
    for (int i = 0; i < 3; ++i)
        searchOnce(corpus.latinQuery(), 0);

    struct Kind
    {
        const char *key;
        const char *label;
        std::function<QString()> query;
    };
    const Kind kinds[] = {
        {"substring", "substring (3-6 letters)", [&corpus] { return corpus.latinQuery(); }},
        {"cjk", "CJK, 3 characters (trigram index)", [&corpus] { return corpus.cjkQuery(3); }},
        {"cjk2", "CJK, 2 characters (LIKE scan)", [&corpus] { return corpus.cjkQuery(2); }},
    };
    const struct
    {
        const char *key;
        const char *label;
        qint64 conversationId;
    } scopes[] = {{"all", "all chats", 0}, {"chat", "one chat", context.store.historyConversation}};

    StallMeter stalls;
    stalls.start();
    for (const Kind &kind : kinds) {
        for (const auto &scope : scopes) {
            std::vector<double> times;
            QJsonArray samples;
            for (int i = 0; i < context.options.searchRepeats; ++i) {
                const QString text = kind.query();
                const double ms = searchOnce(text, scope.conversationId);
                times.push_back(ms);
                if (i < 8)
                    samples.append(QJsonObject {{QStringLiteral("query"), text},
                                                {QStringLiteral("ms"), ms},
                                                {QStringLiteral("hits"), model.rowCount()}});
            }
            const Percentiles p = Percentiles::of(times);
            const QString key = QStringLiteral("search_%1_%2")
                                    .arg(QLatin1String(kind.key), QLatin1String(scope.key));
            const QString label =
                QStringLiteral("%1, %2").arg(QLatin1String(kind.label), QLatin1String(scope.label));
            context.report.add(phase, key + QStringLiteral("_p50_ms"),
                               label + QStringLiteral(" p50"), p.p50, QStringLiteral("ms"));
            context.report.addAtMost(phase, key + QStringLiteral("_p95_ms"),
                                     label + QStringLiteral(" p95"), p.p95, QStringLiteral("ms"),
                                     50);
            QJsonObject detail = p.toJson();
            detail.insert(QStringLiteral("samples"), samples);
            context.report.addDetail(phase, key, detail);
        }
    }
    stalls.stop();
    context.report.addAtMost(phase, QStringLiteral("search_gui_stall_max_ms"),
                             QStringLiteral("longest GUI-thread stall during the searches"),
                             stalls.longestMs(), QStringLiteral("ms"), 16);
    context.report.addDetail(phase, QStringLiteral("gui_thread"), stalls.toJson());
    context.report.addNote(phase,
                           QStringLiteral("each query from MessageSearchModel::search() to "
                                          "its finished() (LocalStore's search thread, "
                                          "FTS5 trigram, newest 100 hits)"));
}

void runHistoryAndMemory(Context &context)
{
    const Options &o = context.options;
    const QString phase = QStringLiteral("history");
    LocalStore store;
    if (!openStore(context, store, phase))
        return;
    const qint64 rssBefore = rssKib();
    const qint64 conversationId = context.store.historyConversation;

    StallMeter stalls;
    stalls.start();
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    auto model = std::make_unique<MessageListModel>(&store, nullptr, conversationId, o.pageSize);
    QObject::connect(model.get(), &MessageListModel::loadedChanged, &loop, &QEventLoop::quit);
    if (!model->isLoaded())
        loop.exec();
    const double openMs = msSince(clock);
    readRows(*model, 0, model->rowCount());

    // Scrolling up: the view asks for the page above whenever it nears the top.
    std::vector<double> pages;
    QObject::connect(model.get(), &MessageListModel::loadingOlderChanged, &loop, [&] {
        if (!model->isLoadingOlder())
            loop.quit();
    });
    const int target = std::min(o.scrollMessages, o.historyMessages);
    while (model->rowCount() < target && model->canFetchMore()) {
        const int before = model->rowCount();
        clock.start();
        model->fetchMore();
        if (model->isLoadingOlder())
            loop.exec();
        pages.push_back(msSince(clock));
        readRows(*model, 0, model->rowCount() - before);
    }
    stalls.stop();
    const Percentiles p = Percentiles::of(pages);

    context.report.add(phase, QStringLiteral("history_messages"),
                       QStringLiteral("messages in the conversation"), o.historyMessages,
                       QStringLiteral(""));
    context.report.addAtMost(phase, QStringLiteral("history_open_ms"),
                             QStringLiteral("open: first page (MessageListModel loaded)"), openMs,
                             QStringLiteral("ms"), 16);
    context.report.add(phase, QStringLiteral("history_page_p50_ms"),
                       QStringLiteral("older page (fetchMore, %1 rows) p50").arg(o.pageSize), p.p50,
                       QStringLiteral("ms"));
    context.report.addAtMost(phase, QStringLiteral("history_page_p95_ms"),
                             QStringLiteral("older page p95"), p.p95, QStringLiteral("ms"), 16);
    context.report.addAtMost(phase, QStringLiteral("history_page_max_ms"),
                             QStringLiteral("older page max"), p.max, QStringLiteral("ms"), 16);
    context.report.addAtMost(phase, QStringLiteral("history_gui_stall_max_ms"),
                             QStringLiteral("longest GUI-thread stall while scrolling"),
                             stalls.longestMs(), QStringLiteral("ms"), 16);
    context.report.addDetail(phase, QStringLiteral("pages"), p.toJson());
    context.report.addDetail(phase, QStringLiteral("gui_thread"), stalls.toJson());

    if (!o.runs("memory"))
        return;
    // ...and back down to the newest entry.
    readRows(*model, model->rowCount() - 1, -1, -1);
    readRows(*model, 0, model->rowCount());
    const QString memory = QStringLiteral("memory");
    const qint64 rss = rssKib();
    context.report.add(memory, QStringLiteral("steady_rows"),
                       QStringLiteral("rows held by the model after scrolling up and back"),
                       model->rowCount(), QStringLiteral(""));
    context.report.addAtMost(memory, QStringLiteral("steady_rss_mb"),
                             QStringLiteral("RSS of the bench process (store + models, no QML)"),
                             double(rss) / 1024, QStringLiteral("MB"), 150);
    context.report.add(memory, QStringLiteral("steady_model_growth_mb"),
                       QStringLiteral("RSS growth from opening the conversation to here"),
                       double(rss - rssBefore) / 1024, QStringLiteral("MB"));
    context.report.addNote(memory,
                           QStringLiteral("RSS of messenger-client-bench itself: the "
                                          "client core's LocalStore (memory mirror, two "
                                          "SQLite connections) and a MessageListModel "
                                          "scrolled through %1 messages and back, without "
                                          "Qt Quick; the app's own RSS is cold start's")
                               .arg(model->rowCount()));
}

} // namespace ClientBench
