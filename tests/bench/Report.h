#pragma once

#include "Ceilings.h"
#include "Latency.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace Bench {

class CpuWindow;

//! One number the benchmark reports, with how it compares to the database's ceiling and to
//! its target.
struct Figure
{
    enum class Kind {
        Throughput, //!< per second: divided by the single-row INSERT TPS
        Latency, //!< milliseconds: divided by the single-row INSERT latency
        Other, //!< no ratio (memory, counts, CPU)
    };
    QString scenario;
    QString key; //!< stable JSON name, e.g. "durable_messages_per_s"
    QString label; //!< what the table shows
    double value = 0;
    QString unit;
    Kind kind = Kind::Other;
    QString target; //!< e.g. ">= 3x pg"; empty when there is none
    std::optional<bool> met;
};

//! Collects figures and details while the scenarios run; prints the table and the JSON.
class Report
{
public:
    void setRun(QJsonObject run) { m_run = std::move(run); }
    void setCeilings(Ceiling postgres, Ceiling sqlite);
    const Ceiling &postgres() const { return m_postgres; }

    void add(Figure figure);
    void addThroughput(const QString &scenario, const QString &key, const QString &label,
                       double value, const QString &unit = QStringLiteral("/s"));
    void addLatency(const QString &scenario, const QString &key, const QString &label,
                    const LatencySummary &summary, double p50Target = -1, double p99Target = -1);
    //! The client's and the server's CPU and the whole machine's load over one phase, as three
    //! figures "<keyPrefix>client_cpu", "…server_cpu", "…machine_busy".
    void addCpu(const QString &scenario, const QString &keyPrefix, const QString &labelPrefix,
                const CpuWindow &cpu);
    //! The raw numbers of one phase, for the JSON file.
    void addDetail(const QString &scenario, const QString &phase, const QJsonObject &detail);
    void addNote(const QString &scenario, const QString &note);
    void addError(const QString &scenario, const QString &error);

    QString table() const;
    QJsonObject json() const;
    bool hasErrors() const { return !m_errors.isEmpty(); }

    static QJsonObject toJson(const LatencySummary &summary);
    static QJsonObject toJson(const CpuWindow &cpu);
    //! A ratio of value to the PostgreSQL ceiling for the figure's kind, if there is one.
    std::optional<double> ratio(const Figure &figure, const Ceiling &ceiling) const;

private:
    QJsonObject m_run;
    Ceiling m_postgres;
    Ceiling m_sqlite;
    std::vector<Figure> m_figures;
    QJsonObject m_details;
    QJsonArray m_notes;
    QJsonArray m_errors;
};

} // namespace Bench
