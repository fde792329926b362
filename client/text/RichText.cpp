#include "RichText.h"

#include <QTextBoundaryFinder>

#include <algorithm>

namespace Client::RichText {

using namespace Qt::StringLiterals;
using Protocol::Body::MessageBody;
using Protocol::Body::Style;

namespace {

bool isLineBreak(QChar c)
{
    return c == u'\n' || c == u'\r' || c == QChar(0x2028) || c == QChar(0x2029);
}

bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t' || isLineBreak(c);
}

void appendEscaped(QString &out, const QString &text, qsizetype from, qsizetype to)
{
    for (qsizetype i = from; i < to; ++i) {
        const QChar c = text.at(i);
        switch (c.unicode()) {
        case u'<':
            out += "&lt;"_L1;
            break;
        case u'>':
            out += "&gt;"_L1;
            break;
        case u'&':
            out += "&amp;"_L1;
            break;
        case u'"':
            out += "&quot;"_L1;
            break;
        case u'\'':
            out += "&#39;"_L1;
            break;
        case u'\r':
            if (i + 1 < text.size() && text.at(i + 1) == u'\n')
                break; // one line break for \r\n
            out += "<br>"_L1;
            break;
        case u'\n':
        case 0x2028:
        case 0x2029:
            out += "<br>"_L1;
            break;
        case u' ':
            // StyledText collapses runs of white space; the first space of a run stays breakable.
            out += (i == 0 || isBlank(text.at(i - 1))) ? "&nbsp;"_L1 : " "_L1;
            break;
        case u'\t':
            out += "&nbsp;&nbsp;&nbsp;&nbsp;"_L1;
            break;
        default:
            if (c.unicode() >= 0x20 && c.unicode() != 0x7f)
                out += c; // other C0 controls and DEL are dropped
        }
    }
}

// An attribute value as StyledText reads it: up to the closing quote, entities NOT decoded (Qt
// 6.4 hands "&amp;" to linkActivated as is), so the few characters that could end or confuse it
// are percent-encoded instead; & stays as typed, as query strings need it.
QString attribute(const QString &url)
{
    QString out;
    for (const QChar c : url) {
        if (c == u'"' || c == u'\'' || c == u'<' || c == u'>' || c == u'\\' || c == u' '
            || c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += u'%' + QString::number(c.unicode(), 16).toUpper().rightJustified(2, u'0');
        else
            out += c;
    }
    return out;
}

bool endsUrl(QChar c)
{
    return c.isSpace() || c.unicode() < 0x20 || c == u'<' || c == u'>' || c == u'"' || c == u'`'
        || c == QChar(0x201C) || c == QChar(0x201D) || c == QChar(0xAB) || c == QChar(0xBB);
}

// Leaves out what ends a sentence rather than the URL.
qsizetype trimmedEnd(const QString &text, qsizetype start, qsizetype end)
{
    while (end > start) {
        const QChar last = text.at(end - 1);
        if (u".,;:!?'*"_s.contains(last)) {
            --end;
            continue;
        }
        const qsizetype bracket = u")]}"_s.indexOf(last);
        if (bracket >= 0) {
            const QStringView url = QStringView(text).sliced(start, end - start);
            if (url.count(u")]}"_s.at(bracket)) > url.count(u"([{"_s.at(bracket))) {
                --end;
                continue;
            }
        }
        break;
    }
    return end;
}

int graphemeCount(QStringView text)
{
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text.constData(), text.size());
    int count = 0;
    while (finder.toNextBoundary() > 0)
        ++count;
    return count;
}

// One kind of markup over a range of the text; order puts the outer ones first.
struct Span
{
    int start = 0;
    int end = 0;
    int order = 0;
    QString open;
    QString close;
};

enum Order { HiddenSpoiler, Anchor, MentionOrder, Bold, Italic, Strike, Mono };

bool overlaps(int start, int end, int otherStart, int otherEnd)
{
    return start < otherEnd && otherStart < end;
}

QList<Span> spansOf(const MessageBody &body, qint64 selfId, const Options &options)
{
    const int size = int(body.text.size());
    QList<Span> spans;
    auto add = [&](int start, int length, int order, const QString &open, const QString &close) {
        // Bodies are validated when decoded; a bad range is still ignored rather than trusted.
        if (start < 0 || length < 1 || start > size || length > size - start)
            return false;
        spans.append({start, start + length, order, open, close});
        return true;
    };
    for (qsizetype i = 0; i < body.styles.size(); ++i) {
        const auto &[style, range] = body.styles.at(i);
        switch (style) {
        case Style::Bold:
            add(range.start, range.length, Bold, u"<b>"_s, u"</b>"_s);
            break;
        case Style::Italic:
            add(range.start, range.length, Italic, u"<i>"_s, u"</i>"_s);
            break;
        case Style::Strikethrough:
            add(range.start, range.length, Strike, u"<s>"_s, u"</s>"_s);
            break;
        case Style::Monospace:
            add(range.start, range.length, Mono,
                u"<tt><font color=\"%1\">"_s.arg(attribute(options.monospaceColor)),
                u"</font></tt>"_s);
            break;
        case Style::Spoiler:
            if (!options.revealSpoilers)
                add(range.start, range.length, HiddenSpoiler,
                    u"<a href=\"%1%2\"><font color=\"%3\">"_s.arg(SpoilerScheme)
                        .arg(i)
                        .arg(attribute(options.spoilerColor)),
                    u"</font></a>"_s);
            break;
        }
    }
    for (const auto &mention : body.mentions) {
        const QString color =
            mention.userId == selfId ? options.selfMentionColor : options.mentionColor;
        add(mention.range.start, mention.range.length, MentionOrder,
            u"<b><font color=\"%1\">"_s.arg(attribute(color)), u"</font></b>"_s);
    }
    // A URL inside a mention or monospace text stays text, as it would in code.
    const QList<Span> marked = spans;
    for (const Link &link : findLinks(body.text)) {
        const bool covered = std::any_of(marked.begin(), marked.end(), [&link](const Span &s) {
            return (s.order == MentionOrder || s.order == Mono)
                && overlaps(link.start, link.start + link.length, s.start, s.end);
        });
        if (!covered)
            add(link.start, link.length, Anchor, u"<a href=\"%1\">"_s.arg(attribute(link.url)),
                u"</a>"_s);
    }
    return spans;
}

bool isPictographic(char32_t c)
{
    if (c >= 0x1F000 && c <= 0x1FAFF) // symbols and pictographs, emoticons, transport, …
        return !(c >= 0x1F100 && c <= 0x1F1E5) || c == 0x1F18E || (c >= 0x1F191 && c <= 0x1F19A);
    if (c >= 0x2600 && c <= 0x27BF) // miscellaneous symbols and dingbats
        return true;
    static constexpr char32_t ranges[][2] = {{0x231A, 0x231B}, {0x23E9, 0x23F3}, {0x23F8, 0x23FA},
                                             {0x25FD, 0x25FE}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50},
                                             {0x2B55, 0x2B55}};
    return std::any_of(std::begin(ranges), std::end(ranges),
                       [c](const auto &r) { return c >= r[0] && c <= r[1]; });
}

