#include "DeviceApi.h"

#include "connection/Connection.h"
#include "protocol/Requests.h"

#include <QCborArray>

namespace Client {

using namespace Qt::StringLiterals;

namespace {
QList<Protocol::DeviceInfo> devicesOf(const QCborMap &body)
{
    QList<Protocol::DeviceInfo> devices;
    for (const QCborValue &value : body.value("devices"_L1).toArray())
        devices.append(Protocol::DeviceInfo::fromCbor(value.toMap()));
    return devices;
}
} // namespace

DeviceApi::DeviceApi(Connection *connection)
    : m_connection(connection)
{
}

ApiCall<QList<Protocol::DeviceInfo>> DeviceApi::list() const
{
    return {m_connection->send(Protocol::Request::ListDevices), &devicesOf};
}

ApiCall<void> DeviceApi::revoke(qint64 deviceId) const
{
    return ApiCall<void>(
        m_connection->send(Protocol::Request::RevokeDevice, {{"deviceId"_L1, deviceId}}));
}

} // namespace Client
