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
//! The body of a message as text: the text of "text/plain", a placeholder for content types this
//! client cannot show, a sentence for a membership event.
QString messageText(const Protocol::MessageRecord &message, const NameLookup &nameOf);
//! "Alice added Bob and Carol" and the like.
QString eventText(const Protocol::MembershipEvent &event, const NameLookup &nameOf);
//! The first line of messageText, shortened for a list or a notification.
QString preview(const Protocol::MessageRecord &message, const NameLookup &nameOf,
                int maxLength = 100);

//! What non-text messages look like until the client learns their type.
QString unsupportedMessage();

} // namespace DisplayText

} // namespace Client
