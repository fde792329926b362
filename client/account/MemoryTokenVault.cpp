#include "MemoryTokenVault.h"

#include <QPointer>

namespace Client {

void MemoryTokenVault::readToken(const QString &accountKey, QObject *context, ReadCallback callback)
{
    QMetaObject::invokeMethod(
        this,
        [guard = QPointer<QObject>(context), token = m_tokens.value(accountKey), callback] {
            if (guard)
                callback(token, {});
        },
        Qt::QueuedConnection);
}

void MemoryTokenVault::writeToken(const QString &accountKey, const QString &token, QObject *context,
                                  DoneCallback callback)
{
    m_tokens.insert(accountKey, token);
    QMetaObject::invokeMethod(
        this,
        [guard = QPointer<QObject>(context), callback] {
            if (guard && callback)
                callback({});
        },
        Qt::QueuedConnection);
}

void MemoryTokenVault::removeToken(const QString &accountKey, QObject *context,
                                   DoneCallback callback)
{
    m_tokens.remove(accountKey);
    QMetaObject::invokeMethod(
        this,
        [guard = QPointer<QObject>(context), callback] {
            if (guard && callback)
                callback({});
        },
        Qt::QueuedConnection);
}

} // namespace Client
