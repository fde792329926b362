// How a message body becomes what the app shows (client/text/RichText) and how the composer's
// *markers* become a body (client/text/Markup). Pure functions: no server, no store.

#include "text/Markup.h"
#include "text/RichText.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

using namespace Client;
using namespace Protocol::Body;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(Protocol::Body::MessageBody)

namespace {

QString describe(const QList<StyleRange> &styles)
{
    QStringList parts;
    for (const StyleRange &s : styles)
        parts << u"%1@%2+%3"_s.arg(styleName(s.style)).arg(s.range.start).arg(s.range.length);
    return parts.join(u' ');
}

MessageBody styled(const QString &text, const QList<StyleRange> &styles,
                   const QList<Mention> &mentions = {})
{
    MessageBody body = Protocol::Body::text(text);
    body.styles = styles;
    body.mentions = mentions;
    return body;
}

// The text a StyledText reader gets back: tags dropped, the entities this code writes decoded.
// Fails the test (returns false) when the tags do not nest.
bool readBack(const QString &styledText, QString &text)
{
    static const QRegularExpression tag(u"<(/?)([a-z]+)[^>]*>"_s);
    QStringList open;
    text.clear();
    qsizetype at = 0;
    for (auto it = tag.globalMatch(styledText); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        text += styledText.mid(at, m.capturedStart() - at);
        at = m.capturedEnd();
        const QString name = m.captured(2);
        if (name == u"br"_s) {
            text += u'\n';
        } else if (m.captured(1).isEmpty()) {
            open << name;
        } else if (open.isEmpty() || open.takeLast() != name) {
            qWarning("badly nested: %s", qPrintable(styledText));
            return false;
        }
    }
    text += styledText.mid(at);
    text.replace(u"&nbsp;"_s, u" "_s)
        .replace(u"&lt;"_s, u"<"_s)
        .replace(u"&gt;"_s, u">"_s)
        .replace(u"&quot;"_s, u"\""_s)
        .replace(u"&#39;"_s, u"'"_s)
        .replace(u"&amp;"_s, u"&"_s);
    return open.isEmpty();
}

} // namespace

class TestRichText : public QObject
{
    Q_OBJECT

private slots:
    void escaping_data();
    void escaping();
    void links_data();
    void links();
    void linkMarkup();
    void styles_data();
    void styles();
    void spoilers();
    void maskedSpoilers();
    void mentions();
    void randomBodiesNest();
    void emojiOnly_data();
    void emojiOnly();
    void markup_data();
    void markup();
    void markupMentions();
    void composerRoundTrip_data();
    void composerRoundTrip();
};

void TestRichText::escaping_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << u"hello"_s << u"hello"_s;
    QTest::newRow("tags stay text") << u"<b>bold</b>"_s << u"&lt;b&gt;bold&lt;/b&gt;"_s;
    QTest::newRow("script") << u"<script>alert(1)</script>"_s
                            << u"&lt;script&gt;alert(1)&lt;/script&gt;"_s;
    QTest::newRow("img") << u"<img src=x onerror=alert(1)>"_s
                         << u"&lt;img src=x onerror=alert(1)&gt;"_s;
    QTest::newRow("link tag") << u"<a href=\"javascript:x\">y</a>"_s
                              << u"&lt;a href=&quot;javascript:x&quot;&gt;y&lt;/a&gt;"_s;
    QTest::newRow("entities stay text")
        << u"&amp; &lt; &#39;"_s << u"&amp;amp; &amp;lt; &amp;#39;"_s;
    QTest::newRow("quotes") << u"\"a\" 'b'"_s << u"&quot;a&quot; &#39;b&#39;"_s;
    QTest::newRow("newline") << u"a\nb"_s << u"a<br>b"_s;
    QTest::newRow("crlf") << u"a\r\nb\rc"_s << u"a<br>b<br>c"_s;
    QTest::newRow("line separator") << u"a\u2028b"_s << u"a<br>b"_s;
    QTest::newRow("spaces kept") << u"a   b"_s << u"a &nbsp;&nbsp;b"_s;
    QTest::newRow("leading space") << u" a\n b"_s << u"&nbsp;a<br>&nbsp;b"_s;
    QTest::newRow("tab") << u"a\tb"_s << u"a&nbsp;&nbsp;&nbsp;&nbsp;b"_s;
    QTest::newRow("control characters dropped") << u"a\u0001\u0007b\u007f"_s << u"ab"_s;
    QTest::newRow("unicode kept") << u"Ångström 😀 日本"_s << u"Ångström 😀 日本"_s;
}

