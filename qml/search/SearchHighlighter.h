#pragma once

#include <QColor>
#include <QList>
#include <QString>

namespace App {

//! Message text for a search result, ready for QML's Text.StyledText: the user's text is
//! HTML-escaped first (it is never markup: "<img src=…>" shows as those characters), shortened to
//! an excerpt around the first match, and every match of the query is wrapped in bold text of the
//! highlight colour. Matching ignores case in any script, as the store's trigram index does.
class SearchHighlighter
{
public:
    //! A match: UTF-16 offsets into the text.
    struct Range
    {
        qsizetype start = 0;
        qsizetype length = 0;
        friend bool operator==(const Range &, const Range &) = default;
    };

    //! Every non-overlapping occurrence of `query` (trimmed) in `text`, ignoring case.
    static QList<Range> matches(QStringView text, QStringView query);

    //! The styled excerpt. Line breaks become spaces (a result is one or two lines); longer texts
    //! are cut to about `maximumLength` characters with "…", at grapheme boundaries, so that the
    //! first match is in view.
    static QString toStyledText(const QString &text, const QString &query, const QColor &color,
                                int maximumLength = 160);
};

} // namespace App
