#include "GroupErrors.h"

#include "connection/Request.h"

using namespace Client;

namespace App {

QString GroupErrors::forbidden(Action action, Protocol::Role myRole)
{
    switch (action) {
    case Action::Add:
        return tr("Only the owner and admins can add members.");
    case Action::Remove:
        return myRole == Protocol::Role::Admin
            ? tr("Admins can remove members, but not other admins or the owner.")
            : tr("Only the owner and admins can remove members.");
    case Action::Rename:
        return tr("Only the owner and admins can rename the group.");
    case Action::Promote:
        return tr("Only the owner and admins can make members admins.");
    case Action::Demote:
        return tr("Only the owner can dismiss admins.");
    case Action::Photo:
        return tr("Only the owner and admins can change the group photo.");
    case Action::Leave:
    case Action::Create:
        break;
    }
    return tr("This is not possible in this chat.");
}

QString GroupErrors::describe(Action action, const Reply &reply, Protocol::Role myRole)
{
    using Protocol::ErrorCode;
    switch (reply.origin) {
    case Reply::Origin::NotConnected:
        return tr("You are offline. Try again once the connection is back.");
    case Reply::Origin::ConnectionLost:
        return tr("The connection was lost before the server answered. Check whether it happened, "
                  "then try again.");
    case Reply::Origin::TimedOut:
        return tr("The server did not answer in time. Try again.");
    case Reply::Origin::Server:
        break;
    }
    switch (reply.error) {
    case ErrorCode::Forbidden:
        return forbidden(action, myRole);
    case ErrorCode::NotMember:
        return tr("You are no longer a member of this group.");
    case ErrorCode::NotFound:
        if (action == Action::Photo)
            return tr("The uploaded photo was not found on the server. Try again.");
        return action == Action::Add || action == Action::Create
            ? tr("One of the people you chose no longer has an account.")
            : tr("This person is no longer in the group.");
    case ErrorCode::InvalidField:
        switch (action) {
        case Action::Create:
        case Action::Rename:
            return tr("Type a name for the group.");
        case Action::Add:
            return tr("Everyone you chose is already in the group.");
        case Action::Promote:
        case Action::Demote:
            return tr("This member already has that role.");
        case Action::Remove:
            return tr("To remove yourself, leave the group.");
        case Action::Photo:
            return tr("This picture cannot be used as the group photo.");
        case Action::Leave:
            break;
        }
        break;
    case ErrorCode::GroupFull:
        return tr("A group can have at most %1 members.").arg(Protocol::Limits::MaxGroupMembers);
    case ErrorCode::TooLarge:
        if (action == Action::Photo)
            return tr("The photo is too large.");
        return tr("The name is too long: at most %1 characters.")
            .arg(Protocol::Limits::MaxGroupNameLength);
    case ErrorCode::RateLimited:
        return tr("Too many changes at once. Wait a moment and try again.");
    case ErrorCode::Unavailable:
        return tr("The server cannot save changes right now. Try again later.");
    default:
        break;
    }
    return tr("The server refused this: %1").arg(reply.message);
}

} // namespace App
