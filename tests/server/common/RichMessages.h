#pragma once

// Small helpers for the issue-12 suites (delete, hide, silent sends, disappearing messages).

#include "TestClient.h"

#include "protocol/Requests.h"

#include <QCborArray>
#include <QCborMap>
#include <QUuid>

namespace RichMessages {

using namespace Qt::StringLiterals;

inline QCborMap sendFields(qint64 conversationId, const QByteArray &content, bool silent = false,
                           qint64 refSeq = 0)
{
    QCborMap fields {{u"conversationId"_s, conversationId},
                     {u"clientId"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
                     {u"contentType"_s, u"text/plain"_s},
                     {u"content"_s, content}};
    if (silent)
        fields.insert(u"silent"_s, true);
    if (refSeq > 0)
        fields.insert(u"refSeq"_s, refSeq);
    return fields;
}

//! A silent send acting on refSeq (a reaction, say); its seq, or 0 on failure.
inline qint64 sendSilent(TestClient *client, qint64 conversationId, qint64 refSeq,
                         const QByteArray &content = "+1")
{
    const Protocol::Frame answer =
        client->request(Protocol::Request::Send, sendFields(conversationId, content, true, refSeq));
    if (!answer.isOk()) {
        qWarning("sendSilent failed: %s", qPrintable(TestClient::describe(answer)));
        return 0;
    }
    return answer.body.value(u"seq"_s).toInteger();
}

//! The newest page of history (up to 200 entries), oldest first; empty on failure.
inline QCborArray historyOf(TestClient *client, qint64 conversationId)
{
    const Protocol::Frame answer = client->request(
        Protocol::Request::History, {{u"conversationId"_s, conversationId}, {u"limit"_s, 200}});
    if (!answer.isOk())
        qWarning("history failed: %s", qPrintable(TestClient::describe(answer)));
    return answer.body.value(u"messages"_s).toArray();
}

//! The entry with this seq in a list of message records; an empty map when absent.
inline QCborMap entryOf(const QCborArray &messages, qint64 seq)
{
    for (const QCborValue &message : messages) {
        if (message.toMap().value(u"seq"_s).toInteger() == seq)
            return message.toMap();
    }
    return {};
}

//! The conversation as conversation.get shows it to this client.
inline QCborMap conversationOf(TestClient *client, qint64 conversationId)
{
    return Cbor::conversationOf(client->request(Protocol::Request::GetConversation,
                                                {{u"conversationId"_s, conversationId}}));
}

//! A `message` event of this conversation whose membership event has this action.
inline TestClient::Predicate entryEvent(qint64 conversationId, const QString &action)
{
    return [conversationId, action](const Protocol::Frame &frame) {
        const QCborMap message = frame.body.value(u"message"_s).toMap();
        return message.value(u"conversationId"_s).toInteger() == conversationId
            && message.value(u"event"_s).toMap().value(u"action"_s).toString() == action;
    };
}

} // namespace RichMessages
