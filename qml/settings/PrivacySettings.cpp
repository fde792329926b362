#include "PrivacySettings.h"

#include "AppLogging.h"
#include "SettingsErrors.h"

#include "api/ProfileApi.h"
#include "store/LocalStore.h"

using namespace Client;

namespace App {

PrivacySettings::PrivacySettings(QObject *parent)
    : PrivacySettings(nullptr, parent)
{
}

PrivacySettings::PrivacySettings(Account *account, QObject *parent)
    : AccountSection(parent)
{
    setAccount(account);
}

PrivacySettings::~PrivacySettings() = default;

void PrivacySettings::accountSwitched()
{
    m_pendingReceipts.reset();
    m_pendingHideLastSeen.reset();
    m_requests = 0;
    if (Account *account = this->account())
        connect(account->store(), &LocalStore::profileChanged, this,
                &PrivacySettings::privacyChanged);
    clearError();
    Q_EMIT privacyChanged();
    Q_EMIT savingChanged();
}

bool PrivacySettings::sendReadReceipts() const
{
    if (m_pendingReceipts)
        return *m_pendingReceipts;
    return account() ? account()->store()->profile().sendReadReceipts : true;
}

void PrivacySettings::setSendReadReceipts(bool send)
{
    if (send == sendReadReceipts())
        return;
    ProfileUpdate update;
    update.sendReadReceipts = send;
    sendUpdate(update, &m_pendingReceipts, &m_receiptsGeneration, send);
}

bool PrivacySettings::hideLastSeen() const
{
    if (m_pendingHideLastSeen)
        return *m_pendingHideLastSeen;
    return account() && account()->store()->profile().hideLastSeen;
}

void PrivacySettings::setHideLastSeen(bool hide)
{
    if (hide == hideLastSeen())
        return;
    ProfileUpdate update;
    update.hideLastSeen = hide;
    sendUpdate(update, &m_pendingHideLastSeen, &m_hideLastSeenGeneration, hide);
}

void PrivacySettings::sendUpdate(const ProfileUpdate &update, std::optional<bool> *pending,
                                 quint64 *generation, bool value)
{
    Account *account = this->account();
    if (!account)
        return;
    *pending = value;
    const quint64 sent = ++*generation;
    setError({});
    ++m_requests;
    Q_EMIT savingChanged();
    Q_EMIT privacyChanged();
    // The store learns the profile from the answer, even when this screen is gone by then.
    ProfileApi(account->connection(), account->store())
        .update(update)
        .onFinished(this,
                    [this, pending, generation, sent,
                     epoch = epoch()](const Reply &reply, const Protocol::ProfileInfo &) {
                        if (!isCurrent(epoch))
                            return; // another account by now
                        --m_requests;
                        Q_EMIT savingChanged();
                        // A later switch of the same setting is still on its way: that one has the
                        // last word.
                        if (sent == *generation)
                            pending->reset();
                        if (!reply.isOk()) {
                            qCInfo(lcSettings) << "profile.update failed:" << reply.describe();
                            setError(tr("The privacy setting was not changed. %1")
                                         .arg(SettingsErrors::describe(reply)));
                        }
                        Q_EMIT privacyChanged();
                    });
}

void PrivacySettings::clearError()
{
    setError({});
}

void PrivacySettings::setError(const QString &error)
{
    if (m_error == error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

} // namespace App
