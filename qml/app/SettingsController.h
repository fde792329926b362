#pragma once

#include "account/Account.h"

#include <QAbstractItemModel>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSettings>

#include <functional>
#include <optional>

namespace Client {
class ProfileApi;
class Request;
struct Reply;
struct ProfileUpdate;
} // namespace Client

namespace App {

class DeviceListModel;

//! The settings screen of the account on screen: profile (display name), password, devices,
//! privacy, and the app's notification settings.
//!
//! Created in QML, it is given the account on screen (`account: App.account`) and the app's
//! settings (`settings: App.settings`). Server settings go out as requests on the account's
//! connection and show the server's answer (the privacy switches show the new value at once and
//! fall back if the server refuses). Notification settings live in the app's settings (app.ini),
//! under NotificationsEnabledKey and NotificationPreviewKey, where the desktop notifier reads them.
class SettingsController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    //! Where the notification settings are kept: the app's settings (app.ini).
    Q_PROPERTY(QSettings *settings READ settings WRITE setSettings NOTIFY notificationsChanged)
    //! False when there is no account (the first-run pages); everything else is empty then.
    Q_PROPERTY(bool hasAccount READ hasAccount NOTIFY accountChanged)
    Q_PROPERTY(QString username READ username NOTIFY accountChanged)
    Q_PROPERTY(QString serverAddress READ serverAddress NOTIFY accountChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY profileChanged)
    Q_PROPERTY(QString initials READ initials NOTIFY profileChanged)
    Q_PROPERTY(QString avatarColor READ avatarColor NOTIFY profileChanged)
    //! Signed in to the server now: server settings can be changed.
    Q_PROPERTY(bool online READ isOnline NOTIFY onlineChanged)

    Q_PROPERTY(
        bool sendReadReceipts READ sendReadReceipts WRITE setSendReadReceipts NOTIFY profileChanged)
    Q_PROPERTY(bool hideLastSeen READ hideLastSeen WRITE setHideLastSeen NOTIFY profileChanged)
    Q_PROPERTY(bool notificationsEnabled READ notificationsEnabled WRITE setNotificationsEnabled
                   NOTIFY notificationsChanged)
    Q_PROPERTY(bool notificationPreview READ notificationPreview WRITE setNotificationPreview NOTIFY
                   notificationsChanged)

    Q_PROPERTY(QAbstractItemModel *devices READ devices CONSTANT)

    //! A request of this screen is in flight.
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    Q_PROPERTY(bool savingProfile READ isSavingProfile NOTIFY busyChanged)
    Q_PROPERTY(bool changingPassword READ isChangingPassword NOTIFY busyChanged)
    Q_PROPERTY(bool loadingDevices READ isLoadingDevices NOTIFY busyChanged)

    // Why the last attempt of each section failed, in words for the user; empty after a success.
    Q_PROPERTY(QString profileError READ profileError NOTIFY errorsChanged)
    Q_PROPERTY(QString passwordError READ passwordError NOTIFY errorsChanged)
    //! Which password field passwordError is about: "current", "new", "repeat" or "".
    Q_PROPERTY(QString passwordErrorField READ passwordErrorField NOTIFY errorsChanged)
    Q_PROPERTY(QString privacyError READ privacyError NOTIFY errorsChanged)
    Q_PROPERTY(QString devicesError READ devicesError NOTIFY errorsChanged)

    Q_PROPERTY(int minPasswordLength READ minPasswordLength CONSTANT)
    Q_PROPERTY(int maxDisplayNameLength READ maxDisplayNameLength CONSTANT)
public:
    //! The keys in the app's settings (bools, both true when absent). Do not rename: the desktop
    //! notifier reads them.
    static constexpr QLatin1StringView NotificationsEnabledKey {"notifications/enabled"};
    static constexpr QLatin1StringView NotificationPreviewKey {"notifications/preview"};

