#pragma once

#include "protocol/Protocol.h"
#include "storage/Database.h"

#include <QHostAddress>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace Server {

//! A token bucket's shape: `burst` tokens at most, refilled at `perSecond`.
struct RateLimit
{
    double perSecond = 1.0;
    double burst = 1.0;
};

//! Everything an operator can set. Read by ConfigLoader from (in rising precedence) built-in
//! defaults, a config file, MESSENGERD_* environment variables and command-line options.
struct ServerConfig
{
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 port = 7400; //!< 0 picks a free port (tests)
    QString dataDir; //!< SQLite file and other state; empty means the platform data folder
    DatabaseConfig database;
    Protocol::RegistrationPolicy registration = Protocol::RegistrationPolicy::Open;

    QString tlsCertificate; //!< PEM; TLS is on when both are set
    QString tlsPrivateKey;
    //! `--tls self-signed`: no certificate given, so start() makes one (once) in dataDir/tls.
    bool tlsSelfSigned = false;

    // Argon2id cost (libsodium's "interactive" level by default).
    quint64 passwordOpsLimit = 2;
    quint64 passwordMemLimit = 64ull * 1024 * 1024;

    int typingTimeoutMs = Protocol::Limits::TypingTimeoutMs;
    //! How often expired disappearing messages are erased (`--expiry-sweep-s`); also at start-up.
    int expirySweepIntervalMs = 5'000;
    //! The shortest conversation.timer accepted. Protocol::Limits::MinDisappearSeconds for
    //! clients; only tests lower it (no option sets it), to see the sweeper work in seconds.
    qint64 minDisappearSeconds = Protocol::Limits::MinDisappearSeconds;
    int idleTimeoutMs = 120'000; //!< no frame (not even a ping) for this long: disconnect
    int authTimeoutMs = 30'000; //!< connected but not signed in for this long: disconnect
    int handshakeTimeoutMs = 10'000; //!< TCP accepted, WebSocket upgrade (and TLS) not done yet
    int closeTimeoutMs = 5'000; //!< a close frame sent, the peer's answer still missing
    //! Bytes queued for a peer that does not read before it is dropped (plain connections).
    qint64 maxPendingBytesPerConnection = 8 << 20;
    int maxConnections = 200'000;
    int maxPendingConnections = 1024;

    //! The admin listener (Prometheus /metrics, /healthz, /readyz): loopback by default, never
    //! the clients' port. `--admin-listen off` turns it off.
    bool adminEnabled = true;
    QHostAddress adminAddress = QHostAddress::LocalHost;
    quint16 adminPort = 9400; //!< 0 picks a free port (tests)
    //! Set when the address was given explicitly: then failing to listen on it fails start().
    //! The default only warns, so a second server on one machine (the app's hosted server, a
    //! benchmark) still starts.
    bool adminRequired = false;

    RateLimit requests {200, 400}; //!< every request of one connection
    RateLimit sends {50, 100}; //!< message.send per connection
    RateLimit typing {2, 5}; //!< typing per connection
    RateLimit logins {1, 10}; //!< register / login / resume per connection
    RateLimit failedLoginsPerAccount {1.0 / 60, 10}; //!< wrong passwords for one username
    RateLimit failedLoginsPerAddress {1.0 / 10, 30}; //!< wrong passwords from one address

    // Media (blob.*, see docs/self-hosting.md "Media storage").
    QString blobDir; //!< `--blob-dir`; empty means <data-dir>/blobs
    qint64 maxBlobBytes = 100ll << 20; //!< one blob (`--max-blob-mib`)
    qint64 blobQuotaBytes = 1ll << 30; //!< stored and pending bytes per user (`--blob-quota-mib`)
    int maxPendingUploads = 5; //!< unfinished uploads per user (`--max-pending-uploads`)
    //! Free disk the blob folder keeps: blob.create answers `unavailable` below it
    //! (`--blob-reserve-mib`, 0 turns it off).
    qint64 blobDiskReserveBytes = 256ll << 20;
    //! Chunk bytes (blob.put and blob.get) per user and second, bursts of twice that.
    RateLimit blobBytes {16.0 * (1 << 20), 32.0 * (1 << 20)};
    //! blob.put bytes per user and hour (`--blob-upload-mib-per-hour`): the whole hour's worth
    //! at once, then refilled evenly.
    qint64 blobUploadBytesPerHour = 500ll << 20;
    //! How often the blob sweeper runs (`--blob-sweep-s`); also at start-up.
    int blobSweepIntervalMs = 3'600'000;
    //! Unfinished uploads, and finished blobs no message references, are removed this long
    //! after they were started or finished. Only tests lower it (no option sets it).
    qint64 blobUnusedMs = 24ll * 3'600'000;
    //! `--media-retention-days`: 0 keeps blobs while referenced; N > 0 has the sweeper remove
    //! every blob completed more than N days ago, referenced or not, except current avatars.
    //! In `welcome` as `mediaRetentionDays`.
    int mediaRetentionDays = 0;
    //! blob.get reuses an account's access decision for a blob this long (one query per 5 s of
    //! a download, not one per chunk): a member removed, or a message erased, mid-download may
    //! so read for up to this long. 0 checks every chunk. Only tests change it (no option).
    qint64 blobReadGrantMs = 5'000;

    //! SIGTERM: in-flight work and the clients' close handshakes get this long, then it exits.
    int drainTimeoutMs = 10'000;
    QtMsgType logLevel = QtInfoMsg; //!< --log-level; reloadable
    QString logFormat; //!< --log-format: readable, journal, or empty/auto (journal when on it)

    //! dataDir, or the platform's data folder (~/.local/share/messengerd) when none is set.
    QString effectiveDataDir() const
    {
        return dataDir.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
                + QStringLiteral("/messengerd")
            : dataDir;
    }

    //! blobDir, or <effective data dir>/blobs.
    QString effectiveBlobDir() const
    {
        return blobDir.isEmpty() ? effectiveDataDir() + QStringLiteral("/blobs") : blobDir;
    }

    bool tlsEnabled() const
    {
        return tlsSelfSigned || (!tlsCertificate.isEmpty() && !tlsPrivateKey.isEmpty());
    }
};

} // namespace Server
