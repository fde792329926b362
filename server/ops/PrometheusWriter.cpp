#include "PrometheusWriter.h"

#include <cmath>

namespace Server {

namespace {
QByteArray number(double value)
{
    if (std::isinf(value))
        return value > 0 ? QByteArrayLiteral("+Inf") : QByteArrayLiteral("-Inf");
    if (std::isnan(value))
        return QByteArrayLiteral("NaN");
    return QByteArray::number(value, 'g', 15);
}
} // namespace

void PrometheusWriter::family(const char *name, const char *type, const char *help)
{
    m_text += "# HELP ";
    m_text += name;
    m_text += ' ';
    // HELP text escapes only backslash and newline; ours has neither, but stay correct.
    for (const char *c = help; *c; ++c) {
        if (*c == '\\')
            m_text += "\\\\";
        else if (*c == '\n')
            m_text += "\\n";
        else
            m_text += *c;
    }
    m_text += "\n# TYPE ";
    m_text += name;
    m_text += ' ';
    m_text += type;
    m_text += '\n';
}

void PrometheusWriter::writeName(const char *name, const char *suffix, const QByteArray &labels)
{
    m_text += name;
    m_text += suffix;
    if (!labels.isEmpty()) {
        m_text += '{';
        m_text += labels;
        m_text += '}';
    }
    m_text += ' ';
}

void PrometheusWriter::sample(const char *name, const QByteArray &labels, double value)
{
    writeName(name, "", labels);
    m_text += number(value);
    m_text += '\n';
}

void PrometheusWriter::sample(const char *name, const QByteArray &labels, quint64 value)
{
    writeName(name, "", labels);
    m_text += QByteArray::number(value);
    m_text += '\n';
}

void PrometheusWriter::histogram(const char *name, const QByteArray &labels,
                                 const HistogramSnapshot &snapshot, double scale)
{
    const QByteArray prefix = labels.isEmpty() ? QByteArray() : labels + ',';
    for (qsizetype i = 0; i < snapshot.cumulative.size(); ++i) {
        const bool last = i == snapshot.cumulative.size() - 1;
        const QByteArray le = last ? QByteArrayLiteral("+Inf")
                                   : number(double(snapshot.bounds[std::size_t(i)]) * scale);
        writeName(name, "_bucket", prefix + "le=\"" + le + '"');
        m_text += QByteArray::number(snapshot.cumulative.at(i));
        m_text += '\n';
    }
    writeName(name, "_sum", labels);
    m_text += number(double(snapshot.sum) * scale);
    m_text += '\n';
    writeName(name, "_count", labels);
    m_text += QByteArray::number(snapshot.count);
    m_text += '\n';
}

QByteArray PrometheusWriter::label(const char *name, QByteArrayView value)
{
    QByteArray text = name;
    text += "=\"";
    for (char c : value) {
        if (c == '\\')
            text += "\\\\";
        else if (c == '"')
            text += "\\\"";
        else if (c == '\n')
            text += "\\n";
        else
            text += c;
    }
    text += '"';
    return text;
}

} // namespace Server
