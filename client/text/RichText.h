#pragma once

#include "protocol/MessageBody.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Client {

//! A message body as Qt Quick shows it: the text of a Text item with textFormat Text.StyledText.
//!
//! Only what the body says becomes markup: its style and mention ranges, and the http(s) and
//! mailto URLs found in the text. Every other character is escaped, so "<b>" in a message shows
//! as typed. The output is also valid for Text.RichText / TextEdit (Qt's HTML subset).
//!
//! Qt 6.4's StyledText knows no <span>, background or font family, so:
//! - monospace is <tt> (a fixed font under RichText) inside a coloured <font>, the part StyledText
//!   shows;
//! - a hidden spoiler shows one "▒" per character, as the link "spoiler:<index of the style
//!   range>", which the app recognises in linkActivated to show it (Options::revealSpoilers);
//!   its text is never in the output, so it cannot be read or selected before that.
namespace RichText {

struct Options
{
    bool revealSpoilers = false;
    QString mentionColor = QStringLiteral("#2a6fdb"); //!< a mention of someone else
    QString selfMentionColor = QStringLiteral("#d9480f"); //!< a mention of the reader
    QString monospaceColor = QStringLiteral("#a23b72");
    QString spoilerColor = QStringLiteral("#888888");
};

//! A URL found in text: [start, start + length) in UTF-16 units, and the URL as written there.
struct Link
{
    int start = 0;
    int length = 0;
    QString url;
    bool operator==(const Link &) const = default;
};

//! The link prefix of a hidden spoiler: "spoiler:3" reveals the spoiler of body.styles[3].
inline constexpr QLatin1StringView SpoilerScheme {"spoiler:"};

//! The body's text as StyledText; selfId marks the reader's own mentions.
QString toStyledText(const Protocol::Body::MessageBody &body, qint64 selfId,
                     const Options &options = {});

//! The body's plain text with every spoiler range hidden as toStyledText hides it (one "▒" per
//! character): for text shown outside the bubble (chat list, notification, reply quote, search).
QString maskSpoilers(const Protocol::Body::MessageBody &body);
//! maskSpoilers of the body in `content` when `contentType` is a message body, else `text`.
QString maskSpoilers(const QString &contentType, const QByteArray &content, const QString &text);

//! The http://, https:// and mailto: URLs in text. A URL starts after a character that is not a
//! letter or digit and ends at white space, < > " or `; trailing . , ; : ! ? ' and closing
//! brackets without their opening one inside the URL are not part of it.
QList<Link> findLinks(const QString &text);
//! findLinks(text)'s URLs.
QStringList links(const QString &text);

//! True for 1 to max emoji and nothing else but white space: single emoji, skin tones, ZWJ
//! sequences (a family), flags, keycaps and text symbols made emoji by U+FE0F; false for
//! letters, digits and punctuation.
bool isEmojiOnly(const QString &text, int max = 3);

//! The text with & < > " ' escaped, newlines as <br> and runs of spaces kept (StyledText
//! collapses white space as HTML does).
QString escaped(const QString &text);

} // namespace RichText

} // namespace Client
