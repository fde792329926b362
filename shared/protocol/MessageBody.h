#pragma once

#include <QByteArray>
#include <QCborArray>
#include <QLatin1StringView>
#include <QList>
#include <QString>

//! The structured body of a message, defined once for the server's peers (the server never reads
//! it: it travels in a message's opaque `content` under its own content type). docs/protocol.md,
//! "Message bodies", describes the same thing for other implementers.
//!
//! Positions and lengths in the text count UTF-16 code units, as in Signal's body ranges.
namespace Protocol::Body {

//! The content type a MessageBody travels under. Older "text/plain" messages keep displaying.
inline constexpr QLatin1StringView ContentType {"application/vnd.messenger.body+cbor"};
inline constexpr int Version = 1;

namespace Limits {
inline constexpr int MaxTextLength = 16384; //!< UTF-16 code units
inline constexpr int MaxMentions = 256;
inline constexpr int MaxStyles = 1024;
inline constexpr int MaxEmojiLength = 32; //!< a reaction: one emoji, with its modifiers
inline constexpr int MaxAttachments = 32;
} // namespace Limits

enum class Kind {
    Text, //!< a message people read: text, reply, mentions, styles, attachments
    Reaction, //!< sets (or, with an empty emoji, removes) the sender's reaction to target
    Edit, //!< replaces the text of the sender's own message target
};

enum class Style { Bold, Italic, Strikethrough, Monospace, Spoiler };

//! A span of the text: [start, start + length).
struct Range
{
    int start = 0;
    int length = 0;
    bool operator==(const Range &) const = default;
};

struct StyleRange
{
    Style style = Style::Bold;
    Range range;
    bool operator==(const StyleRange &) const = default;
};

//! A mention of a user: the range holds how the text names them (e.g. "@bob").
struct Mention
{
    qint64 userId = 0;
    Range range;
    bool operator==(const Mention &) const = default;
};

//! The message a reply quotes, by its place in the same conversation.
struct ReplyTo
{
    qint64 seq = 0;
    qint64 senderId = 0;
    bool operator==(const ReplyTo &) const = default;
};

struct MessageBody
{
    Kind kind = Kind::Text;
    QString text; //!< Text and Edit: the (new) text; empty for a reaction
    QList<StyleRange> styles; //!< Text and Edit; ordered by start; may nest, never past the text
    QList<Mention> mentions; //!< Text and Edit; ordered by start, not overlapping
    ReplyTo replyTo; //!< Text; seq 0 when not a reply
    bool forwarded = false; //!< Text
    //! Text: attachment descriptors (Attachment.h: attachmentsOf, setAttachments), each a map kept
    //! as it came, so unknown keys pass on when forwarded; decode() checks every entry.
    QCborArray attachments;
    qint64 target = 0; //!< Reaction and Edit: the seq of the message acted on
    QString emoji; //!< Reaction: the emoji; empty removes the sender's reaction

    bool isReply() const { return replyTo.seq > 0; }
    bool operator==(const MessageBody &) const = default;
};

//! Why bytes are not a valid body: a stable code word ("not_cbor", "not_map", "version",
//! "unknown_kind", "field", "range", "limit") and a sentence naming the field.
struct BodyError
{
    QString code;
    QString message;
};

struct DecodedBody
{
    MessageBody body;
    BodyError error;
    bool ok() const { return error.code.isEmpty(); }
};

//! Encodes a body; the body must be valid (validate() returns no error).
QByteArray encode(const MessageBody &body);
//! Decodes and validates. Unknown keys are ignored (newer clients may add some); an unknown kind,
//! a newer major version, a wrong type, a range outside the text or past a limit is an error.
DecodedBody decode(const QByteArray &bytes);
//! Why a body could not be sent as it is, or an empty code.
BodyError validate(const MessageBody &body);

//! A plain text message.
MessageBody text(const QString &text);
MessageBody reaction(qint64 target, const QString &emoji);
MessageBody edit(qint64 target, const QString &text);

QLatin1StringView styleName(Style style);

} // namespace Protocol::Body
