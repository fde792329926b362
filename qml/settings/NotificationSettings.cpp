#include "NotificationSettings.h"

#include "AppLogging.h"

namespace App {

NotificationSettings::NotificationSettings(QObject *parent)
    : NotificationSettings(nullptr, parent)
{
}

NotificationSettings::NotificationSettings(QSettings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
}

void NotificationSettings::setSettings(QSettings *settings)
{
    if (m_settings == settings)
        return;
    m_settings = settings;
    Q_EMIT notificationsChanged();
}

bool NotificationSettings::notificationsEnabled() const
{
    return m_settings ? m_settings->value(EnabledKey, true).toBool() : true;
}

void NotificationSettings::setNotificationsEnabled(bool enabled)
{
    if (enabled != notificationsEnabled())
        setBool(EnabledKey, enabled);
}

bool NotificationSettings::notificationPreview() const
{
    return m_settings ? m_settings->value(PreviewKey, true).toBool() : true;
}

void NotificationSettings::setNotificationPreview(bool preview)
{
    if (preview != notificationPreview())
        setBool(PreviewKey, preview);
}

void NotificationSettings::setBool(QLatin1StringView key, bool value)
{
    if (!m_settings) {
        qCWarning(lcSettings) << "no app settings to keep" << key << "in";
        return;
    }
    m_settings->setValue(key, value);
    // On disk now: the notifier may be another process's QSettings, and a crash must not lose it.
    m_settings->sync();
    Q_EMIT notificationsChanged();
}

} // namespace App
