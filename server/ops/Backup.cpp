#include "Backup.h"

#include "BackupFiles.h"
#include "BackupManifest.h"
#include "PgTools.h"
#include "runtime/DataDirLock.h"
#include "storage/Migrations.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>
#include <QThread>
#include <QVariant>

#include <algorithm>

#include <fcntl.h>
#include <unistd.h>

namespace Server::Ops {

namespace {

const QString blobFolder = QString::fromLatin1(BackupManifest::BlobFolder);
constexpr int OtherConnectionsGraceMs = 5000;

QString driverName(const DatabaseConfig &database)
{
    return database.driver == DatabaseConfig::Driver::Sqlite ? QStringLiteral("sqlite")
                                                             : QStringLiteral("postgres");
}

int schemaVersionOf(const DatabaseConfig &database)
{
    try {
        Database db(database, QStringLiteral("messengerd-backup"));
        db.open();
        return db.schemaVersion();
    } catch (const StoreError &error) {
        throw BackupError(BackupExit::Failed, error.message());
    }
}

// --- backup ---------------------------------------------------------------------------------

void prepareBackupFolder(const QString &dir)
{
    const QFileInfo info(dir);
    if (info.exists() && !info.isDir())
        throw BackupError(BackupExit::Usage, QStringLiteral("%1 is not a folder").arg(dir));
    if (info.exists() && !QDir(dir).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden))
        throw BackupError(BackupExit::Usage,
                          QStringLiteral("%1 is not empty; back up into a new folder").arg(dir));
    if (!QDir().mkpath(dir))
        throw BackupError(BackupExit::Failed, QStringLiteral("cannot create %1").arg(dir));
    QFile::setPermissions(dir,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

BackupFile backupSqlite(const DatabaseConfig &database, const QString &dir)
{
    if (!QFileInfo(database.sqlitePath).isFile())
        throw BackupError(BackupExit::Failed,
                          QStringLiteral("there is no database at %1").arg(database.sqlitePath));
    const QString name = QString::fromLatin1(BackupManifest::SqliteFile);
    const QString path = QDir(dir).filePath(name);
    try {
        // One read transaction: a consistent copy while the server keeps writing (WAL).
        Database db(database, QStringLiteral("messengerd-backup"));
        db.open();
        QSqlQuery &vacuum = db.prepare(QStringLiteral("VACUUM INTO ?"));
        vacuum.addBindValue(path);
        db.exec(vacuum);
    } catch (const StoreError &error) {
        throw BackupError(BackupExit::Failed,
                          QStringLiteral("the SQLite backup failed: %1").arg(error.message()));
    }
    return BackupFiles::digest(path, name);
}

BackupFile backupPostgres(const DatabaseConfig &database, const QString &dir)
{
    const QString name = QString::fromLatin1(BackupManifest::PostgresFile);
    const QString path = QDir(dir).filePath(name);
    PgTools::run(QStringLiteral("pg_dump"), database,
                 {QStringLiteral("--format=custom"), QStringLiteral("--no-owner"),
                  QStringLiteral("--no-privileges"), QStringLiteral("--file"), path});
    return BackupFiles::digest(path, name);
}

// --- restore --------------------------------------------------------------------------------

BackupManifest readAndVerify(const QString &dir)
{
    if (!QFileInfo(dir).isDir())
        throw BackupError(BackupExit::BadBackup, QStringLiteral("there is no folder %1").arg(dir));
    QFile file(QDir(dir).filePath(QString::fromLatin1(BackupManifest::FileName)));
    if (!file.open(QIODevice::ReadOnly))
        throw BackupError(BackupExit::BadBackup,
                          QStringLiteral("%1 has no readable %2: not a complete backup")
                              .arg(dir, QString::fromLatin1(BackupManifest::FileName)));
    QString error;
    const auto manifest = BackupManifest::fromJson(file.readAll(), &error);
    if (!manifest)
        throw BackupError(BackupExit::BadBackup, error);
    for (const BackupFile &expected : manifest->files) {
        const QString path = QDir(dir).filePath(expected.path);
        if (!QFileInfo(path).isFile())
            throw BackupError(BackupExit::BadBackup,
                              QStringLiteral("%1 is missing from the backup").arg(expected.path));
        const BackupFile actual = BackupFiles::digest(path, expected.path);
        if (actual.size != expected.size || actual.sha256 != expected.sha256)
            throw BackupError(BackupExit::DigestMismatch,
                              QStringLiteral("%1 does not match the manifest (%2 bytes, SHA-256 "
                                             "%3; the manifest says %4 bytes, %5)")
                                  .arg(expected.path)
                                  .arg(actual.size)
                                  .arg(QString::fromLatin1(actual.sha256))
                                  .arg(expected.size)
                                  .arg(QString::fromLatin1(expected.sha256)));
    }
    return *manifest;
}

// Every process with the SQLite file open in WAL mode holds a read lock on the "DMS" byte of its
// -shm file (offset 128): a write lock there would be refused while any connection is open.
bool sqliteInUse(const QString &databasePath)
{
    const QByteArray shm = QFile::encodeName(databasePath + QStringLiteral("-shm"));
    const int fd = ::open(shm.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock probe
    {
    };
    probe.l_type = F_WRLCK;
    probe.l_whence = SEEK_SET;
    probe.l_start = 128;
    probe.l_len = 1;
    const bool inUse = ::fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    ::close(fd);
    return inUse;
}

bool sqliteHasData(const QString &path)
{
    if (!QFileInfo(path).isFile() || QFileInfo(path).size() == 0)
        return false;
    bool hasTables = true; // unreadable counts as data: never overwrite it without --force
    const QString name = QStringLiteral("messengerd-restore-check");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open())
            hasTables = !db.tables().isEmpty();
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return hasTables;
}

// What restore finds where it is to write: whether something uses it, whether it holds data.
struct TargetState
{
    QString inUse; //!< why it counts as in use; empty when it does not
    QString holdsData; //!< what data it holds; empty when none
    bool postgresTables = false;
};

TargetState inspectSqlite(const DatabaseConfig &database)
{
    TargetState state;
    const QString target = database.sqlitePath;
    if (sqliteInUse(target))
        state.inUse = QStringLiteral("%1 is open in another process (a running messengerd?); "
                                     "stop it first")
                          .arg(target);
    else if (sqliteHasData(target))
        state.holdsData = QStringLiteral("%1 already holds a database; restore into an empty "
                                         "data folder, or add --force to replace it")
                              .arg(target);
    return state;
}

void restoreSqlite(const BackupManifest &manifest, const QString &dir,
                   const DatabaseConfig &database)
{
    const QString target = database.sqlitePath;
    const BackupFile *file = manifest.databaseFile();
    const QString staged = target + QStringLiteral(".restoring");
    BackupFiles::copy(QDir(dir).filePath(file->path), staged, file->path, file);
    // A last look at the copy before it goes live.
    const QString name = QStringLiteral("messengerd-restore");
    QString problem;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(staged);
        if (!db.open()) {
            problem = db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (!query.exec(QStringLiteral("PRAGMA quick_check")) || !query.next()
                || query.value(0).toString() != QLatin1String("ok"))
                problem = QStringLiteral("quick_check failed");
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    if (!problem.isEmpty()) {
        QFile::remove(staged);
        throw BackupError(BackupExit::Failed,
                          QStringLiteral("the restored database is unusable: %1").arg(problem));
    }
    // The old database's WAL must not be replayed onto the new file: remove it before the rename.
    QFile::remove(target + QStringLiteral("-wal"));
    QFile::remove(target + QStringLiteral("-shm"));
    if (::rename(QFile::encodeName(staged).constData(), QFile::encodeName(target).constData()) != 0)
        throw BackupError(BackupExit::Failed,
                          QStringLiteral("cannot move %1 into place").arg(staged));
    BackupFiles::syncFolder(QFileInfo(target).absolutePath());
}

TargetState inspectPostgres(const DatabaseConfig &database)
{
    int otherConnections = 0;
    int tables = 0;
    try {
        Database db(database, QStringLiteral("messengerd-restore"));
        db.open();
        // A server stopped a moment ago may still have backends on their way out: they get a
        // few seconds; a running server keeps its connections and is refused.
        QDeadlineTimer grace(OtherConnectionsGraceMs);
        for (;;) {
            QSqlQuery &others = db.prepare(QStringLiteral(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"));
            db.exec(others);
            otherConnections = others.next() ? others.value(0).toInt() : 0;
            others.finish();
            if (otherConnections == 0 || grace.hasExpired())
                break;
            QThread::msleep(100);
        }
        QSqlQuery &count = db.prepare(
            QStringLiteral("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"));
        db.exec(count);
        tables = count.next() ? count.value(0).toInt() : 0;
    } catch (const StoreError &error) {
        throw BackupError(BackupExit::Failed, error.message());
    }
    TargetState state;
    if (otherConnections > 0)
        state.inUse = QStringLiteral("%1 other connection(s) use the database %2 (a running "
                                     "messengerd?); stop it first")
                          .arg(otherConnections)
                          .arg(database.name);
    if (tables > 0)
        state.holdsData = QStringLiteral("the database %1 already holds %2 table(s); restore "
                                         "into a new empty database, or add --force to replace "
                                         "them")
                              .arg(database.name)
                              .arg(tables);
    state.postgresTables = tables > 0;
    return state;
}

void restorePostgres(const BackupManifest &manifest, const QString &dir,
                     const DatabaseConfig &database, bool replace)
{
    QStringList arguments {QStringLiteral("--no-owner"), QStringLiteral("--no-privileges"),
                           QStringLiteral("--single-transaction"),
                           QStringLiteral("--exit-on-error")};
    if (replace)
        arguments << QStringLiteral("--clean") << QStringLiteral("--if-exists");
    arguments << QDir(dir).filePath(manifest.databaseFile()->path);
    PgTools::run(QStringLiteral("pg_restore"), database, arguments);
    try {
        // A restored database has no statistics yet; without them the planner guesses (see
        // docs/performance.md, "Fresh database").
        Database db(database, QStringLiteral("messengerd-restore"));
        db.open();
        db.analyze();
    } catch (const StoreError &error) {
        throw BackupError(BackupExit::Failed,
                          QStringLiteral("restored, but ANALYZE failed: %1").arg(error.message()));
    }
}

void restoreBlobs(const BackupManifest &manifest, const QString &dir, const QString &dataDir,
                  QTextStream &out)
{
    const QString target = QDir(dataDir).filePath(blobFolder);
    const QString prefix = blobFolder + QLatin1Char('/');
    int count = 0;
    for (const BackupFile &file : manifest.files) {
        if (!file.path.startsWith(prefix))
            continue;
        BackupFiles::copy(QDir(dir).filePath(file.path), QDir(dataDir).filePath(file.path),
                          file.path, &file);
        ++count;
    }
    if (count > 0)
        out << "restored " << count << " blob file(s) into " << target << Qt::endl;
}

void checkBlobTarget(const BackupManifest &manifest, const QString &dataDir, bool force)
{
    const QString target = QDir(dataDir).filePath(blobFolder);
    if (force || !QFileInfo(target).isDir())
        return;
    const bool listsBlobs =
        std::any_of(manifest.files.begin(), manifest.files.end(), [](const BackupFile &file) {
            return file.path.startsWith(blobFolder + QLatin1Char('/'));
        });
    if (listsBlobs && !BackupFiles::filesUnder(target).isEmpty())
        throw BackupError(BackupExit::TargetNotEmpty,
                          QStringLiteral("%1 already holds files; restore into an empty data "
                                         "folder, or add --force to merge into it")
                              .arg(target));
}

} // namespace

int backup(const BackupTarget &target, const QString &dir, QTextStream &out, QTextStream &err)
{
    try {
        prepareBackupFolder(dir);
        BackupManifest manifest;
        manifest.messengerdVersion = QStringLiteral(MESSENGER_VERSION);
        manifest.driver = driverName(target.database);
        manifest.createdAt = QDateTime::currentDateTimeUtc();
        const bool sqlite = target.database.driver == DatabaseConfig::Driver::Sqlite;
        if (sqlite && !QFileInfo(target.database.sqlitePath).isFile())
            throw BackupError(
                BackupExit::Failed,
                QStringLiteral("there is no database at %1").arg(target.database.sqlitePath));
        manifest.schemaVersion = schemaVersionOf(target.database);
        if (manifest.schemaVersion < 1)
            throw BackupError(BackupExit::Failed,
                              QStringLiteral("the database has no messengerd schema yet"));

        // The database first, the blobs after: blobs are only added while the server runs, so
        // every blob the copied database refers to is already there when the folder is copied.
        manifest.files.append(sqlite ? backupSqlite(target.database, dir)
                                     : backupPostgres(target.database, dir));
        const QString blobs = QDir(target.dataDir).filePath(blobFolder);
        if (QFileInfo(blobs).isDir()) {
            for (const QString &relative : BackupFiles::filesUnder(blobs)) {
                const QString path = blobFolder + QLatin1Char('/') + relative;
                manifest.files.append(BackupFiles::copy(QDir(blobs).filePath(relative),
                                                        QDir(dir).filePath(path), path));
            }
        }
        BackupFiles::syncFolder(dir);

        QSaveFile file(QDir(dir).filePath(QString::fromLatin1(BackupManifest::FileName)));
        if (!file.open(QIODevice::WriteOnly) || file.write(manifest.toJson()) < 0 || !file.commit())
            throw BackupError(
                BackupExit::Failed,
                QStringLiteral("cannot write the manifest: %1").arg(file.errorString()));
        BackupFiles::syncFolder(dir);
        qint64 bytes = 0;
        for (const BackupFile &entry : manifest.files)
            bytes += entry.size;
        out << "backed up the " << manifest.driver << " database (schema " << manifest.schemaVersion
            << ") and " << manifest.files.size() - 1 << " blob file(s), " << bytes
            << " bytes, into " << dir << Qt::endl;
        return int(BackupExit::Ok);
    } catch (const BackupError &error) {
        err << "messengerd backup: " << error.message() << Qt::endl;
        return int(error.code());
    }
}

int restore(const BackupTarget &target, const QString &dir, bool force, QTextStream &out,
            QTextStream &err)
{
    try {
        const BackupManifest manifest = readAndVerify(dir);
        if (manifest.driver != driverName(target.database))
            throw BackupError(BackupExit::Usage,
                              QStringLiteral("the backup holds a %1 database, but messengerd is "
                                             "configured for %2 (see --db)")
                                  .arg(manifest.driver, driverName(target.database)));
        const int known = int(Migrations::all(manifest.driver == QLatin1String("postgres")).size());
        if (manifest.schemaVersion > known)
            throw BackupError(BackupExit::BadBackup,
                              QStringLiteral("the backup has schema version %1, newer than this "
                                             "messengerd (%2) knows; restore it with messengerd "
                                             "%3 or later")
                                  .arg(manifest.schemaVersion)
                                  .arg(known)
                                  .arg(manifest.messengerdVersion));

        // Held until the restore is done: no messengerd can start on the folder meanwhile.
        Runtime::DataDirLock lock;
        QString lockError;
        if (!lock.acquire(target.dataDir, &lockError))
            throw BackupError(BackupExit::ServerRunning,
                              lockError + QStringLiteral("; stop it first"));
        const bool sqlite = manifest.driver == QLatin1String("sqlite");
        const TargetState state =
            sqlite ? inspectSqlite(target.database) : inspectPostgres(target.database);
        if (!state.inUse.isEmpty())
            throw BackupError(BackupExit::ServerRunning, state.inUse);
        checkBlobTarget(manifest, target.dataDir, force);
        if (!state.holdsData.isEmpty() && !force)
            throw BackupError(BackupExit::TargetNotEmpty, state.holdsData);
        if (sqlite)
            restoreSqlite(manifest, dir, target.database);
        else
            restorePostgres(manifest, dir, target.database, state.postgresTables);
        restoreBlobs(manifest, dir, target.dataDir, out);
        out << "restored the " << manifest.driver << " database (schema " << manifest.schemaVersion
            << ", backed up " << manifest.createdAt.toString(Qt::ISODate) << " by messengerd "
            << manifest.messengerdVersion << ")" << Qt::endl;
        return int(BackupExit::Ok);
    } catch (const BackupError &error) {
        err << "messengerd restore: " << error.message() << Qt::endl;
        return int(error.code());
    }
}

} // namespace Server::Ops
