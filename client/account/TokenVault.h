#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace Client {

//! Where device tokens are kept: the OS keychain in the app (KeychainTokenVault), memory in tests
//! that are not about the keychain (MemoryTokenVault). Never a plain file.
//!
//! Every operation is asynchronous, as keychains are: the callback runs later on this thread, and
//! only while `context` still exists.
class TokenVault : public QObject
{
    Q_OBJECT
public:
    //! token is empty when there is none; error is empty on success.
    using ReadCallback = std::function<void(const QString &token, const QString &error)>;
    using DoneCallback = std::function<void(const QString &error)>;

    using QObject::QObject;

    virtual void readToken(const QString &accountKey, QObject *context, ReadCallback callback) = 0;
    virtual void writeToken(const QString &accountKey, const QString &token, QObject *context,
                            DoneCallback callback) = 0;
    //! Succeeds also when there was no token.
    virtual void removeToken(const QString &accountKey, QObject *context,
                             DoneCallback callback) = 0;
};

} // namespace Client
