#include "ControlProtocol.h"

namespace Server {

namespace ControlProtocol {

Command parse(QByteArrayView line)
{
    Command command;
    if (line.size() > MaxLineBytes) {
        command.error = QStringLiteral("line too long");
        return command;
    }
    if (line.endsWith('\r'))
        line.chop(1);
    if (line == "ping") {
        command.kind = Command::Kind::Ping;
        return command;
    }
    constexpr QByteArrayView signOut("sign-out-user ");
    if (line.startsWith(signOut)) {
        const QByteArrayView digits = line.sliced(signOut.size());
        // Digits only: no sign, no spaces, no leading zeros games; at most 18 (fits qint64).
        bool allDigits = !digits.isEmpty() && digits.size() <= 18;
        for (const char c : digits)
            allDigits = allDigits && c >= '0' && c <= '9';
        const qint64 id = allDigits ? digits.toLongLong() : 0;
        if (id <= 0) {
            command.error = QStringLiteral("sign-out-user needs a positive user id");
            return command;
        }
        command.kind = Command::Kind::SignOutUser;
        command.userId = id;
        return command;
    }
    command.error = QStringLiteral("unknown command");
    return command;
}

QByteArray encodeSignOutUser(qint64 userId)
{
    return "sign-out-user " + QByteArray::number(userId) + '\n';
}

QByteArray okLine(qint64 count)
{
    return "ok " + QByteArray::number(count) + '\n';
}

QByteArray errorLine(const QString &reason)
{
    QByteArray text = reason.toUtf8().left(MaxLineBytes - 8);
    text.replace('\n', ' ');
    return "error " + text + '\n';
}

} // namespace ControlProtocol

} // namespace Server
