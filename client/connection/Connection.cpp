#include "Connection.h"

#include "ClientLogging.h"
#include "connection/TrustStore.h"
#include "protocol/Requests.h"

#include <QCborValue>
#include <QWebSocket>

namespace Client {

using namespace Qt::StringLiterals;

namespace {

// Verification failures that only say "nobody vouches for this certificate": exactly what a
// self-signed certificate of a self-hosted server produces, and what pinning its fingerprint
// answers. Expired, revoked or malformed certificates are never accepted this way.
bool isPinnable(const QSslError &error)
{
    switch (error.error()) {
    case QSslError::SelfSignedCertificate:
    case QSslError::SelfSignedCertificateInChain:
    case QSslError::HostNameMismatch:
    case QSslError::UnableToGetLocalIssuerCertificate:
    case QSslError::UnableToGetIssuerCertificate:
    case QSslError::UnableToVerifyFirstCertificate:
    case QSslError::CertificateUntrusted:
        return true;
    default:
        return false;
    }
}

QSslCertificate leafCertificate(const QList<QSslError> &errors)
{
    // The errors about the server itself name its own certificate; chain errors may name a CA.
    for (const QSslError &error : errors) {
        if ((error.error() == QSslError::HostNameMismatch
             || error.error() == QSslError::SelfSignedCertificate)
            && !error.certificate().isNull())
            return error.certificate();
    }
    for (const QSslError &error : errors) {
        if (!error.certificate().isNull())
            return error.certificate();
    }
    return QSslCertificate();
}

Reply localReply(Reply::Origin origin)
{
    Reply reply;
    reply.origin = origin;
    reply.error = Protocol::ErrorCode::Unavailable;
    reply.message = reply.describe();
    return reply;
}

} // namespace

Connection::Connection(TrustStore *trustStore, Settings settings, QObject *parent)
    : QObject(parent)
    , m_trustStore(trustStore)
    , m_settings(std::move(settings))
    , m_backoff(m_settings.backoff)
{
    m_heartbeat.setInterval(m_settings.heartbeatIntervalMs);
    connect(&m_heartbeat, &QTimer::timeout, this, &Connection::sendPing);
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &Connection::connectNow);
    m_attemptTimer.setSingleShot(true);
    m_attemptTimer.setInterval(m_settings.requestTimeoutMs);
    connect(&m_attemptTimer, &QTimer::timeout, this, [this] {
        qCInfo(lcClientConnection) << "no sign-in within" << m_settings.requestTimeoutMs << "ms";
        if (m_socket)
            onSocketGone(m_socket, u"the server did not answer in time"_s);
    });
}

Connection::~Connection()
{
    m_wanted = false;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
    failPending(Reply::Origin::ConnectionLost);
}

void Connection::setUrl(const QUrl &url)
{
    m_url = url;
}

void Connection::setPasswordSignIn(const PasswordSignIn &signIn)
{
    m_passwordSignIn = signIn;
}

void Connection::open()
{
    m_wanted = true;
    if (!m_socket && !m_reconnectTimer.isActive())
        connectNow();
}

void Connection::close()
{
    m_wanted = false;
    m_reconnectTimer.stop();
    if (QWebSocket *socket = m_socket) {
        socket->close(QWebSocketProtocol::CloseCodeNormal, u"closed by the user"_s);
        onSocketGone(socket, {});
    }
    setLastError({});
    setState(State::Offline);
}

void Connection::reconnectNow()
{
    if (!m_wanted || m_socket)
        return;
    m_reconnectTimer.stop();
    connectNow();
}

