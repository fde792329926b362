#pragma once

#include "protocol/Protocol.h"

#include <QString>

namespace App {

//! What the sign-in page says when the server refuses a sign-in or registration: a sentence the
//! user can act on, not the protocol's error name.
namespace SignInErrors {
QString describe(Protocol::ErrorCode code, const QString &serverMessage);
QString unreachable(const QString &detail);
} // namespace SignInErrors

} // namespace App
