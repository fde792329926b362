#include "MessageService.h"

#include "MessageActionQueries.h"
#include "MessageQueries.h"

#include "conversations/ConversationQueries.h"
#include "core/Hub.h"
#include "core/Router.h"
#include "core/Session.h"
#include "core/StoreFailure.h"
#include "ops/Metrics.h"
#include "presence/PresenceService.h"

#include "protocol/Frame.h"
#include "protocol/Requests.h"

#include <QCborArray>
#include <QLoggingCategory>
#include <QVariant>

#include <chrono>

namespace Server {

Q_LOGGING_CATEGORY(lcMessaging, "messengerd.messaging")

using Protocol::ErrorCode;
using Protocol::MessageRecord;
namespace R = Protocol::Request;

namespace {
using L = QLatin1StringView;

template<typename T>
bool failed(const Request &request, const Result<T> &result)
{
    return answerStoreFailure(request, result, lcMessaging);
}

QCborArray toArray(const QList<MessageRecord> &messages)
{
    QCborArray array;
    for (const MessageRecord &message : messages)
        array.append(message.toCbor());
    return array;
}

struct SyncPage
{
    QList<Protocol::ConversationInfo> conversations;
    MessageQueries::SyncResult sync;
    MessageActionQueries::HiddenPage hidden;
};

QCborArray toArray(const QList<MessageQueries::ReceiptEntry> &entries)
{
    QCborArray array;
    for (const auto &entry : entries)
        array.append(QCborMap {{L("userId"), entry.userId}, {L("at"), entry.at}});
    return array;
}
} // namespace

MessageService::MessageService(ServerContext context, PresenceService *presence, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_presence(presence)
    , m_actions(context)
    , m_expirySweeper(context.store, context.metrics, context.config.expirySweepIntervalMs)
{
    Router *router = m_context.router;
    router->add(R::Send, [this](const Request &r) { handleSend(r); });
    router->add(R::History, [this](const Request &r) { handleHistory(r); });
    router->add(R::Sync, [this](const Request &r) { handleSync(r); });
    router->add(R::MarkDelivered, [this](const Request &r) { handleReceipt(r, false); });
    router->add(R::MarkRead, [this](const Request &r) { handleReceipt(r, true); });
    router->add(R::GetReceipts, [this](const Request &r) { handleGetReceipts(r); });
    m_expirySweeper.start();
}

void MessageService::handleSend(const Request &request)
{
    Session *session = request.session();
    if (!session->sendLimiter().take()) {
        request.fail(ErrorCode::RateLimited,
                     QStringLiteral("messages are sent too fast; slow down"), {},
                     session->sendLimiter().retryAfterMs());
        return;
    }
    auto payload = std::make_shared<SendPayload>();
    payload->conversationId = request.integer(L("conversationId"));
    payload->senderId = session->userId();
    payload->clientId = request.string(L("clientId"));
    payload->contentType = request.string(L("contentType"));
    payload->content = request.bytes(L("content"));
    payload->silent = request.boolean(L("silent"));
    payload->refSeq = request.integer(L("refSeq"));
    for (const QCborValue &id : request.body().value(L("blobIds")).toArray())
        payload->blobIds.append(id.toString());

    const auto received = std::chrono::steady_clock::now();
    // The service, not the session, outlives the commit: the members hear of a stored message
    // even when its sender disconnected before the answer.
    m_context.store->writeBatched<SendOutcome>(
        this, &m_sendBatch, payload, [this, request, received](const Result<SendOutcome> &result) {
            if (result.error == ErrorCode::NotFound) { // its refSeq, or one of its blobIds
                request.fail(result.error, result.message,
                             result.message.startsWith(u"\"blobIds\"") ? QStringLiteral("blobIds")
                                                                       : QStringLiteral("refSeq"));
                return;
            }
            if (failed(request, result))
                return;
            const MessageRecord &message = result->message;
            QCborMap answer {{L("seq"), message.seq}, {L("timestamp"), message.timestamp}};
            if (message.expiresAt != 0)
                answer.insert(L("expiresAt"), message.expiresAt);
            request.ok(answer);
            if (result->duplicate)
                return; // fanned out when it was first stored
            m_context.metrics->messageCommitted(
                quint64(std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - received)
                            .count()));
            m_presence->stopTyping(message.conversationId, message.senderId);
            const QByteArray bytes = Protocol::encodeEvent(
                Protocol::Event::Message, QCborMap {{L("message"), message.toCbor()}});
            QPointer<Session> sender = request.session();
            m_context.hub->withMembers(
                message.conversationId, this,
                [this, bytes, sender](const ConversationMembers &members) {
                    m_context.metrics->addDeliveries(
                        m_context.hub->sendToUsers(members.userIds, bytes, sender.data()));
                });
        });
}

void MessageService::handleHistory(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const std::optional<qint64> before =
        request.has(L("before")) ? std::optional(request.integer(L("before"))) : std::nullopt;
    const std::optional<qint64> after =
        request.has(L("after")) ? std::optional(request.integer(L("after"))) : std::nullopt;
    if (before && after) {
        request.fail(ErrorCode::InvalidField,
                     QStringLiteral("give \"before\" or \"after\", not both"),
                     QStringLiteral("after"));
        return;
    }
    const int limit = int(request.integer(L("limit"), Protocol::Limits::DefaultHistoryPage));
    m_context.store->read(
        request.session(),
        [=](Database &db) {
            const auto membership = ConversationQueries::requireMember(db, conversationId, userId);
            return MessageQueries::history(db, userId, conversationId,
                                           std::max<qint64>(1, membership.joinedSeq), before, after,
                                           limit);
        },
        [request](const Result<MessageQueries::Page> &result) {
            if (failed(request, result))
                return;
            request.ok(
                QCborMap {{L("messages"), toArray(result->messages)}, {L("more"), result->more}});
        });
}

void MessageService::handleSync(const Request &request)
{
    const qint64 userId = request.userId();
    QHash<qint64, qint64> cursors;
    for (const QCborValue &pair : request.body().value(L("cursors")).toArray())
        cursors.insert(pair.toArray().at(0).toInteger(), pair.toArray().at(1).toInteger());
    const int limit = int(request.integer(L("limit"), Protocol::Limits::DefaultSyncPage));
    const std::optional<qint64> hiddenAfter = request.has(L("hiddenAfter"))
        ? std::optional(request.integer(L("hiddenAfter")))
        : std::nullopt;
    m_context.store->read(
        request.session(),
        [=](Database &db) {
            SyncPage page;
            page.conversations = ConversationQueries::conversations(db, userId);
            page.sync = MessageQueries::sync(db, userId, cursors, limit);
            page.hidden = MessageActionQueries::hiddenAfter(db, userId, hiddenAfter,
                                                            Protocol::Limits::MaxSyncPage);
            return page;
        },
        [this, request, userId, hiddenAfter](const Result<SyncPage> &result) {
            if (failed(request, result))
                return;
            QList<Protocol::ConversationInfo> conversations = result->conversations;
            ConversationQueries::sortForList(conversations);
            QCborArray list;
            for (Protocol::ConversationInfo &c : conversations) {
                if (c.peer)
                    m_presence->fillPresence(userId, *c.peer);
                list.append(c.toCbor());
            }
            QCborMap answer {{L("conversations"), list},
                             {L("messages"), toArray(result->sync.messages)},
                             {L("more"), result->sync.more || result->hidden.more},
                             {L("hiddenCursor"), result->hidden.cursor}};
            if (hiddenAfter) {
                QCborArray hidden;
                for (const auto &[conversationId, seq] : result->hidden.entries)
                    hidden.append(QCborArray {conversationId, seq});
                answer.insert(L("hidden"), hidden);
            }
            request.ok(answer);
        });
}

void MessageService::handleReceipt(const Request &request, bool read)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const qint64 seq = request.integer(L("seq"));
    const auto kind =
        read ? MessageQueries::ReceiptKind::Read : MessageQueries::ReceiptKind::Delivered;
    m_context.store->write(
        this, // not the session: once committed, the others hear of it even if the caller left
        [=](Database &db) {
            return MessageQueries::markReceipt(db, conversationId, userId, kind, seq);
        },
        [this, request, userId, conversationId](const Result<MessageQueries::ReceiptMove> &result) {
            if (failed(request, result))
                return;
            request.ok();
            const MessageQueries::ReceiptMove move = *result;
            if (move.deliveredSeq == 0 && move.readSeq == 0)
                return;
            const OnlineUser *user = m_context.hub->onlineUser(userId);
            const bool showRead = user ? user->sendReadReceipts : true;

            Protocol::ReceiptInfo receipt {conversationId, userId, move.deliveredSeq, move.readSeq,
                                           move.at};
            const QByteArray own =
                Protocol::encodeEvent(Protocol::Event::Receipt, receipt.toCbor());
            if (!showRead)
                receipt.readSeq = 0;
            const bool othersSeeIt = receipt.deliveredSeq != 0 || receipt.readSeq != 0;
            const QByteArray shared =
                Protocol::encodeEvent(Protocol::Event::Receipt, receipt.toCbor());
            QPointer<Session> origin = request.session();
            m_context.hub->withMembers(conversationId, this,
                                       [this, userId, own, shared, othersSeeIt,
                                        origin](const ConversationMembers &members) {
                                           for (qint64 member : members.userIds) {
                                               if (member == userId)
                                                   m_context.hub->sendToUser(member, own,
                                                                             origin.data());
                                               else if (othersSeeIt)
                                                   m_context.hub->sendToUser(member, shared);
                                           }
                                       });
        });
}

void MessageService::handleGetReceipts(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const qint64 seq = request.integer(L("seq"));
    m_context.store->read(
        request.session(),
        [=](Database &db) {
            ConversationQueries::requireMember(db, conversationId, userId);
            QSqlQuery &q = db.prepare(QStringLiteral(
                "SELECT sender_id FROM messages WHERE conversation_id = ? AND seq = ?"));
            q.addBindValue(conversationId);
            q.addBindValue(seq);
            db.exec(q);
            if (!q.next())
                throw StoreError(ErrorCode::NotFound,
                                 QStringLiteral("there is no message %1 here").arg(seq));
            const qint64 sender = q.value(0).toLongLong();
            q.finish();
            return MessageQueries::receiptDetail(db, conversationId, seq, sender);
        },
        [request](const Result<MessageQueries::ReceiptDetail> &result) {
            if (failed(request, result))
                return;
            request.ok(QCborMap {{L("delivered"), toArray(result->delivered)},
                                 {L("read"), toArray(result->read)}});
        });
}

} // namespace Server
