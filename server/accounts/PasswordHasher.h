#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThreadPool>

#include <functional>

namespace Server {

//! Argon2id password hashing (libsodium crypto_pwhash_str) on a pool of at most one thread per
//! core, so slow hashes never stall the socket thread and never oversubscribe the machine.
class PasswordHasher : public QObject
{
    Q_OBJECT
public:
    PasswordHasher(quint64 opsLimit, quint64 memLimit, QObject *parent = nullptr);
    ~PasswordHasher() override;

    struct Verdict
    {
        bool matches = false;
        QString rehashed; //!< a new hash when the stored one used other parameters
    };

    //! Hashes on the pool; done runs on this object's thread unless context is gone.
    void hash(const QString &password, QObject *context, std::function<void(QString)> done);
    void verify(const QString &storedHash, const QString &password, QObject *context,
                std::function<void(Verdict)> done);

    //! Synchronous forms, for the admin commands and the pool's workers.
    static QString hashNow(const QString &password, quint64 opsLimit, quint64 memLimit);
    static Verdict verifyNow(const QString &storedHash, const QString &password, quint64 opsLimit,
                             quint64 memLimit);

    //! Hashes and verifications whose `done` has not run yet (a draining server waits for zero).
    int pendingJobs() const { return m_pending; }

private:
    int m_pending = 0; //!< touched on this object's thread only
    quint64 m_opsLimit;
    quint64 m_memLimit;
    QThreadPool m_pool;
};

} // namespace Server