void TestRichText::escaping()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(RichText::escaped(text), expected);
    QCOMPARE(RichText::toStyledText(Protocol::Body::text(text), 1), expected);
}

void TestRichText::links_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("urls");
    QTest::newRow("https") << u"see https://example.org"_s
                           << QStringList {u"https://example.org"_s};
    QTest::newRow("http") << u"http://example.org/a/b"_s
                          << QStringList {u"http://example.org/a/b"_s};
    QTest::newRow("scheme in capitals")
        << u"HTTPS://EXAMPLE.ORG"_s << QStringList {u"HTTPS://EXAMPLE.ORG"_s};
    QTest::newRow("full stop") << u"Go to https://example.org."_s
                               << QStringList {u"https://example.org"_s};
    QTest::newRow("punctuation") << u"https://a.org/x?, https://b.org!; https://c.org:"_s
                                 << QStringList {u"https://a.org/x"_s, u"https://b.org"_s,
                                                 u"https://c.org"_s};
    QTest::newRow("query kept") << u"https://a.org/s?q=1&r=2#top."_s
                                << QStringList {u"https://a.org/s?q=1&r=2#top"_s};
    QTest::newRow("in parentheses")
        << u"(see https://example.org)"_s << QStringList {u"https://example.org"_s};
    QTest::newRow("balanced parentheses")
        << u"https://en.wikipedia.org/wiki/Foo_(bar)"_s
        << QStringList {u"https://en.wikipedia.org/wiki/Foo_(bar)"_s};
    QTest::newRow("balanced inside parentheses")
        << u"(https://en.wikipedia.org/wiki/Foo_(bar))."_s
        << QStringList {u"https://en.wikipedia.org/wiki/Foo_(bar)"_s};
    QTest::newRow("brackets") << u"[https://a.org/x]"_s << QStringList {u"https://a.org/x"_s};
    QTest::newRow("angle brackets") << u"<https://a.org>"_s << QStringList {u"https://a.org"_s};
    QTest::newRow("quoted") << u"\"https://a.org\" 'https://b.org'"_s
                            << QStringList {u"https://a.org"_s, u"https://b.org"_s};
    QTest::newRow("apostrophe inside")
        << u"https://a.org/it's"_s << QStringList {u"https://a.org/it's"_s};
    QTest::newRow("mailto") << u"write to mailto:bob@example.org?"_s
                            << QStringList {u"mailto:bob@example.org"_s};
    QTest::newRow("mailto without address") << u"mailto: mailto:@x mailto:x@"_s << QStringList {};
    QTest::newRow("scheme only") << u"https:// http://. https://-"_s << QStringList {};
    QTest::newRow("javascript") << u"javascript:alert(1)"_s << QStringList {};
    QTest::newRow("javascript around http")
        << u"javascript:alert('http://x.org')"_s << QStringList {u"http://x.org"_s};
    QTest::newRow("file") << u"file:///etc/passwd"_s << QStringList {};
    QTest::newRow("data") << u"data:text/html,<b>x</b>"_s << QStringList {};
    QTest::newRow("ftp") << u"ftp://example.org"_s << QStringList {};
    QTest::newRow("bare domain") << u"example.org www.example.org"_s << QStringList {};
    QTest::newRow("inside a word") << u"xhttps://a.org"_s << QStringList {};
    QTest::newRow("two") << u"http://a.org and https://b.org/x"_s
                         << QStringList {u"http://a.org"_s, u"https://b.org/x"_s};
    QTest::newRow("after newline") << u"a\nhttps://a.org\n"_s << QStringList {u"https://a.org"_s};
    QTest::newRow("unicode path") << u"https://de.wikipedia.org/wiki/Äpfel"_s
                                  << QStringList {u"https://de.wikipedia.org/wiki/Äpfel"_s};
}

