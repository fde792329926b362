// `messengerd backup` and `messengerd restore`, run as the real executable on both databases: a
// backup taken while the server runs, restored into a fresh data folder (and for PostgreSQL a
// fresh database), served again with users, history and blobs intact; and every refusal.

#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"
#include "runtime/DataDirLock.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace Server;

using namespace Qt::StringLiterals;
namespace Request = Protocol::Request;

namespace {

// Exit codes of backup and restore (server/ops/Backup.h, docs/self-hosting.md).
constexpr int ExitOk = 0;
constexpr int ExitUsage = 2;
constexpr int ExitBadBackup = 3;
constexpr int ExitDigestMismatch = 4;
constexpr int ExitTargetNotEmpty = 5;
constexpr int ExitServerRunning = 6;
constexpr int ExitToolFailed = 7;

const QString RestoreDatabase = u"messenger_test_restore"_s;
const QString BlobPath = u"blobs/ab/abcdef0123456789"_s;
const QString EmptyBlobPath = u"blobs/00/empty"_s;

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Runs a statement on the fixture's PostgreSQL database (CREATE / DROP DATABASE).
bool runOnPostgres(const DatabaseConfig &config, const QString &sql, QString *error)
{
    const QString name = u"tst-backup-admin"_s;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, name);
        db.setHostName(config.host);
        db.setPort(config.port);
        db.setDatabaseName(config.name);
        db.setUserName(config.user);
        db.setPassword(config.password);
        if (db.open()) {
            QSqlQuery query(db);
            ok = query.exec(sql);
            if (!ok)
                *error = query.lastError().text();
        } else {
            *error = db.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return ok;
}

} // namespace

class TestBackup : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void restoreIntoFreshDataFolder();
    void restoreRefusesTamperedBackup();
    void restoreRefusesBusyOrNonEmptyTarget();
    void backupRefusesNonEmptyFolder();
    void backupNeedsPgDump();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    //! The real messengerd with `command`, pointed at `database` and `dataDir`.
    Run messengerd(const QStringList &command, const DatabaseConfig &database,
                   const QString &dataDir, const QProcessEnvironment &base = {});
    Run onFixture(const QStringList &command)
    {
        return messengerd(command, m_server->config().database, m_server->config().dataDir);
    }
    //! Users alice, bob and carol, a 1:1 and a group conversation with history, and a blob.
    void populate();
    //! Every message a user's fresh device receives through sync, from the first of each.
    QCborArray fullSync(TestClient *client);
    //! A backup of the fixture in a new folder; its path.
    QString backUp();
    DatabaseConfig freshDatabase();

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<TestServer> m_restored;
    std::unique_ptr<QTemporaryDir> m_work; //!< backups and fresh data folders, per test
    QList<qint64> m_conversations;
    QByteArray m_blob;
    bool m_createdDatabase = false;
};

void TestBackup::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    m_work = std::make_unique<QTemporaryDir>();
    QVERIFY(m_work->isValid());
    m_conversations.clear();
}

void TestBackup::cleanup()
{
    m_restored.reset();
    const DatabaseConfig config = m_server ? m_server->config().database : DatabaseConfig();
    m_server.reset();
    if (m_createdDatabase) {
        QString error;
        if (!runOnPostgres(
                config, u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(RestoreDatabase), &error))
            qWarning("cannot drop %s: %s", qPrintable(RestoreDatabase), qPrintable(error));
        m_createdDatabase = false;
    }
}

