#include "SettingsController.h"

#include "AppLogging.h"
#include "DeviceListModel.h"

#include "account/Account.h"
#include "api/DeviceApi.h"
#include "api/ProfileApi.h"
#include "store/LocalStore.h"
#include "text/Avatar.h"

#include <algorithm>

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

SettingsController::SettingsController(QObject *parent)
    : SettingsController(nullptr, nullptr, parent)
{
}

SettingsController::SettingsController(Account *account, QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_devices(new DeviceListModel(this))
{
    setAccount(account);
}

void SettingsController::setSettings(QSettings *settings)
{
    if (m_settings == settings)
        return;
    m_settings = settings;
    Q_EMIT notificationsChanged();
}

SettingsController::~SettingsController() = default;

void SettingsController::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account) {
        m_account->disconnect(this);
        m_account->store()->disconnect(this);
        m_account->connection()->disconnect(this);
    }
    m_account = account;
    ++m_epoch;
    m_pendingReceipts.reset();
    m_pendingHideLastSeen.reset();
    m_profileRequests = m_passwordRequests = m_deviceRequests = 0;
    m_devices->clear();
    if (account) {
        LocalStore *store = account->store();
        connect(store, &LocalStore::profileChanged, this, &SettingsController::readProfile);
        // A name changed on another device arrives as a `user` event about oneself, which the
        // core files under users, not under the profile.
        connect(store, &LocalStore::usersChanged, this, [this](const QList<qint64> &ids) {
            if (m_account && ids.contains(m_account->store()->selfId()))
                readProfile();
        });
        connect(account->connection(), &Connection::stateChanged, this,
                &SettingsController::onlineChanged);
        connect(account->connection(), &Connection::signedIn, this, [this] {
            // The list says which devices are online; after a reconnection that is news.
            if (m_devicesWanted)
                refreshDevices();
        });
    }
    readProfile();
    clearErrors();
    Q_EMIT accountChanged();
    Q_EMIT onlineChanged();
    Q_EMIT busyChanged();
    if (m_devicesWanted && isOnline())
        refreshDevices();
}

void SettingsController::readProfile()
{
    QString name;
    if (m_account) {
        const LocalStore *store = m_account->store();
        const std::optional<Protocol::UserInfo> self = store->user(store->selfId());
        name = self && !self->displayName.isEmpty() ? self->displayName
                                                    : store->profile().user.displayName;
    }
    m_displayName = name;
    Q_EMIT profileChanged();
}

QString SettingsController::username() const
{
    return m_account ? m_account->username() : QString();
}

QString SettingsController::serverAddress() const
{
    return m_account ? m_account->serverUrl().toString() : QString();
}

QString SettingsController::initials() const
{
    return Avatar::initials(m_displayName.isEmpty() ? username() : m_displayName);
}

QString SettingsController::avatarColor() const
{
    return m_account ? Avatar::color(m_account->store()->selfId()) : QString();
}

bool SettingsController::isOnline() const
{
    return m_account && m_account->connection()->isSignedIn();
}

bool SettingsController::sendReadReceipts() const
{
    if (m_pendingReceipts)
        return *m_pendingReceipts;
    return m_account ? m_account->store()->profile().sendReadReceipts : true;
}

void SettingsController::setSendReadReceipts(bool send)
{
    if (send == sendReadReceipts())
        return;
    ProfileUpdate update;
    update.sendReadReceipts = send;
    setPrivacy(update, &m_pendingReceipts, &m_receiptsGeneration, send);
}

bool SettingsController::hideLastSeen() const
{
    if (m_pendingHideLastSeen)
        return *m_pendingHideLastSeen;
    return m_account && m_account->store()->profile().hideLastSeen;
}

void SettingsController::setHideLastSeen(bool hide)
{
    if (hide == hideLastSeen())
        return;
    ProfileUpdate update;
    update.hideLastSeen = hide;
    setPrivacy(update, &m_pendingHideLastSeen, &m_hideLastSeenGeneration, hide);
}

void SettingsController::setPrivacy(const ProfileUpdate &update, std::optional<bool> *pending,
                                    quint64 *generation, bool value)
{
    if (!m_account)
        return;
    *pending = value;
    const quint64 sent = ++*generation;
    setError(&m_privacyError, {});
    Q_EMIT profileChanged();
    watchProfileRequest(
        profile().update(update).request(), [this, pending, generation, sent](const Reply &reply) {
            // A later switch of the same setting is still on its way: that one has the last word.
            if (sent == *generation)
                pending->reset();
            if (!reply.isOk())
                setError(&m_privacyError,
                         tr("The privacy setting was not changed. %1").arg(describeFailure(reply)));
            Q_EMIT profileChanged();
        });
}

