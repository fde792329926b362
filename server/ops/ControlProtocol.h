#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Server {

//! The control socket's protocol (<data-dir>/control.sock): the admin commands, run as separate
//! processes, ask the running server to act on what they changed in the database. One line in,
//! one line out, each at most MaxLineBytes; then the server closes the connection.
//!
//!   sign-out-user <user id>   →  ok <connections closed>   |  error <reason>
//!   ping                      →  ok 0
namespace ControlProtocol {

inline constexpr qsizetype MaxLineBytes = 256;

struct Command
{
    enum class Kind { Invalid, Ping, SignOutUser };
    Kind kind = Kind::Invalid;
    qint64 userId = 0;
    QString error; //!< why the line is Invalid
};

//! Parses one line (without its '\n').
Command parse(QByteArrayView line);
QByteArray encodeSignOutUser(qint64 userId);
QByteArray okLine(qint64 count);
QByteArray errorLine(const QString &reason);

} // namespace ControlProtocol

} // namespace Server
