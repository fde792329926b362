#include "TrustStore.h"

#include "ClientLogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace Client {

TrustStore::TrustStore(QString filePath)
    : m_filePath(std::move(filePath))
{
    load();
}

QString TrustStore::fingerprint(const QSslCertificate &certificate)
{
    const QByteArray digest = certificate.digest(QCryptographicHash::Sha256);
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

QString TrustStore::key(const QString &host, int port)
{
    return host.toLower() + u':' + QString::number(port);
}

QString TrustStore::pinnedFingerprint(const QString &host, int port) const
{
    return m_pins.value(key(host, port));
}

bool TrustStore::trust(const QString &host, int port, const QString &fingerprint, QString *error)
{
    m_pins.insert(key(host, port), fingerprint.toUpper());
    return save(error);
}

void TrustStore::forget(const QString &host, int port)
{
    if (m_pins.remove(key(host, port)))
        save(nullptr);
}

void TrustStore::load()
{
    if (m_filePath.isEmpty())
        return;
    QFile file(m_filePath);
    if (!file.open(QIODevice::ReadOnly))
        return; // nothing trusted yet
    const QJsonObject pins = QJsonDocument::fromJson(file.readAll()).object();
    for (auto it = pins.begin(); it != pins.end(); ++it)
        m_pins.insert(it.key(), it.value().toString());
}

bool TrustStore::save(QString *error) const
{
    if (m_filePath.isEmpty())
        return true;
    QJsonObject pins;
    for (auto it = m_pins.begin(); it != m_pins.end(); ++it)
        pins.insert(it.key(), it.value());
    QDir().mkpath(QFileInfo(m_filePath).absolutePath());
    // QSaveFile: a crash while writing must not lose the pins that were there before.
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(pins).toJson()) < 0
        || !file.commit()) {
        qCWarning(lcClientConnection)
            << "cannot save trusted certificates to" << m_filePath << file.errorString();
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace Client