void TestRichText::links()
{
    QFETCH(QString, text);
    QFETCH(QStringList, urls);
    QCOMPARE(RichText::links(text), urls);
    // Every link of the styled text is one of those, and nothing else is a link.
    const QString styledText = RichText::toStyledText(Protocol::Body::text(text), 1);
    QStringList hrefs;
    static const QRegularExpression anchor(u"<a href=\"([^\"]*)\">"_s);
    for (auto it = anchor.globalMatch(styledText); it.hasNext();)
        hrefs << it.next().captured(1);
    QCOMPARE(hrefs.size(), urls.size());
    for (const QString &href : std::as_const(hrefs)) {
        QVERIFY2(href.startsWith(u"http://"_s, Qt::CaseInsensitive)
                     || href.startsWith(u"https://"_s, Qt::CaseInsensitive)
                     || href.startsWith(u"mailto:"_s, Qt::CaseInsensitive),
                 qPrintable(href));
    }
}

void TestRichText::linkMarkup()
{
    QCOMPARE(RichText::toStyledText(Protocol::Body::text(u"a https://x.org/?a=1&b=2. b"_s), 1),
             u"a <a href=\"https://x.org/?a=1&b=2\">https://x.org/?a=1&amp;b=2</a>. b"_s);
    // An apostrophe could end an attribute: percent-encoded in the href, escaped in the text.
    QCOMPARE(RichText::toStyledText(Protocol::Body::text(u"https://x.org/it's"_s), 1),
             u"<a href=\"https://x.org/it%27s\">https://x.org/it&#39;s</a>"_s);
    const QList<RichText::Link> found = RichText::findLinks(u"ab http://c.d"_s);
    QCOMPARE(found, (QList<RichText::Link> {{3, 10, u"http://c.d"_s}}));
}

void TestRichText::styles_data()
{
    QTest::addColumn<MessageBody>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("bold") << styled(u"bold text"_s, {{Style::Bold, {0, 4}}})
                          << u"<b>bold</b> text"_s;
    QTest::newRow("italic") << styled(u"an it"_s, {{Style::Italic, {3, 2}}}) << u"an <i>it</i>"_s;
    QTest::newRow("strike") << styled(u"x"_s, {{Style::Strikethrough, {0, 1}}}) << u"<s>x</s>"_s;
    QTest::newRow("mono") << styled(u"x"_s, {{Style::Monospace, {0, 1}}})
                          << u"<tt><font color=\"#a23b72\">x</font></tt>"_s;
    QTest::newRow("nested") << styled(u"abcdef"_s, {{Style::Bold, {0, 6}}, {Style::Italic, {2, 2}}})
                            << u"<b>ab<i>cd</i>ef</b>"_s;
    QTest::newRow("overlapping") << styled(u"abcdef"_s,
                                           {{Style::Bold, {0, 4}}, {Style::Italic, {2, 4}}})
                                 << u"<b>ab<i>cd</i></b><i>ef</i>"_s;
    QTest::newRow("outer style given second")
        << styled(u"abcdef"_s, {{Style::Italic, {0, 6}}, {Style::Bold, {0, 2}}})
        << u"<b><i>ab</i></b><i>cdef</i>"_s;
    QTest::newRow("three crossing") << styled(
        u"abcd"_s, {{Style::Strikethrough, {0, 2}}, {Style::Bold, {1, 2}}, {Style::Italic, {2, 2}}})
                                    << u"<s>a</s><b><s>b</s><i>c</i></b><i>d</i>"_s;
    QTest::newRow("same style twice")
        << styled(u"abc"_s, {{Style::Bold, {0, 3}}, {Style::Bold, {1, 1}}}) << u"<b>abc</b>"_s;
    QTest::newRow("escaped inside")
        << styled(u"<b> & x"_s, {{Style::Bold, {0, 3}}}) << u"<b>&lt;b&gt;</b> &amp; x"_s;
    QTest::newRow("newline inside")
        << styled(u"a\nb"_s, {{Style::Italic, {0, 3}}}) << u"<i>a<br>b</i>"_s;
    QTest::newRow("bold link") << styled(u"https://a.org x"_s, {{Style::Bold, {0, 15}}})
                               << u"<a href=\"https://a.org\"><b>https://a.org</b></a><b> x</b>"_s;
    QTest::newRow("no link in mono")
        << styled(u"run https://a.org"_s, {{Style::Monospace, {4, 13}}})
        << u"run <tt><font color=\"#a23b72\">https://a.org</font></tt>"_s;
    QTest::newRow("bad ranges ignored") << styled(
        u"abc"_s, {{Style::Bold, {2, 5}}, {Style::Italic, {-1, 2}}, {Style::Bold, {1, 0}}})
                                        << u"abc"_s;
}