bool isEmoji(QStringView cluster)
{
    const QList<uint> codePoints = cluster.toUcs4();
    if (codePoints.isEmpty())
        return false;
    const char32_t first = codePoints.first();
    if (QChar::isMark(first) || QChar::category(first) == QChar::Other_Format)
        return false; // a lone selector, joiner or modifier
    if (codePoints.contains(0x20E3)) // keycap: 1️⃣ #️⃣ *️⃣
        return (first >= u'0' && first <= u'9') || first == u'#' || first == u'*';
    if (first >= 0x1F1E6 && first <= 0x1F1FF) // regional indicators: flags
        return true;
    if (isPictographic(first))
        return true;
    // A text symbol with the emoji presentation selector (©️, ↔️), but no letter or digit.
    return first > 0x7F && !QChar::isLetterOrNumber(first) && codePoints.contains(0xFE0F);
}

} // namespace

QString escaped(const QString &text)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    appendEscaped(out, text, 0, text.size());
    return out;
}

QList<Link> findLinks(const QString &text)
{
    static constexpr QLatin1StringView schemes[] = {"https://"_L1, "http://"_L1, "mailto:"_L1};
    QList<Link> links;
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text.at(i);
        const bool candidate = (c == u'h' || c == u'H' || c == u'm' || c == u'M')
            && (i == 0 || !text.at(i - 1).isLetterOrNumber());
        qsizetype schemeLength = 0;
        if (candidate) {
            for (const QLatin1StringView scheme : schemes) {
                if (QStringView(text).sliced(i).startsWith(scheme, Qt::CaseInsensitive)) {
                    schemeLength = scheme.size();
                    break;
                }
            }
        }
        if (schemeLength == 0) {
            ++i;
            continue;
        }
        const qsizetype rest = i + schemeLength;
        qsizetype end = rest;
        while (end < text.size() && !endsUrl(text.at(end)))
            ++end;
        end = trimmedEnd(text, rest, end);
        const QStringView after = QStringView(text).sliced(rest, end - rest);
        const bool mail = text.at(i).toLower() == u'm';
        const qsizetype at = after.indexOf(u'@');
        const bool plausible = mail
            ? (at > 0 && at + 1 < after.size())
            : (!after.isEmpty() && (after.front().isLetterOrNumber() || after.front() == u'['));
        if (!plausible) {
            i = rest;
            continue;
        }
        links.append({int(i), int(end - i), text.mid(i, end - i)});
        i = end;
    }
    return links;
}

