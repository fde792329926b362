#pragma once

#include "api/ApiCall.h"
#include "protocol/Records.h"

#include <QList>

namespace Client {

class Connection;

//! The devices signed in to the user's account, with typed results: the list (this device
//! marked `current`, the connected ones `online`) and signing one out.
class DeviceApi
{
public:
    explicit DeviceApi(Connection *connection);

    //! devices.list.
    ApiCall<QList<Protocol::DeviceInfo>> list() const;
    //! devices.revoke: that device is signed out and its token stops working; not_found when it
    //! is not one of the user's (or was signed out already).
    ApiCall<void> revoke(qint64 deviceId) const;

private:
    Connection *m_connection;
};

} // namespace Client