void TestRichText::styles()
{
    QFETCH(MessageBody, body);
    QFETCH(QString, expected);
    QCOMPARE(RichText::toStyledText(body, 1), expected);
}

void TestRichText::spoilers()
{
    const MessageBody body = styled(u"it was Bob https://a.org 😀!"_s,
                                    {{Style::Bold, {0, 2}}, {Style::Spoiler, {7, 20}}});
    const QString hidden = RichText::toStyledText(body, 1);
    QCOMPARE(hidden,
             u"<b>it</b> was <a href=\"spoiler:1\"><font color=\"#888888\">"_s
                 + QString(19, QChar(0x2592)) + u"</font></a>!"_s);
    QVERIFY(!hidden.contains(u"Bob"_s));
    QVERIFY(!hidden.contains(u"a.org"_s));
    RichText::Options reveal;
    reveal.revealSpoilers = true;
    QCOMPARE(RichText::toStyledText(body, 1, reveal),
             u"<b>it</b> was Bob <a href=\"https://a.org\">https://a.org</a> 😀!"_s);
    // Styles inside a hidden spoiler nest inside its link.
    const MessageBody inner =
        styled(u"abcd"_s, {{Style::Spoiler, {0, 4}}, {Style::Bold, {1, 2}}}, {{5, {3, 1}}});
    QCOMPARE(RichText::toStyledText(inner, 1),
             u"<a href=\"spoiler:0\"><font color=\"#888888\">▒<b>▒▒</b>▒</font></a>"_s);
}

void TestRichText::maskedSpoilers()
{
    // One "▒" per character (an emoji is one), as in the bubble; other styles drop out.
    const MessageBody body = styled(u"it was Bob 😀 and Carol"_s,
                                    {{Style::Bold, {0, 2}},
                                     {Style::Spoiler, {7, 3}},
                                     {Style::Spoiler, {8, 5}},
                                     {Style::Spoiler, {18, 5}}});
    QCOMPARE(RichText::maskSpoilers(body), u"it was ▒▒▒▒▒ and ▒▒▒▒▒"_s);
    QCOMPARE(RichText::maskSpoilers(styled(u"plain"_s, {{Style::Italic, {0, 5}}})), u"plain"_s);
    // By content type: only a message body has spoilers; a broken one keeps the stored text.
    QCOMPARE(RichText::maskSpoilers(QString(ContentType), encode(body), u"ignored"_s),
             u"it was ▒▒▒▒▒ and ▒▒▒▒▒"_s);
    QCOMPARE(RichText::maskSpoilers(u"text/plain"_s, "||x||", u"||x||"_s), u"||x||"_s);
    QCOMPARE(RichText::maskSpoilers(QString(ContentType), "\xff", u"as stored"_s), u"as stored"_s);
}

