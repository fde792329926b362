#pragma once

#include "account/Account.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSettings>

namespace App {

//! The settings' Media section: below which size photos and voice notes download by themselves
//! (kept in app.ini under AutoDownloadKey, applied to the account's MediaTransfers), and the media
//! cache's size with Clear (never the files of running transfers).
class MediaSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY changed)
    Q_PROPERTY(QSettings *settings READ settings WRITE setSettings NOTIFY changed)
    //! Bytes; 0: nothing downloads by itself. (double for QML: qmllint 6.4 knows no qint64.)
    Q_PROPERTY(double autoDownloadBytes READ autoDownloadBytesForQml WRITE
                   setAutoDownloadBytesForQml NOTIFY changed)
    //! As of the last refresh() or clearCache().
    Q_PROPERTY(double cacheBytes READ cacheBytesForQml NOTIFY cacheBytesChanged)
public:
    static constexpr QLatin1StringView AutoDownloadKey {"media/autoDownloadBytes"};

    explicit MediaSettings(QObject *parent = nullptr);

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);
    QSettings *settings() const { return m_settings; }
    void setSettings(QSettings *settings);
    qint64 autoDownloadBytes() const;
    void setAutoDownloadBytes(qint64 bytes);
    qint64 cacheBytes() const { return m_cacheBytes; }
    double autoDownloadBytesForQml() const { return double(autoDownloadBytes()); }
    void setAutoDownloadBytesForQml(double bytes) { setAutoDownloadBytes(qint64(bytes)); }
    double cacheBytesForQml() const { return double(m_cacheBytes); }

    Q_INVOKABLE void refresh();
    Q_INVOKABLE void clearCache();

Q_SIGNALS:
    void changed();
    void cacheBytesChanged();

private:
    void apply();

    QPointer<Client::Account> m_account;
    QPointer<QSettings> m_settings;
    qint64 m_cacheBytes = 0;
};

} // namespace App