TestBackup::Run TestBackup::messengerd(const QStringList &command, const DatabaseConfig &database,
                                       const QString &dataDir, const QProcessEnvironment &base)
{
    QProcessEnvironment environment =
        base.isEmpty() ? QProcessEnvironment::systemEnvironment() : base;
    QStringList arguments {u"--data-dir"_s, dataDir};
    if (database.driver == DatabaseConfig::Driver::Sqlite) {
        arguments << u"--db-path"_s << database.sqlitePath;
    } else {
        environment.insert(u"MESSENGERD_DB_PASSWORD"_s, database.password);
        arguments << u"--db"_s << u"postgres"_s << u"--db-host"_s << database.host << u"--db-port"_s
                  << QString::number(database.port) << u"--db-name"_s << database.name
                  << u"--db-user"_s << database.user;
    }
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(MESSENGERD_PATH), arguments + command);
    Run run;
    if (!process.waitForStarted(10'000) || !process.waitForFinished(120'000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

void TestBackup::populate()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *carol = m_server->newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 direct = alice->openDirect(bob->userId());
    QVERIFY(direct);
    for (int i = 0; i < 30; ++i)
        QVERIFY((i % 3 == 0 ? bob : alice)->sendText(direct, u"direct %1 — ünïcode"_s.arg(i)));
    const qint64 group = alice->createGroup(u"Team"_s, {bob->userId(), carol->userId()});
    QVERIFY(group);
    for (int i = 0; i < 20; ++i)
        QVERIFY((i % 2 == 0 ? carol : alice)->sendText(group, u"group %1"_s.arg(i)));
    m_conversations = {direct, group};

    m_blob.resize(300'000);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(m_blob.data()),
                                          m_blob.size() / 4);
    const QDir data(m_server->config().dataDir);
    QVERIFY(writeFile(data.filePath(BlobPath), m_blob));
    QVERIFY(writeFile(data.filePath(EmptyBlobPath), {}));
}

QCborArray TestBackup::fullSync(TestClient *client)
{
    QCborArray cursors;
    for (qint64 id : m_conversations)
        cursors.append(QCborArray {id, 0});
    const auto sync = client->request(
        Request::Sync, {{u"cursors"_s, cursors}, {u"limit"_s, Protocol::Limits::MaxSyncPage}});
    if (!sync.isOk() || sync.body.value(u"more"_s).toBool()) {
        qWarning("sync failed: %s", qPrintable(TestClient::describe(sync)));
        return {};
    }
    return sync.body.value(u"messages"_s).toArray();
}

QString TestBackup::backUp()
{
    static int counter = 0;
    QString dir = m_work->filePath(u"backup-%1"_s.arg(++counter));
    const Run run = onFixture({u"backup"_s, dir});
    if (run.exitCode != ExitOk) {
        qWarning("backup failed (%d): %s", run.exitCode, qPrintable(run.err));
        return {};
    }
    return dir;
}

DatabaseConfig TestBackup::freshDatabase()
{
    DatabaseConfig database = m_server->config().database;
    if (database.driver == DatabaseConfig::Driver::Sqlite) {
        database.sqlitePath = m_work->filePath(u"fresh/messenger.db"_s);
        return database;
    }
    QString error;
    const bool created =
        runOnPostgres(database, u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(RestoreDatabase),
                      &error)
        && runOnPostgres(database, u"CREATE DATABASE %1"_s.arg(RestoreDatabase), &error);
    if (!created)
        qWarning("cannot create %s: %s", qPrintable(RestoreDatabase), qPrintable(error));
    m_createdDatabase = true;
    database.name = RestoreDatabase;
    return database;
}

void TestBackup::restoreIntoFreshDataFolder()
{
    populate();
    if (QTest::currentTestFailed())
        return;
    QHash<QString, QCborArray> expected;
    QHash<QString, qint64> userIds;
    for (const QString &name : {u"alice"_s, u"bob"_s, u"carol"_s}) {
        TestClient *device = m_server->newClient();
        QVERIFY(device && device->login(name));
        expected.insert(name, fullSync(device));
        userIds.insert(name, device->userId());
    }
    QVERIFY(expected.value(u"alice"_s).size() >= 30 + 20);
    QVERIFY(expected.value(u"carol"_s).size() >= 20);
    qint64 lastDirect = 0;
    for (const QCborValue &message : expected.value(u"alice"_s)) {
        if (message.toMap().value(u"conversationId"_s).toInteger() == m_conversations.first())
            lastDirect = std::max(lastDirect, message.toMap().value(u"seq"_s).toInteger());
    }
    QVERIFY(lastDirect >= 30);

    // Taken while the server runs.
    const QString backup = backUp();
    QVERIFY(!backup.isEmpty());
    const QJsonObject manifest =
        QJsonDocument::fromJson(readFile(backup + u"/manifest.json"_s)).object();
    QCOMPARE(manifest.value(u"format"_s).toInt(), 1);
    QCOMPARE(manifest.value(u"driver"_s).toString(),
             m_server->backend() == TestServer::Backend::Sqlite ? u"sqlite"_s : u"postgres"_s);
    QVERIFY(manifest.value(u"schemaVersion"_s).toInt() >= 1);
    QCOMPARE(manifest.value(u"messengerdVersion"_s).toString(), QStringLiteral(MESSENGER_VERSION));
    QCOMPARE(manifest.value(u"files"_s).toArray().size(), 3);

    const QString freshDir = m_work->filePath(u"fresh"_s);
    const DatabaseConfig database = freshDatabase();
    const Run run = messengerd({u"restore"_s, backup}, database, freshDir);
    QVERIFY2(run.exitCode == ExitOk, qPrintable(run.err));
    QCOMPARE(readFile(freshDir + u"/"_s + BlobPath), m_blob);
    QVERIFY(QFileInfo(freshDir + u"/"_s + EmptyBlobPath).isFile());

    m_restored = std::make_unique<TestServer>();
    m_restored->config() = m_server->config();
    m_restored->config().dataDir = freshDir;
    m_restored->config().database = database;
    m_server->stop(); // the original is gone: everything below comes from the backup
    QVERIFY2(m_restored->start(), qPrintable(m_restored->errorString()));
    for (const QString &name : {u"alice"_s, u"bob"_s, u"carol"_s}) {
        TestClient *device = m_restored->newClient();
        QVERIFY(device);
        QVERIFY2(device->login(name), qPrintable(name));
        QCOMPARE(device->userId(), userIds.value(name));
        QCOMPARE(fullSync(device), expected.value(name));
    }
    // The conversations go on where they were.
    TestClient *alice = m_restored->newClient();
    QVERIFY(alice && alice->login(u"alice"_s));
    QCOMPARE(alice->sendText(m_conversations.first(), u"after the restore"_s), lastDirect + 1);
}

void TestBackup::restoreRefusesTamperedBackup()
{
    populate();
    if (QTest::currentTestFailed())
        return;
    const QString backup = backUp();
    QVERIFY(!backup.isEmpty());
    const QString freshDir = m_work->filePath(u"fresh"_s);
    const DatabaseConfig database = freshDatabase();
    const auto restore = [&](const QString &dir) {
        return messengerd({u"restore"_s, dir}, database, freshDir);
    };

    Run run = restore(m_work->filePath(u"no-such-backup"_s));
    QCOMPARE(run.exitCode, ExitBadBackup);
    QVERIFY2(run.err.contains(u"there is no folder"_s), qPrintable(run.err));

    // A blob changed after the backup: same size, one byte different.
    const QString blob = backup + u"/"_s + BlobPath;
    QByteArray bytes = readFile(blob);
    bytes[1000] = char(bytes.at(1000) ^ 0x5a);
    QVERIFY(writeFile(blob, bytes));
    run = restore(backup);
    QCOMPARE(run.exitCode, ExitDigestMismatch);
    QVERIFY2(run.err.contains(BlobPath), qPrintable(run.err));
    bytes[1000] = char(bytes.at(1000) ^ 0x5a);
    QVERIFY(writeFile(blob, bytes));

    // The manifest edited to match another file, cut short, or pointing outside the backup.
    const QString manifestPath = backup + u"/manifest.json"_s;
    const QByteArray original = readFile(manifestPath);
    QJsonObject manifest = QJsonDocument::fromJson(original).object();
    QJsonArray files = manifest.value(u"files"_s).toArray();
    QJsonObject first = files.at(0).toObject();
    first.insert(u"sha256"_s, QString(64, u'0'));
    files.replace(0, first);
    manifest.insert(u"files"_s, files);
    QVERIFY(writeFile(manifestPath, QJsonDocument(manifest).toJson()));
    run = restore(backup);
    QCOMPARE(run.exitCode, ExitDigestMismatch);

    QVERIFY(writeFile(manifestPath, original.left(original.size() / 2)));
    run = restore(backup);
    QCOMPARE(run.exitCode, ExitBadBackup);
    QVERIFY2(run.err.contains(u"not a JSON object"_s), qPrintable(run.err));

    first = QJsonDocument::fromJson(original).object().value(u"files"_s).toArray().at(0).toObject();
    QJsonObject escape = first;
    escape.insert(u"path"_s, u"blobs/../../etc/passwd"_s);
    files = QJsonDocument::fromJson(original).object().value(u"files"_s).toArray();
    files.append(escape);
    manifest = QJsonDocument::fromJson(original).object();
    manifest.insert(u"files"_s, files);
    QVERIFY(writeFile(manifestPath, QJsonDocument(manifest).toJson()));
    run = restore(backup);
    QCOMPARE(run.exitCode, ExitBadBackup);
    QVERIFY2(run.err.contains(u"outside the backup"_s), qPrintable(run.err));

    QVERIFY(QFile::remove(manifestPath));
    run = restore(backup);
    QCOMPARE(run.exitCode, ExitBadBackup);

    // Nothing was written by any of the refusals.
    QVERIFY(!QFileInfo::exists(freshDir + u"/"_s + BlobPath));
    if (database.driver == DatabaseConfig::Driver::Sqlite)
        QVERIFY(!QFileInfo::exists(database.sqlitePath));

    // The untouched manifest restores.
    QVERIFY(writeFile(manifestPath, original));
    run = restore(backup);
    QVERIFY2(run.exitCode == ExitOk, qPrintable(run.err));
}

void TestBackup::restoreRefusesBusyOrNonEmptyTarget()
{
    populate();
    if (QTest::currentTestFailed())
        return;
    const QString backup = backUp();
    QVERIFY(!backup.isEmpty());
    TestClient *alice = m_server->newClient();
    QVERIFY(alice && alice->login(u"alice"_s));
    const QCborArray before = fullSync(alice);
    const qint64 late = alice->sendText(m_conversations.first(), u"after the backup"_s);
    QVERIFY(late > 0);

    // The fixture's server has the database open.
    Run run = onFixture({u"restore"_s, backup});
    QCOMPARE(run.exitCode, ExitServerRunning);
    QVERIFY2(run.err.contains(u"stop it first"_s), qPrintable(run.err));

    // A messengerd holding the data folder's lock (here: this test) is refused as well.
    m_server->stop();
    {
        Runtime::DataDirLock lock;
        QString error;
        QVERIFY2(lock.acquire(m_server->config().dataDir, &error), qPrintable(error));
        run = onFixture({u"restore"_s, backup});
        QCOMPARE(run.exitCode, ExitServerRunning);
    }

    // Stopped, but the database holds data.
    run = onFixture({u"restore"_s, backup});
    QCOMPARE(run.exitCode, ExitTargetNotEmpty);
    QVERIFY2(run.err.contains(u"--force"_s), qPrintable(run.err));

    // --force replaces it: the message sent after the backup is gone.
    run = onFixture({u"restore"_s, backup, u"--force"_s});
    QVERIFY2(run.exitCode == ExitOk, qPrintable(run.err));
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    TestClient *again = m_server->newClient();
    QVERIFY(again && again->login(u"alice"_s));
    QCOMPARE(fullSync(again), before);
    QCOMPARE(again->sendText(m_conversations.first(), u"written again"_s), late);
}

void TestBackup::backupRefusesNonEmptyFolder()
{
    const QString dir = m_work->filePath(u"occupied"_s);
    QVERIFY(writeFile(dir + u"/something"_s, "x"));
    Run run = onFixture({u"backup"_s, dir});
    QCOMPARE(run.exitCode, ExitUsage);
    QVERIFY2(run.err.contains(u"not empty"_s), qPrintable(run.err));
    run = onFixture({u"restore"_s});
    QCOMPARE(run.exitCode, ExitUsage); // no folder given: usage
}

void TestBackup::backupNeedsPgDump()
{
    if (m_server->backend() != TestServer::Backend::Postgres)
        QSKIP("pg_dump is for PostgreSQL only");
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"PATH"_s, m_work->filePath(u"empty-path"_s));
    const QString dir = m_work->filePath(u"no-pg-dump"_s);
    const Run run = messengerd({u"backup"_s, dir}, m_server->config().database,
                               m_server->config().dataDir, environment);
    QCOMPARE(run.exitCode, ExitToolFailed);
    QVERIFY2(run.err.contains(u"pg_dump was not found"_s), qPrintable(run.err));
    QVERIFY(!QFileInfo::exists(dir + u"/manifest.json"_s));
    // The password never shows: not in what messengerd says.
    const QString password = m_server->config().database.password;
    QVERIFY(password.isEmpty() || !(run.err + run.out).contains(password));
}

QTEST_GUILESS_MAIN(TestBackup)
#include "tst_backup.moc"
