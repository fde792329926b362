#include "ProfileSettings.h"

#include "AppLogging.h"
#include "SettingsErrors.h"

#include "api/ProfileApi.h"
#include "media/Avatars.h"
#include "store/LocalStore.h"
#include "text/Avatar.h"

using namespace Client;

namespace App {

ProfileSettings::ProfileSettings(QObject *parent)
    : ProfileSettings(nullptr, parent)
{
}

ProfileSettings::ProfileSettings(Account *account, QObject *parent)
    : AccountSection(parent)
{
    setAccount(account);
}

ProfileSettings::~ProfileSettings() = default;

void ProfileSettings::accountSwitched()
{
    m_requests = 0;
    if (Account *account = this->account()) {
        LocalStore *store = account->store();
        connect(store, &LocalStore::profileChanged, this, &ProfileSettings::readProfile);
        // A name changed on another device arrives as a `user` event about oneself, which the
        // core files under users, not under the profile.
        connect(store, &LocalStore::usersChanged, this, [this, store](const QList<qint64> &ids) {
            if (ids.contains(store->selfId()))
                readProfile();
        });
        // The own photo became drawable (uploaded here, or downloaded when set elsewhere).
        connect(account->avatars(), &Avatars::changed, this, &ProfileSettings::profileChanged);
    }
    m_photoRequests = 0;
    readProfile();
    clearError();
    Q_EMIT savingChanged();
}

void ProfileSettings::readProfile()
{
    QString name;
    if (const Account *account = this->account()) {
        const LocalStore *store = account->store();
        const std::optional<Protocol::UserInfo> self = store->user(store->selfId());
        name = self && !self->displayName.isEmpty() ? self->displayName
                                                    : store->profile().user.displayName;
    }
    m_displayName = name;
    Q_EMIT profileChanged();
}

QString ProfileSettings::username() const
{
    return account() ? account()->username() : QString();
}

QString ProfileSettings::serverAddress() const
{
    return account() ? account()->serverUrl().toString() : QString();
}

QString ProfileSettings::initials() const
{
    return Avatar::initials(m_displayName.isEmpty() ? username() : m_displayName);
}

QString ProfileSettings::avatarColor() const
{
    return account() ? Avatar::color(account()->store()->selfId()) : QString();
}

int ProfileSettings::maxDisplayNameLength()
{
    return Protocol::Limits::MaxDisplayNameLength;
}

bool ProfileSettings::saveDisplayName(const QString &name)
{
    Account *account = this->account();
    if (!account)
        return false;
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) {
        setError(tr("Type a name: others see it instead of your username."));
        return false;
    }
    if (trimmed.size() > Protocol::Limits::MaxDisplayNameLength) {
        setError(tr("The name is too long: at most %n characters.", nullptr,
                    Protocol::Limits::MaxDisplayNameLength));
        return false;
    }
    setError({});
    ProfileUpdate update;
    update.displayName = trimmed;
    ++m_requests;
    Q_EMIT savingChanged();
    // The store learns the profile from the answer, even when this screen is gone by then.
    ProfileApi(account->connection(), account->store())
        .update(update)
        .onFinished(
            this, [this, epoch = epoch()](const Reply &reply, const Protocol::ProfileInfo &) {
                if (!isCurrent(epoch))
                    return; // another account by now
                --m_requests;
                Q_EMIT savingChanged();
                if (reply.isOk()) {
                    Q_EMIT displayNameSaved();
                    return;
                }
                qCInfo(lcSettings) << "profile.update failed:" << reply.describe();
                setError(tr("The name was not changed. %1").arg(SettingsErrors::describe(reply)));
            });
    return true;
}

void ProfileSettings::clearError()
{
    setError({});
    setPhotoError({});
}

void ProfileSettings::setError(const QString &error)
{
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

} // namespace App
