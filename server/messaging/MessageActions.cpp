#include "MessageActions.h"

#include "MessageActionQueries.h"

#include "core/Hub.h"
#include "core/Router.h"
#include "core/ServerConfig.h"
#include "core/Session.h"
#include "core/StoreFailure.h"
#include "ops/Metrics.h"
#include "storage/Store.h"

#include "protocol/Frame.h"
#include "protocol/Requests.h"

#include <QCborArray>
#include <QLoggingCategory>

namespace Server {

Q_LOGGING_CATEGORY(lcMessageActions, "messengerd.messaging.actions")

using Protocol::ErrorCode;
using Protocol::MessageRecord;
namespace R = Protocol::Request;

namespace {
using L = QLatin1StringView;

template<typename T>
bool failed(const Request &request, const Result<T> &result)
{
    return answerStoreFailure(request, result, lcMessageActions);
}
} // namespace

MessageActions::MessageActions(ServerContext context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{
    Router *router = m_context.router;
    router->add(R::DeleteMessage, [this](const Request &r) { handleDelete(r); });
    router->add(R::HideMessages, [this](const Request &r) { handleHide(r); });
    router->add(R::SetTimer, [this](const Request &r) { handleTimer(r); });
}

bool MessageActions::takeSendToken(const Request &request)
{
    // Deletes and timer changes add entries to a sequence, as sends do, and share their limit.
    Session *session = request.session();
    if (session->sendLimiter().take())
        return true;
    request.fail(ErrorCode::RateLimited, QStringLiteral("messages are sent too fast; slow down"),
                 {}, session->sendLimiter().retryAfterMs());
    return false;
}

void MessageActions::fanOut(const MessageRecord &entry)
{
    const QByteArray bytes =
        Protocol::encodeEvent(Protocol::Event::Message, QCborMap {{L("message"), entry.toCbor()}});
    m_context.hub->withMembers(entry.conversationId, this,
                               [this, bytes](const ConversationMembers &members) {
                                   m_context.hub->sendToUsers(members.userIds, bytes);
                               });
}

void MessageActions::handleDelete(const Request &request)
{
    if (!takeSendToken(request))
        return;
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const qint64 seq = request.integer(L("seq"));
    m_context.store->write(
        this, // not the session: once committed, the others hear of it even if the caller left
        [=](Database &db) {
            return MessageActionQueries::deleteMessage(db, conversationId, userId, seq,
                                                       Protocol::Limits::DeleteWindowMs);
        },
        [this, request](const Result<MessageActionQueries::Deletion> &result) {
            if (failed(request, result))
                return;
            const MessageRecord &event = result->event;
            request.ok(QCborMap {{L("seq"), event.seq}, {L("timestamp"), event.timestamp}});
            if (result->repeated)
                return;
            m_context.metrics->messageDeleted();
            fanOut(event);
        });
}

void MessageActions::handleHide(const Request &request)
{
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    const QList<qint64> seqs = request.integers(L("seqs"));
    m_context.store->write(
        this, // not the session: once committed, the others hear of it even if the caller left
        [=](Database &db) {
            MessageActionQueries::hide(db, conversationId, userId, seqs);
            return true;
        },
        [this, request, userId, conversationId, seqs](const Result<bool> &result) {
            if (result.error == ErrorCode::NotFound) {
                request.fail(result.error, result.message, QStringLiteral("seqs"));
                return;
            }
            if (failed(request, result))
                return;
            request.ok();
            QCborArray list;
            for (qint64 seq : seqs)
                list.append(seq);
            m_context.hub->sendToUser(
                userId,
                Protocol::encodeEvent(
                    Protocol::Event::Hidden,
                    QCborMap {{L("conversationId"), conversationId}, {L("seqs"), list}}),
                request.session());
        });
}

void MessageActions::handleTimer(const Request &request)
{
    const qint64 seconds = request.integer(L("seconds"));
    const qint64 minimum = m_context.config.minDisappearSeconds;
    if (seconds != 0 && seconds < minimum) {
        request.fail(ErrorCode::InvalidField,
                     QStringLiteral("\"seconds\" must be 0 (off) or from %1 to %2")
                         .arg(minimum)
                         .arg(Protocol::Limits::MaxDisappearSeconds),
                     QStringLiteral("seconds"));
        return;
    }
    if (!takeSendToken(request))
        return;
    const qint64 userId = request.userId();
    const qint64 conversationId = request.integer(L("conversationId"));
    m_context.store->write(
        this, // not the session: once committed, the others hear of it even if the caller left
        [=](Database &db) {
            return MessageActionQueries::setTimer(db, conversationId, userId, seconds);
        },
        [this, request](const Result<MessageRecord> &result) {
            if (failed(request, result))
                return;
            request.ok(QCborMap {{L("seq"), result->seq}, {L("timestamp"), result->timestamp}});
            fanOut(*result);
        });
}

} // namespace Server