bool SettingsController::notificationsEnabled() const
{
    return m_settings ? m_settings->value(NotificationsEnabledKey, true).toBool() : true;
}

void SettingsController::setNotificationsEnabled(bool enabled)
{
    if (enabled != notificationsEnabled())
        setBool(NotificationsEnabledKey, enabled);
}

bool SettingsController::notificationPreview() const
{
    return m_settings ? m_settings->value(NotificationPreviewKey, true).toBool() : true;
}

void SettingsController::setNotificationPreview(bool preview)
{
    if (preview != notificationPreview())
        setBool(NotificationPreviewKey, preview);
}

void SettingsController::setBool(QLatin1StringView key, bool value)
{
    if (!m_settings) {
        qCWarning(lcApp) << "no app settings to keep" << key << "in";
        return;
    }
    m_settings->setValue(key, value);
    // On disk now: the notifier may be another process's QSettings, and a crash must not lose it.
    m_settings->sync();
    Q_EMIT notificationsChanged();
}

QAbstractItemModel *SettingsController::devices() const
{
    return m_devices;
}

int SettingsController::minPasswordLength()
{
    return Protocol::Limits::MinPasswordLength;
}

int SettingsController::maxDisplayNameLength()
{
    return Protocol::Limits::MaxDisplayNameLength;
}

void SettingsController::countRequest(int *counter, int delta)
{
    *counter += delta;
    Q_EMIT busyChanged();
}

ProfileApi SettingsController::profile() const
{
    // The store learns the profile from every answer, even when this screen is gone by then.
    return ProfileApi(m_account->connection(), m_account->store());
}

void SettingsController::watchProfileRequest(Request *request,
                                             const std::function<void(const Reply &)> &done)
{
    countRequest(&m_profileRequests, 1);
    connect(request, &Request::finished, this, [this, done, epoch = m_epoch](const Reply &reply) {
        if (epoch != m_epoch)
            return; // another account by now
        countRequest(&m_profileRequests, -1);
        if (!reply.isOk())
            qCInfo(lcApp) << "profile.update failed:" << reply.describe();
        done(reply);
    });
}

bool SettingsController::saveDisplayName(const QString &name)
{
    if (!m_account)
        return false;
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) {
        setError(&m_profileError, tr("Type a name: others see it instead of your username."));
        return false;
    }
    if (trimmed.size() > Protocol::Limits::MaxDisplayNameLength) {
        setError(&m_profileError,
                 tr("The name is too long: at most %n characters.", nullptr,
                    Protocol::Limits::MaxDisplayNameLength));
        return false;
    }
    setError(&m_profileError, {});
    ProfileUpdate update;
    update.displayName = trimmed;
    watchProfileRequest(profile().update(update).request(), [this](const Reply &reply) {
        if (reply.isOk()) {
            Q_EMIT displayNameSaved();
            return;
        }
        setError(&m_profileError, tr("The name was not changed. %1").arg(describeFailure(reply)));
    });
    return true;
}

bool SettingsController::changePassword(const QString &currentPassword, const QString &newPassword,
                                        const QString &repeatedPassword)
{
    using namespace Protocol::Limits;
    if (!m_account)
        return false;
    if (currentPassword.isEmpty()) {
        setPasswordError(tr("Type your current password."), u"current"_s);
        return false;
    }
    // Lengths in UTF-16 code units, as the server counts them.
    if (newPassword.size() < MinPasswordLength) {
        setPasswordError(tr("The new password is too short: use at least %n characters.", nullptr,
                            MinPasswordLength),
                         u"new"_s);
        return false;
    }
    if (newPassword.size() > MaxPasswordLength) {
        setPasswordError(
            tr("The new password is too long: at most %n characters.", nullptr, MaxPasswordLength),
            u"new"_s);
        return false;
    }
    if (repeatedPassword != newPassword) {
        setPasswordError(tr("The new passwords do not match. Type the same password twice."),
                         u"repeat"_s);
        return false;
    }
    if (newPassword == currentPassword) {
        setPasswordError(tr("The new password is the same as the current one."), u"new"_s);
        return false;
    }
    if (currentPassword.size()
        > MaxPasswordLength) { // cannot be right, and the server would refuse the frame
        setPasswordError(tr("The current password is wrong."), u"current"_s);
        return false;
    }
    setPasswordError({}, {});
    countRequest(&m_passwordRequests, 1);
    profile()
        .changePassword(currentPassword, newPassword)
        .onFinished(this, [this, epoch = m_epoch](const Reply &reply) {
            if (epoch != m_epoch)
                return;
            countRequest(&m_passwordRequests, -1);
            if (reply.isOk()) {
                Q_EMIT passwordUpdated();
            } else if (reply.origin == Reply::Origin::Server
                       && reply.error == Protocol::ErrorCode::InvalidCredentials) {
                setPasswordError(tr("The current password is wrong."), u"current"_s);
            } else {
                qCInfo(lcApp) << "password.change failed:" << reply.describe();
                setPasswordError(tr("The password was not changed. %1").arg(describeFailure(reply)),
                                 {});
            }
        });
    return true;
}

