// ProfileSettings: the profile photo (change from a file, remove).
#include "ProfileSettings.h"

#include "AppLogging.h"
#include "PhotoFile.h"
#include "SettingsErrors.h"

#include "api/ProfileApi.h"
#include "media/AvatarUpload.h"
#include "media/Avatars.h"
#include "store/LocalStore.h"

using namespace Client;
using namespace Qt::StringLiterals;

namespace App {

QString ProfileSettings::avatarBlob() const
{
    return account() ? account()->avatars()->ownAvatar() : QString();
}

bool ProfileSettings::hasPhoto() const
{
    if (!account())
        return false;
    const LocalStore *store = account()->store();
    const std::optional<Protocol::UserInfo> self = store->user(store->selfId());
    const QString blob = self ? self->avatarBlob : store->profile().user.avatarBlob;
    return !blob.isEmpty() || !avatarBlob().isEmpty();
}

void ProfileSettings::changePhoto(const QUrl &file)
{
    if (!account() || file.isEmpty())
        return;
    setPhotoError({});
    ++m_photoRequests;
    Q_EMIT savingChanged();
    PhotoFile::load(file).then(this, [this, epoch = epoch()](const PhotoFile::Loaded &loaded) {
        if (!isCurrent(epoch))
            return;
        Account *account = this->account();
        if (!loaded.error.isEmpty() || !account) {
            --m_photoRequests;
            Q_EMIT savingChanged();
            setPhotoError(loaded.error);
            return;
        }
        AvatarUpload::setProfileAvatar(account, loaded.image)
            .onFinished(this, [this, epoch](const Reply &reply, const Protocol::ProfileInfo &) {
                photoFinished(epoch, reply, tr("The photo was not changed."));
            });
    });
}

void ProfileSettings::removePhoto()
{
    Account *account = this->account();
    if (!account)
        return;
    setPhotoError({});
    ++m_photoRequests;
    Q_EMIT savingChanged();
    ProfileApi(account->connection(), account->store())
        .clearAvatar()
        .onFinished(this,
                    [this, epoch = epoch()](const Reply &reply, const Protocol::ProfileInfo &) {
                        photoFinished(epoch, reply, tr("The photo was not removed."));
                    });
}

void ProfileSettings::photoFinished(quint64 epoch, const Reply &reply, const QString &what)
{
    if (!isCurrent(epoch))
        return; // another account by now
    --m_photoRequests;
    Q_EMIT savingChanged();
    Q_EMIT profileChanged();
    if (reply.isOk()) {
        Q_EMIT photoSaved();
        return;
    }
    qCInfo(lcSettings) << "profile photo failed:" << reply.describe();
    setPhotoError(u"%1 %2"_s.arg(what, SettingsErrors::describe(reply)));
}

void ProfileSettings::setPhotoError(const QString &error)
{
    if (m_photoError == error)
        return;
    m_photoError = error;
    Q_EMIT errorChanged();
}

} // namespace App