void Connection::connectNow()
{
    if (!m_wanted)
        return;
    if (!m_url.isValid() || (m_url.scheme() != u"ws"_s && m_url.scheme() != u"wss"_s)) {
        giveUp(u"not a ws:// or wss:// address: %1"_s.arg(m_url.toString()));
        return;
    }
    if (QWebSocket *old = m_socket) {
        m_socket = nullptr;
        old->disconnect(this);
        old->abort();
        old->deleteLater();
    }

    setState(State::Connecting);
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    socket->setMaxAllowedIncomingMessageSize(quint64(Protocol::Limits::MaxFrameBytes));
    connect(socket, &QWebSocket::binaryMessageReceived, this,
            [this, socket](const QByteArray &bytes) {
                if (socket == m_socket)
                    onBinaryMessage(bytes);
            });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] {
        const QString reason = socket->closeReason().isEmpty()
            ? u"the connection was closed"_s
            : u"the server closed the connection: "_s + socket->closeReason();
        onSocketGone(socket, reason);
    });
    // Qt 6.4 names it error(); errorOccurred() came with 6.5.
    connect(socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                onSocketGone(socket, socket->errorString());
            });
    connect(socket, &QWebSocket::sslErrors, this, &Connection::onSslErrors);
    m_socket = socket;
    m_attemptTimer.start();
    qCDebug(lcClientConnection).noquote() << "connecting to" << m_url.toString();
    socket->open(m_url);
}

void Connection::onSslErrors(const QList<QSslError> &errors)
{
    if (!m_socket)
        return;
    const QString host = m_url.host();
    const int port = m_url.port(443);
    const QSslCertificate certificate = leafCertificate(errors);
    const QString fingerprint =
        certificate.isNull() ? QString() : TrustStore::fingerprint(certificate);
    const QString pinned = m_trustStore ? m_trustStore->pinnedFingerprint(host, port) : QString();
    const bool pinnable = std::all_of(errors.begin(), errors.end(), isPinnable);

    if (!pinned.isEmpty() && pinned == fingerprint && pinnable) {
        // The user trusted exactly this certificate for this server.
        m_socket->ignoreSslErrors();
        return;
    }

    QStringList reasons;
    for (const QSslError &error : errors)
        reasons.append(error.errorString());
    const QString reason = reasons.join(u"; "_s);
    if (!pinned.isEmpty() && pinned != fingerprint) {
        // Refused, and not offered as a question: only an explicit trustCertificate() with the
        // new fingerprint (the user read this error) replaces the pin.
        m_offeredFingerprint = pinnable ? fingerprint : QString();
        giveUp(u"the server's certificate has changed: its fingerprint is %1, but the one you "
               "trusted is %2. Refusing to connect; if the server's operator replaced the "
               "certificate, trust the new one explicitly."_s.arg(fingerprint, pinned));
        return;
    }
    if (!pinnable || fingerprint.isEmpty()) {
        giveUp(u"the server's certificate is not valid: "_s + reason);
        return;
    }
    m_offeredFingerprint = fingerprint;
    giveUp(u"the server's certificate is not trusted (%1). Its SHA-256 fingerprint is %2; "
           "trust it only if the server's operator confirms it."_s.arg(reason, fingerprint));
    Q_EMIT certificateNotTrusted(host, port, fingerprint, reason);
}

bool Connection::trustCertificate(const QString &fingerprint)
{
    if (m_offeredFingerprint.isEmpty()
        || fingerprint.compare(m_offeredFingerprint, Qt::CaseInsensitive) != 0)
        return false;
    QString error;
    if (m_trustStore
        && !m_trustStore->trust(m_url.host(), m_url.port(443), m_offeredFingerprint, &error)) {
        setLastError(u"cannot remember the trusted certificate: "_s + error);
        return false;
    }
    m_offeredFingerprint.clear();
    m_wanted = true;
    setLastError({});
    connectNow();
    return true;
}

