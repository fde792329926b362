// MessengerServer::reload (SIGHUP), apart from the rest of the server: what can change while it
// runs, and what is only logged as needing a restart.

#include "core/MessengerServer.h"

#include "Logging.h"
#include "TlsFiles.h"

#include <QSslServer>

namespace Server {

namespace {

bool operator==(const RateLimit &a, const RateLimit &b)
{
    return a.perSecond == b.perSecond && a.burst == b.burst;
}

//! The options of `fresh` that differ from `running` and that only a restart applies.
QStringList restartNeeded(const ServerConfig &running, const ServerConfig &fresh)
{
    QStringList changed;
    const auto check = [&changed](const char *name, bool differs) {
        if (differs)
            changed << QString::fromLatin1(name);
    };
    check("listen", running.listenAddress != fresh.listenAddress);
    check("port", running.port != fresh.port);
    check("data-dir", running.dataDir != fresh.dataDir);
    const DatabaseConfig &a = running.database, &b = fresh.database;
    check("db", a.driver != b.driver);
    check("db-path", a.sqlitePath != b.sqlitePath);
    check("db-host", a.host != b.host);
    check("db-port", a.port != b.port);
    check("db-name", a.name != b.name);
    check("db-user", a.user != b.user);
    check("db-password", a.password != b.password); // named, never shown
    check("tls",
          running.tlsEnabled() != fresh.tlsEnabled()
              || running.tlsSelfSigned != fresh.tlsSelfSigned);
    check("password-ops", running.passwordOpsLimit != fresh.passwordOpsLimit);
    check("password-mem-kib", running.passwordMemLimit != fresh.passwordMemLimit);
    check("typing-timeout-ms", running.typingTimeoutMs != fresh.typingTimeoutMs);
    check("idle-timeout-s", running.idleTimeoutMs != fresh.idleTimeoutMs);
    check("expiry-sweep-s", running.expirySweepIntervalMs != fresh.expirySweepIntervalMs);
    check("max-connections", running.maxConnections != fresh.maxConnections);
    check("drain-timeout", running.drainTimeoutMs != fresh.drainTimeoutMs);
    check("log-format", running.logFormat != fresh.logFormat);
    check("media-retention-days", running.mediaRetentionDays != fresh.mediaRetentionDays);
    return changed;
}

} // namespace

bool MessengerServer::reload(const ServerConfig &fresh)
{
    if (!m_runtime)
        return false;
    for (const QString &name : restartNeeded(m_givenConfig, fresh))
        qCWarning(lcOps).noquote()
            << "reload:" << name << "changed; it applies at the next restart";

    bool ok = true;
    // The certificate: re-read even when the paths are the same (a renewal replaces the files).
    // QSslServer hands its configuration to each connection it accepts, so new connections get
    // the new certificate and those already open keep theirs.
    if (m_config.tlsEnabled() && fresh.tlsEnabled() && !fresh.tlsSelfSigned) {
        TlsFiles tls;
        QString error;
        if (!TlsFiles::load(fresh.tlsCertificate, fresh.tlsPrivateKey, &tls, &error)) {
            qCWarning(lcOps).noquote() << "reload: keeping the current certificate:" << error;
            ok = false;
        } else if (auto *sslServer = qobject_cast<QSslServer *>(m_tcpServer)) {
            sslServer->setSslConfiguration(tls.configuration);
            m_config.tlsCertificate = fresh.tlsCertificate;
            m_config.tlsPrivateKey = fresh.tlsPrivateKey;
            if (tls.fingerprint != m_fingerprint)
                qCInfo(lcOps).noquote()
                    << "reload: new TLS certificate, SHA-256" << tls.fingerprint;
            m_fingerprint = tls.fingerprint;
        }
    }
    // Read live by the services (they hold a reference to m_config); rate limits shape the
    // buckets of connections opened from now on.
    if (m_config.registration != fresh.registration)
        qCInfo(lcOps).noquote() << "reload: registration"
                                << Protocol::registrationPolicyName(fresh.registration);
    m_config.registration = fresh.registration;
    if (!(m_config.sends == fresh.sends) || !(m_config.requests == fresh.requests))
        qCInfo(lcOps) << "reload: rate limits" << fresh.sends.perSecond << "sends/s,"
                      << fresh.requests.perSecond << "requests/s for new connections";
    m_config.sends = fresh.sends;
    m_config.requests = fresh.requests;
    m_config.logLevel = fresh.logLevel;

    // The next reload compares with what applies now; what needs a restart is logged again.
    m_givenConfig.registration = fresh.registration;
    m_givenConfig.sends = fresh.sends;
    m_givenConfig.requests = fresh.requests;
    m_givenConfig.logLevel = fresh.logLevel;
    if (ok) {
        m_givenConfig.tlsCertificate = fresh.tlsCertificate;
        m_givenConfig.tlsPrivateKey = fresh.tlsPrivateKey;
    }
    return ok;
}

} // namespace Server
