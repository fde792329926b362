#pragma once

#include "AccountSection.h"

namespace App {

//! The settings' Password section: the current password, then the new one twice. What the
//! server would refuse is said before anything goes out, under the field it is about.
class PasswordSettings : public App::AccountSection // qmltyperegistrar 6.4 needs the App::
{
    Q_OBJECT
    QML_ELEMENT
    //! The change is on its way to the server.
    Q_PROPERTY(bool changingPassword READ isChangingPassword NOTIFY changingChanged)
    //! Why the last attempt failed, in words; empty after a success or clearError().
    Q_PROPERTY(QString passwordError READ passwordError NOTIFY errorChanged)
    //! Which field passwordError is about: "current", "new", "repeat" or "".
    Q_PROPERTY(QString passwordErrorField READ passwordErrorField NOTIFY errorChanged)
    Q_PROPERTY(int minPasswordLength READ minPasswordLength CONSTANT)
public:
    explicit PasswordSettings(QObject *parent = nullptr);
    explicit PasswordSettings(Client::Account *account, QObject *parent = nullptr);
    ~PasswordSettings() override;

    bool isChangingPassword() const { return m_requests > 0; }
    QString passwordError() const { return m_error; }
    QString passwordErrorField() const { return m_errorField; }
    static int minPasswordLength();

    //! Checks the new password (length, both typed the same) and sends the change; false, with
    //! passwordError, when it did not go out. passwordUpdated() or passwordError follows.
    Q_INVOKABLE bool changePassword(const QString &currentPassword, const QString &newPassword,
                                    const QString &repeatedPassword);
    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void changingChanged();
    void errorChanged();
    void passwordUpdated();

protected:
    void accountSwitched() override;

private:
    void setError(const QString &message, const QString &field);

    int m_requests = 0;
    QString m_error;
    QString m_errorField;
};

} // namespace App