void Connection::onBinaryMessage(const QByteArray &bytes)
{
    const Protocol::DecodeResult decoded = Protocol::decodeFrame(bytes);
    if (!decoded.ok()) {
        qCWarning(lcClientConnection) << "undecodable frame from the server:" << decoded.message;
        return;
    }
    const Protocol::Frame &frame = decoded.frame;
    if (frame.isOk() || frame.isError()) {
        QPointer<Request> request = m_pending.take(frame.id);
        if (!request) {
            if (frame.isError())
                qCWarning(lcClientConnection).noquote()
                    << "server error for request" << frame.id
                    << frame.body.value(Protocol::Key::Code).toString() << frame.errorMessage();
            return;
        }
        Reply reply;
        reply.body = frame.body;
        if (frame.isError()) {
            reply.error = frame.errorCode();
            reply.message = frame.errorMessage();
            reply.field = frame.body.value(Protocol::Key::Field).toString();
            reply.retryAfterMs = frame.body.value(Protocol::Key::RetryAfter).toInteger();
        }
        request->finish(reply);
        return;
    }
    if (frame.type == Protocol::Event::Welcome) {
        onWelcome(frame);
        return;
    }
    if (frame.type == Protocol::Event::SignedOut) {
        const QString reason = frame.body.value("reason"_L1).toString();
        m_token.clear();
        giveUp(u"this device was signed out: "_s + reason);
        Q_EMIT signedOut(reason);
        return;
    }
    Q_EMIT eventReceived(frame);
}

void Connection::onWelcome(const Protocol::Frame &frame)
{
    const QCborMap limits = frame.body.value("limits"_L1).toMap();
    m_serverLimits = limits;
    m_typingTimeoutMs =
        int(limits.value("typingTimeoutMs"_L1).toInteger(Protocol::Limits::TypingTimeoutMs));
    if (frame.body.value("protocol"_L1).toInteger() != Protocol::Version) {
        giveUp(u"the server speaks protocol %1; this client speaks %2"_s
                   .arg(frame.body.value("protocol"_L1).toInteger())
                   .arg(Protocol::Version));
        return;
    }

    QLatin1StringView type = Protocol::Request::Resume;
    QCborMap fields {{"protocol"_L1, Protocol::Version}};
    if (m_settings.transfer)
        fields.insert("transfer"_L1, true);
    if (m_passwordSignIn && !m_settings.transfer) {
        const PasswordSignIn &signIn = *m_passwordSignIn;
        type = signIn.kind == PasswordSignIn::Kind::Register ? Protocol::Request::Register
                                                             : Protocol::Request::Login;
        fields.insert("username"_L1, signIn.username);
        fields.insert("password"_L1, signIn.password);
        fields.insert("deviceName"_L1, m_settings.deviceName);
        if (signIn.kind == PasswordSignIn::Kind::Register) {
            fields.insert("displayName"_L1, signIn.displayName);
            if (!signIn.invite.isEmpty())
                fields.insert("invite"_L1, signIn.invite);
        }
    } else if (!m_token.isEmpty()) {
        fields.insert("token"_L1, m_token);
    } else {
        giveUp(u"this device has no token: sign in with a password"_s);
        Q_EMIT signInFailed(Protocol::ErrorCode::InvalidToken, m_lastError);
        return;
    }
    connect(sendFrame(type, fields, m_settings.requestTimeoutMs), &Request::finished, this,
            &Connection::onSignInReply);
}

void Connection::onSignInReply(const Reply &reply)
{
    if (!m_socket)
        return; // the connection is already gone; the reconnect is scheduled
    if (!reply.isOk()) {
        if (reply.isRetryable()) {
            qCInfo(lcClientConnection).noquote() << "sign-in not possible now:" << reply.describe();
            onSocketGone(m_socket, u"sign-in failed: "_s + reply.describe());
            return;
        }
        // A wrong password or a revoked token does not get better by trying again.
        m_passwordSignIn.reset();
        giveUp(u"sign-in refused: "_s + reply.message);
        Q_EMIT signInFailed(reply.error, reply.message);
        return;
    }

    m_profile = Protocol::ProfileInfo::fromCbor(reply.body.value("user"_L1).toMap());
    m_deviceId = reply.body.value("deviceId"_L1).toInteger();
    const QString token = reply.body.value("token"_L1).toString();
    m_passwordSignIn.reset();
    m_signedIn = true;
    m_attemptTimer.stop();
    m_backoff.reset();
    m_heartbeat.start();
    setLastError({});
    // A transfer connection has nothing to catch up on.
    setState(m_settings.transfer ? State::Online : State::Syncing);
    qCInfo(lcClientConnection).noquote()
        << (m_settings.transfer ? "transfer connection signed in to" : "signed in to")
        << m_url.toString() << "as" << m_profile.user.username;
    if (!token.isEmpty()) {
        m_token = token;
        Q_EMIT tokenIssued(token);
    }
    Q_EMIT signedIn(m_profile);
}

