#include "SelfSignedCertificate.h"

#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <QNetworkInterface>
#include <QSaveFile>
#include <QSslCertificate>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace Server {

namespace SelfSignedCertificate {

namespace {

constexpr long ValiditySeconds = 10L * 365 * 24 * 3600;

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Ext = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

void freeBio(BIO *bio)
{
    BIO_free(bio);
}
using Bio = std::unique_ptr<BIO, Deleter<BIO, freeBio>>;

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

//! "DNS:localhost,IP:127.0.0.1,…": every name a client on this machine or its networks may use.
QByteArray subjectAltNames()
{
    QStringList names {QStringLiteral("DNS:localhost")};
    const QString host = QHostInfo::localHostName();
    if (!host.isEmpty() && host != QLatin1String("localhost"))
        names << QStringLiteral("DNS:") + host;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLinkLocal())
            continue;
        QHostAddress plain = address;
        plain.setScopeId({});
        names << QStringLiteral("IP:") + plain.toString();
    }
    names.removeDuplicates();
    return names.join(u',').toLatin1();
}

bool addExtension(X509 *cert, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
    const Ext extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData()));
    return extension && X509_add_ext(cert, extension.get(), -1) == 1;
}

bool make(QByteArray *certificatePem, QByteArray *keyPem)
{
    const PKey key(EVP_EC_gen("P-256"));
    const Cert cert(X509_new());
    if (!key || !cert)
        return false;
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return false;
    serial[0] &= 0x7f; // a positive integer
    BIGNUM *serialNumber = BN_bin2bn(serial, sizeof serial, nullptr);
    const bool serialSet =
        serialNumber && BN_to_ASN1_INTEGER(serialNumber, X509_get_serialNumber(cert.get()));
    BN_free(serialNumber);
    if (!serialSet || X509_set_version(cert.get(), 2) != 1
        || !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600)
        || !X509_gmtime_adj(X509_getm_notAfter(cert.get()), ValiditySeconds)
        || X509_set_pubkey(cert.get(), key.get()) != 1)
        return false;
    X509_NAME *name = X509_get_subject_name(cert.get());
    const QByteArray commonName =
        (QStringLiteral("messengerd on ") + QHostInfo::localHostName()).toUtf8().left(64);
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(commonName.constData()),
                                   int(commonName.size()), -1, 0)
            != 1
        || X509_set_issuer_name(cert.get(), name) != 1)
        return false;
    if (!addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(cert.get(), NID_key_usage, "critical,digitalSignature")
        || !addExtension(cert.get(), NID_ext_key_usage, "serverAuth")
        || !addExtension(cert.get(), NID_subject_alt_name, subjectAltNames()))
        return false;
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return false;

    const Bio certBio(BIO_new(BIO_s_mem()));
    const Bio keyBio(BIO_new(BIO_s_mem()));
    if (!certBio || !keyBio || PEM_write_bio_X509(certBio.get(), cert.get()) != 1
        || PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
            != 1)
        return false;
    *certificatePem = bioBytes(certBio.get());
    *keyPem = bioBytes(keyBio.get());
    return true;
}

bool writeFile(const QString &path, const QByteArray &data, QFileDevice::Permissions permissions,
               QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(permissions)
        || file.write(data) != data.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

bool ensure(const QString &dir, Files *files, QString *error)
{
    const QDir folder(dir);
    files->certificate = folder.filePath(QStringLiteral("cert.pem"));
    files->privateKey = folder.filePath(QStringLiteral("key.pem"));
    const bool haveCert = QFile::exists(files->certificate);
    if (haveCert && QFile::exists(files->privateKey))
        return true;
    if (!QDir().mkpath(dir)) {
        *error = QStringLiteral("cannot create %1").arg(dir);
        return false;
    }
    QByteArray certificatePem, keyPem;
    if (!make(&certificatePem, &keyPem)) {
        *error = QStringLiteral("OpenSSL could not make a self-signed certificate");
        return false;
    }
    // The key first: a certificate without its key would be kept by the next start.
    return writeFile(files->privateKey, keyPem, QFileDevice::ReadOwner | QFileDevice::WriteOwner,
                     error)
        && writeFile(files->certificate, certificatePem,
                     QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup
                         | QFileDevice::ReadOther,
                     error);
}

QString fingerprintOfFile(const QString &pemFile)
{
    QFile file(pemFile);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QSslCertificate> chain = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
    if (chain.isEmpty())
        return {};
    return QString::fromLatin1(
        chain.constFirst().digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

} // namespace SelfSignedCertificate

} // namespace Server
