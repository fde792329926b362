#pragma once

#include <QSslConfiguration>
#include <QString>

namespace Server {

//! The server's certificate chain and private key, read from their PEM files.
struct TlsFiles
{
    QSslConfiguration configuration; //!< ready for QSslServer
    QString fingerprint; //!< SHA-256 of the leaf certificate, "AB:CD:…"

    //! Reads both files and checks that the key belongs to the first certificate. False with a
    //! reason naming the file otherwise.
    static bool load(const QString &certificateFile, const QString &keyFile, TlsFiles *out,
                     QString *error);
};

} // namespace Server
