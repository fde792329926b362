#include "MediaSettings.h"

#include "media/MediaTransfers.h"

namespace App {

MediaSettings::MediaSettings(QObject *parent)
    : QObject(parent)
{
}

void MediaSettings::setAccount(Client::Account *account)
{
    if (m_account == account)
        return;
    m_account = account;
    apply();
    refresh();
    Q_EMIT changed();
}

void MediaSettings::setSettings(QSettings *settings)
{
    if (m_settings == settings)
        return;
    m_settings = settings;
    apply();
    Q_EMIT changed();
}

qint64 MediaSettings::autoDownloadBytes() const
{
    const qint64 fallback = Client::MediaTransfers::DefaultAutoDownloadBytes;
    return m_settings ? m_settings->value(AutoDownloadKey, fallback).toLongLong() : fallback;
}

void MediaSettings::setAutoDownloadBytes(qint64 bytes)
{
    if (!m_settings || bytes < 0 || bytes == autoDownloadBytes())
        return;
    m_settings->setValue(AutoDownloadKey, bytes);
    apply();
    Q_EMIT changed();
}

void MediaSettings::apply()
{
    if (m_account && m_account->media())
        m_account->media()->setAutoDownloadBytes(autoDownloadBytes());
}

void MediaSettings::refresh()
{
    const qint64 bytes = m_account && m_account->media() ? m_account->media()->cacheBytes() : 0;
    if (bytes == m_cacheBytes)
        return;
    m_cacheBytes = bytes;
    Q_EMIT cacheBytesChanged();
}

void MediaSettings::clearCache()
{
    if (m_account && m_account->media())
        m_account->media()->clearCache();
    refresh();
}

} // namespace App
