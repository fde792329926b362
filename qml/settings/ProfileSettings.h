#pragma once

#include "AccountSection.h"

namespace App {

//! The settings' Profile section: the display name others see (and the avatar it makes), the
//! username and the server, which cannot change here. A name changed on another device shows up.
class ProfileSettings : public App::AccountSection // qmltyperegistrar 6.4 needs the App::
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString username READ username NOTIFY accountChanged)
    Q_PROPERTY(QString serverAddress READ serverAddress NOTIFY accountChanged)
    Q_PROPERTY(QString displayName READ displayName NOTIFY profileChanged)
    Q_PROPERTY(QString initials READ initials NOTIFY profileChanged)
    Q_PROPERTY(QString avatarColor READ avatarColor NOTIFY profileChanged)
    //! A new name is on its way to the server.
    Q_PROPERTY(bool savingProfile READ isSavingProfile NOTIFY savingChanged)
    //! Why the last name was not saved, in words; empty after a success or clearError().
    Q_PROPERTY(QString profileError READ profileError NOTIFY errorChanged)
    Q_PROPERTY(int maxDisplayNameLength READ maxDisplayNameLength CONSTANT)
public:
    explicit ProfileSettings(QObject *parent = nullptr);
    explicit ProfileSettings(Client::Account *account, QObject *parent = nullptr);
    ~ProfileSettings() override;

    QString username() const;
    QString serverAddress() const;
    QString displayName() const { return m_displayName; }
    QString initials() const;
    QString avatarColor() const;
    bool isSavingProfile() const { return m_requests > 0; }
    QString profileError() const { return m_error; }
    static int maxDisplayNameLength();

    //! Sends the display name (trimmed); false, with profileError, when it is not one the server
    //! takes. displayNameSaved() or profileError follows.
    Q_INVOKABLE bool saveDisplayName(const QString &name);
    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void profileChanged();
    void savingChanged();
    void errorChanged();
    void displayNameSaved();

protected:
    void accountSwitched() override;

private:
    void readProfile();
    void setError(const QString &error);

    QString m_displayName;
    int m_requests = 0;
    QString m_error;
};

} // namespace App
