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

} // namespace Markup

} // namespace Client
