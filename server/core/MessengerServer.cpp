#include "MessengerServer.h"

#include "Hub.h"
#include "QtWebSocketTransport.h"
#include "Router.h"
#include "SelfSignedCertificate.h"
#include "ServerContext.h"
#include "Session.h"
#include "WebSocketConnection.h"

#include "accounts/AccountService.h"
#include "accounts/PasswordHasher.h"
#include "conversations/ConversationService.h"
#include "media/BlobService.h"
#include "messaging/MessageService.h"
#include "ops/AdminService.h"
#include "ops/ControlServer.h"
#include "ops/Logging.h"
#include "ops/Metrics.h"
#include "ops/TlsFiles.h"
#include "presence/PresenceService.h"
#include "storage/Store.h"

#include "protocol/Frame.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <sodium.h>
#include <unistd.h>

#include <functional>

namespace Server {

Q_LOGGING_CATEGORY(lcServer, "messengerd.server")

namespace {
using L = QLatin1StringView;

//! A listener that hands over the bare descriptor of each accepted connection, so plain
//! connections never become QTcpSockets (see WebSocketConnection).
class DescriptorServer : public QTcpServer
{
public:
    using Handler = std::function<void(qintptr)>;
    DescriptorServer(Handler handler, QObject *parent)
        : QTcpServer(parent)
        , m_handler(std::move(handler))
    {
    }

protected:
    void incomingConnection(qintptr descriptor) override { m_handler(descriptor); }

private:
    Handler m_handler;
};
} // namespace

//! Everything that lives only while the server runs, torn down in reverse order by stop().
struct MessengerServer::Runtime
{
    Router router;
    QSet<Session *> sessions;
    QTimer sweepTimer;
    QTimer drainTimer; //!< polls whether in-flight work is done while draining
    QDeadlineTimer drainDeadline;
    std::unique_ptr<ControlServer> control;
};

MessengerServer::MessengerServer(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_givenConfig(m_config)
{
    m_metrics = std::make_unique<Metrics>();
}

MessengerServer::~MessengerServer()
{
    stop();
}

bool MessengerServer::start(QString *error)
{
    const auto failWith = [this, error](const QString &message) {
        if (error)
            *error = message;
        stop();
        return false;
    };
    if (sodium_init() < 0)
        return failWith(QStringLiteral("libsodium could not be initialised"));

    if (m_config.database.driver == DatabaseConfig::Driver::Sqlite
        && m_config.database.sqlitePath.isEmpty()) {
        m_config.dataDir = m_config.effectiveDataDir();
        if (!QDir().mkpath(m_config.dataDir))
            return failWith(
                QStringLiteral("cannot create the data folder %1").arg(m_config.dataDir));
        m_config.database.sqlitePath = m_config.dataDir + QStringLiteral("/messenger.db");
    }

    m_store = std::make_unique<Store>(m_config.database);
    try {
        m_store->open();
    } catch (const StoreError &e) {
        return failWith(e.message());
    }

    m_runtime = std::make_unique<Runtime>();
    m_hasher =
        std::make_unique<PasswordHasher>(m_config.passwordOpsLimit, m_config.passwordMemLimit);
    m_hub = std::make_unique<Hub>(m_store.get());
    const ServerContext context {m_config,           m_store.get(),  m_hub.get(),
                                 &m_runtime->router, m_hasher.get(), m_metrics.get()};
    m_presence = std::make_unique<PresenceService>(context);
    m_accounts = std::make_unique<AccountService>(context, m_presence.get());
    m_conversations = std::make_unique<ConversationService>(context, m_presence.get());
    m_messages = std::make_unique<MessageService>(context, m_presence.get());
    m_blobs = std::make_unique<BlobService>(context);
    if (QString blobError; !m_blobs->open(&blobError))
        return failWith(blobError);

    if (m_config.tlsSelfSigned && m_config.tlsCertificate.isEmpty()) {
        m_config.dataDir = m_config.effectiveDataDir();
        SelfSignedCertificate::Files files;
        QString tlsError;
        if (!SelfSignedCertificate::ensure(m_config.dataDir + QStringLiteral("/tls"), &files,
                                           &tlsError))
            return failWith(tlsError);
        m_config.tlsCertificate = files.certificate;
        m_config.tlsPrivateKey = files.privateKey;
    }
    if (m_config.tlsEnabled()) {
        TlsFiles tls;
        QString tlsError;
        if (!TlsFiles::load(m_config.tlsCertificate, m_config.tlsPrivateKey, &tls, &tlsError))
            return failWith(tlsError);
        m_fingerprint = tls.fingerprint;
        const QSslConfiguration &ssl = tls.configuration;
        auto *sslServer = new QSslServer(this);
        sslServer->setSslConfiguration(ssl);
        sslServer->setHandshakeTimeout(m_config.handshakeTimeoutMs);
        m_tcpServer = sslServer;
        // TLS stays with Qt: QSslServer does the TLS handshake, QWebSocket the rest.
        m_webSocketServer = new QWebSocketServer(QStringLiteral("messengerd/" MESSENGER_VERSION),
                                                 QWebSocketServer::NonSecureMode, this);
        m_webSocketServer->setHandshakeTimeout(m_config.handshakeTimeoutMs);
        m_webSocketServer->setMaxPendingConnections(m_config.maxPendingConnections);
        connect(m_tcpServer, &QTcpServer::pendingConnectionAvailable, this,
                &MessengerServer::acceptPending);
        connect(m_webSocketServer, &QWebSocketServer::newConnection, this, [this] {
            while (m_webSocketServer->hasPendingConnections()) {
                QWebSocket *socket = m_webSocketServer->nextPendingConnection();
                adoptTransport(std::make_unique<QtWebSocketTransport>(
                    socket, m_config.maxPendingBytesPerConnection));
            }
        });
    } else {
        // Plain connections (loopback, or TLS ended by a reverse proxy) are messengerd's own lean
        // WebSocketConnections: QTcpServer accepts until the backlog is empty, each descriptor
        // goes straight to acceptDescriptor.
        m_tcpServer = new DescriptorServer(
            [this](qintptr descriptor) { acceptDescriptor(descriptor); }, this);
    }
    m_tcpServer->setMaxPendingConnections(m_config.maxPendingConnections);
    // The kernel's accept queue, not Qt's 50: a burst of reconnects must not lose SYNs.
    m_tcpServer->setListenBacklogSize(m_config.maxPendingConnections);

    if (!m_tcpServer->listen(m_config.listenAddress, m_config.port))
        return failWith(QStringLiteral("cannot listen on %1:%2: %3")
                            .arg(m_config.listenAddress.toString())
                            .arg(m_config.port)
                            .arg(m_tcpServer->errorString()));

    if (!m_config.tlsEnabled() && !m_config.listenAddress.isLoopback())
        qCWarning(lcServer).noquote() << "listening on" << m_config.listenAddress.toString()
                                      << "WITHOUT TLS: passwords and messages cross the network in "
                                         "the clear; give --tls-cert and --tls-key";
    m_runtime->sweepTimer.setInterval(
        std::clamp(std::min(m_config.idleTimeoutMs, m_config.authTimeoutMs) / 4, 50, 5000));
    connect(&m_runtime->sweepTimer, &QTimer::timeout, this, &MessengerServer::sweepIdle);
    m_runtime->sweepTimer.start();

    // The admin commands' way in (see ControlProtocol). Without it the server still serves:
    // the admin commands then only change the database.
    m_runtime->control = std::make_unique<ControlServer>([this](qint64 userId) {
        return signOutUser(userId, QStringLiteral("signed out by an administrator"));
    });
    QString controlError;
    if (QDir().mkpath(m_config.effectiveDataDir())
        && !m_runtime->control->listen(
            m_config.effectiveDataDir() + QStringLiteral("/control.sock"), &controlError)) {
        qCWarning(lcOps).noquote() << controlError;
        m_runtime->control.reset();
    }

    if (m_config.adminEnabled) {
        AdminService::Sources sources;
        sources.metrics = m_metrics.get();
        sources.store = m_store.get();
        sources.hub = m_hub.get();
        sources.connectionCount = [this] { return connectionCount(); };
        sources.clientListenerListening = [this] {
            return m_tcpServer && m_tcpServer->isListening();
        };
        sources.draining = [this] { return isDraining(); };
        m_admin = std::make_unique<AdminService>(std::move(sources));
        QString adminError;
        if (!m_admin->listen(m_config, &adminError)) {
            m_admin.reset();
            if (m_config.adminRequired)
                return failWith(adminError);
            qCWarning(lcServer).noquote() << adminError << "- serving without metrics and health";
        }
    }
    qCDebug(lcServer).noquote() << "listening on" << url().toString();
    return true;
}

void MessengerServer::beginDrain()
{
    if (m_draining || !m_runtime)
        return;
    m_draining = true;
    qCInfo(lcOps) << "draining:" << connectionCount()
                  << "connection(s); no new connections, in-flight requests finish";
    m_tcpServer->close();
    m_runtime->sweepTimer.stop();
    for (Session *session : std::as_const(m_runtime->sessions))
        session->stopServing();
    m_runtime->drainDeadline.setRemainingTime(m_config.drainTimeoutMs);
    m_runtime->drainTimer.setInterval(5);
    connect(&m_runtime->drainTimer, &QTimer::timeout, this, &MessengerServer::continueDrain);
    m_runtime->drainTimer.start();
    continueDrain();
}

void MessengerServer::continueDrain()
{
    const bool late = m_runtime->drainDeadline.hasExpired();
    if (!m_drainClosing) {
        // In flight: a password being hashed, a job queued in the store (a completion that queues
        // a follow-up job keeps the count up). Their answers go out as they complete.
        if (!late
            && (m_store->pendingJobs() > 0 || m_hasher->pendingJobs() > 0
                || m_blobs->io()->pending() > 0))
            return;
        if (late)
            qCWarning(lcOps) << "drain timeout: closing with" << m_store->pendingJobs()
                             << "store job(s) still queued (they commit before exit)";
        m_drainClosing = true;
        const auto sessions = m_runtime->sessions;
        for (Session *session : sessions) {
            if (session->isOpen())
                session->close(QWebSocketProtocol::CloseCodeGoingAway,
                               QStringLiteral("server going away"));
            else
                session->abort();
        }
    }
    if (!m_runtime->sessions.isEmpty() && !late)
        return; // waiting for the clients' close frames
    if (!m_runtime->sessions.isEmpty())
        qCWarning(lcOps) << m_runtime->sessions.size()
                         << "connection(s) did not finish closing within the drain timeout";
    m_runtime->drainTimer.stop();
    qCInfo(lcOps) << "drained";
    Q_EMIT drained();
}

int MessengerServer::signOutUser(qint64 userId, const QString &reason)
{
    if (!m_runtime || !m_hub)
        return 0;
    const QByteArray event =
        Protocol::encodeEvent(Protocol::Event::SignedOut, QCborMap {{L("reason"), reason}});
    const QList<Session *> sessions = m_hub->sessionsOf(userId) + m_hub->transferSessionsOf(userId);
    for (Session *session : sessions) {
        session->sendBytes(event);
        session->close(QWebSocketProtocol::CloseCodeNormal, reason);
    }
    return int(sessions.size());
}

void MessengerServer::stop()
{
    m_admin.reset();
    if (m_tcpServer)
        m_tcpServer->close();
    if (m_runtime) {
        m_runtime->sweepTimer.stop();
        // Everyone online goes offline now: one write for all their last-seen times.
        if (m_presence)
            m_presence->shutdown();
        const auto sessions = m_runtime->sessions;
        m_runtime->sessions.clear();
        for (Session *session : sessions) {
            disconnect(session, nullptr, this, nullptr);
            delete session;
        }
    }
    delete m_webSocketServer;
    m_webSocketServer = nullptr;
    delete m_tcpServer;
    m_tcpServer = nullptr;
    // The store's threads finish every queued job first: those jobs use the services (a send
    // job's batch runner lives in MessageService). Their completions never run: nothing spins
    // the event loop between here and the store's destruction.
    if (m_store)
        m_store->stop();
    m_blobs.reset(); // waits for its file work under way
    m_messages.reset();
    m_conversations.reset();
    m_accounts.reset();
    m_presence.reset();
    m_hub.reset();
    m_hasher.reset();
    m_runtime.reset();
    m_store.reset();
}

quint16 MessengerServer::port() const
{
    return m_tcpServer ? m_tcpServer->serverPort() : 0;
}

QUrl MessengerServer::url() const
{
    QUrl url;
    url.setScheme(m_config.tlsEnabled() ? QStringLiteral("wss") : QStringLiteral("ws"));
    QHostAddress host = m_config.listenAddress;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    url.setHost(host.toString());
    url.setPort(port());
    return url;
}

quint16 MessengerServer::adminPort() const
{
    return m_admin ? m_admin->port() : 0;
}

int MessengerServer::connectionCount() const
{
    return m_runtime ? int(m_runtime->sessions.size()) : 0;
}

void MessengerServer::acceptPending()
{
    // Drain everything that is waiting, so a burst of connects never sits in the backlog.
    while (m_tcpServer->hasPendingConnections()) {
        QTcpSocket *socket = m_tcpServer->nextPendingConnection();
        if (connectionCount() >= m_config.maxConnections) {
            m_metrics->connectionRejected();
            socket->abort();
            socket->deleteLater();
            continue;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_webSocketServer->handleConnection(socket);
    }
}

void MessengerServer::acceptDescriptor(qintptr descriptor)
{
    if (connectionCount() >= m_config.maxConnections) {
        m_metrics->connectionRejected();
        ::close(int(descriptor));
        return;
    }
    WebSocketConnection::Limits limits;
    limits.maxMessageBytes = Protocol::Limits::MaxFrameBytes;
    limits.maxPendingBytes = m_config.maxPendingBytesPerConnection;
    static const QByteArray serverName = QByteArrayLiteral("messengerd/" MESSENGER_VERSION);
    adoptTransport(std::make_unique<WebSocketConnection>(descriptor, limits, serverName));
}

void MessengerServer::adoptTransport(std::unique_ptr<Transport> transport)
{
    auto *session =
        new Session(std::move(transport), m_config, &m_runtime->router, m_metrics.get(), this);
    m_runtime->sessions.insert(session);
    m_metrics->connectionAccepted();
    connect(session, &Session::disconnected, this, [this](Session *closed) {
        if (!m_runtime || !m_runtime->sessions.remove(closed))
            return;
        m_metrics->connectionClosed(closed->closeReason());
        m_presence->sessionClosed(closed);
        closed->deleteLater();
        Q_EMIT connectionCountChanged(connectionCount());
    });
    const QCborMap limits {
        {L("maxFrameBytes"), Protocol::Limits::MaxFrameBytes},
        {L("maxContentBytes"), Protocol::Limits::MaxContentBytes},
        {L("maxGroupMembers"), Protocol::Limits::MaxGroupMembers},
        {L("typingTimeoutMs"), m_config.typingTimeoutMs},
        {L("maxHideSeqs"), Protocol::Limits::MaxHideSeqs},
        {L("deleteWindowMs"), Protocol::Limits::DeleteWindowMs},
        {L("minDisappearSeconds"), m_config.minDisappearSeconds},
        {L("maxDisappearSeconds"), Protocol::Limits::MaxDisappearSeconds},
        {L("maxBlobBytes"), m_config.maxBlobBytes},
        {L("blobChunkBytes"), Protocol::Limits::BlobChunkBytes},
        {L("maxPendingUploads"), m_config.maxPendingUploads},
        {L("blobQuotaBytes"), m_config.blobQuotaBytes},
        {L("maxOutstandingChunks"), Protocol::Limits::MaxOutstandingChunks},
        {L("maxBlobIds"), Protocol::Limits::MaxBlobIds},
        {L("maxAvatarBlobBytes"), Protocol::Limits::MaxAvatarBlobBytes},
        {L("mediaRetentionDays"), m_config.mediaRetentionDays},
        // Per kind: the server cannot tell kinds apart; sending apps keep these.
        {L("maxImageBytes"), std::min<qint64>(25ll << 20, m_config.maxBlobBytes)},
        {L("maxVideoBytes"), std::min<qint64>(100ll << 20, m_config.maxBlobBytes)},
        {L("maxAudioBytes"), std::min<qint64>(16ll << 20, m_config.maxBlobBytes)},
        {L("maxFileBytes"), std::min<qint64>(100ll << 20, m_config.maxBlobBytes)}};
    session->sendBytes(Protocol::encodeEvent(
        Protocol::Event::Welcome,
        QCborMap {{L("protocol"), Protocol::Version},
                  {L("server"), QStringLiteral("messengerd " MESSENGER_VERSION)},
                  {L("registration"), Protocol::registrationPolicyName(m_config.registration)},
                  {L("limits"), limits}}));
    Q_EMIT connectionCountChanged(connectionCount());
}

void MessengerServer::sweepIdle()
{
    // Decide first, act after: closing or aborting can end a session, which edits the set.
    enum class Action { Abort, SignInTimeout, Idle, Ping };
    QList<std::pair<QPointer<Session>, Action>> actions;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (Session *session : std::as_const(m_runtime->sessions)) {
        if (session->isClosing()) {
            if (session->closingSince()
                && now - session->closingSince() > m_config.closeTimeoutMs) {
                session->setCloseReason(Metrics::CloseReason::CloseTimeout);
                actions.append({session, Action::Abort}); // the peer never answered our close
            }
        } else if (!session->isOpen()) {
            if (now - session->connectedAt() > m_config.handshakeTimeoutMs) {
                session->setCloseReason(Metrics::CloseReason::HandshakeTimeout);
                actions.append({session, Action::Abort});
            }
        } else if (!session->isAuthenticated() && !session->isAuthPending()
                   && now - session->connectedAt() > m_config.authTimeoutMs) {
            session->setCloseReason(Metrics::CloseReason::SignInTimeout);
            actions.append({session, Action::SignInTimeout});
        } else if (now - session->lastActivity() > m_config.idleTimeoutMs) {
            session->setCloseReason(Metrics::CloseReason::Idle);
            actions.append({session, Action::Idle});
        } else if (now - session->lastActivity() > m_config.idleTimeoutMs / 2) {
            actions.append({session, Action::Ping}); // a live peer answers with a pong: activity
        }
    }
    for (const auto &[session, action] : std::as_const(actions)) {
        if (!session)
            continue;
        switch (action) {
        case Action::Abort:
            session->abort();
            break;
        case Action::SignInTimeout:
            session->close(QWebSocketProtocol::CloseCodePolicyViolated,
                           QStringLiteral("sign in timed out"));
            break;
        case Action::Idle:
            session->close(QWebSocketProtocol::CloseCodeGoingAway,
                           QStringLiteral("idle for too long"));
            break;
        case Action::Ping:
            session->ping();
            break;
        }
    }
}

} // namespace Server
