#include "Session.h"

#include "Router.h"

#include "protocol/Frame.h"
#include "protocol/Requests.h"

#include <QCborArray>
#include <QDateTime>
#include <QLoggingCategory>

namespace Server {

Q_LOGGING_CATEGORY(lcSession, "messengerd.session")

using Protocol::ErrorCode;

Session::Session(std::unique_ptr<Transport> transport, const ServerConfig &config, Router *router,
                 Metrics *metrics, QObject *parent)
    : QObject(parent)
    , m_transport(std::move(transport))
    , m_config(config)
    , m_router(router)
    , m_metrics(metrics)
    , m_peerAddress(m_transport->peerAddress())
    , m_lastActivity(QDateTime::currentMSecsSinceEpoch())
    , m_connectedAt(m_lastActivity)
    , m_requests(config.requests)
    , m_sends(config.sends)
    , m_typing(config.typing)
    , m_logins(config.logins)
{
    m_transport->setReceiver(this);
}

Session::~Session()
{
    m_transport->setReceiver(nullptr);
}

void Session::setAuthenticated(qint64 userId, qint64 deviceId)
{
    m_userId = userId;
    m_deviceId = deviceId;
}

void Session::sendBytes(const QByteArray &bytes)
{
    if (!m_closing)
        m_transport->sendBinary(bytes);
}

void Session::sendOk(qint64 id, const QCborMap &body)
{
    sendBytes(Protocol::encodeOk(id, body));
}

void Session::sendError(qint64 id, ErrorCode code, const QString &message, const QString &field,
                        qint64 retryAfterMs)
{
    m_metrics->errorSent(code);
    sendBytes(Protocol::encodeError(id, code, message, field, retryAfterMs));
}

void Session::close(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    if (m_closing)
        return;
    if (m_closeReason == Metrics::CloseReason::Peer)
        m_closeReason = Metrics::CloseReason::Server;
    m_closing = true;
    m_closingSince = QDateTime::currentMSecsSinceEpoch();
    m_transport->close(quint16(code), reason);
}

void Session::abort()
{
    if (m_closeReason == Metrics::CloseReason::Peer && !m_closing)
        m_closeReason = Metrics::CloseReason::Server;
    m_closing = true;
    m_transport->abort();
}

void Session::ping()
{
    if (!m_closing)
        m_transport->ping();
}

Metrics::CloseReason Session::closeReason() const
{
    switch (m_transport->dropReason()) {
    case Transport::DropReason::SlowConsumer:
        return Metrics::CloseReason::SlowConsumer;
    case Transport::DropReason::ProtocolError:
        return Metrics::CloseReason::ProtocolError;
    case Transport::DropReason::None:
        break;
    }
    return m_closeReason;
}

void Session::pongReceived()
{
    m_lastActivity = QDateTime::currentMSecsSinceEpoch();
}

void Session::transportClosed()
{
    m_closing = true;
    Q_EMIT disconnected(this);
}

void Session::textReceived()
{
    m_lastActivity = QDateTime::currentMSecsSinceEpoch();
    sendError(0, ErrorCode::TextFrame,
              QStringLiteral("this server speaks binary frames (CBOR) only"));
}

void Session::binaryReceived(const QByteArray &bytes)
{
    m_lastActivity = QDateTime::currentMSecsSinceEpoch();
    if (m_closing || !m_serving)
        return;

    Protocol::DecodeResult decoded = Protocol::decodeFrame(bytes);
    if (!decoded.ok()) {
        m_metrics->requestAnswered(nullptr, decoded.error);
        sendError(decoded.frame.id, decoded.error, decoded.message);
        return;
    }
    const Protocol::Frame &frame = decoded.frame;
    const Protocol::RequestSpec *spec = Protocol::findRequest(frame.type);
    // Answers given here, before a handler: counted as requests of their type (or "unknown").
    const auto refuse = [&](ErrorCode code, const QString &message, const QString &field = {},
                            qint64 retryAfterMs = -1) {
        m_metrics->requestAnswered(spec, code);
        sendError(frame.id, code, message, field, retryAfterMs);
    };
    if (!m_requests.take()) {
        refuse(ErrorCode::RateLimited, QStringLiteral("too many requests; slow down"), {},
               m_requests.retryAfterMs());
        return;
    }
    if (!spec) {
        refuse(ErrorCode::UnknownType,
               QStringLiteral("unknown request type \"%1\"").arg(frame.type.left(64)));
        return;
    }
    if (spec->needsAuth && !isAuthenticated()) {
        refuse(ErrorCode::NotAuthenticated,
               QStringLiteral("sign in (register, login or resume) first"));
        return;
    }
    if (isAuthenticated()) {
        // Transfer connections carry blob chunks and nothing else; chat connections never carry
        // them (a 256 KiB chunk would hold up typing and messages behind it).
        const bool blob = frame.type.startsWith(QLatin1StringView("blob."));
        if (m_transfer && !blob && frame.type != Protocol::Request::Ping) {
            refuse(ErrorCode::Forbidden, QStringLiteral("this is a transfer connection"));
            return;
        }
        if (!m_transfer && blob) {
            refuse(ErrorCode::Forbidden,
                   QStringLiteral("blob transfers go on a transfer connection"));
            return;
        }
    }
    if (auto error = Protocol::validate(*spec, frame.body)) {
        refuse(error->code, error->message, error->field);
        return;
    }
    if (!m_router->dispatch(frame.type, Request(this, frame.id, frame.body, spec, bytes)))
        refuse(ErrorCode::UnknownType, QStringLiteral("\"%1\" is not served here").arg(frame.type));
}

void Request::failWith(ErrorCode code, const QString &message, const QString &field,
                       const QCborMap &extra) const
{
    if (!m_session)
        return;
    if (extra.isEmpty()) {
        fail(code, message, field);
        return;
    }
    m_session->metrics()->requestAnswered(m_spec, code);
    m_session->metrics()->errorSent(code);
    QCborMap frame =
        QCborValue::fromCbor(Protocol::encodeError(m_id, code, message, field)).toMap();
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        frame.insert(it.key(), it.value());
    m_session->sendBytes(frame.toCborValue().toCbor());
}

qint64 Request::integer(QLatin1StringView key, qint64 fallback) const
{
    const QCborValue value = m_body.value(key);
    return value.isInteger() ? value.toInteger() : fallback;
}

QString Request::string(QLatin1StringView key) const
{
    return m_body.value(key).toString();
}

QByteArray Request::bytes(QLatin1StringView key) const
{
    return m_body.value(key).toByteArray();
}

bool Request::has(QLatin1StringView key) const
{
    const QCborValue value = m_body.value(key);
    return !value.isUndefined() && !value.isNull();
}

bool Request::boolean(QLatin1StringView key) const
{
    return m_body.value(key).toBool();
}

QList<qint64> Request::integers(QLatin1StringView key) const
{
    QList<qint64> list;
    for (const QCborValue &value : m_body.value(key).toArray())
        list.append(value.toInteger());
    return list;
}

void Request::ok(const QCborMap &result) const
{
    if (!m_session)
        return;
    m_session->metrics()->requestAnswered(m_spec, ErrorCode::None);
    m_session->sendOk(m_id, result);
}

void Request::okEncoded(const QByteArray &frame) const
{
    if (!m_session)
        return;
    m_session->metrics()->requestAnswered(m_spec, ErrorCode::None);
    m_session->sendBytes(frame);
}

void Request::fail(ErrorCode code, const QString &message, const QString &field,
                   qint64 retryAfterMs) const
{
    if (!m_session)
        return;
    m_session->metrics()->requestAnswered(m_spec, code);
    m_session->sendError(m_id, code, message, field, retryAfterMs);
}

} // namespace Server
