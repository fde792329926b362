#pragma once

#include "protocol/Records.h"

#include <QString>

#include <functional>

namespace Client {

//! The words the UI shows for records: conversation names, message bodies, membership events.
//! English for now; the app layer will route these through its translations.
namespace DisplayText {

//! Looks up a user's display name; returns an empty string for unknown users.
using NameLookup = std::function<QString(qint64 userId)>;

//! A group's name, or the peer's display name for a direct conversation.
QString conversationName(const Protocol::ConversationInfo &conversation);
//! The body of a message as text: the text of "text/plain" or of a message body (its current
//! text, edits applied by the store), deletedMessage() for one deleted for everyone, a
//! placeholder for content types this client cannot show, a sentence for a membership event.
QString messageText(const Protocol::MessageRecord &message, const NameLookup &nameOf);
//! "Alice added Bob and Carol" and the like.
QString eventText(const Protocol::MembershipEvent &event, const NameLookup &nameOf);
//! messageText on one line with spoilers hidden (RichText::maskSpoilers), shortened for a
//! list, a notification or a quote.
QString preview(const Protocol::MessageRecord &message, const NameLookup &nameOf,
                int maxLength = 100);

//! What non-text messages look like until the client learns their type.
QString unsupportedMessage();
//! What a message deleted for everyone says instead of its text (the list's preview).
QString deletedMessage();
//! "5 minutes", "1 hour", "1 week": a disappearing-messages timer.
QString duration(qint64 seconds);

} // namespace DisplayText

} // namespace Client