void Connection::onSocketGone(QWebSocket *socket, const QString &reason)
{
    if (!socket || socket != m_socket)
        return;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
    m_heartbeat.stop();
    m_attemptTimer.stop();
    m_signedIn = false;
    failPending(Reply::Origin::ConnectionLost);
    if (!m_wanted) {
        setState(State::Offline);
        return;
    }
    if (!reason.isEmpty())
        setLastError(reason);
    scheduleReconnect();
}

void Connection::scheduleReconnect()
{
    const int delay = m_backoff.nextDelayMs();
    qCInfo(lcClientConnection).noquote()
        << "connection lost (" << m_lastError << "); retrying in" << delay << "ms";
    setState(State::Offline);
    m_reconnectTimer.start(delay);
}

void Connection::giveUp(const QString &reason)
{
    qCWarning(lcClientConnection).noquote() << "staying offline:" << reason;
    m_wanted = false;
    m_reconnectTimer.stop();
    setLastError(reason);
    if (m_socket)
        onSocketGone(m_socket, {});
    setState(State::Offline);
}

void Connection::sendPing()
{
    if (!m_signedIn)
        return;
    Request *ping = sendFrame(Protocol::Request::Ping, {}, m_settings.heartbeatTimeoutMs);
    connect(ping, &Request::finished, this, [this](const Reply &reply) {
        // No answer to a ping: the connection is half-open (a NAT or a server that died without
        // closing). Drop it so the reconnect logic takes over.
        if (reply.origin == Reply::Origin::TimedOut && m_socket)
            onSocketGone(m_socket, u"the server stopped answering"_s);
    });
}

Request *Connection::send(QLatin1StringView type, const QCborMap &fields)
{
    if (m_signedIn && m_socket)
        return sendFrame(type, fields, m_settings.requestTimeoutMs);
    auto *request = new Request(type, 0, this);
    QMetaObject::invokeMethod(
        request, [request] { request->finish(localReply(Reply::Origin::NotConnected)); },
        Qt::QueuedConnection);
    return request;
}

Request *Connection::sendFrame(QLatin1StringView type, const QCborMap &fields, int timeoutMs)
{
    const qint64 id = m_nextId++;
    auto *request = new Request(type, id, this);
    m_pending.insert(id, request);
    QTimer::singleShot(timeoutMs, request, [this, id] {
        if (QPointer<Request> timedOut = m_pending.take(id))
            timedOut->finish(localReply(Reply::Origin::TimedOut));
    });
    m_socket->sendBinaryMessage(Protocol::encodeRequest(type, id, fields));
    return request;
}

void Connection::failPending(Reply::Origin origin)
{
    const auto pending = std::exchange(m_pending, {});
    for (const QPointer<Request> &request : pending) {
        if (request)
            request->finish(localReply(origin));
    }
}

void Connection::markSynced()
{
    if (m_signedIn && m_state == State::Syncing)
        setState(State::Online);
}

void Connection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    qCDebug(lcClientConnection) << "state" << state;
    Q_EMIT stateChanged(state);
}

void Connection::setLastError(const QString &error)
{
    if (m_lastError == error)
        return;
    m_lastError = error;
    Q_EMIT lastErrorChanged(error);
}

} // namespace Client
