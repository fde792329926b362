#include "Outbox.h"

#include "ClientLogging.h"
#include "connection/Connection.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QCborArray>
#include <QSet>

namespace Client {

using namespace Qt::StringLiterals;

namespace {
//! The blobs a message's attachments name: the server links them to the message (and checks
//! that the sender may), in the same transaction.
QCborArray blobIdsOf(const OutboxEntry &entry)
{
    QCborArray ids;
    if (entry.contentType != QLatin1StringView(Protocol::Body::ContentType))
        return ids;
    const Protocol::Body::DecodedBody decoded = Protocol::Body::decode(entry.content);
    if (!decoded.ok())
        return ids;
    for (const QCborValue &attachment : decoded.body.attachments) {
        const QString blobId = attachment.toMap().value("blob"_L1).toString();
        if (!blobId.isEmpty() && !ids.contains(QCborValue(blobId)))
            ids.append(blobId);
    }
    return ids;
}
} // namespace

Outbox::Outbox(Connection *connection, LocalStore *store, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_store(store)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Outbox::pump);
    // Only once the sync is done: it may bring back messages sent before a crash, which then
    // leave the outbox without being sent again.
    connect(m_connection, &Connection::stateChanged, this, [this](Connection::State state) {
        if (state == Connection::State::Online)
            pump();
    });
    connect(m_store, &LocalStore::outboxEntryAdded, this, &Outbox::pump);
    // A held entry released (its attachments uploaded) or a failed one retried.
    connect(m_store, &LocalStore::outboxEntryChanged, this, &Outbox::pump);
}

OutboxEntry Outbox::sendText(qint64 conversationId, const QString &text)
{
    return m_store->addToOutbox(conversationId, u"text/plain"_s, text.toUtf8());
}

OutboxEntry Outbox::sendBody(qint64 conversationId, const Protocol::Body::MessageBody &body,
                             bool silent, qint64 refSeq)
{
    namespace Body = Protocol::Body;
    const bool plain = body.kind == Body::Kind::Text && body.styles.isEmpty()
        && body.mentions.isEmpty() && !body.isReply() && !body.forwarded
        && body.attachments.isEmpty();
    if (plain && !silent && refSeq == 0)
        return sendText(conversationId, body.text);
    if (refSeq == 0 && body.kind != Body::Kind::Text)
        refSeq = body.target;
    return m_store->addToOutbox(conversationId, QString(Body::ContentType), Body::encode(body),
                                silent || body.kind != Body::Kind::Text, refSeq);
}

bool Outbox::retry(const QString &clientId)
{
    const auto entry = m_store->outboxEntry(clientId);
    if (!entry || !entry->failed)
        return false;
    m_store->retryOutbox(clientId).then(this, [this](bool requeued) {
        if (requeued)
            pump();
    });
    return true;
}

bool Outbox::discard(const QString &clientId)
{
    const auto entry = m_store->outboxEntry(clientId);
    if (!entry || !entry->failed || clientId == m_inFlight)
        return false;
    m_store->removeFromOutbox(clientId);
    return true;
}

void Outbox::pump()
{
    if (!m_inFlight.isEmpty() || m_connection->state() != Connection::State::Online
        || m_retryTimer.isActive())
        return;
    OutboxEntry next;
    // An entry waiting for its attachments holds back what was written after it in the same
    // conversation (a caption typed after a photo must not overtake it); other conversations go.
    QSet<qint64> waiting;
    for (const OutboxEntry &entry : m_store->outbox()) {
        if (entry.failed)
            continue;
        if (entry.held) {
            waiting.insert(entry.conversationId);
            continue;
        }
        if (!waiting.contains(entry.conversationId)) {
            next = entry;
            break;
        }
    }
    if (next.clientId.isEmpty())
        return;
    m_inFlight = next.clientId;
    QCborMap fields {{"conversationId"_L1, next.conversationId},
                     {"clientId"_L1, next.clientId},
                     {"contentType"_L1, next.contentType},
                     {"content"_L1, next.content}};
    if (next.silent)
        fields.insert("silent"_L1, true);
    if (next.refSeq > 0)
        fields.insert("refSeq"_L1, next.refSeq);
    if (const QCborArray blobIds = blobIdsOf(next); !blobIds.isEmpty())
        fields.insert("blobIds"_L1, blobIds);
    Request *request = m_connection->send(Protocol::Request::Send, fields);
    connect(request, &Request::finished, this,
            [this, next](const Reply &reply) { onReply(next, reply); });
}

void Outbox::onReply(const OutboxEntry &entry, const Reply &reply)
{
    if (reply.isOk()) {
        Protocol::MessageRecord message;
        message.conversationId = entry.conversationId;
        message.seq = reply.body.value("seq"_L1).toInteger();
        message.timestamp = reply.body.value("timestamp"_L1).toInteger();
        message.senderId = m_store->selfId();
        message.clientId = entry.clientId;
        message.contentType = entry.contentType;
        message.content = entry.content;
        message.silent = entry.silent;
        message.refSeq = entry.refSeq;
        message.expiresAt = reply.body.value("expiresAt"_L1).toInteger();
        // Stored with the outbox entry removed in one transaction; until then the entry still
        // stands first in the outbox, so nothing else goes out (it would go out twice).
        m_store->addMessages({message}).then(this, [this](const QList<Protocol::MessageRecord> &) {
            m_inFlight.clear();
            pump();
        });
        return;
    }
    if (reply.isRetryable()) {
        m_inFlight.clear();
        qCInfo(lcClientStore).noquote()
            << "message" << entry.clientId << "not sent yet:" << reply.describe();
        if (reply.origin == Reply::Origin::Server) {
            // The server is struggling: wait as long as it asks, or the retry delay.
            m_retryTimer.start(reply.retryAfterMs > 0 ? int(reply.retryAfterMs) : m_retryDelayMs);
        } else if (reply.origin == Reply::Origin::TimedOut) {
            pump(); // the heartbeat decides whether the connection is still alive
        }
        // Lost or no connection: Online again pumps.
        return;
    }
    qCWarning(lcClientStore).noquote()
        << "message" << entry.clientId << "refused:" << reply.describe();
    const QString clientId = entry.clientId;
    m_store->markOutboxFailed(clientId, reply.message).then(this, [this, clientId](bool) {
        m_inFlight.clear();
        if (const auto failed = m_store->outboxEntry(clientId))
            Q_EMIT sendFailed(*failed);
        pump();
    });
}

} // namespace Client
