#include "KeychainTokenVault.h"

#include "ClientLogging.h"

#include <qt6keychain/keychain.h>

#include <QPointer>

namespace Client {

KeychainTokenVault::KeychainTokenVault(const QString &service, QObject *parent)
    : TokenVault(parent)
    , m_service(service)
{
}

void KeychainTokenVault::readToken(const QString &accountKey, QObject *context,
                                   ReadCallback callback)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(accountKey);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [job, guard, callback](QKeychain::Job *) {
        if (!guard)
            return;
        if (job->error() == QKeychain::EntryNotFound) {
            callback({}, {});
        } else if (job->error() != QKeychain::NoError) {
            qCWarning(lcClientAccount).noquote() << "keychain read failed:" << job->errorString();
            callback({}, job->errorString());
        } else {
            callback(job->textData(), {});
        }
    });
    job->start();
}

void KeychainTokenVault::writeToken(const QString &accountKey, const QString &token,
                                    QObject *context, DoneCallback callback)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(accountKey);
    job->setTextData(token);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [job, guard, callback](QKeychain::Job *) {
        if (job->error() != QKeychain::NoError)
            qCWarning(lcClientAccount).noquote() << "keychain write failed:" << job->errorString();
        if (guard && callback)
            callback(job->error() == QKeychain::NoError ? QString() : job->errorString());
    });
    job->start();
}

void KeychainTokenVault::removeToken(const QString &accountKey, QObject *context,
                                     DoneCallback callback)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(accountKey);
    QPointer<QObject> guard(context);
    connect(job, &QKeychain::Job::finished, this, [job, guard, callback](QKeychain::Job *) {
        const bool ok =
            job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound;
        if (guard && callback)
            callback(ok ? QString() : job->errorString());
    });
    job->start();
}

} // namespace Client
