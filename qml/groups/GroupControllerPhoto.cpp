// GroupController: the group's photo (change from a file, remove), for the roles that may rename.
#include "GroupController.h"

#include "AppLogging.h"
#include "GroupErrors.h"
#include "PhotoFile.h"

#include "api/GroupApi.h"
#include "media/AvatarUpload.h"
#include "media/Avatars.h"

using namespace Client;

namespace App {

QString GroupController::avatarBlob() const
{
    return m_account && m_conversationId > 0
        ? m_account->avatars()->conversationAvatar(m_conversationId)
        : QString();
}

bool GroupController::hasPhoto() const
{
    return (m_summary && !m_summary->info.avatarBlob.isEmpty()) || !avatarBlob().isEmpty();
}

void GroupController::changePhoto(const QUrl &file)
{
    if (!m_account || m_busy || file.isEmpty())
        return;
    m_savingPhoto = true;
    setBusy(true);
    PhotoFile::load(file).then(
        this, [this, groupId = m_conversationId](const PhotoFile::Loaded &loaded) {
            if (!m_account || groupId != m_conversationId) {
                setBusy(false);
                return; // another group by now
            }
            if (!loaded.error.isEmpty()) {
                setBusy(false);
                fail(Action::Photo, loaded.error);
                return;
            }
            track(Action::Photo,
                  AvatarUpload::setGroupAvatar(m_account, groupId, loaded.image).request());
        });
}

void GroupController::removePhoto()
{
    if (!m_account || m_busy)
        return;
    m_savingPhoto = true;
    track(Action::Photo, groups().clearAvatar(m_conversationId).request());
}

} // namespace App
