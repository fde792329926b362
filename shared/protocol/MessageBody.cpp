#include "MessageBody.h"

#include "Attachment.h"
#include "ExactCbor.h"

#include <QCborMap>
#include <QCborStreamReader>
#include <QCborValue>

#include <algorithm>
#include <limits>

namespace Protocol::Body {

namespace {

using L = QLatin1StringView;

namespace Key {
inline constexpr L Version {"v"};
inline constexpr L Kind {"k"};
inline constexpr L Text {"text"};
inline constexpr L Styles {"styles"};
inline constexpr L Mentions {"mentions"};
inline constexpr L Reply {"reply"};
inline constexpr L Seq {"seq"};
inline constexpr L Sender {"sender"};
inline constexpr L Forwarded {"fwd"};
inline constexpr L Attachments {"att"};
inline constexpr L Target {"target"};
inline constexpr L Emoji {"emoji"};
} // namespace Key

// How deep the body's CBOR may nest (the map is level 1; an attachment's own maps count too).
constexpr int MaxNesting = 16;

BodyError error(L code, const QString &message)
{
    return BodyError {QString(code), message};
}

QLatin1StringView kindName(Kind kind)
{
    switch (kind) {
    case Kind::Text:
        return L("text");
    case Kind::Reaction:
        return L("reaction");
    case Kind::Edit:
        return L("edit");
    }
    return L("text");
}

bool hasLoneSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text.at(i + 1).isLowSurrogate())
                return true;
            ++i;
        } else if (c.isLowSurrogate()) {
            return true;
        }
    }
    return false;
}

// A range boundary between the two halves of a surrogate pair would cut a character in two.
bool splitsPair(const QString &text, int position)
{
    return position > 0 && position < text.size() && text.at(position).isLowSurrogate()
        && text.at(position - 1).isHighSurrogate();
}

BodyError checkRange(const Range &range, const QString &text, const QString &what)
{
    if (range.start < 0 || range.length < 1)
        return error(L("range"), QStringLiteral("%1 needs a start ≥ 0 and a length ≥ 1").arg(what));
    if (qint64(range.start) + range.length > text.size())
        return error(L("range"), QStringLiteral("%1 reaches past the end of \"text\"").arg(what));
    if (splitsPair(text, range.start) || splitsPair(text, range.start + range.length))
        return error(L("range"), QStringLiteral("%1 cuts a character in two").arg(what));
    return {};
}

// ---- fields -----------------------------------------------------------------------------------

struct Reader
{
    BodyError error;
    bool failed() const { return !error.code.isEmpty(); }
    void fail(L code, const QString &message)
    {
        if (!failed())
            error = Body::error(code, message);
    }

    // An integer within [min, max]: another type is a "field" error, outside the bounds "range".
    qint64 integer(const QCborValue &value, qint64 min, qint64 max, const QString &what)
    {
        if (!value.isInteger()) {
            fail(L("field"), QStringLiteral("%1 must be an integer").arg(what));
            return 0;
        }
        const qint64 n = value.toInteger();
        if (n < min || n > max) {
            fail(L("range"), QStringLiteral("%1 must be %2 to %3").arg(what).arg(min).arg(max));
            return 0;
        }
        return n;
    }

    QCborArray array(const QCborValue &value, qsizetype limit, const QString &what)
    {
        if (!value.isArray()) {
            fail(L("field"), QStringLiteral("%1 must be an array").arg(what));
            return {};
        }
        QCborArray result = value.toArray();
        if (result.size() > limit)
            fail(L("limit"), QStringLiteral("%1 holds more than %2 items").arg(what).arg(limit));
        return result;
    }

    // [x, start, length] with x read by the caller.
    Range range(const QCborArray &entry, const QString &what)
    {
        Range range;
        range.start = int(integer(entry.at(1), 0, Limits::MaxTextLength, what + L(" start")));
        range.length = int(integer(entry.at(2), 1, Limits::MaxTextLength, what + L(" length")));
        return range;
    }
};

// Seqs and user ids: any positive integer. (Positions are bounded by MaxTextLength as they are
// read, so start + length cannot overflow.)
constexpr qint64 MaxId = std::numeric_limits<qint64>::max();

