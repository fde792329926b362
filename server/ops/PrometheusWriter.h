#pragma once

#include "Histogram.h"

#include <QByteArray>

namespace Server {

//! Writes the Prometheus text exposition format 0.0.4: a HELP and a TYPE line per metric family,
//! then its samples as `name{label="value",…} number`, one per line, '\n' line ends.
class PrometheusWriter
{
public:
    static constexpr const char *ContentType = "text/plain; version=0.0.4; charset=utf-8";

    //! Starts a family: type is counter, gauge, histogram or untyped.
    void family(const char *name, const char *type, const char *help);
    //! One sample. `labels` is empty or `a="x",b="y"` (values through label()).
    void sample(const char *name, const QByteArray &labels, double value);
    void sample(const char *name, const QByteArray &labels, quint64 value);
    void sample(const char *name, quint64 value) { sample(name, {}, value); }
    //! The _bucket, _sum and _count samples of a histogram; `scale` turns the observed unit into
    //! the exposed one (1e-6: microseconds to seconds).
    void histogram(const char *name, const QByteArray &labels, const HistogramSnapshot &snapshot,
                   double scale);

    //! `name="value"` with the value escaped as the format requires (\\, \" and \n).
    static QByteArray label(const char *name, QByteArrayView value);

    QByteArray take() { return std::exchange(m_text, QByteArray()); }

private:
    void writeName(const char *name, const char *suffix, const QByteArray &labels);

    QByteArray m_text;
};

} // namespace Server