void SettingsController::refreshDevices()
{
    m_devicesWanted = true;
    if (!m_account)
        return;
    const quint64 generation = ++m_devicesGeneration;
    countRequest(&m_deviceRequests, 1);
    DeviceApi(m_account->connection())
        .list()
        .onFinished(this,
                    [this, generation, epoch = m_epoch](const Reply &reply,
                                                        const QList<Protocol::DeviceInfo> &list) {
                        if (epoch != m_epoch)
                            return;
                        countRequest(&m_deviceRequests, -1);
                        if (generation != m_devicesGeneration)
                            return; // a newer list is on its way
                        if (!reply.isOk()) {
                            setError(
                                &m_devicesError,
                                tr("Could not load the devices. %1").arg(describeFailure(reply)));
                            return;
                        }
                        setError(&m_devicesError, {});
                        m_devices->setDevices(list);
                    });
}

bool SettingsController::revokeDevice(qint64 deviceId)
{
    if (!m_account || deviceId <= 0 || deviceId == m_account->connection()->deviceId())
        return false;
    const QList<Protocol::DeviceInfo> &listed = m_devices->devices();
    if (std::none_of(listed.cbegin(), listed.cend(),
                     [deviceId](const Protocol::DeviceInfo &device) {
                         return device.id == deviceId && !device.current;
                     }))
        return false;
    setError(&m_devicesError, {});
    countRequest(&m_deviceRequests, 1);
    DeviceApi(m_account->connection())
        .revoke(deviceId)
        .onFinished(this, [this, deviceId, epoch = m_epoch](const Reply &reply) {
            if (epoch != m_epoch)
                return;
            countRequest(&m_deviceRequests, -1);
            if (reply.isOk()
                || (reply.origin == Reply::Origin::Server
                    && reply.error == Protocol::ErrorCode::NotFound)) {
                // not_found: signed out already (from elsewhere); either way it is gone.
                ++m_devicesGeneration; // a list asked for before this answer may still show it
                m_devices->removeDevice(deviceId);
                Q_EMIT deviceRevoked(deviceId);
                return;
            }
            qCInfo(lcApp) << "devices.revoke failed:" << reply.describe();
            setError(&m_devicesError,
                     tr("The device was not signed out. %1").arg(describeFailure(reply)));
        });
    return true;
}

void SettingsController::clearErrors()
{
    const bool any = !m_profileError.isEmpty() || !m_passwordError.isEmpty()
        || !m_privacyError.isEmpty() || !m_devicesError.isEmpty();
    m_profileError.clear();
    m_passwordError.clear();
    m_passwordErrorField.clear();
    m_privacyError.clear();
    m_devicesError.clear();
    if (any)
        Q_EMIT errorsChanged();
}

void SettingsController::setError(QString *error, const QString &message)
{
    if (*error == message)
        return;
    *error = message;
    Q_EMIT errorsChanged();
}

void SettingsController::setPasswordError(const QString &message, const QString &field)
{
    if (m_passwordError == message && m_passwordErrorField == field)
        return;
    m_passwordError = message;
    m_passwordErrorField = field;
    Q_EMIT errorsChanged();
}

QString SettingsController::describeFailure(const Reply &reply)
{
    using Protocol::ErrorCode;
    switch (reply.origin) {
    case Reply::Origin::NotConnected:
        return tr("You are offline; try again when the connection is back.");
    case Reply::Origin::ConnectionLost:
    case Reply::Origin::TimedOut:
        return tr("The connection was lost before the server answered; try again.");
    case Reply::Origin::Server:
        break;
    }
    switch (reply.error) {
    case ErrorCode::RateLimited:
        return tr("Too many attempts; wait a moment and try again.");
    case ErrorCode::Unavailable:
        return tr("The server cannot save it right now; try again later.");
    default:
        return tr("The server said: %1").arg(reply.message);
    }
}

} // namespace App
