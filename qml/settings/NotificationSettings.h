#pragma once

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSettings>

namespace App {

//! The settings' Notifications section: desktop notifications on or off, with or without the
//! text. Kept in the app's settings (app.ini), not on the server, under EnabledKey and PreviewKey,
//! where the desktop notifier reads them.
class NotificationSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    //! The app's settings (`settings: App.settings`).
    Q_PROPERTY(QSettings *settings READ settings WRITE setSettings NOTIFY notificationsChanged)
    Q_PROPERTY(bool notificationsEnabled READ notificationsEnabled WRITE setNotificationsEnabled
                   NOTIFY notificationsChanged)
    Q_PROPERTY(bool notificationPreview READ notificationPreview WRITE setNotificationPreview NOTIFY
                   notificationsChanged)
public:
    //! The keys in the app's settings (bools, both true when absent). Do not rename: the desktop
    //! notifier reads them.
    static constexpr QLatin1StringView EnabledKey {"notifications/enabled"};
    static constexpr QLatin1StringView PreviewKey {"notifications/preview"};

    explicit NotificationSettings(QObject *parent = nullptr);
    explicit NotificationSettings(QSettings *settings, QObject *parent = nullptr);

    QSettings *settings() const { return m_settings; }
    void setSettings(QSettings *settings);
    bool notificationsEnabled() const;
    void setNotificationsEnabled(bool enabled);
    bool notificationPreview() const;
    void setNotificationPreview(bool preview);

Q_SIGNALS:
    void notificationsChanged();

private:
    void setBool(QLatin1StringView key, bool value);

    QPointer<QSettings> m_settings;
};

} // namespace App
