#include "Markup.h"

#include <algorithm>

namespace Client::Markup {

using Protocol::Body::Mention;
using Protocol::Body::MessageBody;
using Protocol::Body::Style;
using Protocol::Body::StyleRange;

namespace {

// A piece of the composer's text: plain text, or a marker that may open or close a style.
struct Token
{
    qsizetype from = 0;
    qsizetype to = 0;
    bool marker = false;
    Style style = Style::Bold;
    bool canOpen = false;
    bool canClose = false;
    qsizetype partner = -1; //!< the token this marker was matched with
};

bool splitsPair(const QString &text, qsizetype at)
{
    return at > 0 && at < text.size() && text.at(at).isLowSurrogate()
        && text.at(at - 1).isHighSurrogate();
}

bool isWordCharacter(QChar c)
{
    return c.isLetterOrNumber() || c.isMark();
}

class Parser
{
public:
    Parser(const QString &text, const QList<bool> &inMention)
        : m_text(text)
        , m_inMention(inMention)
    {
    }

    QList<Token> tokens()
    {
        const qsizetype size = m_text.size();
        qsizetype i = 0;
        while (i < size) {
            if (m_inMention.at(i)) {
                addText(i, i + 1);
                ++i;
                continue;
            }
            const QChar c = m_text.at(i);
            const qsizetype run = runLength(i);
            if (c == u'`' && (run == 1 || run == 3) && monoSpan(i, run)) {
                i = m_tokens.last().to;
            } else if ((c == u'*' || c == u'_' || c == u'~') && run == 1) {
                addMarker(i, 1,
                          c == u'*' ? Style::Bold
                                    : (c == u'_' ? Style::Italic : Style::Strikethrough));
                ++i;
            } else if (c == u'|' && run == 2) {
                addMarker(i, 2, Style::Spoiler);
                i += 2;
            } else if (c == u'`' || c == u'*' || c == u'_' || c == u'~' || c == u'|') {
                addText(i, i + run);
                i += run;
            } else {
                addText(i, i + 1);
                ++i;
            }
        }
        return m_tokens;
    }

private:
    // How many of the character at i follow one another there, outside mentions.
    qsizetype runLength(qsizetype i) const
    {
        qsizetype end = i + 1;
        while (end < m_text.size() && m_text.at(end) == m_text.at(i) && !m_inMention.at(end))
            ++end;
        return end - i;
    }

    bool canOpen(qsizetype at, qsizetype length) const
    {
        return (at == 0 || !isWordCharacter(m_text.at(at - 1))) && at + length < m_text.size()
            && !m_text.at(at + length).isSpace();
    }

    bool canClose(qsizetype at, qsizetype length) const
    {
        return at > 0 && !m_text.at(at - 1).isSpace()
            && (at + length == m_text.size() || !isWordCharacter(m_text.at(at + length)));
    }

    void addText(qsizetype from, qsizetype to) { m_tokens.append({from, to}); }

    void addMarker(qsizetype at, qsizetype length, Style style)
    {
        Token token {at, at + length, true, style};
        token.canOpen = canOpen(at, length);
        token.canClose = canClose(at, length);
        m_tokens.append(token);
    }

    // `code` or ```code```: taken whole, its content as typed. False when it does not close.
    bool monoSpan(qsizetype at, qsizetype run)
    {
        if (run == 1 && !canOpen(at, 1))
            return false;
        if (run == 3 && at > 0 && isWordCharacter(m_text.at(at - 1)))
            return false;
        for (qsizetype j = at + run + 1; j < m_text.size(); ++j) {
            if (m_text.at(j) != u'`' || m_inMention.at(j))
                continue;
            const qsizetype length = runLength(j);
            if (length == run && (run == 3 || canClose(j, 1))) {
                const qsizetype opener = m_tokens.size();
                m_tokens.append({at, at + run, true, Style::Monospace, true, false, opener + 2});
                m_tokens.append({at + run, j});
                m_tokens.append({j, j + run, true, Style::Monospace, false, true, opener});
                return true;
            }
            j += length - 1;
        }
        return false;
    }