void TestRichText::mentions()
{
    const MessageBody body =
        styled(u"hi @bob and @me!"_s, {{Style::Italic, {0, 7}}}, {{7, {3, 4}}, {1, {12, 3}}});
    QCOMPARE(RichText::toStyledText(body, 1),
             u"<i>hi </i><b><font color=\"#2a6fdb\"><i>@bob</i></font></b> and "
             "<b><font color=\"#d9480f\">@me</font></b>!"_s);
    RichText::Options colours;
    colours.mentionColor = u"red"_s;
    colours.selfMentionColor = u"\"><script>"_s; // attribute text is never markup
    const QString custom = RichText::toStyledText(body, 7, colours);
    QVERIFY(custom.contains(u"<font color=\"%22%3E%3Cscript%3E\"><i>@bob"_s));
    QVERIFY(!custom.contains(u"<script"_s));
    QVERIFY(custom.contains(u"<font color=\"red\">@me"_s));
    // A URL that is a mention's text stays the mention.
    const MessageBody url = styled(u"@https://a.org"_s, {}, {{3, {0, 14}}});
    QVERIFY(!RichText::toStyledText(url, 1).contains(u"<a "_s));
}

void TestRichText::randomBodiesNest()
{
    // Any ranges give nested tags, and the text reads back unchanged.
    QRandomGenerator random(1203);
    const QString alphabet = u"ab <>&\"'\n\t. h:/"_s;
    for (int round = 0; round < 2000; ++round) {
        QString text;
        const int length = 1 + int(random.bounded(40));
        for (int i = 0; i < length; ++i)
            text += alphabet.at(random.bounded(int(alphabet.size())));
        if (random.bounded(4) == 0)
            text.insert(random.bounded(int(text.size()) + 1), u"https://x.org/(a)"_s);
        MessageBody body = Protocol::Body::text(text);
        for (int s = int(random.bounded(6)); s > 0; --s) {
            const int start = random.bounded(int(text.size()));
            const int styleLength = 1 + random.bounded(int(text.size()) - start);
            body.styles.append(
                StyleRange {Style(random.bounded(4)), {start, styleLength}}); // no spoiler
        }
        if (random.bounded(2) == 0) {
            const int start = random.bounded(int(text.size()));
            body.mentions.append(
                Mention {2, {start, 1 + random.bounded(int(text.size()) - start)}});
        }
        QString back;
        const QString out = RichText::toStyledText(body, 2);
        QVERIFY2(readBack(out, back), qPrintable(out));
        // Tabs become four spaces and \r\n one line break; nothing else changes.
        QString expected = text;
        expected.replace(u'\t', u"    "_s);
        QCOMPARE(back, expected);
    }
}

void TestRichText::emojiOnly_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("max");
    QTest::addColumn<bool>("expected");
    QTest::newRow("thumbs up") << u"👍"_s << 3 << true;
    QTest::newRow("skin tone") << u"👍🏽"_s << 3 << true;
    QTest::newRow("ZWJ family") << u"👨‍👩‍👧"_s << 3 << true;
    QTest::newRow("ZWJ family of four, once") << u"👨‍👩‍👧‍👦"_s << 1 << true;
    QTest::newRow("flag") << u"🇩🇪"_s << 3 << true;
    QTest::newRow("two flags") << u"🇩🇪🇫🇷"_s << 2 << true;
    QTest::newRow("keycap") << u"1️⃣"_s << 3 << true;
    QTest::newRow("keycap hash") << u"#️⃣"_s << 3 << true;
    QTest::newRow("heart with VS16") << u"❤️"_s << 3 << true;
    QTest::newRow("smiley with VS16") << u"☺️"_s << 3 << true;
    QTest::newRow("tag sequence flag") << u"🏴󠁧󠁢󠁥󠁮󠁧󠁿"_s << 1 << true;
    QTest::newRow("three") << u"😀😃😄"_s << 3 << true;
    QTest::newRow("four") << u"😀😃😄😁"_s << 3 << false;
    QTest::newRow("four, max 4") << u"😀😃😄😁"_s << 4 << true;
    QTest::newRow("spaces ignored") << u" 👍 \n 👍 "_s << 3 << true;
    QTest::newRow("letter") << u"a"_s << 3 << false;
    QTest::newRow("digits") << u"123"_s << 3 << false;
    QTest::newRow("digit") << u"1"_s << 3 << false;
    QTest::newRow("emoji and letter") << u"👍a"_s << 3 << false;
    QTest::newRow("punctuation") << u"!?"_s << 3 << false;
    QTest::newRow("empty") << QString() << 3 << false;
    QTest::newRow("spaces") << u"  \n"_s << 3 << false;
    QTest::newRow("lone selector") << u"\uFE0F"_s << 3 << false;
    QTest::newRow("max 0") << u"👍"_s << 0 << false;
}

