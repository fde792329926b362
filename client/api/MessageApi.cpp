#include "MessageApi.h"

#include "connection/Connection.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QCborArray>

namespace Client {

using namespace Qt::StringLiterals;

MessageChange MessageChange::fromBody(const QCborMap &body)
{
    return {body.value("seq"_L1).toInteger(), body.value("timestamp"_L1).toInteger()};
}

MessageApi::MessageApi(Connection *connection, LocalStore *store)
    : m_connection(connection)
    , m_store(store)
{
}

void MessageApi::storeEvent(Request *request, qint64 conversationId,
                            const Protocol::MembershipEvent &event) const
{
    LocalStore *store = m_store;
    QObject::connect(request, &Request::finished, store,
                     [store, conversationId, event](const Reply &reply) {
                         if (!reply.isOk())
                             return;
                         const MessageChange change = MessageChange::fromBody(reply.body);
                         Protocol::MessageRecord record;
                         record.conversationId = conversationId;
                         record.seq = change.seq;
                         record.timestamp = change.timestamp;
                         record.senderId = store->selfId();
                         record.event = event;
                         record.event->actorId = store->selfId();
                         store->addMessages({record});
                     });
}

ApiCall<MessageChange> MessageApi::deleteForEveryone(qint64 conversationId, qint64 seq) const
{
    Request *request = m_connection->send(Protocol::Request::DeleteMessage,
                                          {{"conversationId"_L1, conversationId}, {"seq"_L1, seq}});
    Protocol::MembershipEvent event;
    event.action = u"deleted"_s;
    event.targetSeq = seq;
    storeEvent(request, conversationId, event);
    return {request, &MessageChange::fromBody};
}

ApiCall<void> MessageApi::deleteForMe(qint64 conversationId, const QList<qint64> &seqs) const
{
    QCborArray list;
    for (qint64 seq : seqs)
        list.append(seq);
    Request *request =
        m_connection->send(Protocol::Request::HideMessages,
                           {{"conversationId"_L1, conversationId}, {"seqs"_L1, list}});
    // The server tells this user's other devices; this one hides them itself.
    LocalStore *store = m_store;
    QObject::connect(request, &Request::finished, store,
                     [store, conversationId, seqs](const Reply &reply) {
                         if (reply.isOk())
                             store->hide(conversationId, seqs);
                     });
    return ApiCall<void>(request);
}

ApiCall<MessageChange> MessageApi::setTimer(qint64 conversationId, qint64 seconds) const
{
    Request *request =
        m_connection->send(Protocol::Request::SetTimer,
                           {{"conversationId"_L1, conversationId}, {"seconds"_L1, seconds}});
    Protocol::MembershipEvent event;
    event.action = u"timer"_s;
    event.seconds = seconds;
    storeEvent(request, conversationId, event);
    return {request, &MessageChange::fromBody};
}

} // namespace Client
