#pragma once

#include "protocol/MessageBody.h"

#include <QList>
#include <QString>

namespace Client {

//! The composer's formatting shortcuts, turned into a body's style ranges once, when sending:
//! the text that travels has no markers, and no receiving client ever parses markup.
//!
//! `*bold*`, `_italic_`, `~strike~`, `` `mono` ``, ``` ```mono``` ``` and `||spoiler||`. As in
//! WhatsApp and Telegram a marker only counts at a word boundary: an opening one at the start or
//! after a character that is not a letter or digit, followed by a non-space; a closing one after
//! a non-space, followed by the end or a character that is not a letter or digit. So "2*3*4",
//! snake_case_names and "a * b * c" stay as typed. Runs like ** or __ are literal, spans are never
//! empty, inside `mono` nothing else is parsed, and unmatched markers stay as typed. Styles may
//! nest; a closing marker drops the openers inside it that were never closed (they stay text).
namespace Markup {

//! The body (kind Text) for what the composer holds: text without the markers, styles ordered
//! by start. mentions are ranges of composerText (as the composer recorded them when it inserted
//! "@Name"); they come back moved to the same characters of the body's text, ordered by start.
//! Characters inside a mention are never markers. Mentions outside the text, overlapping an
//! earlier one, cutting a character in two or of a user id < 1 are dropped.
Protocol::Body::MessageBody parse(const QString &composerText,
                                  const QList<Protocol::Body::Mention> &mentions = {});

//! The reverse of parse(), for editing a sent message: composer text that parse() turns back into
//! `body`'s text and styles, with the markers placed at the style ranges' ends. Mentions (of
//! `body`) are reported, when asked, as ranges of the composer text, ready for parse().
//!
//! Markup cannot say everything a body can; the result is the nearest body it can say, always
//! with exactly `body`'s text and a subset of its styles (never a style it does not have, bar
//! the case below):
//! - same-style ranges that overlap or touch become one; a range that starts inside another and
//!   ends past it is cut at the enclosing range's end; whitespace at a range's ends is left out;
//! - a range inside `mono` (taken as typed), one that ends inside a mention or a surrogate pair,
//!   or one whose markers would not count there (mid-word, like "b" in "abc") is dropped.
//! parse() has no escape: text that itself reads as markup (a literal "*word*" that came from a
//! text/plain message or another client) comes back as markup and would turn into formatting if
//! sent. It is left as it is — the composer shows it, and it means what typing it would mean.
QString toComposerText(const Protocol::Body::MessageBody &body,
                       QList<Protocol::Body::Mention> *mentions = nullptr);

} // namespace Markup

} // namespace Client
