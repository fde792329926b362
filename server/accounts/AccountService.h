#pragma once

#include "core/ServerContext.h"
#include "core/TokenBucket.h"

#include "protocol/Records.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Server {

class PresenceService;
class Request;
class Session;

//! Registration, sign-in (password or device token), devices, profile and user lookup.
class AccountService : public QObject
{
    Q_OBJECT
public:
    AccountService(ServerContext context, PresenceService *presence, QObject *parent = nullptr);

private:
    void handleRegister(const Request &request);
    void handleLogin(const Request &request);
    void handleResume(const Request &request);
    void handlePing(const Request &request);
    void handleLogout(const Request &request);
    void handleChangePassword(const Request &request);
    void handleUpdateProfile(const Request &request);
    void handleListDevices(const Request &request);
    void handleRevokeDevice(const Request &request);
    void handleSearchUsers(const Request &request);
    void handleGetUsers(const Request &request);

    //! Common gate of register / login / resume: false when the request was answered already.
    bool admitSignIn(const Request &request);
    void completeSignIn(const Request &request, const Protocol::ProfileInfo &profile,
                        qint64 deviceId, const QString &token, const QList<qint64> &contacts);
    void signOutDevice(qint64 userId, qint64 deviceId, const QString &reason);
    TokenBucket &failedLoginBucket(QHash<QString, TokenBucket> &buckets, const QString &key,
                                   const RateLimit &limit);
    void pruneBuckets();
    void recordActivity();

    ServerContext m_context;
    PresenceService *m_presence;
    QHash<QString, TokenBucket> m_failedByAccount;
    QHash<QString, TokenBucket> m_failedByAddress;
    QTimer m_pruneTimer;
    QSet<qint64> m_activeDevices; //!< resumed since the last recordActivity()
    QTimer m_activityTimer;
    QString m_dummyHash; //!< verified against for unknown usernames, so timing tells nothing
};

} // namespace Server