    const QString &m_text;
    const QList<bool> &m_inMention;
    QList<Token> m_tokens;
};

// Pairs openers with closers, innermost first; what stays unpaired is text.
void pair(QList<Token> &tokens)
{
    QList<qsizetype> openers;
    for (qsizetype k = 0; k < tokens.size(); ++k) {
        Token &token = tokens[k];
        if (!token.marker || token.partner >= 0)
            continue;
        if (token.canClose) {
            auto found = std::find_if(openers.rbegin(), openers.rend(), [&](qsizetype o) {
                return tokens.at(o).style == token.style;
            });
            if (found != openers.rend()) {
                const qsizetype opener = *found;
                // Not empty: something between stays in the text.
                const bool content = std::any_of(tokens.begin() + opener + 1, tokens.begin() + k,
                                                 [](const Token &t) { return t.partner < 0; });
                if (content) {
                    token.partner = opener;
                    tokens[opener].partner = k;
                    openers.erase(found.base() - 1, openers.end());
                    continue;
                }
            }
        }
        if (token.canOpen)
            openers.append(k);
    }
}

} // namespace

MessageBody parse(const QString &composerText, const QList<Mention> &mentions)
{
    const qsizetype size = composerText.size();
    QList<Mention> kept;
    QList<Mention> sorted = mentions;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Mention &a, const Mention &b) {
        return a.range.start < b.range.start;
    });
    QList<bool> inMention(size, false);
    qsizetype coveredTo = 0;
    for (const Mention &mention : std::as_const(sorted)) {
        const qint64 start = mention.range.start;
        const qint64 end = start + mention.range.length;
        if (start < coveredTo || mention.range.length < 1 || end > size || mention.userId < 1
            || splitsPair(composerText, start) || splitsPair(composerText, end))
            continue;
        kept.append(mention);
        std::fill(inMention.begin() + start, inMention.begin() + end, true);
        coveredTo = end;
    }

    QList<Token> tokens = Parser(composerText, inMention).tokens();
    pair(tokens);

    // The text without the paired markers, and where each composer position went.
    MessageBody body;
    QList<int> position(size + 1, 0);
    for (const Token &token : std::as_const(tokens)) {
        const bool literal = !token.marker || token.partner < 0;
        for (qsizetype i = token.from; i < token.to; ++i)
            position[i] = int(body.text.size() + (literal ? i - token.from : 0));
        if (literal)
            body.text += QStringView(composerText).sliced(token.from, token.to - token.from);
    }
    position[size] = int(body.text.size());

    for (const Token &token : std::as_const(tokens)) {
        if (!token.marker || token.partner < 0 || token.from > tokens.at(token.partner).from)
            continue;
        const Token &closer = tokens.at(token.partner);
        const int start = position.at(token.to);
        const int length = position.at(closer.from) - start;
        if (length > 0)
            body.styles.append(StyleRange {token.style, {start, length}});
    }
    std::stable_sort(body.styles.begin(), body.styles.end(),
                     [](const StyleRange &a, const StyleRange &b) {
                         return a.range.start != b.range.start ? a.range.start < b.range.start
                                                               : a.range.length > b.range.length;
                     });
    for (Mention mention : std::as_const(kept)) {
        const int start = position.at(mention.range.start);
        mention.range.length = position.at(mention.range.start + mention.range.length) - start;
        mention.range.start = start;
        body.mentions.append(mention);
    }
    return body;
}

} // namespace Client::Markup

