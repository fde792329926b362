#include "MessageRow.h"

#include "protocol/MessageBody.h"

#include <QCborValue>
#include <QStringList>

namespace Client {

namespace MessageRow {

namespace {
const QStringList names {
    QStringLiteral("conversation_id"), QStringLiteral("seq"),       QStringLiteral("sender_id"),
    QStringLiteral("timestamp"),       QStringLiteral("client_id"), QStringLiteral("content_type"),
    QStringLiteral("content"),         QStringLiteral("body"),      QStringLiteral("event"),
    QStringLiteral("silent"),          QStringLiteral("ref_seq"),   QStringLiteral("expires_at"),
    QStringLiteral("erased"),          QStringLiteral("hidden")};
const QStringList storedNames {QStringLiteral("edited_at"), QStringLiteral("mentions_me"),
                               QStringLiteral("forwarded"), QStringLiteral("reply_seq"),
                               QStringLiteral("reply_sender")};

QString joined(const QStringList &list, const QString &alias)
{
    if (alias.isEmpty())
        return list.join(QStringLiteral(", "));
    QStringList prefixed;
    for (const QString &name : list)
        prefixed.append(alias + u'.' + name);
    return prefixed.join(QStringLiteral(", "));
}
} // namespace

QString columns(const QString &alias)
{
    return joined(names, alias);
}

QString storedColumns(const QString &alias)
{
    return joined(names + storedNames, alias);
}

Protocol::MessageRecord fromQuery(const QSqlQuery &query, int first)
{
    Protocol::MessageRecord message;
    message.conversationId = query.value(first).toLongLong();
    message.seq = query.value(first + 1).toLongLong();
    message.senderId = query.value(first + 2).toLongLong();
    message.timestamp = query.value(first + 3).toLongLong();
    message.silent = query.value(first + 9).toBool();
    message.refSeq = query.value(first + 10).toLongLong();
    message.expiresAt = query.value(first + 11).toLongLong();
    message.erased = query.value(first + 12).toString();
    message.hidden = query.value(first + 13).toBool();
    const QByteArray event = query.value(first + 8).toByteArray();
    if (!event.isEmpty()) {
        message.event = Protocol::MembershipEvent::fromCbor(QCborValue::fromCbor(event).toMap());
        return message;
    }
    message.clientId = query.value(first + 4).toString();
    message.contentType = query.value(first + 5).toString();
    const QVariant body = query.value(first + 7);
    message.content = message.contentType == QStringLiteral("text/plain") && !body.isNull()
        ? body.toString().toUtf8()
        : query.value(first + 6).toByteArray();
    return message;
}

StoredMessage storedFromQuery(const QSqlQuery &query, int first)
{
    StoredMessage stored;
    stored.record = fromQuery(query, first);
    const int extra = first + int(names.size());
    stored.editedAt = query.value(extra).toLongLong();
    stored.mentionsMe = query.value(extra + 1).toBool();
    stored.forwarded = query.value(extra + 2).toBool();
    stored.replySeq = query.value(extra + 3).toLongLong();
    stored.replySenderId = query.value(extra + 4).toLongLong();
    return stored;
}

bool isText(const Protocol::MessageRecord &message)
{
    return !message.isEvent() && message.contentType == QStringLiteral("text/plain");
}

bool isBody(const Protocol::MessageRecord &message)
{
    return !message.isEvent() && message.contentType == Protocol::Body::ContentType;
}

} // namespace MessageRow

} // namespace Client
