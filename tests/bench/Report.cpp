#include "Report.h"

#include "Resources.h"

#include <QLocale>
#include <QStringList>

#include <cmath>

namespace Bench {

namespace {

QString number(double value, const QString &unit)
{
    QLocale locale(QLocale::English);
    if (unit == QLatin1String("ms") || std::abs(value) < 10)
        return locale.toString(value, 'f', std::abs(value) < 1 ? 3 : 2);
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

void Report::setCeilings(Ceiling postgres, Ceiling sqlite)
{
    m_postgres = std::move(postgres);
    m_sqlite = std::move(sqlite);
}

void Report::add(Figure figure)
{
    m_figures.push_back(std::move(figure));
}

void Report::addThroughput(const QString &scenario, const QString &key, const QString &label,
                           double value, const QString &unit)
{
    add({scenario, key, label, value, unit, Figure::Kind::Throughput, {}, {}});
}

void Report::addCpu(const QString &scenario, const QString &keyPrefix, const QString &labelPrefix,
                    const CpuWindow &cpu)
{
    const QString core = QStringLiteral("% core");
    add({scenario,
         keyPrefix + QStringLiteral("client_cpu"),
         labelPrefix + QStringLiteral("client CPU"),
         cpu.clientCores() * 100,
         core,
         Figure::Kind::Other,
         {},
         {}});
    add({scenario,
         keyPrefix + QStringLiteral("server_cpu"),
         labelPrefix + QStringLiteral("server CPU"),
         cpu.serverCores() * 100,
         core,
         Figure::Kind::Other,
         {},
         {}});
    add({scenario,
         keyPrefix + QStringLiteral("machine_busy"),
         labelPrefix + QStringLiteral("whole machine busy"),
         cpu.machineBusy() * 100,
         QStringLiteral("%"),
         Figure::Kind::Other,
         {},
         {}});
}

void Report::addLatency(const QString &scenario, const QString &key, const QString &label,
                        const LatencySummary &summary, double p50Target, double p99Target)
{
    const auto one = [&](const char *suffix, double value, double target) {
        Figure f {scenario,
                  key + QLatin1Char('_') + QLatin1String(suffix),
                  label + QLatin1Char(' ') + QLatin1String(suffix),
                  value,
                  QStringLiteral("ms"),
                  Figure::Kind::Latency,
                  {},
                  {}};
        if (target > 0) {
            f.target = QStringLiteral("<= %1 ms").arg(target);
            f.met = summary.count > 0 && value <= target;
        }
        add(f);
    };
    one("p50", summary.p50, p50Target);
    one("p95", summary.p95, -1);
    one("p99", summary.p99, p99Target);
    one("max", summary.max, -1);
}

void Report::addDetail(const QString &scenario, const QString &phase, const QJsonObject &detail)
{
    QJsonObject forScenario = m_details.value(scenario).toObject();
    forScenario.insert(phase, detail);
    m_details.insert(scenario, forScenario);
}

void Report::addNote(const QString &scenario, const QString &note)
{
    m_notes.append(
        QJsonObject {{QStringLiteral("scenario"), scenario}, {QStringLiteral("note"), note}});
}

void Report::addError(const QString &scenario, const QString &error)
{
    m_errors.append(
        QJsonObject {{QStringLiteral("scenario"), scenario}, {QStringLiteral("error"), error}});
}

std::optional<double> Report::ratio(const Figure &figure, const Ceiling &ceiling) const
{
    if (!ceiling.measured)
        return std::nullopt;
    if (figure.kind == Figure::Kind::Throughput && ceiling.singleTps > 0)
        return figure.value / ceiling.singleTps;
    if (figure.kind == Figure::Kind::Latency && ceiling.singleLatencyMs > 0)
        return figure.value / ceiling.singleLatencyMs;
    return std::nullopt;
}

QJsonObject Report::toJson(const LatencySummary &s)
{
    return {{QStringLiteral("count"), double(s.count)}, {QStringLiteral("p50_ms"), s.p50},
            {QStringLiteral("p95_ms"), s.p95},          {QStringLiteral("p99_ms"), s.p99},
            {QStringLiteral("max_ms"), s.max},          {QStringLiteral("mean_ms"), s.mean}};
}

QJsonObject Report::toJson(const CpuWindow &cpu)
{
    return {{QStringLiteral("seconds"), cpu.seconds()},
            {QStringLiteral("client_cores"), cpu.clientCores()},
            {QStringLiteral("server_cores"), cpu.serverCores()},
            {QStringLiteral("machine_busy"), cpu.machineBusy()}};
}

QString Report::table() const
{
    QStringList lines;
    QLocale locale(QLocale::English);
    const auto ceilingLine = [&](const char *name, const Ceiling &c) {
        if (!c.measured)
            return QStringLiteral("%1 ceiling: not measured%2")
                .arg(QLatin1String(name),
                     c.error.isEmpty() ? QString()
                                       : QStringLiteral(" (") + c.error + QLatin1Char(')'));
        return QStringLiteral(
                   "%1 ceiling (1 client, %2 s each): single-row INSERT %3 TPS (%4 ms avg); "
                   "100-row INSERT %5 rows/s")
            .arg(QLatin1String(name))
            .arg(c.seconds)
            .arg(number(c.singleTps, {}), number(c.singleLatencyMs, QStringLiteral("ms")),
                 number(c.hundredRowsPerSecond, {}));
    };
    lines << ceilingLine("PostgreSQL (pgbench)", m_postgres);
    if (m_sqlite.measured || !m_sqlite.error.isEmpty())
        lines << ceilingLine("SQLite (same pragmas as the server)", m_sqlite);
    lines << QString();

    const bool sqliteColumn = m_sqlite.measured;
    QString header = pad(QStringLiteral("figure"), 58) + pad(QStringLiteral("value"), 14, true)
        + QStringLiteral("  ") + pad(QStringLiteral("unit"), 7)
        + pad(QStringLiteral("x pg-1row"), 10, true);
    if (sqliteColumn)
        header += pad(QStringLiteral("x sqlite"), 10, true);
    header += QStringLiteral("  ") + pad(QStringLiteral("target"), 19) + QStringLiteral("met");
    lines << header << QString(header.size(), QLatin1Char('-'));

    QString scenario;
    for (const Figure &f : m_figures) {
        if (f.scenario != scenario) {
            scenario = f.scenario;
            lines << QStringLiteral("[%1]").arg(scenario);
        }
        QString line = pad(QStringLiteral("  ") + f.label, 58)
            + pad(number(f.value, f.unit), 14, true) + QStringLiteral("  ") + pad(f.unit, 7);
        const auto r = ratio(f, m_postgres);
        line += pad(r ? number(*r, {}) : QStringLiteral("-"), 10, true);
        if (sqliteColumn) {
            const auto s = ratio(f, m_sqlite);
            line += pad(s ? number(*s, {}) : QStringLiteral("-"), 10, true);
        }
        line += QStringLiteral("  ") + pad(f.target, 19)
            + (f.met ? (*f.met ? QStringLiteral("yes") : QStringLiteral("NO")) : QString());
        lines << line;
    }
    for (const auto &note : m_notes) {
        const QJsonObject o = note.toObject();
        lines << QStringLiteral("note [%1]: %2")
                     .arg(o.value(QStringLiteral("scenario")).toString(),
                          o.value(QStringLiteral("note")).toString());
    }
    for (const auto &error : m_errors) {
        const QJsonObject o = error.toObject();
        lines << QStringLiteral("ERROR [%1]: %2")
                     .arg(o.value(QStringLiteral("scenario")).toString(),
                          o.value(QStringLiteral("error")).toString());
    }
    return lines.join(QLatin1Char('\n'));
}

QJsonObject Report::json() const
{
    const auto ceilingJson = [](const Ceiling &c) {
        QJsonObject o {{QStringLiteral("measured"), c.measured}};
        if (c.measured) {
            o.insert(QStringLiteral("single_row_insert_tps"), c.singleTps);
            o.insert(QStringLiteral("single_row_insert_latency_ms"), c.singleLatencyMs);
            o.insert(QStringLiteral("hundred_row_insert_rows_per_s"), c.hundredRowsPerSecond);
            o.insert(QStringLiteral("seconds"), c.seconds);
        }
        if (!c.error.isEmpty())
            o.insert(QStringLiteral("error"), c.error);
        return o;
    };
    QJsonArray figures;
    for (const Figure &f : m_figures) {
        QJsonObject o {{QStringLiteral("scenario"), f.scenario},
                       {QStringLiteral("key"), f.key},
                       {QStringLiteral("label"), f.label},
                       {QStringLiteral("value"), f.value},
                       {QStringLiteral("unit"), f.unit}};
        if (const auto r = ratio(f, m_postgres))
            o.insert(QStringLiteral("ratio_to_pg_single_row"), *r);
        if (const auto s = ratio(f, m_sqlite))
            o.insert(QStringLiteral("ratio_to_sqlite_single_row"), *s);
        if (!f.target.isEmpty())
            o.insert(QStringLiteral("target"), f.target);
        if (f.met)
            o.insert(QStringLiteral("met"), *f.met);
        figures.append(o);
    }
    QJsonObject root {{QStringLiteral("run"), m_run},
                      {QStringLiteral("postgres_ceiling"), ceilingJson(m_postgres)},
                      {QStringLiteral("figures"), figures},
                      {QStringLiteral("details"), m_details},
                      {QStringLiteral("notes"), m_notes},
                      {QStringLiteral("errors"), m_errors}};
    if (m_sqlite.measured || !m_sqlite.error.isEmpty())
        root.insert(QStringLiteral("sqlite_ceiling"), ceilingJson(m_sqlite));
    return root;
}

} // namespace Bench
