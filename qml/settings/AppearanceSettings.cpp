#include "AppearanceSettings.h"

namespace App {

using namespace Qt::StringLiterals;

namespace {
const QString ThemeKey = u"ui/theme"_s;
} // namespace

AppearanceSettings::AppearanceSettings(QSettings *settings, const QString &override,
                                       QObject *parent)
    : QObject(parent)
    , m_settings(settings)
    , m_override(override)
{
}

QString AppearanceSettings::theme() const
{
    if (!m_override.isEmpty())
        return m_override;
    return m_settings->value(ThemeKey, u"system"_s).toString();
}

void AppearanceSettings::setTheme(const QString &theme)
{
    if (theme != u"light"_s && theme != u"dark"_s && theme != u"system"_s)
        return;
    const QString shown = this->theme();
    m_override.clear(); // the user's choice wins over --theme from here on
    m_settings->setValue(ThemeKey, theme);
    if (shown != theme)
        Q_EMIT themeChanged();
}

} // namespace App
