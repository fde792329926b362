#pragma once

#include <QHash>
#include <QSslCertificate>
#include <QString>

namespace Client {

//! Certificates the user trusted by hand: a self-hosted server with a self-signed certificate is
//! accepted when its SHA-256 fingerprint is the one the user confirmed for that host and port.
//! Kept in a small JSON file (fingerprints are public, not secrets); several accounts share one.
class TrustStore
{
public:
    //! filePath may be empty: then nothing is remembered beyond this object's life.
    explicit TrustStore(QString filePath = {});

    //! "AB:CD:…" — SHA-256 of the certificate's DER, as `openssl x509 -fingerprint -sha256`
    //! prints it, so a user can compare it with what the server's operator shows.
    static QString fingerprint(const QSslCertificate &certificate);

    //! The fingerprint trusted for host:port, or empty.
    QString pinnedFingerprint(const QString &host, int port) const;
    //! Remembers the user's explicit choice; false with a reason when it cannot be saved.
    bool trust(const QString &host, int port, const QString &fingerprint, QString *error = nullptr);
    void forget(const QString &host, int port);

private:
    static QString key(const QString &host, int port);
    void load();
    bool save(QString *error) const;

    QString m_filePath;
    QHash<QString, QString> m_pins;
};

} // namespace Client
