#include "PasswordSettings.h"

#include "AppLogging.h"
#include "SettingsErrors.h"

#include "api/ProfileApi.h"

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

PasswordSettings::PasswordSettings(QObject *parent)
    : PasswordSettings(nullptr, parent)
{
}

PasswordSettings::PasswordSettings(Account *account, QObject *parent)
    : AccountSection(parent)
{
    setAccount(account);
}

PasswordSettings::~PasswordSettings() = default;

void PasswordSettings::accountSwitched()
{
    m_requests = 0;
    clearError();
    Q_EMIT changingChanged();
}

int PasswordSettings::minPasswordLength()
{
    return Protocol::Limits::MinPasswordLength;
}

bool PasswordSettings::changePassword(const QString &currentPassword, const QString &newPassword,
                                      const QString &repeatedPassword)
{
    using namespace Protocol::Limits;
    Account *account = this->account();
    if (!account)
        return false;
    if (currentPassword.isEmpty()) {
        setError(tr("Type your current password."), u"current"_s);
        return false;
    }
    // Lengths in UTF-16 code units, as the server counts them.
    if (newPassword.size() < MinPasswordLength) {
        setError(tr("The new password is too short: use at least %n characters.", nullptr,
                    MinPasswordLength),
                 u"new"_s);
        return false;
    }
    if (newPassword.size() > MaxPasswordLength) {
        setError(
            tr("The new password is too long: at most %n characters.", nullptr, MaxPasswordLength),
            u"new"_s);
        return false;
    }
    if (repeatedPassword != newPassword) {
        setError(tr("The new passwords do not match. Type the same password twice."), u"repeat"_s);
        return false;
    }
    if (newPassword == currentPassword) {
        setError(tr("The new password is the same as the current one."), u"new"_s);
        return false;
    }
    if (currentPassword.size()
        > MaxPasswordLength) { // cannot be right, and the server would refuse the frame
        setError(tr("The current password is wrong."), u"current"_s);
        return false;
    }
    setError({}, {});
    ++m_requests;
    Q_EMIT changingChanged();
    ProfileApi(account->connection(), account->store())
        .changePassword(currentPassword, newPassword)
        .onFinished(this, [this, epoch = epoch()](const Reply &reply) {
            if (!isCurrent(epoch))
                return;
            --m_requests;
            Q_EMIT changingChanged();
            if (reply.isOk()) {
                Q_EMIT passwordUpdated();
            } else if (reply.origin == Reply::Origin::Server
                       && reply.error == Protocol::ErrorCode::InvalidCredentials) {
                setError(tr("The current password is wrong."), u"current"_s);
            } else {
                qCInfo(lcSettings) << "password.change failed:" << reply.describe();
                setError(
                    tr("The password was not changed. %1").arg(SettingsErrors::describe(reply)),
                    {});
            }
        });
    return true;
}

void PasswordSettings::clearError()
{
    setError({}, {});
}

void PasswordSettings::setError(const QString &message, const QString &field)
{
    if (m_error == message && m_errorField == field)
        return;
    m_error = message;
    m_errorField = field;
    Q_EMIT errorChanged();
}

} // namespace App
