#pragma once

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSettings>

namespace App {

//! How the app looks on this computer: the theme, kept in the app's settings (ui/theme). The
//! window's Material theme and the settings' Appearance section both read it.
class AppearanceSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The appearance is App.appearance.")
    //! "light", "dark", or "system" (follow the system). Other values are ignored.
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY themeChanged)
public:
    //! `override` ("light" or "dark", from --theme) wins for this run until the user chooses.
    AppearanceSettings(QSettings *settings, const QString &override, QObject *parent = nullptr);

    QString theme() const;
    void setTheme(const QString &theme);

Q_SIGNALS:
    void themeChanged();

private:
    QPointer<QSettings> m_settings;
    QString m_override;
};

} // namespace App
