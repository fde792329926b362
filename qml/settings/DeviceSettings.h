#pragma once

#include "AccountSection.h"

#include <QAbstractItemModel>

namespace App {

class DeviceListModel;

//! The settings' Devices section: where the account is signed in (DeviceListModel), and signing
//! another device out. Once asked for, the list refreshes itself after every sign-in (which
//! devices are online is news then).
class DeviceSettings : public App::AccountSection // qmltyperegistrar 6.4 needs the App::
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QAbstractItemModel *devices READ devices CONSTANT)
    //! A list or a sign-out is on its way.
    Q_PROPERTY(bool loadingDevices READ isLoadingDevices NOTIFY loadingChanged)
    //! Why the last list or sign-out failed, in words; empty after a success or clearError().
    Q_PROPERTY(QString devicesError READ devicesError NOTIFY errorChanged)
public:
    explicit DeviceSettings(QObject *parent = nullptr);
    explicit DeviceSettings(Client::Account *account, QObject *parent = nullptr);
    ~DeviceSettings() override;

    QAbstractItemModel *devices() const;
    DeviceListModel *deviceModel() const { return m_devices; }
    bool isLoadingDevices() const { return m_requests > 0; }
    QString devicesError() const { return m_error; }

    //! Asks the server for the device list.
    Q_INVOKABLE void refreshDevices();
    //! Signs another device out; false for this device (that is "Sign out") or an unknown id.
    Q_INVOKABLE bool revokeDevice(qint64 deviceId);
    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void loadingChanged();
    void errorChanged();
    void deviceRevoked(qint64 deviceId);

protected:
    void accountSwitched() override;

private:
    void countRequest(int delta);
    void setError(const QString &error);

    DeviceListModel *m_devices;
    quint64 m_generation = 0;
    bool m_wanted = false;
    int m_requests = 0;
    QString m_error;
};

} // namespace App