void TestRichText::emojiOnly()
{
    QFETCH(QString, text);
    QFETCH(int, max);
    QFETCH(bool, expected);
    QCOMPARE(RichText::isEmojiOnly(text, max), expected);
}

void TestRichText::markup_data()
{
    QTest::addColumn<QString>("composer");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("styles");
    QTest::newRow("bold") << u"*bold*"_s << u"bold"_s << u"bold@0+4"_s;
    QTest::newRow("italic") << u"an _it_"_s << u"an it"_s << u"italic@3+2"_s;
    QTest::newRow("strike") << u"~no~"_s << u"no"_s << u"strike@0+2"_s;
    QTest::newRow("mono") << u"run `ls -l`"_s << u"run ls -l"_s << u"mono@4+5"_s;
    QTest::newRow("mono fence") << u"```a *b* c```"_s << u"a *b* c"_s << u"mono@0+7"_s;
    QTest::newRow("spoiler") << u"it was ||Bob||"_s << u"it was Bob"_s << u"spoiler@7+3"_s;
    QTest::newRow("sentence") << u"say *hi* and _bye_."_s << u"say hi and bye."_s
                              << u"bold@4+2 italic@11+3"_s;
    QTest::newRow("in parentheses") << u"(*x*)"_s << u"(x)"_s << u"bold@1+1"_s;
    QTest::newRow("after newline") << u"a\n*b*"_s << u"a\nb"_s << u"bold@2+1"_s;
    QTest::newRow("nested") << u"*bold _both_*"_s << u"bold both"_s << u"bold@0+9 italic@5+4"_s;
    QTest::newRow("nothing inside mono")
        << u"`*not* _this_`"_s << u"*not* _this_"_s << u"mono@0+12"_s;
    QTest::newRow("emoji") << u"*😀*"_s << u"😀"_s << u"bold@0+2"_s;
    QTest::newRow("two spoilers") << u"||a|| b ||c||"_s << u"a b c"_s
                                  << u"spoiler@0+1 spoiler@4+1"_s;
    QTest::newRow("unclosed opener dropped") << u"*a _b* c_"_s << u"a _b c_"_s << u"bold@0+4"_s;
    // Literal.
    QTest::newRow("multiplication") << u"2*3*4"_s << u"2*3*4"_s << QString();
    QTest::newRow("snake_case") << u"snake_case_names"_s << u"snake_case_names"_s << QString();
    QTest::newRow("spaced stars") << u"a * b * c"_s << u"a * b * c"_s << QString();
    QTest::newRow("space after opener") << u"* no*"_s << u"* no*"_s << QString();
    QTest::newRow("space before closer") << u"*no *"_s << u"*no *"_s << QString();
    QTest::newRow("closer inside a word") << u"*bold*text"_s << u"*bold*text"_s << QString();
    QTest::newRow("opener inside a word") << u"café*x*"_s << u"café*x*"_s << QString();
    QTest::newRow("empty") << u"** __ ~~ ||||"_s << u"** __ ~~ ||||"_s << QString();
    QTest::newRow("double markers")
        << u"**bold** __init__"_s << u"**bold** __init__"_s << QString();
    QTest::newRow("three bars") << u"|||x|||"_s << u"|||x|||"_s << QString();
    QTest::newRow("unclosed") << u"*open _and ~more"_s << u"*open _and ~more"_s << QString();
    QTest::newRow("unclosed mono") << u"`code *b*"_s << u"`code b"_s << u"bold@6+1"_s;
    QTest::newRow("plain") << u"hello"_s << u"hello"_s << QString();
}