QStringList links(const QString &text)
{
    QStringList urls;
    for (const Link &link : findLinks(text))
        urls.append(link.url);
    return urls;
}

QString toStyledText(const MessageBody &body, qint64 selfId, const Options &options)
{
    const QString &text = body.text;
    const QList<Span> spans = spansOf(body, selfId, options);
    QList<int> bounds {0, int(text.size())};
    for (const Span &span : spans)
        bounds << span.start << span.end;
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());

    // Each piece between two bounds gets the tags of the spans over it, outer ones first; between
    // pieces, only the tags that differ are closed and opened, so tags always nest.
    QString out;
    out.reserve(text.size() * 2);
    QList<const Span *> open;
    for (qsizetype b = 0; b + 1 < bounds.size(); ++b) {
        const int start = bounds.at(b);
        const int end = bounds.at(b + 1);
        QList<const Span *> active;
        for (const Span &span : spans) {
            if (span.start <= start && span.end >= end)
                active.append(&span);
        }
        std::stable_sort(active.begin(), active.end(), [](const Span *x, const Span *y) {
            return x->order != y->order ? x->order < y->order : x->start < y->start;
        });
        const bool hidden = !active.isEmpty() && active.first()->order == HiddenSpoiler;
        QList<const Span *> wanted;
        for (const Span *span : std::as_const(active)) {
            if (hidden && span != active.first()
                && (span->order == HiddenSpoiler || span->order == Anchor
                    || span->order == MentionOrder))
                continue; // one link at a time: the spoiler's
            if (!wanted.isEmpty() && wanted.last()->open == span->open)
                continue; // the same style twice
            wanted.append(span);
        }
        qsizetype same = 0;
        while (same < open.size() && same < wanted.size()
               && open.at(same)->open == wanted.at(same)->open)
            ++same;
        while (open.size() > same)
            out += open.takeLast()->close;
        for (qsizetype i = same; i < wanted.size(); ++i) {
            out += wanted.at(i)->open;
            open.append(wanted.at(i));
        }
        if (hidden)
            out +=
                QString(graphemeCount(QStringView(text).sliced(start, end - start)), QChar(0x2592));
        else
            appendEscaped(out, text, start, end);
    }
    while (!open.isEmpty())
        out += open.takeLast()->close;
    return out;
}

QString maskSpoilers(const MessageBody &body)
{
    const QString &text = body.text;
    QList<bool> hidden(text.size(), false);
    bool any = false;
    for (const auto &styled : body.styles) {
        if (styled.style != Style::Spoiler)
            continue;
        const qsizetype start = std::max<qsizetype>(0, styled.range.start);
        const qsizetype end =
            std::min<qsizetype>(text.size(), qsizetype(styled.range.start) + styled.range.length);
        for (qsizetype i = start; i < end; ++i)
            hidden[i] = any = true;
    }
    if (!any)
        return text;
    QString out;
    out.reserve(text.size());
    qsizetype i = 0;
    while (i < text.size()) {
        qsizetype j = i;
        while (j < text.size() && hidden.at(j) == hidden.at(i))
            ++j;
        if (hidden.at(i))
            out += QString(graphemeCount(QStringView(text).sliced(i, j - i)), QChar(0x2592));
        else
            out += QStringView(text).sliced(i, j - i);
        i = j;
    }
    return out;
}

QString maskSpoilers(const QString &contentType, const QByteArray &content, const QString &text)
{
    if (contentType != Protocol::Body::ContentType)
        return text;
    const Protocol::Body::DecodedBody decoded = Protocol::Body::decode(content);
    return decoded.ok() ? maskSpoilers(decoded.body) : text;
}

bool isEmojiOnly(const QString &text, int max)
{
    QString compact;
    for (const QChar c : text) {
        if (!c.isSpace())
            compact += c;
    }
    if (compact.isEmpty() || max < 1)
        return false;
    // Where each emoji starts: a grapheme cluster, joined to the one before it after a ZWJ (a
    // ZWJ sequence is one emoji even where the grapheme rules would split it).
    QList<qsizetype> starts;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, compact);
    qsizetype from = 0;
    for (qsizetype to = finder.toNextBoundary(); to > 0; to = finder.toNextBoundary()) {
        if (starts.isEmpty() || compact.at(from - 1) != QChar(0x200D))
            starts.append(from);
        if (starts.size() > max)
            return false;
        from = to;
    }
    starts.append(compact.size());
    for (qsizetype k = 0; k + 1 < starts.size(); ++k) {
        if (!isEmoji(QStringView(compact).sliced(starts.at(k), starts.at(k + 1) - starts.at(k))))
            return false;
    }
    return true;
}
} // namespace Client::RichText
