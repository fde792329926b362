#include "DeviceSettings.h"

#include "AppLogging.h"
#include "DeviceListModel.h"
#include "SettingsErrors.h"

#include "api/DeviceApi.h"

#include <algorithm>

using namespace Client;

namespace App {

DeviceSettings::DeviceSettings(QObject *parent)
    : DeviceSettings(nullptr, parent)
{
}

DeviceSettings::DeviceSettings(Account *account, QObject *parent)
    : AccountSection(parent)
    , m_devices(new DeviceListModel(this))
{
    setAccount(account);
}

DeviceSettings::~DeviceSettings() = default;

void DeviceSettings::accountSwitched()
{
    m_requests = 0;
    m_devices->clear();
    if (Account *account = this->account()) {
        connect(account->connection(), &Connection::signedIn, this, [this] {
            // The list says which devices are online; after a reconnection that is news.
            if (m_wanted)
                refreshDevices();
        });
    }
    clearError();
    Q_EMIT loadingChanged();
    if (m_wanted && isOnline())
        refreshDevices();
}

QAbstractItemModel *DeviceSettings::devices() const
{
    return m_devices;
}

void DeviceSettings::countRequest(int delta)
{
    m_requests += delta;
    Q_EMIT loadingChanged();
}

void DeviceSettings::refreshDevices()
{
    m_wanted = true;
    Account *account = this->account();
    if (!account)
        return;
    const quint64 generation = ++m_generation;
    countRequest(1);
    DeviceApi(account->connection())
        .list()
        .onFinished(
            this,
            [this, generation, epoch = epoch()](const Reply &reply,
                                                const QList<Protocol::DeviceInfo> &list) {
                if (!isCurrent(epoch))
                    return;
                countRequest(-1);
                if (generation != m_generation)
                    return; // a newer list is on its way
                if (!reply.isOk()) {
                    setError(
                        tr("Could not load the devices. %1").arg(SettingsErrors::describe(reply)));
                    return;
                }
                setError({});
                m_devices->setDevices(list);
            });
}

bool DeviceSettings::revokeDevice(qint64 deviceId)
{
    Account *account = this->account();
    if (!account || deviceId <= 0 || deviceId == account->connection()->deviceId())
        return false;
    const QList<Protocol::DeviceInfo> &listed = m_devices->devices();
    if (std::none_of(listed.cbegin(), listed.cend(),
                     [deviceId](const Protocol::DeviceInfo &device) {
                         return device.id == deviceId && !device.current;
                     }))
        return false;
    setError({});
    countRequest(1);
    DeviceApi(account->connection())
        .revoke(deviceId)
        .onFinished(this, [this, deviceId, epoch = epoch()](const Reply &reply) {
            if (!isCurrent(epoch))
                return;
            countRequest(-1);
            if (reply.isOk()
                || (reply.origin == Reply::Origin::Server
                    && reply.error == Protocol::ErrorCode::NotFound)) {
                // not_found: signed out already (from elsewhere); either way it is gone.
                ++m_generation; // a list asked for before this answer may still show it
                m_devices->removeDevice(deviceId);
                Q_EMIT deviceRevoked(deviceId);
                return;
            }
            qCInfo(lcSettings) << "devices.revoke failed:" << reply.describe();
            setError(tr("The device was not signed out. %1").arg(SettingsErrors::describe(reply)));
        });
    return true;
}

void DeviceSettings::clearError()
{
    setError({});
}

void DeviceSettings::setError(const QString &error)
{
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

} // namespace App
