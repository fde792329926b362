// The fixture of tst_messaging (tst_messaging.cpp: sending, fan-out, retries, ordering;
// tst_messaging_sync.cpp: history, sync, restarts, awkward contents, batches).
#pragma once

#include "TestClient.h"
#include "TestServer.h"

#include "messaging/SendBatch.h"
#include "protocol/Requests.h"

#include <QTest>

#include <QCborArray>

#include <algorithm>
#include <memory>

namespace MessagingTest {

using namespace Qt::StringLiterals;

inline QCborMap messageOf(const Protocol::Frame &event)
{
    return event.body.value(u"message"_s).toMap();
}

inline qint64 seqOf(const Protocol::Frame &event)
{
    return messageOf(event).value(u"seq"_s).toInteger();
}

inline QCborMap sendFields(qint64 conversationId, const QString &clientId,
                           const QByteArray &content, const QString &contentType = u"text/plain"_s)
{
    return {{u"conversationId"_s, conversationId},
            {u"clientId"_s, clientId},
            {u"contentType"_s, contentType},
            {u"content"_s, content}};
}

inline QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> list;
    for (qint64 seq = first; seq <= last; ++seq)
        list.append(seq);
    return list;
}

} // namespace MessagingTest

class TestMessaging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void sendAndAcknowledge();
    void contentIsOpaqueBytes();
    void fanOutToEveryDevice();
    void idempotentRetry();
    void concurrentSendersKeepOneOrder();
    void historyPaging();
    void syncAfterReconnect();
    void syncAfterLongAbsence();
    void restartLosesNothingAcknowledged();
    void arrayLiteralsRoundTrip();
    void awkwardTextsAndBytesSurvive();
    void mixedBatchKeepsItsAnswers();

private:
    //! Every message of a conversation through history, oldest first.
    QCborArray fullHistory(TestClient *client, qint64 conversationId);

    std::unique_ptr<TestServer> m_server;
};
