#include "DisplayText.h"

#include "protocol/Attachment.h"

#include "protocol/MessageBody.h"
#include "text/RichText.h"

#include <QStringList>

#include <algorithm>

namespace Client {

using namespace Qt::StringLiterals;

namespace DisplayText {

namespace {
QString name(const NameLookup &nameOf, qint64 userId)
{
    const QString found = nameOf ? nameOf(userId) : QString();
    return found.isEmpty() ? u"someone"_s : found;
}

QString names(const NameLookup &nameOf, const QList<qint64> &ids)
{
    QStringList list;
    for (qint64 id : ids)
        list.append(name(nameOf, id));
    if (list.size() <= 1)
        return list.join(QString());
    const QString last = list.takeLast();
    return list.join(u", "_s) + u" and "_s + last;
}
} // namespace

QString conversationName(const Protocol::ConversationInfo &conversation)
{
    if (conversation.kind == Protocol::ConversationKind::Group)
        return conversation.name;
    if (conversation.peer)
        return conversation.peer->displayName.isEmpty() ? conversation.peer->username
                                                        : conversation.peer->displayName;
    return conversation.name;
}

QString unsupportedMessage()
{
    return u"[unsupported message]"_s;
}

QString eventText(const Protocol::MembershipEvent &event, const NameLookup &nameOf)
{
    const QString actor = name(nameOf, event.actorId);
    if (event.action == u"created"_s)
        return u"%1 created the group \u201c%2\u201d"_s.arg(actor, event.name);
    if (event.action == u"added"_s)
        return u"%1 added %2"_s.arg(actor, names(nameOf, event.userIds));
    if (event.action == u"removed"_s)
        return u"%1 removed %2"_s.arg(actor, names(nameOf, event.userIds));
    if (event.action == u"left"_s)
        return u"%1 left"_s.arg(actor);
    if (event.action == u"renamed"_s)
        return u"%1 renamed the group to \u201c%2\u201d"_s.arg(actor, event.name);
    if (event.action == u"role"_s)
        return u"%1 made %2 %3"_s.arg(actor, names(nameOf, event.userIds),
                                      event.role == Protocol::Role::Admin ? u"an admin"_s
                                                                          : u"a member"_s);
    if (event.action == u"owner"_s)
        return u"%1 is now the owner"_s.arg(names(nameOf, event.userIds));
    if (event.action == u"deleted"_s)
        return u"%1 deleted a message"_s.arg(actor);
    if (event.action == u"avatar"_s)
        return event.avatarBlob.isEmpty() ? u"%1 removed the group photo"_s.arg(actor)
                                          : u"%1 changed the group photo"_s.arg(actor);
    if (event.action == u"timer"_s) {
        if (event.seconds <= 0)
            return u"%1 turned off disappearing messages"_s.arg(actor);
        return u"%1 set messages to disappear after %2"_s.arg(actor, duration(event.seconds));
    }
    return u"%1 changed the group"_s.arg(actor);
}

QString deletedMessage()
{
    return u"This message was deleted"_s;
}

QString duration(qint64 seconds)
{
    const auto unit = [](qint64 n, const QString &one, const QString &many) {
        return n == 1 ? u"1 "_s + one : u"%1 %2"_s.arg(n).arg(many);
    };
    if (seconds % 604'800 == 0)
        return unit(seconds / 604'800, u"week"_s, u"weeks"_s);
    if (seconds % 86'400 == 0)
        return unit(seconds / 86'400, u"day"_s, u"days"_s);
    if (seconds % 3600 == 0)
        return unit(seconds / 3600, u"hour"_s, u"hours"_s);
    if (seconds % 60 == 0)
        return unit(seconds / 60, u"minute"_s, u"minutes"_s);
    return unit(seconds, u"second"_s, u"seconds"_s);
}

namespace {
//! What a message of attachments is called where there is room for one line (Signal's and
//! Telegram's wording): "📷 Photo", "📷 3 photos", "🎤 Voice message (0:12)", "📎 report.pdf".
QString attachmentSummary(const QList<Protocol::Body::Attachment> &attachments)
{
    using Protocol::Body::AttachmentKind;
    if (attachments.isEmpty())
        return QString();
    const Protocol::Body::Attachment &first = attachments.constFirst();
    const bool same = std::all_of(attachments.cbegin(), attachments.cend(),
                                  [&first](const auto &a) { return a.kind == first.kind; });
    const qsizetype n = attachments.size();
    const auto counted = [n, same](const QString &one, const QString &many) {
        return n == 1 ? one : same ? u"%1 %2"_s.arg(n).arg(many) : u"%1 attachments"_s.arg(n);
    };
    const QString name = first.name.simplified();
    switch (first.kind) {
    case AttachmentKind::Image:
        return u"📷 "_s + counted(u"Photo"_s, u"photos"_s);
    case AttachmentKind::Video:
        return u"🎬 "_s + counted(u"Video"_s, u"videos"_s);
    case AttachmentKind::Voice: {
        const qint64 seconds = (first.durationMs + 500) / 1000;
        return n == 1 ? u"🎤 Voice message (%1:%2)"_s.arg(seconds / 60)
                            .arg(seconds % 60, 2, 10, QLatin1Char('0'))
                      : u"🎤 "_s + counted(QString(), u"voice messages"_s);
    }
    case AttachmentKind::Audio:
        return u"🎵 "_s + (n == 1 && !name.isEmpty() ? name : counted(u"Audio"_s, u"audio files"_s));
    case AttachmentKind::File:
        break;
    }
    return u"📎 "_s + (n == 1 && !name.isEmpty() ? name : counted(u"File"_s, u"files"_s));
}

QString textOf(const Protocol::MessageRecord &message, const NameLookup &nameOf, bool masked)
{
    if (message.isEvent())
        return eventText(*message.event, nameOf);
    if (message.erased == Protocol::Erased::Deleted)
        return deletedMessage();
    if (!message.erased.isEmpty() || message.hidden)
        return QString();
    if (message.contentType == u"text/plain"_s)
        return QString::fromUtf8(message.content);
    if (message.contentType == Protocol::Body::ContentType) {
        const Protocol::Body::DecodedBody decoded = Protocol::Body::decode(message.content);
        if (!decoded.ok())
            return unsupportedMessage();
        const Protocol::Body::MessageBody &body = decoded.body;
        if (body.kind == Protocol::Body::Kind::Reaction)
            return body.emoji.isEmpty() ? u"removed a reaction"_s : u"reacted %1"_s.arg(body.emoji);
        QString text = masked ? RichText::maskSpoilers(body) : body.text;
        if (body.attachments.isEmpty())
            return text;
        // The chat list shows what came with the caption; elsewhere the caption stands alone.
        QString summary = attachmentSummary(Protocol::Body::attachmentsOf(body));
        if (text.isEmpty())
            return summary;
        return masked ? summary.section(u' ', 0, 0) + u' ' + text : text;
    }
    return unsupportedMessage();
}
} // namespace

QString messageText(const Protocol::MessageRecord &message, const NameLookup &nameOf)
{
    return textOf(message, nameOf, false);
}

QString preview(const Protocol::MessageRecord &message, const NameLookup &nameOf, int maxLength)
{
    QString text = textOf(message, nameOf, true).simplified();
    if (text.size() > maxLength)
        text = text.left(maxLength - 1) + u'\u2026';
    return text;
}

} // namespace DisplayText

} // namespace Client