void readStyles(Reader &in, const QCborValue &value, MessageBody &body)
{
    const QCborArray styles = in.array(value, Limits::MaxStyles, QStringLiteral("\"styles\""));
    for (qsizetype i = 0; i < styles.size() && !in.failed(); ++i) {
        const QString what = QStringLiteral("\"styles\"[%1]").arg(i);
        const QCborValue item = styles.at(i);
        if (!item.isArray() || item.toArray().size() != 3 || !item.toArray().at(0).isString()) {
            in.fail(L("field"), QStringLiteral("%1 must be [style, start, length]").arg(what));
            return;
        }
        const QCborArray entry = item.toArray();
        const Range range = in.range(entry, what);
        const QString name = entry.at(0).toString();
        static constexpr Style all[] = {Style::Bold, Style::Italic, Style::Strikethrough,
                                        Style::Monospace, Style::Spoiler};
        const auto *style = std::find_if(std::begin(all), std::end(all),
                                         [&name](Style s) { return styleName(s) == name; });
        // A style a newer client added: the text still shows, without it.
        if (style != std::end(all) && !in.failed())
            body.styles.append(StyleRange {*style, range});
    }
}

void readMentions(Reader &in, const QCborValue &value, MessageBody &body)
{
    const QCborArray mentions =
        in.array(value, Limits::MaxMentions, QStringLiteral("\"mentions\""));
    for (qsizetype i = 0; i < mentions.size() && !in.failed(); ++i) {
        const QString what = QStringLiteral("\"mentions\"[%1]").arg(i);
        const QCborValue item = mentions.at(i);
        if (!item.isArray() || item.toArray().size() != 3) {
            in.fail(L("field"), QStringLiteral("%1 must be [userId, start, length]").arg(what));
            return;
        }
        const QCborArray entry = item.toArray();
        Mention mention;
        mention.userId = in.integer(entry.at(0), 1, MaxId, what + L(" userId"));
        mention.range = in.range(entry, what);
        body.mentions.append(mention);
    }
}

void readReply(Reader &in, const QCborValue &value, MessageBody &body)
{
    if (!value.isMap()) {
        in.fail(L("field"), QStringLiteral("\"reply\" must be a map {seq, sender}"));
        return;
    }
    const QCborMap reply = value.toMap();
    body.replyTo.seq = in.integer(reply.value(Key::Seq), 1, MaxId, QStringLiteral("\"reply\".seq"));
    body.replyTo.senderId =
        in.integer(reply.value(Key::Sender), 1, MaxId, QStringLiteral("\"reply\".sender"));
}

QString string(Reader &in, const QCborValue &value, const QString &what)
{
    if (!value.isString()) {
        in.fail(L("field"), QStringLiteral("%1 must be a text string").arg(what));
        return {};
    }
    return value.toString();
}

void readFields(Reader &in, const QCborMap &map, MessageBody &body)
{
    const QCborValue version = map.value(Key::Version);
    if (!version.isUndefined()) {
        if (!version.isInteger() || version.toInteger() < 1)
            return in.fail(L("field"), QStringLiteral("\"v\" must be an integer ≥ 1"));
        if (version.toInteger() > Version)
            return in.fail(L("version"),
                           QStringLiteral("\"v\" is %1; this client reads version %2")
                               .arg(version.toInteger())
                               .arg(Version));
    }
    const QCborValue kind = map.value(Key::Kind);
    if (!kind.isUndefined()) {
        const QString name = string(in, kind, QStringLiteral("\"k\""));
        if (name == kindName(Kind::Reaction))
            body.kind = Kind::Reaction;
        else if (name == kindName(Kind::Edit))
            body.kind = Kind::Edit;
        else if (name != kindName(Kind::Text) && !in.failed())
            return in.fail(
                L("unknown_kind"),
                QStringLiteral("\"k\" is \"%1\", not text, reaction or edit").arg(name.left(40)));
    }
    if (const QCborValue v = map.value(Key::Text); !v.isUndefined() && !in.failed()) {
        body.text = string(in, v, QStringLiteral("\"text\""));
        if (body.text.size() > Limits::MaxTextLength)
            in.fail(L("limit"),
                    QStringLiteral("\"text\" is longer than %1 UTF-16 units")
                        .arg(Limits::MaxTextLength));
    }
    if (const QCborValue v = map.value(Key::Styles); !v.isUndefined() && !in.failed())
        readStyles(in, v, body);
    if (const QCborValue v = map.value(Key::Mentions); !v.isUndefined() && !in.failed())
        readMentions(in, v, body);
    if (const QCborValue v = map.value(Key::Reply); !v.isUndefined() && !in.failed())
        readReply(in, v, body);
    if (const QCborValue v = map.value(Key::Forwarded); !v.isUndefined() && !in.failed()) {
        if (!v.isBool())
            return in.fail(L("field"), QStringLiteral("\"fwd\" must be true or false"));
        body.forwarded = v.toBool();
    }
    if (const QCborValue v = map.value(Key::Attachments); !v.isUndefined() && !in.failed()) {
        body.attachments = in.array(v, Limits::MaxAttachments, QStringLiteral("\"att\""));
        for (qsizetype i = 0; i < body.attachments.size() && !in.failed(); ++i) {
            if (!body.attachments.at(i).isMap())
                in.fail(L("field"), QStringLiteral("\"att\"[%1] must be a map").arg(i));
        }
    }
    if (const QCborValue v = map.value(Key::Target); !v.isUndefined() && !in.failed())
        body.target = in.integer(v, 1, MaxId, QStringLiteral("\"target\""));
    if (const QCborValue v = map.value(Key::Emoji); !v.isUndefined() && !in.failed()) {
        body.emoji = string(in, v, QStringLiteral("\"emoji\""));
        if (body.emoji.size() > Limits::MaxEmojiLength)
            in.fail(L("limit"),
                    QStringLiteral("\"emoji\" is longer than %1 UTF-16 units")
                        .arg(Limits::MaxEmojiLength));
    }
}

} // namespace

