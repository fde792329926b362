#include "PgTools.h"

#include "Backup.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryFile>

namespace Server::Ops::PgTools {

namespace {

QString quoteConnectionValue(const QString &value)
{
    QString quoted = value;
    quoted.replace(QLatin1String("\\"), QLatin1String("\\\\"));
    quoted.replace(QLatin1String("'"), QLatin1String("\\'"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

// A line of ~/.pgpass: host:port:database:user:password, with ':' and '\' escaped.
QString passFileField(const QString &value)
{
    QString escaped = value;
    escaped.replace(QLatin1String("\\"), QLatin1String("\\\\"));
    escaped.replace(QLatin1String(":"), QLatin1String("\\:"));
    return escaped;
}

} // namespace

QString connectionString(const DatabaseConfig &database)
{
    return QStringLiteral("host=%1 port=%2 user=%3 dbname=%4 connect_timeout=10")
        .arg(quoteConnectionValue(database.host),
             quoteConnectionValue(QString::number(database.port)),
             quoteConnectionValue(database.user), quoteConnectionValue(database.name));
}

void run(const QString &program, const DatabaseConfig &database, const QStringList &arguments)
{
    const QString path = QStandardPaths::findExecutable(program);
    if (path.isEmpty())
        throw BackupError(BackupExit::ToolFailed,
                          QStringLiteral("%1 was not found on PATH; install the PostgreSQL "
                                         "client programs (Debian: postgresql-client)")
                              .arg(program));

    // QTemporaryFile creates its file with mode 0600, which libpq insists on.
    QTemporaryFile passFile;
    if (!passFile.open())
        throw BackupError(BackupExit::Failed,
                          QStringLiteral("cannot create a temporary password file: %1")
                              .arg(passFile.errorString()));
    const QString line = QStringLiteral("*:*:*:%1:%2\n")
                             .arg(passFileField(database.user), passFileField(database.password));
    if (passFile.write(line.toUtf8()) < 0 || !passFile.flush())
        throw BackupError(BackupExit::Failed,
                          QStringLiteral("cannot write the temporary password file: %1")
                              .arg(passFile.errorString()));

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("PGPASSWORD"));
    environment.remove(QStringLiteral("MESSENGERD_DB_PASSWORD"));
    environment.insert(QStringLiteral("PGPASSFILE"), passFile.fileName());
    QProcess process;
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.setStandardOutputFile(QProcess::nullDevice());
    process.start(path,
                  QStringList {QStringLiteral("--no-password"), QStringLiteral("--dbname"),
                               connectionString(database)}
                      + arguments);
    if (!process.waitForStarted(30'000))
        throw BackupError(BackupExit::ToolFailed,
                          QStringLiteral("%1 did not start: %2").arg(path, process.errorString()));
    process.waitForFinished(-1);
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QString output = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
        QStringList lines = output.split(QLatin1Char('\n'));
        if (lines.size() > 10)
            lines = lines.mid(lines.size() - 10);
        throw BackupError(BackupExit::ToolFailed,
                          QStringLiteral("%1 failed (exit %2): %3")
                              .arg(program)
                              .arg(process.exitStatus() == QProcess::NormalExit
                                       ? QString::number(process.exitCode())
                                       : QStringLiteral("crashed"))
                              .arg(lines.join(QLatin1Char('\n'))));
    }
}

} // namespace Server::Ops::PgTools
