#pragma once

#include "connection/Backoff.h"
#include "connection/Request.h"
#include "protocol/Frame.h"
#include "protocol/Records.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSslError>
#include <QTimer>
#include <QUrl>

class QWebSocket;

namespace Client {

class TrustStore;

//! How to sign in with a password, once: a new account (register) or a new device (login).
struct PasswordSignIn
{
    enum class Kind { Login, Register };
    Kind kind = Kind::Login;
    QString username;
    QString password;
    QString displayName; //!< register only
    QString invite; //!< register only, when the server asks for one
};

//! Timing of one Connection; tests shorten every interval.
struct ConnectionSettings
{
    int heartbeatIntervalMs = 30'000; //!< the protocol asks for a ping every 30 s
    //! A ping without an answer by then means a half-open connection: drop it and reconnect.
    int heartbeatTimeoutMs = 30'000;
    int requestTimeoutMs = 30'000; //!< a request without an answer by then fails
    Backoff::Settings backoff; //!< 1 s growing to 30 s by default
    QString deviceName; //!< sent with login and register
    //! A transfer connection (media blobs): resumes with `transfer: true`, gets no events and is
    //! Online as soon as it is signed in (there is nothing to sync). Password sign-in is refused.
    bool transfer = false;
};

//! The one owner of the client's QWebSocket to one server.
//!
//! It connects, signs in (a password sign-in once, then `resume` with the device token), keeps the
//! connection alive with pings, and when it is lost reconnects by itself with exponential backoff
//! and jitter until close(). Requests go out through send() and come back as Request jobs;
//! events come out of eventReceived().
//!
//! state() is what the UI shows: Offline (with lastError() saying why), Connecting, Syncing
//! (signed in; the sync engine is catching up and calls markSynced() when done) and Online.
class Connection : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY lastErrorChanged)
public:
    enum class State { Offline, Connecting, Syncing, Online };
    Q_ENUM(State)

    using Settings = ConnectionSettings;

    explicit Connection(TrustStore *trustStore, Settings settings = {}, QObject *parent = nullptr);
    ~Connection() override;

    void setUrl(const QUrl &url);
    QUrl url() const { return m_url; }
    //! The device token used to resume. Set before open(); tokenIssued() hands out new ones.
    void setToken(const QString &token) { m_token = token; }
    QString token() const { return m_token; }
    //! Signs in with a password on the next connection instead of resuming.
    void setPasswordSignIn(const PasswordSignIn &signIn);

    //! Connects, and keeps reconnecting after losses until close().
    void open();
    //! Disconnects and stays offline.
    void close();
    //! Skips the remaining backoff wait (the UI's "retry now").
    void reconnectNow();

    State state() const { return m_state; }
    QString lastError() const { return m_lastError; }
    bool isSignedIn() const { return m_signedIn; }
    const Protocol::ProfileInfo &profile() const { return m_profile; }
    qint64 deviceId() const { return m_deviceId; }
    int typingTimeoutMs() const { return m_typingTimeoutMs; }
    //! The `limits` map of the server's last welcome (sizes the sending app enforces).
    const QCborMap &serverLimits() const { return m_serverLimits; }

    //! Sends a request on the signed-in connection. When there is none, the request fails with
    //! Reply::Origin::NotConnected (asynchronously, like every other outcome).
    Request *send(QLatin1StringView type, const QCborMap &fields = {});

    //! The sync engine caught up after sign-in: Syncing becomes Online.
    void markSynced();

    //! The user confirmed the fingerprint offered by certificateNotTrusted() — or, after a
    //! refused changed certificate, the new fingerprint named in lastError(): remember it for
    //! this server and connect again. Any other fingerprint is rejected.
    bool trustCertificate(const QString &fingerprint);

Q_SIGNALS:
    void stateChanged(Connection::State state);
    void lastErrorChanged(const QString &error);
    //! Signed in (again); the sync engine starts here.
    void signedIn(const Protocol::ProfileInfo &profile);
    //! A password sign-in produced a device token: keep it (and only in the keychain).
    void tokenIssued(const QString &token);
    //! Sign-in was refused for a reason that retrying cannot fix (wrong password, revoked
    //! token, …). The connection stays offline until the user acts.
    void signInFailed(Protocol::ErrorCode code, const QString &message);
    //! The server signed this device out (logout, revoked elsewhere). The token is dead.
    void signedOut(const QString &reason);
    void eventReceived(const Protocol::Frame &event);
    //! The server's certificate failed verification and is not pinned: ask the user whether to
    //! trust this fingerprint, then call trustCertificate().
    void certificateNotTrusted(const QString &host, int port, const QString &fingerprint,
                               const QString &reason);

private:
    void connectNow();
    void onBinaryMessage(const QByteArray &bytes);
    void onSslErrors(const QList<QSslError> &errors);
    void onWelcome(const Protocol::Frame &frame);
    void onSignInReply(const Reply &reply);
    void onSocketGone(QWebSocket *socket, const QString &reason);
    void scheduleReconnect();
    void giveUp(const QString &reason);
    void sendPing();
    Request *sendFrame(QLatin1StringView type, const QCborMap &fields, int timeoutMs);
    void failPending(Reply::Origin origin);
    void setState(State state);
    void setLastError(const QString &error);

    TrustStore *m_trustStore;
    Settings m_settings;
    Backoff m_backoff;
    QUrl m_url;
    QString m_token;
    std::optional<PasswordSignIn> m_passwordSignIn;

    QPointer<QWebSocket> m_socket;
    bool m_wanted = false; //!< open() was called and nothing since says stop
    bool m_signedIn = false;
    State m_state = State::Offline;
    QString m_lastError;
    Protocol::ProfileInfo m_profile;
    qint64 m_deviceId = 0;
    int m_typingTimeoutMs = Protocol::Limits::TypingTimeoutMs;
    QCborMap m_serverLimits;

    qint64 m_nextId = 1;
    QHash<qint64, QPointer<Request>> m_pending;
    QTimer m_heartbeat;
    QTimer m_reconnectTimer;
    QTimer m_attemptTimer; //!< connect, welcome and sign-in must finish within the request timeout
    QString m_offeredFingerprint; //!< what certificateNotTrusted() last offered
};

} // namespace Client