QLatin1StringView styleName(Style style)
{
    switch (style) {
    case Style::Bold:
        return L("bold");
    case Style::Italic:
        return L("italic");
    case Style::Strikethrough:
        return L("strike");
    case Style::Monospace:
        return L("mono");
    case Style::Spoiler:
        return L("spoiler");
    }
    return L("bold");
}

MessageBody text(const QString &text)
{
    MessageBody body;
    body.text = text;
    return body;
}

MessageBody reaction(qint64 target, const QString &emoji)
{
    MessageBody body;
    body.kind = Kind::Reaction;
    body.target = target;
    body.emoji = emoji;
    return body;
}

MessageBody edit(qint64 target, const QString &text)
{
    MessageBody body;
    body.kind = Kind::Edit;
    body.target = target;
    body.text = text;
    return body;
}

BodyError validate(const MessageBody &body)
{
    if (body.text.size() > Limits::MaxTextLength)
        return error(
            L("limit"),
            QStringLiteral("\"text\" is longer than %1 UTF-16 units").arg(Limits::MaxTextLength));
    if (body.styles.size() > Limits::MaxStyles)
        return error(L("limit"),
                     QStringLiteral("\"styles\" holds more than %1 items").arg(Limits::MaxStyles));
    if (body.mentions.size() > Limits::MaxMentions)
        return error(
            L("limit"),
            QStringLiteral("\"mentions\" holds more than %1 items").arg(Limits::MaxMentions));
    if (body.attachments.size() > Limits::MaxAttachments)
        return error(
            L("limit"),
            QStringLiteral("\"att\" holds more than %1 items").arg(Limits::MaxAttachments));
    if (body.emoji.size() > Limits::MaxEmojiLength)
        return error(
            L("limit"),
            QStringLiteral("\"emoji\" is longer than %1 UTF-16 units").arg(Limits::MaxEmojiLength));
    if (hasLoneSurrogate(body.text))
        return error(L("field"), QStringLiteral("\"text\" holds a lone UTF-16 surrogate"));
    if (hasLoneSurrogate(body.emoji))
        return error(L("field"), QStringLiteral("\"emoji\" holds a lone UTF-16 surrogate"));

    for (qsizetype i = 0; i < body.styles.size(); ++i) {
        if (BodyError e = checkRange(body.styles.at(i).range, body.text,
                                     QStringLiteral("\"styles\"[%1]").arg(i));
            !e.code.isEmpty())
            return e;
    }
    QList<Range> mentioned;
    for (qsizetype i = 0; i < body.mentions.size(); ++i) {
        const Mention &mention = body.mentions.at(i);
        const QString what = QStringLiteral("\"mentions\"[%1]").arg(i);
        if (mention.userId < 1)
            return error(L("range"), QStringLiteral("%1 userId must be ≥ 1").arg(what));
        if (BodyError e = checkRange(mention.range, body.text, what); !e.code.isEmpty())
            return e;
        mentioned.append(mention.range);
    }
    std::sort(mentioned.begin(), mentioned.end(),
              [](const Range &a, const Range &b) { return a.start < b.start; });
    for (qsizetype i = 1; i < mentioned.size(); ++i) {
        if (mentioned.at(i - 1).start + mentioned.at(i - 1).length > mentioned.at(i).start)
            return error(
                L("range"),
                QStringLiteral("\"mentions\" overlap at position %1").arg(mentioned.at(i).start));
    }
    for (qsizetype i = 0; i < body.attachments.size(); ++i) {
        if (!body.attachments.at(i).isMap())
            return error(L("field"), QStringLiteral("\"att\"[%1] must be a map").arg(i));
        // Each entry must be a descriptor this client understands (Attachment.h); unknown keys
        // inside one are kept and passed on.
        if (QString why; !decodeAttachment(body.attachments.at(i), &why))
            return error(L("field"), QStringLiteral("\"att\"[%1]: %2").arg(i).arg(why));
    }
    if (body.replyTo.seq < 0 || body.replyTo.senderId < 0
        || (body.replyTo.seq > 0) != (body.replyTo.senderId > 0))
        return error(L("range"), QStringLiteral("\"reply\" needs a seq ≥ 1 and a sender ≥ 1"));
    if (body.target < 0)
        return error(L("range"), QStringLiteral("\"target\" must be ≥ 1"));

    // What each kind may carry.
    const QString aKind = (body.kind == Kind::Edit ? QStringLiteral("an ") : QStringLiteral("a "))
        + kindName(body.kind);
    auto notFor = [&aKind](L key) {
        return error(L("field"), QStringLiteral("%1 has no \"%2\"").arg(aKind, key));
    };
    switch (body.kind) {
    case Kind::Text:
        if (body.target != 0)
            return notFor(Key::Target);
        if (!body.emoji.isEmpty())
            return notFor(Key::Emoji);
        if (body.text.isEmpty() && body.attachments.isEmpty())
            return error(L("field"),
                         QStringLiteral("a text message needs a \"text\" or an \"att\""));
        break;
    case Kind::Edit:
    case Kind::Reaction:
        if (body.isReply())
            return notFor(Key::Reply);
        if (body.forwarded)
            return notFor(Key::Forwarded);
        if (!body.attachments.isEmpty())
            return notFor(Key::Attachments);
        if (body.target == 0)
            return error(L("field"), QStringLiteral("%1 needs a \"target\"").arg(aKind));
        if (body.kind == Kind::Edit) {
            if (!body.emoji.isEmpty())
                return notFor(Key::Emoji);
            if (body.text.isEmpty())
                return error(L("field"), QStringLiteral("an edit needs a non-empty \"text\""));
        } else {
            if (!body.text.isEmpty())
                return notFor(Key::Text);
            if (!body.styles.isEmpty())
                return notFor(Key::Styles);
            if (!body.mentions.isEmpty())
                return notFor(Key::Mentions);
        }
        break;
    }
    return {};
}

