#include "TlsFiles.h"

#include <QCryptographicHash>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace Server {

namespace {

// Qt has no "does this key belong to this certificate"; OpenSSL's X509_check_private_key does.
bool keyMatches(const QByteArray &certificatePem, const QByteArray &keyPem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> certificateBio(
        BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size())), BIO_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(
        BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())), BIO_free);
    if (!certificateBio || !keyBio)
        return false;
    std::unique_ptr<X509, decltype(&X509_free)> certificate(
        PEM_read_bio_X509(certificateBio.get(), nullptr, nullptr, nullptr), X509_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    return certificate && key && X509_check_private_key(certificate.get(), key.get()) == 1;
}

} // namespace

bool TlsFiles::load(const QString &certificateFile, const QString &keyFile, TlsFiles *out,
                    QString *error)
{
    QFile certificateIn(certificateFile), keyIn(keyFile);
    if (!certificateIn.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the TLS certificate %1: %2")
                     .arg(certificateFile, certificateIn.errorString());
        return false;
    }
    if (!keyIn.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the TLS key %1: %2").arg(keyFile, keyIn.errorString());
        return false;
    }
    const QByteArray certificatePem = certificateIn.readAll();
    const QByteArray keyPem = keyIn.readAll();
    const auto chain = QSslCertificate::fromData(certificatePem, QSsl::Pem);
    if (chain.isEmpty()) {
        *error =
            QStringLiteral("the TLS certificate %1 is not a PEM certificate").arg(certificateFile);
        return false;
    }
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull()) {
        *error = QStringLiteral("the TLS key %1 is not a PEM RSA or EC private key").arg(keyFile);
        return false;
    }
    if (!keyMatches(certificatePem, keyPem)) {
        *error = QStringLiteral("the TLS key %1 does not belong to the certificate %2")
                     .arg(keyFile, certificateFile);
        return false;
    }
    out->configuration = QSslConfiguration::defaultConfiguration();
    out->configuration.setLocalCertificateChain(chain);
    out->configuration.setPrivateKey(key);
    out->configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    out->fingerprint = QString::fromLatin1(
        chain.constFirst().digest(QCryptographicHash::Sha256).toHex(':').toUpper());
    return true;
}

} // namespace Server
