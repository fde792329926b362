#pragma once

#include <QElapsedTimer>
#include <QFuture>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <optional>
#include <vector>

//! messenger-client-bench: the desktop client's figures (docs/performance.md, "Client"), measured
//! on the real client core and the real `messenger` executable.
namespace ClientBench {

//! Everything the command line sets. Defaults are the full run; --quick swaps in small sizes for
//! any size not given explicitly.
struct Options
{
    bool quick = false;
    QStringList phases {QStringLiteral("coldstart"), QStringLiteral("search"),
                        QStringLiteral("history"), QStringLiteral("sync"),
                        QStringLiteral("memory")};
    int conversations = 1000;
    int messages = 1'000'000; //!< in the whole store, the history conversation's included
    int historyMessages = 100'000; //!< in the conversation that history opens (and the app reopens)
    int scrollMessages = 10'000; //!< scrolled through (and back) for the steady memory
    int syncBacklog = 100'000;
    int coldStartRuns = 5;
    int searchRepeats = 40; //!< queries of each kind
    int pageSize = 50; //!< as the app's (AccountSettings::messagePageSize)
    QString storeCache; //!< where generated stores are kept and reused
    QString jsonPath = QStringLiteral("messenger-client-bench.json");
    QString workDir; //!< empty: a temporary folder
    bool keepWorkDir = false;
    QString messenger; //!< the app
    QString messengerd; //!< the server
    QString display = QStringLiteral("auto"); //!< auto, xvfb or offscreen

    bool runs(const char *phase) const { return phases.contains(QLatin1String(phase)); }
};

//! One number the bench reports, with its target.
struct Figure
{
    QString phase;
    QString key; //!< stable JSON name, e.g. "search_substring_all_p95_ms"
    QString label;
    double value = 0;
    QString unit;
    QString target; //!< e.g. "<= 50 ms"; empty when there is none
    std::optional<bool> met;
};

//! Collects the figures, details, notes and errors; prints the table and the JSON.
class Report
{
public:
    void setRun(QJsonObject run) { m_run = std::move(run); }
    void add(const QString &phase, const QString &key, const QString &label, double value,
             const QString &unit);
    //! A figure with an upper bound as its target.
    void addAtMost(const QString &phase, const QString &key, const QString &label, double value,
                   const QString &unit, double limit);
    void addDetail(const QString &phase, const QString &name, const QJsonValue &value);
    void addNote(const QString &phase, const QString &note);
    void addError(const QString &phase, const QString &error);
    bool hasErrors() const { return !m_errors.isEmpty(); }

    QString table() const;
    QJsonObject json() const;

private:
    QJsonObject m_run;
    std::vector<Figure> m_figures;
    QJsonObject m_details;
    QJsonArray m_notes;
    QJsonArray m_errors;
};

//! p50, p95 and max of a set of durations in milliseconds.
struct Percentiles
{
    int count = 0;
    double p50 = 0;
    double p95 = 0;
    double max = 0;
    double mean = 0;
    static Percentiles of(std::vector<double> values);
    QJsonObject toJson() const;
};

//! The longest gap between ticks of a 1 ms timer on the thread that runs it (the bench's GUI
//! thread: where LocalStore, the models and the sync engine live), i.e. how long that thread was
//! kept from its event loop.
class StallMeter : public QObject
{
public:
    StallMeter();
    void start();
    void stop();
    double longestMs() const { return double(m_longestNs) / 1e6; }
    int stallsOver(int ms) const; //!< gaps longer than ms (16, 50)
    QJsonObject toJson() const;

private:
    void tick();
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_longestNs = 0;
    int m_over16 = 0;
    int m_over50 = 0;
    qint64 m_ticks = 0;
};

//! Resident memory of this process in KiB (/proc/self/status VmRSS).
qint64 rssKib();
int cpuCount();

//! Runs the event loop until the future is finished (the store's answers arrive through it).
void waitFor(const QFuture<void> &future);
template<typename T>
T await(QFuture<T> future)
{
    waitFor(QFuture<void>(future));
    return future.isCanceled() ? T() : future.result();
}
//! Runs the event loop until `done` says so or `timeoutMs` passed; false on the timeout.
bool spinUntil(const std::function<bool()> &done, int timeoutMs);

//! The store the phases share (generated once and cached; see StoreGenerator).
struct GeneratedStore
{
    QString path;
    qint64 selfId = 0;
    qint64 historyConversation = 0; //!< the conversation with historyMessages entries
    QString selfUsername;
    bool reused = false;
    double generationSeconds = 0;
};

struct Context
{
    const Options &options;
    Report &report;
    QString workDir;
    GeneratedStore store;
};

//! Generates (or reuses) the store of options' shape; false with error when it cannot.
bool prepareStore(Context &context, QString *error);
void runColdStart(Context &context);
void runSearch(Context &context);
void runHistoryAndMemory(Context &context);
void runSync(Context &context);

//! --store-token: writes a device token into the real keychain (run inside the cold start's
//! private D-Bus session, before the app starts). Returns the exit code.
int storeToken(const QString &accountKey, const QString &token);

} // namespace ClientBench