    explicit SettingsController(QObject *parent = nullptr);
    explicit SettingsController(Client::Account *account, QSettings *settings = nullptr,
                                QObject *parent = nullptr);
    ~SettingsController() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);
    QSettings *settings() const { return m_settings; }
    void setSettings(QSettings *settings);
    bool hasAccount() const { return !m_account.isNull(); }
    QString username() const;
    QString serverAddress() const;
    QString displayName() const { return m_displayName; }
    QString initials() const;
    QString avatarColor() const;
    bool isOnline() const;

    bool sendReadReceipts() const;
    void setSendReadReceipts(bool send);
    bool hideLastSeen() const;
    void setHideLastSeen(bool hide);
    bool notificationsEnabled() const;
    void setNotificationsEnabled(bool enabled);
    bool notificationPreview() const;
    void setNotificationPreview(bool preview);

    QAbstractItemModel *devices() const;
    DeviceListModel *deviceModel() const { return m_devices; }

    bool isBusy() const { return m_profileRequests + m_passwordRequests + m_deviceRequests > 0; }
    bool isSavingProfile() const { return m_profileRequests > 0; }
    bool isChangingPassword() const { return m_passwordRequests > 0; }
    bool isLoadingDevices() const { return m_deviceRequests > 0; }

    QString profileError() const { return m_profileError; }
    QString passwordError() const { return m_passwordError; }
    QString passwordErrorField() const { return m_passwordErrorField; }
    QString privacyError() const { return m_privacyError; }
    QString devicesError() const { return m_devicesError; }

    static int minPasswordLength();
    static int maxDisplayNameLength();

    //! Sends the display name (trimmed); false, with profileError, when it is not one the server
    //! takes. displayNameSaved() or profileError follows.
    Q_INVOKABLE bool saveDisplayName(const QString &name);
    //! Checks the new password (length, both typed the same) and sends the change; false, with
    //! passwordError, when it did not go out. passwordUpdated() or passwordError follows.
    Q_INVOKABLE bool changePassword(const QString &currentPassword, const QString &newPassword,
                                    const QString &repeatedPassword);
    //! Asks the server for the device list; the list also refreshes itself after every sign-in
    //! once it was asked for.
    Q_INVOKABLE void refreshDevices();
    //! Signs another device out; false for this device (that is "Sign out") or an unknown id.
    Q_INVOKABLE bool revokeDevice(qint64 deviceId);
    //! Forgets the errors shown (the dialog closes).
    Q_INVOKABLE void clearErrors();

Q_SIGNALS:
    void accountChanged();
    void profileChanged();
    void onlineChanged();
    void notificationsChanged();
    void busyChanged();
    void errorsChanged();
    void displayNameSaved();
    void passwordUpdated();
    void deviceRevoked(qint64 deviceId);

private:
    void readProfile();
    //! The typed profile calls of the account (the store learns the profile from their answers).
    Client::ProfileApi profile() const;
    //! Counts the request as saving the profile and calls done with its answer, unless the
    //! account changed meanwhile.
    void watchProfileRequest(Client::Request *request,
                             const std::function<void(const Client::Reply &)> &done);
    void setPrivacy(const Client::ProfileUpdate &update, std::optional<bool> *pending,
                    quint64 *generation, bool value);
    void setError(QString *error, const QString &message);
    void setPasswordError(const QString &message, const QString &field);
    void setBool(QLatin1StringView key, bool value);
    void countRequest(int *counter, int delta);
    static QString describeFailure(const Client::Reply &reply);

    QPointer<Client::Account> m_account;
    QPointer<QSettings> m_settings;
    DeviceListModel *m_devices;
    //! Bumped on every account change: answers to the previous account's requests are dropped.
    quint64 m_epoch = 0;

    QString m_displayName;
    std::optional<bool> m_pendingReceipts; //!< sent, not yet answered: shown instead of the store's
    std::optional<bool> m_pendingHideLastSeen;
    quint64 m_receiptsGeneration = 0;
    quint64 m_hideLastSeenGeneration = 0;
    quint64 m_devicesGeneration = 0;
    bool m_devicesWanted = false;

    int m_profileRequests = 0;
    int m_passwordRequests = 0;
    int m_deviceRequests = 0;

    QString m_profileError;
    QString m_passwordError;
    QString m_passwordErrorField;
    QString m_privacyError;
    QString m_devicesError;
};

} // namespace App
