#include "SearchHighlighter.h"

#include <QTextBoundaryFinder>

namespace App {

using namespace Qt::StringLiterals;

namespace {

bool isLineBreak(QChar c)
{
    return c == u'\n' || c == u'\r' || c == u'\t' || c == QChar::LineSeparator
        || c == QChar::ParagraphSeparator;
}

//! Moves positions onto grapheme boundaries, so that a cut or a highlight never splits an emoji,
//! a surrogate pair or a letter from its combining marks.
class Graphemes
{
public:
    explicit Graphemes(const QString &text)
        : m_finder(QTextBoundaryFinder::Grapheme, text)
    {
    }

    qsizetype atOrBefore(qsizetype position)
    {
        m_finder.setPosition(position);
        if (!m_finder.isAtBoundary())
            m_finder.toPreviousBoundary();
        return qMax<qsizetype>(0, m_finder.position());
    }

    qsizetype atOrAfter(qsizetype position, qsizetype size)
    {
        m_finder.setPosition(position);
        if (!m_finder.isAtBoundary())
            m_finder.toNextBoundary();
        return m_finder.position() < 0 ? size : m_finder.position();
    }

private:
    QTextBoundaryFinder m_finder;
};

} // namespace

QList<SearchHighlighter::Range> SearchHighlighter::matches(QStringView text, QStringView query)
{
    const QStringView needle = query.trimmed();
    QList<Range> ranges;
    if (needle.isEmpty())
        return ranges;
    qsizetype from = 0;
    for (;;) {
        const qsizetype found = text.indexOf(needle, from, Qt::CaseInsensitive);
        if (found < 0)
            break;
        ranges.append({found, needle.size()});
        from = found + needle.size();
    }
    return ranges;
}

QString SearchHighlighter::toStyledText(const QString &text, const QString &query,
                                        const QColor &color, int maximumLength)
{
    // One for one, so the match offsets stay valid.
    QString flat = text;
    for (QChar &c : flat) {
        if (isLineBreak(c))
            c = u' ';
    }
    const qsizetype size = flat.size();
    Graphemes graphemes(flat);
    QList<Range> found = matches(flat, query);
    for (Range &range : found) {
        const qsizetype start = graphemes.atOrBefore(range.start);
        const qsizetype end = graphemes.atOrAfter(range.start + range.length, size);
        range = {start, end - start};
    }

    qsizetype begin = 0;
    qsizetype end = size;
    if (maximumLength > 0 && size > maximumLength) {
        // A quarter of the room is context before the first match, from a word start when one is
        // near.
        const qsizetype first = found.isEmpty() ? 0 : found.constFirst().start;
        begin = qMax<qsizetype>(0, first - maximumLength / 4);
        if (begin > 0) {
            const qsizetype space = flat.indexOf(u' ', begin);
            if (space >= 0 && space < first && space - begin < 16)
                begin = space + 1;
        }
        end = qMin(size, begin + maximumLength);
        if (end == size) // near the end: use the room before instead
            begin = qMax<qsizetype>(0, size - maximumLength);
        begin = graphemes.atOrAfter(begin, size);
        end = end == size ? size : graphemes.atOrBefore(end);
    }

    QString open = u"<b>"_s;
    QString close = u"</b>"_s;
    if (color.isValid()) {
        open += u"<font color=\"%1\">"_s.arg(color.name(QColor::HexRgb));
        close.prepend(u"</font>"_s);
    }

    QString styled;
    styled.reserve((end - begin) * 11 / 10 + found.size() * (open.size() + close.size()) + 2);
    if (begin > 0)
        styled += u'…';
    qsizetype position = begin;
    for (const Range &range : std::as_const(found)) {
        const qsizetype from = qMax(range.start, position);
        const qsizetype to = qMin(range.start + range.length, end);
        if (to <= from)
            continue;
        styled += QStringView(flat).sliced(position, from - position).toString().toHtmlEscaped();
        styled += open;
        styled += QStringView(flat).sliced(from, to - from).toString().toHtmlEscaped();
        styled += close;
        position = to;
    }
    if (position < end)
        styled += QStringView(flat).sliced(position, end - position).toString().toHtmlEscaped();
    if (end < size)
        styled += u'…';
    return styled;
}

} // namespace App
