#include "DisplayText.h"

#include <QStringList>

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
    return u"%1 changed the group"_s.arg(actor);
}

QString messageText(const Protocol::MessageRecord &message, const NameLookup &nameOf)
{
    if (message.isEvent())
        return eventText(*message.event, nameOf);
    if (message.contentType == u"text/plain"_s)
        return QString::fromUtf8(message.content);
    return unsupportedMessage();
}

QString preview(const Protocol::MessageRecord &message, const NameLookup &nameOf, int maxLength)
{
    QString text = messageText(message, nameOf).simplified();
    if (text.size() > maxLength)
        text = text.left(maxLength - 1) + u'\u2026';
    return text;
}

} // namespace DisplayText

} // namespace Client
