#pragma once

#include "account/TokenVault.h"

namespace Client {

//! Device tokens in the OS keychain through qtkeychain: the Secret Service (GNOME Keyring,
//! KWallet) on Linux, the Keychain on macOS, the Credential Store on Windows. One entry per
//! account, under one service name. No insecure fallback: without a keychain, sign-in works but
//! the token is not kept, and the next start asks for the password again.
class KeychainTokenVault : public TokenVault
{
    Q_OBJECT
public:
    explicit KeychainTokenVault(const QString &service = QStringLiteral("messenger"),
                                QObject *parent = nullptr);

    void readToken(const QString &accountKey, QObject *context, ReadCallback callback) override;
    void writeToken(const QString &accountKey, const QString &token, QObject *context,
                    DoneCallback callback) override;
    void removeToken(const QString &accountKey, QObject *context, DoneCallback callback) override;

private:
    QString m_service;
};

} // namespace Client
