// SearchHighlighter: the user's text becomes StyledText with the matches highlighted, and never
// markup of its own, whatever it contains; matching ignores case in any script; long texts are
// cut around the first match without splitting a character.
#include "SearchHighlighter.h"

#include <QTest>

using namespace App;

using namespace Qt::StringLiterals;
using Range = SearchHighlighter::Range;

namespace {
const QColor Accent(0x00, 0x96, 0x88);

//! What a highlighted part looks like with the Accent colour.
QString mark(const QString &escaped)
{
    return u"<b><font color=\"#009688\">"_s + escaped + u"</font></b>"_s;
}

//! The text with the highlight tags taken out and the entities put back: what the user reads.
QString shownText(QString styled)
{
    styled.remove(u"<b><font color=\"#009688\">"_s).remove(u"</font></b>"_s);
    return styled.replace(u"&lt;"_s, u"<"_s)
        .replace(u"&gt;"_s, u">"_s)
        .replace(u"&quot;"_s, u"\""_s)
        .replace(u"&amp;"_s, u"&"_s);
}

bool hasLoneSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i).isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return true;
            ++i;
        } else if (text.at(i).isLowSurrogate()) {
            return true;
        }
    }
    return false;
}
} // namespace

class TestSearchHighlight : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void styledText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");

        QTest::newRow("plain") << u"see you at lunch"_s << u"lunch"_s
                               << (u"see you at "_s + mark(u"lunch"_s));
        QTest::newRow("case") << u"LUNCH or Lunch"_s << u"lunch"_s
                              << (mark(u"LUNCH"_s) + u" or "_s + mark(u"Lunch"_s));
        QTest::newRow("query trimmed")
            << u"at noon"_s << u"  noon "_s << (u"at "_s + mark(u"noon"_s));
        QTest::newRow("no match") << u"nothing here"_s << u"xyz"_s << u"nothing here"_s;
        QTest::newRow("empty query") << u"a <b>"_s << u""_s << u"a &lt;b&gt;"_s;
        QTest::newRow("blank query") << u"a & b"_s << u"   "_s << u"a &amp; b"_s;
        // Markup in the message is text: escaped, so StyledText shows it as typed.
        QTest::newRow("bold tag") << u"<b>not bold</b> bold"_s << u"bold"_s
                                  << (u"&lt;b&gt;not "_s + mark(u"bold"_s) + u"&lt;/b&gt; "_s
                                      + mark(u"bold"_s));
        QTest::newRow("image tag")
            << u"<img src=\"http://evil.example/x.png\"> look"_s << u"look"_s
            << (u"&lt;img src=&quot;http://evil.example/x.png&quot;&gt; "_s + mark(u"look"_s));
        QTest::newRow("match inside a tag")
            << u"<img src=x>"_s << u"img"_s << (u"&lt;"_s + mark(u"img"_s) + u" src=x&gt;"_s);
        QTest::newRow("query is markup")
            << u"a <b> b"_s << u"<b>"_s << (u"a "_s + mark(u"&lt;b&gt;"_s) + u" b"_s);
        QTest::newRow("entity as text") << u"fish &amp; chips"_s << u"amp"_s
                                        << (u"fish &amp;"_s + mark(u"amp"_s) + u"; chips"_s);
        QTest::newRow("link tag") << u"<a href=\"javascript:x\">click</a>"_s << u"click"_s
                                  << (u"&lt;a href=&quot;javascript:x&quot;&gt;"_s
                                      + mark(u"click"_s) + u"&lt;/a&gt;"_s);
        QTest::newRow("cyrillic") << u"Привет, МИР и мир"_s << u"мир"_s
                                  << (u"Привет, "_s + mark(u"МИР"_s) + u" и "_s + mark(u"мир"_s));
        QTest::newRow("greek") << u"ΟΔΥΣΣΕΥΣ"_s << u"δυσσ"_s
                               << (u"Ο"_s + mark(u"ΔΥΣΣ"_s) + u"ΕΥΣ"_s);
        QTest::newRow("cjk") << u"我们明天见面吧"_s << u"明天"_s
                             << (u"我们"_s + mark(u"明天"_s) + u"见面吧"_s);
        QTest::newRow("emoji") << u"party 🎉🎉 time"_s << u"🎉"_s
                               << (u"party "_s + mark(u"🎉"_s) + mark(u"🎉"_s) + u" time"_s);
        QTest::newRow("emoji sequence kept whole")
            << u"hi 👩‍💻 dev"_s << u"👩"_s << (u"hi "_s + mark(u"👩‍💻"_s) + u" dev"_s);
        QTest::newRow("line breaks")
            << u"one\ntwo\r\nthree"_s << u"two"_s << (u"one "_s + mark(u"two"_s) + u"  three"_s);
    }

    void styledText()
    {
        QFETCH(QString, text);
        QFETCH(QString, query);
        QFETCH(QString, expected);
        QCOMPARE(SearchHighlighter::toStyledText(text, query, Accent), expected);
    }

    void withoutColourOnlyBold()
    {
        QCOMPARE(SearchHighlighter::toStyledText(u"a lunch"_s, u"lunch"_s, QColor()),
                 u"a <b>lunch</b>"_s);
    }

    void matchRanges()
    {
        QCOMPARE(SearchHighlighter::matches(u"abcABCabc", u"bc"),
                 (QList<Range> {{1, 2}, {4, 2}, {7, 2}}));
        // Non-overlapping, left to right.
        QCOMPARE(SearchHighlighter::matches(u"aaaa", u"aa"), (QList<Range> {{0, 2}, {2, 2}}));
        QVERIFY(SearchHighlighter::matches(u"abc", u"").isEmpty());
        QVERIFY(SearchHighlighter::matches(u"", u"abc").isEmpty());
    }

    void longTextIsCutAroundTheFirstMatch()
    {
        const QString before = u"word "_s.repeated(100);
        const QString after = u" more"_s.repeated(100);
        const QString text = before + u"<needle> & friends"_s + after;
        const QString styled = SearchHighlighter::toStyledText(text, u"needle"_s, Accent, 80);
        QVERIFY2(styled.startsWith(u'…'), qPrintable(styled));
        QVERIFY2(styled.endsWith(u'…'), qPrintable(styled));
        QVERIFY2(styled.contains(u"&lt;"_s + mark(u"needle"_s) + u"&gt; &amp; friends"_s),
                 qPrintable(styled));
        const QString shown = shownText(styled);
        QVERIFY2(shown.size() <= 82, qPrintable(shown));
        // Context before the match, from a word start.
        QVERIFY2(shown.startsWith(u"…word "_s), qPrintable(shown));
    }

    void matchNearTheEndFillsTheRoomBefore()
    {
        const QString text = u"a"_s.repeated(300) + u" end"_s;
        const QString shown =
            shownText(SearchHighlighter::toStyledText(text, u"end"_s, Accent, 80));
        QVERIFY2(shown.startsWith(u'…') && shown.endsWith(u" end"_s), qPrintable(shown));
        QCOMPARE(shown.size(), 81);
    }

    void cutsNeverSplitACharacter()
    {
        // Emoji are two UTF-16 units: a cut at any offset must fall between them.
        const QString text = u"😀"_s.repeated(200) + u"needle"_s + u"😀"_s.repeated(200);
        for (int length = 40; length < 90; ++length) {
            const QString styled =
                SearchHighlighter::toStyledText(text, u"needle"_s, Accent, length);
            QVERIFY2(!hasLoneSurrogate(styled), qPrintable(QString::number(length)));
            QVERIFY(styled.contains(mark(u"needle"_s)));
        }
    }

    void shortTextIsWhole()
    {
        const QString text = u"x"_s.repeated(160);
        QCOMPARE(SearchHighlighter::toStyledText(text, u"y"_s, Accent, 160), text);
    }
};

QTEST_APPLESS_MAIN(TestSearchHighlight)
#include "tst_app_search_highlight.moc"