void TestRichText::markup()
{
    QFETCH(QString, composer);
    QFETCH(QString, text);
    QFETCH(QString, styles);
    const MessageBody body = Markup::parse(composer);
    QCOMPARE(body.kind, Kind::Text);
    QCOMPARE(body.text, text);
    QCOMPARE(describe(body.styles), styles);
    QCOMPARE(validate(body).code, QString());
}

void TestRichText::markupMentions()
{
    // The composer's ranges follow the text when markers before them go away.
    MessageBody body = Markup::parse(u"*hi* @Bob_Smith_ _x_"_s, {{7, {5, 11}}});
    QCOMPARE(body.text, u"hi @Bob_Smith_ x"_s);
    QCOMPARE(describe(body.styles), u"bold@0+2 italic@15+1"_s);
    QCOMPARE(body.mentions, (QList<Mention> {{7, {3, 11}}}));

    // Markers inside a mention are its name; around it they style it.
    body = Markup::parse(u"_@_ann_ hi_"_s, {{3, {1, 6}}});
    QCOMPARE(body.text, u"@_ann_ hi"_s);
    QCOMPARE(describe(body.styles), u"italic@0+9"_s);
    QCOMPARE(body.mentions, (QList<Mention> {{3, {0, 6}}}));

    // Inside monospace the mention keeps its place (found by fuzzing).
    body = Markup::parse(u"*a* `see @bob` ok"_s, {{4, {9, 4}}});
    QCOMPARE(body.text, u"a see @bob ok"_s);
    QCOMPARE(describe(body.styles), u"bold@0+1 mono@2+8"_s);
    QCOMPARE(body.mentions, (QList<Mention> {{4, {6, 4}}}));

    // A user id < 1 or a range cutting a surrogate pair is dropped.
    body = Markup::parse(u"@😀 @x"_s, {{0, {4, 2}}, {9, {0, 2}}});
    QVERIFY(body.mentions.isEmpty());

    // Out of order in, ordered out; past the end or overlapping dropped.
    body = Markup::parse(u"@a *x* @b"_s,
                         {{2, {7, 2}}, {1, {0, 2}}, {3, {8, 5}}, {4, {1, 2}}, {5, {-1, 1}}});
    QCOMPARE(body.text, u"@a x @b"_s);
    QCOMPARE(body.mentions, (QList<Mention> {{1, {0, 2}}, {2, {5, 2}}}));
    QCOMPARE(validate(body).code, QString());
}

