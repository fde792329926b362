#include "PasswordHasher.h"

#include <sodium.h>

#include <QByteArray>

#include <algorithm>

namespace Server {

PasswordHasher::PasswordHasher(quint64 opsLimit, quint64 memLimit, QObject *parent)
    : QObject(parent)
    , m_opsLimit(std::max<quint64>(opsLimit, crypto_pwhash_OPSLIMIT_MIN))
    , m_memLimit(std::max<quint64>(memLimit, crypto_pwhash_MEMLIMIT_MIN))
{
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
    m_pool.setObjectName(QStringLiteral("password-hasher"));
}

PasswordHasher::~PasswordHasher()
{
    m_pool.waitForDone();
}

void PasswordHasher::hash(const QString &password, QObject *context,
                          std::function<void(QString)> done)
{
    ++m_pending;
    QPointer<QObject> guard(context);
    m_pool.start([this, password, guard, done = std::move(done)]() mutable {
        QString result = hashNow(password, m_opsLimit, m_memLimit);
        QMetaObject::invokeMethod(
            this,
            [this, guard, done = std::move(done), result = std::move(result)] {
                --m_pending;
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    });
}

void PasswordHasher::verify(const QString &storedHash, const QString &password, QObject *context,
                            std::function<void(Verdict)> done)
{
    ++m_pending;
    QPointer<QObject> guard(context);
    m_pool.start([this, storedHash, password, guard, done = std::move(done)]() mutable {
        Verdict verdict = verifyNow(storedHash, password, m_opsLimit, m_memLimit);
        QMetaObject::invokeMethod(
            this,
            [this, guard, done = std::move(done), verdict = std::move(verdict)] {
                --m_pending;
                if (guard)
                    done(verdict);
            },
            Qt::QueuedConnection);
    });
}

QString PasswordHasher::hashNow(const QString &password, quint64 opsLimit, quint64 memLimit)
{
    const QByteArray utf8 = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, utf8.constData(), quint64(utf8.size()), opsLimit, size_t(memLimit))
        != 0)
        return {}; // out of memory: the caller reports an internal error
    return QString::fromLatin1(out);
}

PasswordHasher::Verdict PasswordHasher::verifyNow(const QString &storedHash,
                                                  const QString &password, quint64 opsLimit,
                                                  quint64 memLimit)
{
    Verdict verdict;
    const QByteArray stored = storedHash.toLatin1();
    const QByteArray utf8 = password.toUtf8();
    verdict.matches = !stored.isEmpty()
        && crypto_pwhash_str_verify(stored.constData(), utf8.constData(), quint64(utf8.size()))
            == 0;
    if (verdict.matches
        && crypto_pwhash_str_needs_rehash(stored.constData(), opsLimit, size_t(memLimit)) != 0)
        verdict.rehashed = hashNow(password, opsLimit, memLimit);
    return verdict;
}

} // namespace Server
