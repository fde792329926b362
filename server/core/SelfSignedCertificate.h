#pragma once

#include <QString>

namespace Server {

//! A self-signed certificate for a server nobody set TLS up for: "host a server on this
//! computer", or `messengerd --tls self-signed` on a laptop. Clients cannot check it against a
//! certificate authority, so they pin it: the user compares the SHA-256 fingerprint the server
//! prints (and the hosting app shows) with the one their client shows, once.
namespace SelfSignedCertificate {

struct Files
{
    QString certificate; //!< PEM
    QString privateKey; //!< PEM, readable by the owner only
};

//! The certificate and key in `dir` (cert.pem, key.pem), made first if they are not there: a
//! P-256 key and a certificate valid for ten years, for localhost, this machine's host name and
//! its addresses. An existing pair is kept as it is, so its fingerprint stays the same across
//! restarts. False with a reason when they can neither be read nor made.
bool ensure(const QString &dir, Files *files, QString *error);

//! "AB:CD:…": SHA-256 of the DER form of the first certificate in a PEM file, as
//! `openssl x509 -noout -fingerprint -sha256` prints it; empty when the file is not a certificate.
QString fingerprintOfFile(const QString &pemFile);

} // namespace SelfSignedCertificate

} // namespace Server
