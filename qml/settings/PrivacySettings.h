#pragma once

#include "AccountSection.h"

#include <optional>

namespace Client {
struct ProfileUpdate;
} // namespace Client

namespace App {

//! The settings' Privacy section: what others learn about the user (read receipts, last seen),
//! kept on the server for every device. A switch shows its new value at once and falls back,
//! with privacyError, when the server does not take it.
class PrivacySettings : public App::AccountSection // qmltyperegistrar 6.4 needs the App::
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(
        bool sendReadReceipts READ sendReadReceipts WRITE setSendReadReceipts NOTIFY privacyChanged)
    Q_PROPERTY(bool hideLastSeen READ hideLastSeen WRITE setHideLastSeen NOTIFY privacyChanged)
    //! A change is on its way to the server.
    Q_PROPERTY(bool saving READ isSaving NOTIFY savingChanged)
    //! Why the last change did not go through, in words; empty after a success or clearError().
    Q_PROPERTY(QString privacyError READ privacyError NOTIFY errorChanged)
public:
    explicit PrivacySettings(QObject *parent = nullptr);
    explicit PrivacySettings(Client::Account *account, QObject *parent = nullptr);
    ~PrivacySettings() override;

    bool sendReadReceipts() const;
    void setSendReadReceipts(bool send);
    bool hideLastSeen() const;
    void setHideLastSeen(bool hide);
    bool isSaving() const { return m_requests > 0; }
    QString privacyError() const { return m_error; }

    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void privacyChanged();
    void savingChanged();
    void errorChanged();

protected:
    void accountSwitched() override;

private:
    //! Sends `update` with `value` shown meanwhile (*pending); *generation orders the answers.
    void sendUpdate(const Client::ProfileUpdate &update, std::optional<bool> *pending,
                    quint64 *generation, bool value);
    void setError(const QString &error);

    std::optional<bool> m_pendingReceipts; //!< sent, not yet answered: shown instead of the store's
    std::optional<bool> m_pendingHideLastSeen;
    quint64 m_receiptsGeneration = 0;
    quint64 m_hideLastSeenGeneration = 0;
    int m_requests = 0;
    QString m_error;
};

} // namespace App
