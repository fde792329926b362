#include "AccountAdmin.h"

#include "AccountQueries.h"
#include "PasswordHasher.h"

#include "storage/Database.h"

#include <QVariant>

namespace Server {

using Protocol::ErrorCode;

namespace AccountAdmin {

QString createInvite(Database &db, int uses, qint64 validForMs)
{
    return AccountQueries::createInvite(db, uses, validForMs);
}

qint64 createUser(Database &db, const QString &username, const QString &displayName,
                  const QString &password, quint64 opsLimit, quint64 memLimit)
{
    if (!Protocol::isValidUsername(username.toLower()))
        throw StoreError(
            ErrorCode::InvalidField,
            QStringLiteral(
                "a username is 3 to 32 of a-z, 0-9, _ and ., starting with a letter or digit"));
    if (password.size() < Protocol::Limits::MinPasswordLength)
        throw StoreError(ErrorCode::InvalidField,
                         QStringLiteral("a password has at least %1 characters")
                             .arg(Protocol::Limits::MinPasswordLength));
    const QString hash = PasswordHasher::hashNow(password, opsLimit, memLimit);
    db.begin();
    try {
        const qint64 id = AccountQueries::insertUser(
            db, username, displayName.isEmpty() ? username : displayName, hash);
        db.commit();
        return id;
    } catch (...) {
        db.rollback();
        throw;
    }
}

bool resetPassword(Database &db, const QString &username, const QString &password, quint64 opsLimit,
                   quint64 memLimit)
{
    const auto user = AccountQueries::findUser(db, username);
    if (!user)
        return false;
    const QString hash = PasswordHasher::hashNow(password, opsLimit, memLimit);
    db.begin();
    try {
        AccountQueries::setPasswordHash(db, user->profile.user.id, hash);
        QSqlQuery &q = db.prepare(QStringLiteral("DELETE FROM devices WHERE user_id = ?"));
        q.addBindValue(user->profile.user.id);
        db.exec(q);
        db.commit();
        return true;
    } catch (...) {
        db.rollback();
        throw;
    }
}

} // namespace AccountAdmin

} // namespace Server