QByteArray encode(const MessageBody &body)
{
    QCborMap map;
    if (body.kind != Kind::Text)
        map.insert(Key::Kind, kindName(body.kind));
    if (!body.text.isEmpty())
        map.insert(Key::Text, body.text);
    if (!body.styles.isEmpty()) {
        QCborArray styles;
        for (const StyleRange &style : body.styles)
            styles.append(
                QCborArray {styleName(style.style), style.range.start, style.range.length});
        map.insert(Key::Styles, styles);
    }
    if (!body.mentions.isEmpty()) {
        QCborArray mentions;
        for (const Mention &mention : body.mentions)
            mentions.append(QCborArray {mention.userId, mention.range.start, mention.range.length});
        map.insert(Key::Mentions, mentions);
    }
    if (body.isReply())
        map.insert(Key::Reply,
                   QCborMap {{Key::Seq, body.replyTo.seq}, {Key::Sender, body.replyTo.senderId}});
    if (body.forwarded)
        map.insert(Key::Forwarded, true);
    if (!body.attachments.isEmpty())
        map.insert(Key::Attachments, body.attachments);
    if (body.target != 0)
        map.insert(Key::Target, body.target);
    if (!body.emoji.isEmpty())
        map.insert(Key::Emoji, body.emoji);
    return map.toCborValue().toCbor();
}

DecodedBody decode(const QByteArray &bytes)
{
    DecodedBody result;
    auto fail = [&result](L code, const QString &message) {
        result.body = {};
        result.error = error(code, message);
        return result;
    };
    if (bytes.isEmpty())
        return fail(L("not_cbor"), QStringLiteral("the body is empty"));

    // Pass one checks the encoding (well-formed, valid UTF-8, nothing after the item)...
    QCborStreamReader check(bytes);
    const QCborValue checked = QCborValue::fromCbor(check);
    if (check.lastError() != QCborError::NoError)
        return fail(L("not_cbor"),
                    QStringLiteral("invalid CBOR: %1").arg(check.lastError().toString()));
    if (check.currentOffset() != bytes.size())
        return fail(L("not_cbor"), QStringLiteral("trailing bytes after the body's CBOR map"));
    if (!checked.isMap())
        return fail(L("not_map"), QStringLiteral("a body must be a CBOR map"));

    // ... pass two reads it with its text exact and its nesting bounded.
    QCborStreamReader reader(bytes);
    ExactCbor::Problem problem;
    const QCborValue value = ExactCbor::read(reader, MaxNesting, problem);
    if (value.isInvalid() || !value.isMap())
        return fail(problem.code.isEmpty() ? L("not_cbor") : problem.code, problem.message);

    Reader in;
    readFields(in, value.toMap(), result.body);
    if (!in.failed())
        in.error = validate(result.body);
    if (in.failed()) {
        result.body = {};
        result.error = in.error;
    }
    return result;
}

} // namespace Protocol::Body
