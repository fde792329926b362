#include "DeviceListModel.h"

#include <QDateTime>

#include <algorithm>

namespace App {

DeviceListModel::DeviceListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void DeviceListModel::setDevices(QList<Protocol::DeviceInfo> devices)
{
    std::stable_sort(devices.begin(), devices.end(),
                     [](const Protocol::DeviceInfo &a, const Protocol::DeviceInfo &b) {
                         if (a.current != b.current)
                             return a.current;
                         return a.lastActive > b.lastActive;
                     });
    const qsizetype before = m_devices.size();
    // A reset, not a diff: the list is a handful of rows, refreshed when the user looks at it.
    beginResetModel();
    m_devices = std::move(devices);
    endResetModel();
    if (before != m_devices.size())
        Q_EMIT countChanged();
}

bool DeviceListModel::removeDevice(qint64 deviceId)
{
    const auto it = std::find_if(
        m_devices.cbegin(), m_devices.cend(),
        [deviceId](const Protocol::DeviceInfo &device) { return device.id == deviceId; });
    if (it == m_devices.cend())
        return false;
    const int row = int(it - m_devices.cbegin());
    beginRemoveRows({}, row, row);
    m_devices.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    return true;
}

void DeviceListModel::clear()
{
    if (m_devices.isEmpty())
        return;
    setDevices({});
}

int DeviceListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_devices.size());
}

QVariant DeviceListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Protocol::DeviceInfo &device = m_devices.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return device.name;
    case DeviceIdRole:
        return device.id;
    case CreatedAtRole:
        return QDateTime::fromMSecsSinceEpoch(device.createdAt);
    case LastActiveRole:
        return QDateTime::fromMSecsSinceEpoch(device.lastActive);
    case CurrentRole:
        return device.current;
    case OnlineRole:
        return device.online;
    default:
        return {};
    }
}

QHash<int, QByteArray> DeviceListModel::roleNames() const
{
    return {{DeviceIdRole, "deviceId"},     {NameRole, "deviceName"}, {CreatedAtRole, "createdAt"},
            {LastActiveRole, "lastActive"}, {CurrentRole, "current"}, {OnlineRole, "online"}};
}

} // namespace App