QTEST_GUILESS_MAIN(TestRichText)
void TestRichText::composerRoundTrip_data()
{
    QTest::addColumn<MessageBody>("body");
    QTest::addColumn<QString>("composer");
    QTest::addColumn<MessageBody>("back"); // what parse() makes of it (the nearest body)
    const auto s = [](Style style, int start, int length) {
        return StyleRange {style, {start, length}};
    };
    const auto row = [](const char *name, const MessageBody &body, const QString &composer) {
        QTest::newRow(name) << body << composer << body;
    };
    row("plain", styled(u"just text"_s, {}), u"just text"_s);
    row("bold", styled(u"a big deal"_s, {s(Style::Bold, 2, 3)}), u"a *big* deal"_s);
    row("italic", styled(u"so nice"_s, {s(Style::Italic, 3, 4)}), u"so _nice_"_s);
    row("strike", styled(u"old new"_s, {s(Style::Strikethrough, 0, 3)}), u"~old~ new"_s);
    row("mono", styled(u"run ls -l now"_s, {s(Style::Monospace, 4, 5)}), u"run `ls -l` now"_s);
    row("spoiler", styled(u"it was him"_s, {s(Style::Spoiler, 7, 3)}), u"it was ||him||"_s);
    row("nested", styled(u"very bold words"_s, {s(Style::Bold, 0, 15), s(Style::Italic, 5, 4)}),
        u"*very _bold_ words*"_s);
    row("same range", styled(u"both"_s, {s(Style::Bold, 0, 4), s(Style::Italic, 0, 4)}),
        u"*_both_*"_s);
    row("adjacent", styled(u"ab"_s, {s(Style::Bold, 0, 1), s(Style::Italic, 1, 1)}), u"*a*_b_"_s);
    row("emoji", styled(u"\U0001F600 yes \U0001F44D"_s, {s(Style::Bold, 3, 3)}),
        u"\U0001F600 *yes* \U0001F44D"_s);
    row("mention before", styled(u"@Bob see this"_s, {s(Style::Bold, 9, 4)}, {Mention {7, {0, 4}}}),
        u"@Bob see *this*"_s);
    row("mention inside",
        styled(u"hey @Bob there"_s, {s(Style::Italic, 0, 14)}, {Mention {7, {4, 4}}}),
        u"_hey @Bob there_"_s);
    row("mention is the style", styled(u"hi @Bob"_s, {s(Style::Bold, 3, 4)}, {Mention {7, {3, 4}}}),
        u"hi *@Bob*"_s);
    row("mention after", styled(u"look @Bob"_s, {s(Style::Bold, 0, 4)}, {Mention {7, {5, 4}}}),
        u"*look* @Bob"_s);
    row("runs stay literal", styled(u"**not** __bold__"_s, {}), u"**not** __bold__"_s);

    // The nearest body markup can say.
    QTest::newRow("overlap cut") << styled(u"one two three"_s,
                                           {s(Style::Bold, 0, 7), s(Style::Italic, 4, 9)})
                                 << u"*one _two_* three"_s
                                 << styled(u"one two three"_s,
                                           {s(Style::Bold, 0, 7), s(Style::Italic, 4, 3)});
    QTest::newRow("mid-word dropped")
        << styled(u"abc def"_s, {s(Style::Bold, 1, 1), s(Style::Italic, 4, 3)}) << u"abc _def_"_s
        << styled(u"abc def"_s, {s(Style::Italic, 4, 3)});
    QTest::newRow("spaces left out")
        << styled(u"a  b  c"_s, {s(Style::Bold, 1, 5)}) << u"a  *b*  c"_s
        << styled(u"a  b  c"_s, {s(Style::Bold, 3, 1)});
    QTest::newRow("touching merged")
        << styled(u"abcd"_s, {s(Style::Bold, 0, 2), s(Style::Bold, 2, 2)}) << u"*abcd*"_s
        << styled(u"abcd"_s, {s(Style::Bold, 0, 4)});
    QTest::newRow("inside mono dropped")
        << styled(u"x = y"_s, {s(Style::Monospace, 0, 5), s(Style::Bold, 0, 1)}) << u"`x = y`"_s
        << styled(u"x = y"_s, {s(Style::Monospace, 0, 5)});
    // No escape in parse(): a literal "*word*" reads as markup again (documented).
    QTest::newRow("literal markers") << styled(u"a *word* here"_s, {}) << u"a *word* here"_s
                                     << styled(u"a word here"_s, {s(Style::Bold, 2, 4)});
}

void TestRichText::composerRoundTrip()
{
    QFETCH(MessageBody, body);
    QFETCH(QString, composer);
    QFETCH(MessageBody, back);
    QList<Mention> mentions;
    QCOMPARE(Markup::toComposerText(body, &mentions), composer);
    for (qsizetype i = 0; i < mentions.size(); ++i)
        QCOMPARE(composer.mid(mentions.at(i).range.start, mentions.at(i).range.length),
                 body.text.mid(body.mentions.at(i).range.start, body.mentions.at(i).range.length));
    const MessageBody parsed = Markup::parse(composer, mentions);
    QCOMPARE(parsed.text, back.text);
    QCOMPARE(describe(parsed.styles), describe(back.styles));
    QCOMPARE(parsed.mentions, back.mentions);
}

#include "tst_client_richtext.moc"
