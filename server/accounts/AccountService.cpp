#include "AccountService.h"

#include "AccountQueries.h"
#include "PasswordHasher.h"

#include "core/Hub.h"
#include "core/Router.h"
#include "core/ServerConfig.h"
#include "core/Session.h"
#include "media/Avatars.h"
#include "presence/PresenceService.h"
#include "storage/Store.h"

#include "protocol/Frame.h"
#include "protocol/Requests.h"

#include <QCborArray>
#include <QDateTime>
#include <QLoggingCategory>

namespace Server {

Q_LOGGING_CATEGORY(lcAccounts, "messengerd.accounts")

using Protocol::ErrorCode;
namespace R = Protocol::Request;

namespace {
using L = QLatin1StringView;

struct SignIn
{
    Protocol::ProfileInfo profile;
    qint64 deviceId = 0;
    QString token;
    QList<qint64> contacts;
};

QCborArray toArray(const QList<Protocol::UserInfo> &users)
{
    QCborArray array;
    for (const Protocol::UserInfo &user : users)
        array.append(user.toCbor());
    return array;
}
} // namespace

AccountService::AccountService(ServerContext context, PresenceService *presence, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_presence(presence)
{
    Router *router = m_context.router;
    router->add(R::Register, [this](const Request &r) { handleRegister(r); });
    router->add(R::Login, [this](const Request &r) { handleLogin(r); });
    router->add(R::Resume, [this](const Request &r) { handleResume(r); });
    router->add(R::Ping, [this](const Request &r) { handlePing(r); });
    router->add(R::Logout, [this](const Request &r) { handleLogout(r); });
    router->add(R::ChangePassword, [this](const Request &r) { handleChangePassword(r); });
    router->add(R::UpdateProfile, [this](const Request &r) { handleUpdateProfile(r); });
    router->add(R::ListDevices, [this](const Request &r) { handleListDevices(r); });
    router->add(R::RevokeDevice, [this](const Request &r) { handleRevokeDevice(r); });
    router->add(R::SearchUsers, [this](const Request &r) { handleSearchUsers(r); });
    router->add(R::GetUsers, [this](const Request &r) { handleGetUsers(r); });

    // Made on the pool, not here: start-up stays fast and the socket thread never hashes.
    m_context.hasher->hash(QStringLiteral("no such user"), this,
                           [this](const QString &hash) { m_dummyHash = hash; });
    m_activityTimer.setInterval(1000);
    m_activityTimer.setSingleShot(true);
    connect(&m_activityTimer, &QTimer::timeout, this, &AccountService::recordActivity);
    m_pruneTimer.setInterval(60'000);
    connect(&m_pruneTimer, &QTimer::timeout, this, &AccountService::pruneBuckets);
    m_pruneTimer.start();
}

bool AccountService::admitSignIn(const Request &request)
{
    Session *session = request.session();
    if (session->isAuthenticated() || session->isAuthPending()) {
        request.fail(ErrorCode::AlreadyAuthenticated,
                     QStringLiteral("this connection is already signed in"));
        return false;
    }
    if (!session->loginLimiter().take()) {
        request.fail(ErrorCode::RateLimited,
                     QStringLiteral("too many sign-in attempts; wait a moment"), {},
                     session->loginLimiter().retryAfterMs());
        return false;
    }
    const qint64 version = request.integer(L("protocol"));
    if (version != Protocol::Version) {
        request.fail(ErrorCode::UnsupportedVersion,
                     QStringLiteral("this server speaks protocol %1, the client %2")
                         .arg(Protocol::Version)
                         .arg(version),
                     QStringLiteral("protocol"));
        return false;
    }
    session->setAuthPending(true);
    return true;
}

void AccountService::completeSignIn(const Request &request, const Protocol::ProfileInfo &profile,
                                    qint64 deviceId, const QString &token,
                                    const QList<qint64> &contacts)
{
    Session *session = request.session();
    session->setAuthPending(false);
    session->setAuthenticated(profile.user.id, deviceId);
    // A transfer connection (resume with transfer: true) moves blobs only: it is not announced,
    // not counted in presence and gets no events.
    if (session->isTransfer())
        m_context.hub->addTransferSession(session);
    else
        m_presence->signedIn(session, profile, contacts);
    Protocol::ProfileInfo shown = profile;
    m_presence->fillPresence(profile.user.id, shown.user);
    QCborMap result {{L("user"), shown.toCbor()}, {L("deviceId"), deviceId}};
    if (!token.isEmpty())
        result.insert(L("token"), token);
    request.ok(result);
}

void AccountService::handleRegister(const Request &request)
{
    if (!admitSignIn(request))
        return;
    Session *session = request.session();
    const auto failSignIn = [session, request](ErrorCode code, const QString &message,
                                               const QString &field = {}) {
        session->setAuthPending(false);
        request.fail(code, message, field);
    };

    const QString username = request.string(L("username")).toLower();
    if (!Protocol::isValidUsername(username)) {
        failSignIn(
            ErrorCode::InvalidField,
            QStringLiteral(
                "a username is 3 to 32 of a-z, 0-9, _ and ., starting with a letter or digit"),
            QStringLiteral("username"));
        return;
    }
    const QString displayName = request.string(L("displayName")).trimmed();
    if (displayName.isEmpty()) {
        failSignIn(ErrorCode::InvalidField, QStringLiteral("the display name is empty"),
                   QStringLiteral("displayName"));
        return;
    }
    const auto policy = m_context.config.registration;
    const QString invite = request.string(L("invite"));
    if (policy == Protocol::RegistrationPolicy::Closed) {
        failSignIn(ErrorCode::RegistrationClosed,
                   QStringLiteral("this server does not accept new accounts"));
        return;
    }
    if (policy == Protocol::RegistrationPolicy::Invite && invite.isEmpty()) {
        failSignIn(ErrorCode::InviteRequired,
                   QStringLiteral("this server needs an invite to register"),
                   QStringLiteral("invite"));
        return;
    }
    const QString deviceName = request.string(L("deviceName"));
    m_context.hasher->hash(request.string(L("password")), session, [=, this](const QString &hash) {
        if (hash.isEmpty()) {
            failSignIn(ErrorCode::Internal, QStringLiteral("the password could not be hashed"));
            return;
        }
        const bool needsInvite = policy == Protocol::RegistrationPolicy::Invite;
        m_context.store->write(
            session,
            [=](Database &db) {
                if (needsInvite && !AccountQueries::consumeInvite(db, invite))
                    throw StoreError(ErrorCode::InviteInvalid,
                                     QStringLiteral("the invite is unknown, used up or expired"));
                SignIn signIn;
                const qint64 userId = AccountQueries::insertUser(db, username, displayName, hash);
                const auto grant = AccountQueries::createDevice(db, userId, deviceName);
                signIn.profile = AccountQueries::findUser(db, userId)->profile;
                signIn.deviceId = grant.deviceId;
                signIn.token = grant.token;
                return signIn;
            },
            [=, this](const Result<SignIn> &result) {
                if (!result.ok()) {
                    failSignIn(result.error, result.message,
                               result.error == ErrorCode::UsernameTaken ? QStringLiteral("username")
                                   : result.error == ErrorCode::InviteInvalid
                                   ? QStringLiteral("invite")
                                   : QString());
                    return;
                }
                qCInfo(lcAccounts) << "registered" << username << "device" << result->deviceId;
                completeSignIn(request, result->profile, result->deviceId, result->token, {});
            });
    });
}

void AccountService::handleLogin(const Request &request)
{
    if (!admitSignIn(request))
        return;
    Session *session = request.session();
    const QString username = request.string(L("username")).toLower();
    const QString address = session->peerAddress().toString();
    const auto &config = m_context.config;
    TokenBucket &byAccount =
        failedLoginBucket(m_failedByAccount, username, config.failedLoginsPerAccount);
    TokenBucket &byAddress =
        failedLoginBucket(m_failedByAddress, address, config.failedLoginsPerAddress);
    if (!byAccount.available() || !byAddress.available()) {
        session->setAuthPending(false);
        request.fail(ErrorCode::RateLimited,
                     QStringLiteral("too many failed sign-ins; try again later"), {},
                     std::max(byAccount.available() ? 0 : byAccount.retryAfterMs(),
                              byAddress.available() ? 0 : byAddress.retryAfterMs()));
        return;
    }

    const QString password = request.string(L("password"));
    const QString deviceName = request.string(L("deviceName"));
    m_context.store->read(
        session, [username](Database &db) { return AccountQueries::findUser(db, username); },
        [=, this](const Result<std::optional<AccountQueries::UserRow>> &found) {
            if (!found.ok()) {
                session->setAuthPending(false);
                request.fail(found.error, found.message);
                return;
            }
            const bool known = found->has_value();
            const QString storedHash = known ? (*found)->passwordHash : m_dummyHash;
            m_context.hasher->verify(
                storedHash, password, session, [=, this](const PasswordHasher::Verdict &verdict) {
                    if (!known || !verdict.matches) {
                        failedLoginBucket(m_failedByAccount, username,
                                          config.failedLoginsPerAccount)
                            .take();
                        failedLoginBucket(m_failedByAddress, address, config.failedLoginsPerAddress)
                            .take();
                        session->setAuthPending(false);
                        request.fail(ErrorCode::InvalidCredentials,
                                     QStringLiteral("wrong username or password"));
                        return;
                    }
                    const qint64 userId = (*found)->profile.user.id;
                    const QString rehashed = verdict.rehashed;
                    m_context.store->write(
                        session,
                        [=](Database &db) {
                            if (!rehashed.isEmpty())
                                AccountQueries::setPasswordHash(db, userId, rehashed);
                            const auto grant = AccountQueries::createDevice(db, userId, deviceName);
                            SignIn signIn;
                            signIn.profile = AccountQueries::findUser(db, userId)->profile;
                            signIn.deviceId = grant.deviceId;
                            signIn.token = grant.token;
                            signIn.contacts = AccountQueries::contacts(db, userId);
                            return signIn;
                        },
                        [=, this](const Result<SignIn> &result) {
                            if (!result.ok()) {
                                session->setAuthPending(false);
                                request.fail(result.error, result.message);
                                return;
                            }
                            if (!rehashed.isEmpty())
                                qCInfo(lcAccounts) << "rehashed the password of" << username;
                            completeSignIn(request, result->profile, result->deviceId,
                                           result->token, result->contacts);
                        });
                });
        });
}

void AccountService::handleResume(const Request &request)
{
    if (!admitSignIn(request))
        return;
    Session *session = request.session();
    const QString token = request.string(L("token"));
    const bool transfer = request.boolean(L("transfer"));
    // A read: resuming must stay cheap. The device's last_active is written later, in a batch.
    m_context.store->read(
        session,
        [token](Database &db) {
            auto resumed = AccountQueries::resume(db, token);
            if (!resumed)
                throw StoreError(ErrorCode::InvalidToken,
                                 QStringLiteral("this device was signed out; sign in again"));
            SignIn signIn;
            signIn.profile = resumed->profile;
            signIn.deviceId = resumed->deviceId;
            signIn.contacts = AccountQueries::contacts(db, signIn.profile.user.id);
            return signIn;
        },
        [=, this](const Result<SignIn> &result) {
            if (!result.ok()) {
                session->setAuthPending(false);
                request.fail(result.error, result.message);
                return;
            }
            m_activeDevices.insert(result->deviceId);
            if (!m_activityTimer.isActive())
                m_activityTimer.start();
            session->setTransfer(transfer);
            completeSignIn(request, result->profile, result->deviceId, {}, result->contacts);
        });
}

void AccountService::recordActivity()
{
    if (m_activeDevices.isEmpty())
        return;
    const QList<qint64> devices(m_activeDevices.begin(), m_activeDevices.end());
    m_activeDevices.clear();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_context.store->write(
        this,
        [devices, now](Database &db) {
            AccountQueries::touchDevices(db, devices, now);
            return true;
        },
        [](const Result<bool> &) {});
}

void AccountService::handlePing(const Request &request)
{
    request.ok(QCborMap {{L("time"), QDateTime::currentMSecsSinceEpoch()}});
}

void AccountService::handleLogout(const Request &request)
{
    Session *session = request.session();
    const qint64 userId = session->userId();
    const qint64 deviceId = session->deviceId();
    m_context.store->write(
        session, [=](Database &db) { return AccountQueries::deleteDevice(db, userId, deviceId); },
        [=, this](const Result<bool> &result) {
            if (!result.ok()) {
                request.fail(result.error, result.message);
                return;
            }
            request.ok();
            signOutDevice(userId, deviceId, QStringLiteral("signed out"));
        });
}

void AccountService::signOutDevice(qint64 userId, qint64 deviceId, const QString &reason)
{
    const QByteArray event =
        Protocol::encodeEvent(Protocol::Event::SignedOut, QCborMap {{L("reason"), reason}});
    const QList<Session *> sessions =
        m_context.hub->sessionsOf(userId) + m_context.hub->transferSessionsOf(userId);
    for (Session *session : sessions) {
        if (session->deviceId() != deviceId)
            continue;
        session->sendBytes(event);
        session->close(QWebSocketProtocol::CloseCodeNormal, reason);
    }
}

void AccountService::handleChangePassword(const Request &request)
{
    Session *session = request.session();
    const qint64 userId = session->userId();
    const QString oldPassword = request.string(L("oldPassword"));
    const QString newPassword = request.string(L("newPassword"));
    m_context.store->read(
        session, [userId](Database &db) { return AccountQueries::findUser(db, userId); },
        [=, this](const Result<std::optional<AccountQueries::UserRow>> &found) {
            if (!found.ok() || !found->has_value()) {
                request.fail(found.ok() ? ErrorCode::NotFound : found.error, found.message);
                return;
            }
            m_context.hasher->verify(
                (*found)->passwordHash, oldPassword, session,
                [=, this](const PasswordHasher::Verdict &v) {
                    if (!v.matches) {
                        request.fail(ErrorCode::InvalidCredentials,
                                     QStringLiteral("the current password is wrong"),
                                     QStringLiteral("oldPassword"));
                        return;
                    }
                    m_context.hasher->hash(newPassword, session, [=, this](const QString &hash) {
                        m_context.store->write(
                            session,
                            [=](Database &db) {
                                AccountQueries::setPasswordHash(db, userId, hash);
                                return true;
                            },
                            [request](const Result<bool> &result) {
                                if (result.ok())
                                    request.ok();
                                else
                                    request.fail(result.error, result.message);
                            });
                    });
                });
        });
}

void AccountService::handleUpdateProfile(const Request &request)
{
    Session *session = request.session();
    const qint64 userId = session->userId();
    AccountQueries::ProfileChange change;
    if (request.has(L("displayName"))) {
        change.displayName = request.string(L("displayName")).trimmed();
        if (change.displayName->isEmpty()) {
            request.fail(ErrorCode::InvalidField, QStringLiteral("the display name is empty"),
                         QStringLiteral("displayName"));
            return;
        }
    }
    if (request.has(L("hideLastSeen")))
        change.hideLastSeen = request.boolean(L("hideLastSeen"));
    if (request.has(L("sendReadReceipts")))
        change.sendReadReceipts = request.boolean(L("sendReadReceipts"));
    bool refused = false;
    change.avatar = Avatars::read(request, &refused);
    if (refused)
        return;
    m_context.store->write(
        session, [=](Database &db) { return AccountQueries::updateProfile(db, userId, change); },
        [=, this](const Result<Protocol::ProfileInfo> &result) {
            if (!result.ok()) {
                request.fail(result.error, result.message, Avatars::failedField(result.error));
                return;
            }
            Protocol::ProfileInfo profile = *result;
            m_presence->updatePrivacy(profile);
            m_presence->fillPresence(userId, profile.user);
            request.ok(QCborMap {{L("user"), profile.toCbor()}});
            // What others see of the user changed: their contacts and other devices hear of it.
            if (change.displayName || change.avatar) {
                Protocol::UserInfo shown = profile.user;
                shown.lastSeen = 0;
                const QByteArray event = Protocol::encodeEvent(
                    Protocol::Event::User, QCborMap {{L("user"), shown.toCbor()}});
                m_presence->sendToContacts(userId, event);
                m_context.hub->sendToUser(userId, event, session);
            }
        });
}

void AccountService::handleListDevices(const Request &request)
{
    Session *session = request.session();
    const qint64 userId = session->userId();
    m_context.store->read(
        session, [userId](Database &db) { return AccountQueries::devices(db, userId); },
        [=, this](const Result<QList<Protocol::DeviceInfo>> &result) {
            if (!result.ok()) {
                request.fail(result.error, result.message);
                return;
            }
            QCborArray devices;
            for (Protocol::DeviceInfo device : *result) {
                device.current = device.id == session->deviceId();
                for (const Session *s : m_context.hub->sessionsOf(userId))
                    device.online = device.online || s->deviceId() == device.id;
                devices.append(device.toCbor());
            }
            request.ok(QCborMap {{L("devices"), devices}});
        });
}

void AccountService::handleRevokeDevice(const Request &request)
{
    Session *session = request.session();
    const qint64 userId = session->userId();
    const qint64 deviceId = request.integer(L("deviceId"));
    m_context.store->write(
        session, [=](Database &db) { return AccountQueries::deleteDevice(db, userId, deviceId); },
        [=, this](const Result<bool> &result) {
            if (!result.ok()) {
                request.fail(result.error, result.message);
                return;
            }
            if (!*result) {
                request.fail(ErrorCode::NotFound,
                             QStringLiteral("you have no device %1").arg(deviceId),
                             QStringLiteral("deviceId"));
                return;
            }
            request.ok();
            signOutDevice(userId, deviceId, QStringLiteral("signed out from another device"));
        });
}

void AccountService::handleSearchUsers(const Request &request)
{
    Session *session = request.session();
    const qint64 userId = session->userId();
    const QString prefix = request.string(L("prefix"));
    const int limit = int(request.integer(L("limit"), 20));
    m_context.store->read(
        session,
        [=](Database &db) { return AccountQueries::searchUsers(db, prefix, userId, limit); },
        [=, this](const Result<QList<Protocol::UserInfo>> &result) {
            if (!result.ok()) {
                request.fail(result.error, result.message);
                return;
            }
            QList<Protocol::UserInfo> users = *result;
            for (Protocol::UserInfo &user : users)
                m_presence->fillPresence(userId, user);
            request.ok(QCborMap {{L("users"), toArray(users)}});
        });
}

void AccountService::handleGetUsers(const Request &request)
{
    Session *session = request.session();
    const qint64 userId = session->userId();
    const QList<qint64> ids = request.integers(L("userIds"));
    m_context.store->read(
        session, [ids](Database &db) { return AccountQueries::users(db, ids); },
        [=, this](const Result<QList<Protocol::UserInfo>> &result) {
            if (!result.ok()) {
                request.fail(result.error, result.message);
                return;
            }
            QList<Protocol::UserInfo> users = *result;
            for (Protocol::UserInfo &user : users)
                m_presence->fillPresence(userId, user);
            request.ok(QCborMap {{L("users"), toArray(users)}});
        });
}

TokenBucket &AccountService::failedLoginBucket(QHash<QString, TokenBucket> &buckets,
                                               const QString &key, const RateLimit &limit)
{
    auto it = buckets.find(key);
    if (it == buckets.end())
        it = buckets.insert(key, TokenBucket(limit));
    return *it;
}

void AccountService::pruneBuckets()
{
    // A full bucket carries no memory of failures: drop it so the tables stay small.
    for (auto *buckets : {&m_failedByAccount, &m_failedByAddress}) {
        for (auto it = buckets->begin(); it != buckets->end();)
            it = it->isFull() ? buckets->erase(it) : std::next(it);
    }
}

} // namespace Server
