#pragma once

#include "protocol/Records.h"

#include <QAbstractListModel>
#include <QList>

namespace App {

//! The signed-in devices of the account (devices.list), for the settings' device list: this
//! device first, then the others by last activity, newest first. SettingsController fills it.
class DeviceListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Roles {
        DeviceIdRole = Qt::UserRole + 1, //!< qint64
        NameRole, //!< as the device named itself at sign-in; may be empty. Also Qt::DisplayRole
        CreatedAtRole, //!< QDateTime of the sign-in
        LastActiveRole, //!< QDateTime of the last sign-in or resume
        CurrentRole, //!< bool: the device this app runs on
        OnlineRole, //!< bool: connected now
    };
    Q_ENUM(Roles)

    explicit DeviceListModel(QObject *parent = nullptr);

    //! Replaces the list with a server answer.
    void setDevices(QList<Protocol::DeviceInfo> devices);
    //! Drops one device (it was signed out); false when it is not listed.
    bool removeDevice(qint64 deviceId);
    void clear();
    const QList<Protocol::DeviceInfo> &devices() const { return m_devices; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    QList<Protocol::DeviceInfo> m_devices;
};

} // namespace App
