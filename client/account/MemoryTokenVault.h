#pragma once

#include "account/TokenVault.h"

#include <QHash>

namespace Client {

//! Tokens in memory only, for tests that are not about the keychain (the keychain itself is
//! covered by tst_keychain under a real Secret Service). Asynchronous like the real one.
class MemoryTokenVault : public TokenVault
{
    Q_OBJECT
public:
    using TokenVault::TokenVault;

    void readToken(const QString &accountKey, QObject *context, ReadCallback callback) override;
    void writeToken(const QString &accountKey, const QString &token, QObject *context,
                    DoneCallback callback) override;
    void removeToken(const QString &accountKey, QObject *context, DoneCallback callback) override;

    QString token(const QString &accountKey) const { return m_tokens.value(accountKey); }

private:
    QHash<QString, QString> m_tokens;
};

} // namespace Client
