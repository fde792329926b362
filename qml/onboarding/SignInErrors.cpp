#include "SignInErrors.h"

#include <QCoreApplication>

namespace App {

namespace SignInErrors {

QString describe(Protocol::ErrorCode code, const QString &serverMessage)
{
    using Protocol::ErrorCode;
    switch (code) {
    case ErrorCode::InvalidCredentials:
        return QCoreApplication::translate("SignIn", "Wrong username or password.");
    case ErrorCode::UsernameTaken:
        return QCoreApplication::translate(
            "SignIn", "This username is taken. Choose another one, or sign in.");
    case ErrorCode::RegistrationClosed:
        return QCoreApplication::translate(
            "SignIn",
            "This server does not accept new accounts. Ask its owner to create one for you.");
    case ErrorCode::InviteRequired:
        return QCoreApplication::translate(
            "SignIn", "This server needs an invite code to register. Ask its owner for one.");
    case ErrorCode::InviteInvalid:
        return QCoreApplication::translate("SignIn",
                                           "This invite code is not valid (used up or expired).");
    case ErrorCode::InvalidToken:
        return QCoreApplication::translate("SignIn", "This device was signed out. Sign in again.");
    case ErrorCode::RateLimited:
        return QCoreApplication::translate("SignIn",
                                           "Too many attempts. Wait a moment and try again.");
    case ErrorCode::InvalidField:
        return QCoreApplication::translate("SignIn", "The server refused this: %1")
            .arg(serverMessage);
    default:
        return QCoreApplication::translate("SignIn", "The server refused the sign-in: %1")
            .arg(serverMessage);
    }
}

QString unreachable(const QString &detail)
{
    return QCoreApplication::translate(
               "SignIn", "Cannot reach the server (%1). Check the address and that it is running.")
        .arg(detail);
}

} // namespace SignInErrors

} // namespace App
