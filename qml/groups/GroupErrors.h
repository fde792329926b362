#pragma once

#include "GroupController.h"
#include "protocol/Protocol.h"

#include <QCoreApplication>
#include <QString>

namespace Client {
struct Reply;
} // namespace Client

namespace App {

//! What the group screens say when a group request fails: a sentence the user can act on, chosen
//! by what they tried, not the protocol's error name.
class GroupErrors
{
    Q_DECLARE_TR_FUNCTIONS(GroupErrors)
public:
    using Action = GroupController::Action;

    //! myRole: the user's role when they tried (words for "forbidden" depend on it).
    static QString describe(Action action, const Client::Reply &reply, Protocol::Role myRole);

private:
    static QString forbidden(Action action, Protocol::Role myRole);
};

} // namespace App
