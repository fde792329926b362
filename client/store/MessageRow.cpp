#include "MessageRow.h"

#include <QCborValue>
#include <QStringList>

namespace Client {

namespace MessageRow {

namespace {
const QStringList names {
    QStringLiteral("conversation_id"), QStringLiteral("seq"),       QStringLiteral("sender_id"),
    QStringLiteral("timestamp"),       QStringLiteral("client_id"), QStringLiteral("content_type"),
    QStringLiteral("content"),         QStringLiteral("body"),      QStringLiteral("event")};
}

QString columns(const QString &alias)
{
    if (alias.isEmpty())
        return names.join(QStringLiteral(", "));
    QStringList prefixed;
    for (const QString &name : names)
        prefixed.append(alias + u'.' + name);
    return prefixed.join(QStringLiteral(", "));
}

Protocol::MessageRecord fromQuery(const QSqlQuery &query, int first)
{
    Protocol::MessageRecord message;
    message.conversationId = query.value(first).toLongLong();
    message.seq = query.value(first + 1).toLongLong();
    message.senderId = query.value(first + 2).toLongLong();
    message.timestamp = query.value(first + 3).toLongLong();
    const QByteArray event = query.value(first + 8).toByteArray();
    if (!event.isEmpty()) {
        message.event = Protocol::MembershipEvent::fromCbor(QCborValue::fromCbor(event).toMap());
        return message;
    }
    message.clientId = query.value(first + 4).toString();
    message.contentType = query.value(first + 5).toString();
    const QVariant body = query.value(first + 7);
    message.content =
        body.isNull() ? query.value(first + 6).toByteArray() : body.toString().toUtf8();
    return message;
}

bool isText(const Protocol::MessageRecord &message)
{
    return !message.isEvent() && message.contentType == QStringLiteral("text/plain");
}

} // namespace MessageRow

} // namespace Client
