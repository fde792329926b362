#pragma once

#include "AccountSection.h"

#include <QUrl>

namespace App {

//! The settings' Profile section: the photo and display name others see (the initials stand in
//! for a missing photo), the username and the server, which cannot change here. A name or photo
//! changed on another device shows up.
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
    //! The own photo's blob when it can be drawn (image://avatar/<blob>), else "".
    Q_PROPERTY(QString avatarBlob READ avatarBlob NOTIFY profileChanged)
    //! The profile has a photo (drawable or still downloading).
    Q_PROPERTY(bool hasPhoto READ hasPhoto NOTIFY profileChanged)
    //! A photo is being prepared and uploaded, or removed.
    Q_PROPERTY(bool savingPhoto READ isSavingPhoto NOTIFY savingChanged)
    //! Why the last photo change failed, in words; empty after a success or clearError().
    Q_PROPERTY(QString photoError READ photoError NOTIFY errorChanged)
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
    QString avatarBlob() const;
    bool hasPhoto() const;
    bool isSavingPhoto() const { return m_photoRequests > 0; }
    QString photoError() const { return m_photoError; }

    //! Sends the display name (trimmed); false, with profileError, when it is not one the server
    //! takes. displayNameSaved() or profileError follows.
    Q_INVOKABLE bool saveDisplayName(const QString &name);
    Q_INVOKABLE void clearError();
    //! Makes the picture in `file` (a local file URL) the profile photo: decoded on a worker,
    //! centre-cropped to a square, sent re-encoded without metadata (AvatarUpload). photoSaved()
    //! or photoError follows.
    Q_INVOKABLE void changePhoto(const QUrl &file);
    //! Removes the profile photo: the initials again.
    Q_INVOKABLE void removePhoto();

Q_SIGNALS:
    void profileChanged();
    void savingChanged();
    void errorChanged();
    void displayNameSaved();
    void photoSaved();

protected:
    void accountSwitched() override;

private:
    void readProfile();
    void setError(const QString &error);
    void setPhotoError(const QString &error);
    void photoFinished(quint64 epoch, const Client::Reply &reply, const QString &what);

    QString m_displayName;
    int m_requests = 0;
    QString m_error;
    int m_photoRequests = 0;
    QString m_photoError;
};

} // namespace App
