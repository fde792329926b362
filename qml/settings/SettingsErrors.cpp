#include "SettingsErrors.h"

#include "connection/Request.h"

using namespace Client;

namespace App {

QString SettingsErrors::describe(const Reply &reply)
{
    using Protocol::ErrorCode;
    switch (reply.origin) {
    case Reply::Origin::NotConnected:
        return tr("You are offline; try again when the connection is back.");
    case Reply::Origin::ConnectionLost:
    case Reply::Origin::TimedOut:
        return tr("The connection was lost before the server answered; try again.");
    case Reply::Origin::Server:
        break;
    }
    switch (reply.error) {
    case ErrorCode::RateLimited:
        return tr("Too many attempts; wait a moment and try again.");
    case ErrorCode::Unavailable:
        return tr("The server cannot save it right now; try again later.");
    default:
        return tr("The server said: %1").arg(reply.message);
    }
}

} // namespace App