namespace Client::Markup {

namespace {

bool byPlace(const StyleRange &a, const StyleRange &b)
{
    if (a.range.start != b.range.start)
        return a.range.start < b.range.start;
    if (a.range.length != b.range.length)
        return a.range.length > b.range.length; // the enclosing one first
    return int(a.style) < int(b.style);
}

qsizetype endOf(const StyleRange &s)
{
    return s.range.start + s.range.length;
}

QLatin1StringView marker(Style style)
{
    switch (style) {
    case Style::Bold:
        return QLatin1StringView("*");
    case Style::Italic:
        return QLatin1StringView("_");
    case Style::Strikethrough:
        return QLatin1StringView("~");
    case Style::Monospace:
        return QLatin1StringView("`");
    case Style::Spoiler:
        return QLatin1StringView("||");
    }
    return {};
}

// What markup can say of the body's styles: merged per style, trimmed, properly nested, nothing
// inside mono, no end inside a mention or a surrogate pair. Ordered by place.
QList<StyleRange> expressible(const MessageBody &body)
{
    const QString &text = body.text;
    const qsizetype size = text.size();
    QList<bool> inMention(size + 1, false); // i: a mention covers i-1 and i (no marker between)
    for (const Mention &m : body.mentions)
        for (qsizetype i = m.range.start + 1; i < m.range.start + m.range.length && i <= size; ++i)
            inMention[i] = true;
    const auto badEdge = [&](qsizetype at) { return inMention.at(at) || splitsPair(text, at); };

    QList<StyleRange> merged;
    QList<StyleRange> sorted = body.styles;
    std::sort(sorted.begin(), sorted.end(), [](const StyleRange &a, const StyleRange &b) {
        return int(a.style) != int(b.style) ? int(a.style) < int(b.style) : byPlace(a, b);
    });
    for (const StyleRange &s : std::as_const(sorted)) {
        if (s.range.start < 0 || s.range.length < 1 || endOf(s) > size)
            continue;
        if (!merged.isEmpty() && merged.last().style == s.style
            && endOf(merged.last()) >= s.range.start) {
            StyleRange &last = merged.last();
            last.range.length = int(std::max(endOf(last), endOf(s)) - last.range.start);
        } else {
            merged.append(s);
        }
    }

    QList<StyleRange> trimmed;
    for (StyleRange s : std::as_const(merged)) {
        qsizetype from = s.range.start;
        qsizetype to = endOf(s);
        while (from < to && text.at(from).isSpace())
            ++from;
        while (to > from && text.at(to - 1).isSpace())
            --to;
        if (from == to || badEdge(from) || badEdge(to))
            continue;
        trimmed.append(StyleRange {s.style, {int(from), int(to - from)}});
    }
    std::sort(trimmed.begin(), trimmed.end(), byPlace);

    QList<StyleRange> nested;
    QList<StyleRange> open;
    for (StyleRange s : std::as_const(trimmed)) {
        while (!open.isEmpty() && endOf(open.last()) <= s.range.start)
            open.removeLast();
        if (!open.isEmpty()) {
            if (open.last().style == Style::Monospace)
                continue;
            const qsizetype end = std::min(endOf(s), endOf(open.last()));
            s.range.length = int(end - s.range.start);
            if (badEdge(end) || std::any_of(open.cbegin(), open.cend(), [&s](const StyleRange &o) {
                    return o.style == s.style;
                }))
                continue;
        }
        nested.append(s);
        open.append(s);
    }
    return nested;
}

// The markup for these (properly nested) styles; `position` gets where each body position went.
QString write(const QString &text, const QList<StyleRange> &styles, QList<qsizetype> &position)
{
    const qsizetype size = text.size();
    QList<QList<StyleRange>> opening(size + 1);
    QList<QList<StyleRange>> closing(size + 1);
    for (const StyleRange &s : styles) {
        opening[s.range.start].append(s); // outermost first (styles are ordered by place)
        closing[endOf(s)].prepend(s); // innermost first
    }
    QString out;
    position.resize(size + 1);
    for (qsizetype i = 0; i <= size; ++i) {
        for (const StyleRange &s : std::as_const(closing.at(i)))
            out += marker(s.style);
        for (const StyleRange &s : std::as_const(opening.at(i)))
            out += marker(s.style);
        position[i] = out.size();
        if (i < size)
            out += text.at(i);
    }
    return out;
}

} // namespace

QString toComposerText(const MessageBody &body, QList<Mention> *mentions)
{
    QList<StyleRange> styles = expressible(body);
    QList<qsizetype> position;
    QString out;
    QList<Mention> moved;
    // Write, read back with parse(), and drop what did not survive (markers that do not count
    // where they stand) until what is written reads back as itself.
    for (qsizetype round = 0; round <= styles.size() + 1; ++round) {
        out = write(body.text, styles, position);
        moved.clear();
        for (Mention m : body.mentions) {
            if (m.range.start < 0 || m.range.length < 1
                || m.range.start + m.range.length > body.text.size())
                continue;
            const qsizetype start = position.at(m.range.start);
            const qsizetype end = position.at(m.range.start + m.range.length - 1) + 1;
            m.range = {int(start), int(end - start)};
            moved.append(m);
        }
        const MessageBody back = parse(out, moved);
        const qsizetype before = styles.size();
        if (back.text == body.text) {
            styles.removeIf([&back](const StyleRange &s) { return !back.styles.contains(s); });
        } else { // some markers stayed text: drop those that do not count even alone
            QList<qsizetype> alone;
            styles.removeIf([&body, &alone](const StyleRange &s) {
                const MessageBody solo = parse(write(body.text, {s}, alone));
                return solo.text != body.text || !solo.styles.contains(s);
            });
            if (styles.size() == before)
                styles.clear();
        }
        if (styles.size() == before)
            break;
    }
    if (mentions)
        *mentions = moved;
    return out;
}

} // namespace Client::Markup
