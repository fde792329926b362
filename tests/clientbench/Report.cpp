#include "ClientBench.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QLocale>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace ClientBench {

namespace {

QString number(double value)
{
    const QLocale locale(QLocale::English);
    if (std::abs(value) < 10)
        return locale.toString(value, 'f', 2);
    if (std::abs(value) < 100)
        return locale.toString(value, 'f', 1);
    return locale.toString(std::llround(value));
}

QString pad(const QString &text, int width, bool right = false)
{
    if (text.size() >= width)
        return text;
    const QString spaces(width - text.size(), QLatin1Char(' '));
    return right ? spaces + text : text + spaces;
}

} // namespace

void Report::add(const QString &phase, const QString &key, const QString &label, double value,
                 const QString &unit)
{
    m_figures.push_back({phase, key, label, value, unit, {}, {}});
}

void Report::addAtMost(const QString &phase, const QString &key, const QString &label, double value,
                       const QString &unit, double limit)
{
    m_figures.push_back({phase, key, label, value, unit,
                         QStringLiteral("<= %1 %2").arg(limit).arg(unit), value <= limit});
}

void Report::addDetail(const QString &phase, const QString &name, const QJsonValue &value)
{
    QJsonObject forPhase = m_details.value(phase).toObject();
    forPhase.insert(name, value);
    m_details.insert(phase, forPhase);
}

void Report::addNote(const QString &phase, const QString &note)
{
    m_notes.append(QJsonObject {{QStringLiteral("phase"), phase}, {QStringLiteral("note"), note}});
}

void Report::addError(const QString &phase, const QString &error)
{
    m_errors.append(
        QJsonObject {{QStringLiteral("phase"), phase}, {QStringLiteral("error"), error}});
}

QString Report::table() const
{
    QStringList lines;
    const QString header = pad(QStringLiteral("figure"), 62)
        + pad(QStringLiteral("value"), 12, true) + QStringLiteral("  ")
        + pad(QStringLiteral("unit"), 6) + pad(QStringLiteral("target"), 14)
        + QStringLiteral("met");
    lines << header << QString(header.size(), QLatin1Char('-'));
    QString phase;
    for (const Figure &f : m_figures) {
        if (f.phase != phase) {
            phase = f.phase;
            lines << QStringLiteral("[%1]").arg(phase);
        }
        lines << pad(QStringLiteral("  ") + f.label, 62) + pad(number(f.value), 12, true)
                + QStringLiteral("  ") + pad(f.unit, 6) + pad(f.target, 14)
                + (f.met ? (*f.met ? QStringLiteral("yes") : QStringLiteral("NO")) : QString());
    }
    for (const auto &note : m_notes) {
        const QJsonObject o = note.toObject();
        lines << QStringLiteral("note [%1]: %2")
                     .arg(o.value(QStringLiteral("phase")).toString(),
                          o.value(QStringLiteral("note")).toString());
    }
    for (const auto &error : m_errors) {
        const QJsonObject o = error.toObject();
        lines << QStringLiteral("ERROR [%1]: %2")
                     .arg(o.value(QStringLiteral("phase")).toString(),
                          o.value(QStringLiteral("error")).toString());
    }
    return lines.join(QLatin1Char('\n'));
}

QJsonObject Report::json() const
{
    QJsonArray figures;
    for (const Figure &f : m_figures) {
        QJsonObject o {{QStringLiteral("phase"), f.phase},
                       {QStringLiteral("key"), f.key},
                       {QStringLiteral("label"), f.label},
                       {QStringLiteral("value"), f.value},
                       {QStringLiteral("unit"), f.unit}};
        if (!f.target.isEmpty())
            o.insert(QStringLiteral("target"), f.target);
        if (f.met)
            o.insert(QStringLiteral("met"), *f.met);
        figures.append(o);
    }
    return {{QStringLiteral("run"), m_run},
            {QStringLiteral("figures"), figures},
            {QStringLiteral("details"), m_details},
            {QStringLiteral("notes"), m_notes},
            {QStringLiteral("errors"), m_errors}};
}

Percentiles Percentiles::of(std::vector<double> values)
{
    Percentiles p;
    if (values.empty())
        return p;
    std::sort(values.begin(), values.end());
    const auto at = [&values](double q) {
        const auto index = size_t(std::ceil(q * double(values.size()))) - 1;
        return values[std::min(index, values.size() - 1)];
    };
    p.count = int(values.size());
    p.p50 = at(0.50);
    p.p95 = at(0.95);
    p.max = values.back();
    double sum = 0;
    for (double v : values)
        sum += v;
    p.mean = sum / double(values.size());
    return p;
}

QJsonObject Percentiles::toJson() const
{
    return {{QStringLiteral("count"), count},
            {QStringLiteral("p50_ms"), p50},
            {QStringLiteral("p95_ms"), p95},
            {QStringLiteral("max_ms"), max},
            {QStringLiteral("mean_ms"), mean}};
}

StallMeter::StallMeter()
{
    m_timer.setInterval(1);
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
}

void StallMeter::start()
{
    m_clock.start();
    m_lastNs = 0;
    m_longestNs = 0;
    m_over16 = m_over50 = 0;
    m_ticks = 0;
    m_timer.start();
}

void StallMeter::stop()
{
    tick(); // a stall that is still going on counts too
    m_timer.stop();
}

void StallMeter::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    const qint64 gap = now - m_lastNs;
    m_lastNs = now;
    ++m_ticks;
    m_longestNs = std::max(m_longestNs, gap);
    if (gap > 16'000'000)
        ++m_over16;
    if (gap > 50'000'000)
        ++m_over50;
}

int StallMeter::stallsOver(int ms) const
{
    return ms >= 50 ? m_over50 : m_over16;
}

QJsonObject StallMeter::toJson() const
{
    return {{QStringLiteral("longest_gap_ms"), longestMs()},
            {QStringLiteral("gaps_over_16ms"), m_over16},
            {QStringLiteral("gaps_over_50ms"), m_over50},
            {QStringLiteral("ticks"), double(m_ticks)},
            {QStringLiteral("seconds"), double(m_clock.nsecsElapsed()) / 1e9}};
}

qint64 rssKib()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

int cpuCount()
{
    return QThread::idealThreadCount();
}

void waitFor(const QFuture<void> &future)
{
    if (future.isFinished())
        return;
    QFutureWatcher<void> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcher<void>::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(future);
    if (!future.isFinished())
        loop.exec();
}

bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer poll;
    bool timedOut = false;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
        else if (clock.elapsed() > timeoutMs) {
            timedOut = true;
            loop.quit();
        }
    });
    poll.start(2);
    loop.exec();
    return !timedOut;
}

} // namespace ClientBench
