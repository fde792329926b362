// messengerd's configuration: defaults < config file < MESSENGERD_* environment < command line,
// and every invalid value is refused with a message naming the option.

#include "app/ConfigCheck.h"
#include "core/ConfigLoader.h"
#include "core/SelfSignedCertificate.h"

#include <QCommandLineParser>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Server;

using namespace Qt::StringLiterals;

class TestConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaults();
    void precedence();
    void postgresFromEverySource();
    void invalidValues_data();
    void invalidValues();
    void operationsOptions();
    void mediaOptions();
    void databasePasswordSources();
    void checkGoodFile();
    void checkBadFile();
    void checkUnreachablePostgres();

private:
    bool load(const QStringList &arguments, const QProcessEnvironment &environment,
              ServerConfig *config, QString *error);
    QString writeFile(const QByteArray &contents);

    QTemporaryDir m_dir;
};

bool TestConfig::load(const QStringList &arguments, const QProcessEnvironment &environment,
                      ServerConfig *config, QString *error)
{
    QCommandLineParser parser;
    ConfigLoader::addOptions(parser);
    if (!parser.parse(QStringList {u"messengerd"_s} + arguments)) {
        *error = parser.errorText();
        return false;
    }
    return ConfigLoader::load(parser, environment, config, error);
}

QString TestConfig::writeFile(const QByteArray &contents)
{
    QString path = m_dir.filePath(u"messengerd.conf"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || file.write(contents) != contents.size())
        return {};
    return path;
}

void TestConfig::defaults()
{
    ServerConfig config;
    QString error;
    QVERIFY2(load({}, QProcessEnvironment(), &config, &error), qPrintable(error));
    QCOMPARE(config.port, 7400);
    QCOMPARE(config.listenAddress, QHostAddress(QHostAddress::LocalHost));
    QVERIFY(config.database.driver == DatabaseConfig::Driver::Sqlite);
    QVERIFY(config.registration == Protocol::RegistrationPolicy::Open);
    QVERIFY(!config.tlsEnabled());
    QCOMPARE(config.passwordOpsLimit, 2u);
    QCOMPARE(config.passwordMemLimit, 64u * 1024 * 1024);
    QCOMPARE(config.expirySweepIntervalMs, 5'000);
    QVERIFY(config.blobDir.isEmpty());
    QCOMPARE(config.maxBlobBytes, 100ll << 20);
    QCOMPARE(config.blobQuotaBytes, 1ll << 30);
    QCOMPARE(config.maxPendingUploads, 5);
    QCOMPARE(config.blobDiskReserveBytes, 256ll << 20);
    QCOMPARE(config.blobBytes.perSecond, 16.0 * (1 << 20));
    QCOMPARE(config.blobUploadBytesPerHour, 500ll << 20);
    QCOMPARE(config.blobSweepIntervalMs, 3'600'000);
    QCOMPARE(config.blobUnusedMs, 24ll * 3'600'000);
    QCOMPARE(config.mediaRetentionDays, 0); // off: blobs stay while referenced
}

void TestConfig::precedence()
{
    const QString file =
        writeFile("port=7001\nregistration=closed\ntyping-timeout-ms=3000\nidle-timeout-s=60\n");
    QVERIFY(!file.isEmpty());
    QProcessEnvironment environment;
    environment.insert(u"MESSENGERD_PORT"_s, u"7002"_s);
    environment.insert(u"MESSENGERD_REGISTRATION"_s, u"invite"_s);

    ServerConfig config;
    QString error;
    // File alone.
    QVERIFY2(load({u"--config"_s, file}, QProcessEnvironment(), &config, &error),
             qPrintable(error));
    QCOMPARE(config.port, 7001);
    QVERIFY(config.registration == Protocol::RegistrationPolicy::Closed);
    QCOMPARE(config.typingTimeoutMs, 3000);
    QCOMPARE(config.idleTimeoutMs, 60'000);

    // The environment beats the file.
    config = ServerConfig();
    QVERIFY2(load({u"--config"_s, file}, environment, &config, &error), qPrintable(error));
    QCOMPARE(config.port, 7002);
    QVERIFY(config.registration == Protocol::RegistrationPolicy::Invite);
    QCOMPARE(config.typingTimeoutMs, 3000); // only in the file

    // The command line beats both; the config file itself may come from the environment.
    environment.insert(u"MESSENGERD_CONFIG"_s, file);
    config = ServerConfig();
    QVERIFY2(load({u"--port"_s, u"7003"_s, u"--registration"_s, u"open"_s}, environment, &config,
                  &error),
             qPrintable(error));
    QCOMPARE(config.port, 7003);
    QVERIFY(config.registration == Protocol::RegistrationPolicy::Open);
    QCOMPARE(config.typingTimeoutMs, 3000);

    // Per-connection rate limits: the rate, with bursts of twice that.
    config = ServerConfig();
    QVERIFY2(load({u"--sends-per-second"_s, u"500"_s, u"--requests-per-second"_s, u"900"_s},
                  QProcessEnvironment(), &config, &error),
             qPrintable(error));
    QCOMPARE(config.sends.perSecond, 500.0);
    QCOMPARE(config.sends.burst, 1000.0);
    QCOMPARE(config.requests.perSecond, 900.0);
    QCOMPARE(config.requests.burst, 1800.0);
}

void TestConfig::postgresFromEverySource()
{
    const QString file = writeFile("db=postgres\ndb-host=10.0.0.9\ndb-name=chat\n");
    QProcessEnvironment environment;
    environment.insert(u"MESSENGERD_DB_PASSWORD"_s, u"s3cret"_s);
    environment.insert(u"MESSENGERD_DB_USER"_s, u"chatter"_s);
    ServerConfig config;
    QString error;
    QVERIFY2(load({u"--config"_s, file, u"--db-port"_s, u"6543"_s}, environment, &config, &error),
             qPrintable(error));
    QVERIFY(config.database.driver == DatabaseConfig::Driver::Postgres);
    QCOMPARE(config.database.host, u"10.0.0.9"_s);
    QCOMPARE(config.database.name, u"chat"_s);
    QCOMPARE(config.database.user, u"chatter"_s);
    QCOMPARE(config.database.password, u"s3cret"_s);
    QCOMPARE(config.database.port, 6543);
}

void TestConfig::invalidValues_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("port not a number") << QStringList {u"--port"_s, u"seven"_s} << u"--port"_s;
    QTest::newRow("port too big") << QStringList {u"--port"_s, u"70000"_s} << u"--port"_s;
    QTest::newRow("listen not an address")
        << QStringList {u"--listen"_s, u"example.org"_s} << u"--listen"_s;
    QTest::newRow("unknown database") << QStringList {u"--db"_s, u"mysql"_s} << u"--db"_s;
    QTest::newRow("unknown policy")
        << QStringList {u"--registration"_s, u"sometimes"_s} << u"--registration"_s;
    QTest::newRow("certificate without key")
        << QStringList {u"--tls-cert"_s, u"/tmp/cert.pem"_s} << u"--tls-key"_s;
    QTest::newRow("unknown tls mode") << QStringList {u"--tls"_s, u"maybe"_s} << u"--tls"_s;
    QTest::newRow("self-signed and a certificate")
        << QStringList {u"--tls"_s,      u"self-signed"_s, u"--tls-cert"_s,
                        u"/tmp/c.pem"_s, u"--tls-key"_s,   u"/tmp/k.pem"_s}
        << u"--tls self-signed"_s;
    QTest::newRow("missing config file")
        << QStringList {u"--config"_s, u"/nonexistent/messengerd.conf"_s} << u"config file"_s;
    QTest::newRow("password memory too small")
        << QStringList {u"--password-mem-kib"_s, u"1"_s} << u"--password-mem-kib"_s;
    QTest::newRow("idle timeout negative")
        << QStringList {u"--idle-timeout-s"_s, u"-5"_s} << u"--idle-timeout-s"_s;
    QTest::newRow("drain timeout not a number")
        << QStringList {u"--drain-timeout"_s, u"soon"_s} << u"--drain-timeout"_s;
    QTest::newRow("unknown log level")
        << QStringList {u"--log-level"_s, u"chatty"_s} << u"--log-level"_s;
    QTest::newRow("unknown log format")
        << QStringList {u"--log-format"_s, u"xml"_s} << u"--log-format"_s;
    QTest::newRow("expiry sweep zero")
        << QStringList {u"--expiry-sweep-s"_s, u"0"_s} << u"--expiry-sweep-s"_s;
    QTest::newRow("expiry sweep over a day")
        << QStringList {u"--expiry-sweep-s"_s, u"86401"_s} << u"--expiry-sweep-s"_s;
    QTest::newRow("expiry sweep not a number")
        << QStringList {u"--expiry-sweep-s"_s, u"often"_s} << u"--expiry-sweep-s"_s;
    QTest::newRow("blob size zero")
        << QStringList {u"--max-blob-mib"_s, u"0"_s} << u"--max-blob-mib"_s;
    QTest::newRow("blob quota not a number")
        << QStringList {u"--blob-quota-mib"_s, u"lots"_s} << u"--blob-quota-mib"_s;
    QTest::newRow("pending uploads zero")
        << QStringList {u"--max-pending-uploads"_s, u"0"_s} << u"--max-pending-uploads"_s;
    QTest::newRow("blob rate zero")
        << QStringList {u"--blob-mib-per-second"_s, u"0"_s} << u"--blob-mib-per-second"_s;
    QTest::newRow("blob uploads per hour zero")
        << QStringList {u"--blob-upload-mib-per-hour"_s, u"0"_s} << u"--blob-upload-mib-per-hour"_s;
    QTest::newRow("blob sweep over a day")
        << QStringList {u"--blob-sweep-s"_s, u"86401"_s} << u"--blob-sweep-s"_s;
    QTest::newRow("media retention negative")
        << QStringList {u"--media-retention-days"_s, u"-1"_s} << u"--media-retention-days"_s;
    QTest::newRow("media retention not a number")
        << QStringList {u"--media-retention-days"_s, u"a month"_s} << u"--media-retention-days"_s;
    QTest::newRow("unreadable password file")
        << QStringList {u"--db-password-file"_s, u"/nonexistent/db-password"_s}
        << u"/nonexistent/db-password"_s;
}

void TestConfig::invalidValues()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, mentions);
    ServerConfig config;
    QString error;
    QVERIFY(!load(arguments, QProcessEnvironment(), &config, &error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
}

void TestConfig::operationsOptions()
{
    ServerConfig config;
    QString error;
    QVERIFY2(load({}, QProcessEnvironment(), &config, &error), qPrintable(error));
    QCOMPARE(config.drainTimeoutMs, 10'000);
    QCOMPARE(config.logLevel, QtInfoMsg);
    const QString file = writeFile("drain-timeout=30\nlog-level=warning\nlog-format=journal\n");
    config = ServerConfig();
    QVERIFY2(load({u"--config"_s, file}, QProcessEnvironment(), &config, &error),
             qPrintable(error));
    QCOMPARE(config.drainTimeoutMs, 30'000);
    QCOMPARE(config.logLevel, QtWarningMsg);
    QCOMPARE(config.logFormat, u"journal"_s);

    // The expiry sweep's interval, in range at both ends, from the file or the command line.
    config = ServerConfig();
    QVERIFY2(load({u"--expiry-sweep-s"_s, u"1"_s}, QProcessEnvironment(), &config, &error),
             qPrintable(error));
    QCOMPARE(config.expirySweepIntervalMs, 1'000);
    const QString sweep = writeFile("expiry-sweep-s=86400\n");
    config = ServerConfig();
    QVERIFY2(load({u"--config"_s, sweep}, QProcessEnvironment(), &config, &error),
             qPrintable(error));
    QCOMPARE(config.expirySweepIntervalMs, 86'400'000);
}

// The media settings, from the command line and from the file.
void TestConfig::mediaOptions()
{
    ServerConfig config;
    QString error;
    QVERIFY2(
        load({u"--blob-dir"_s, u"/srv/blobs"_s, u"--max-blob-mib"_s, u"20"_s, u"--blob-quota-mib"_s,
              u"2048"_s, u"--max-pending-uploads"_s, u"9"_s, u"--blob-mib-per-second"_s, u"4"_s,
              u"--blob-sweep-s"_s, u"60"_s, u"--blob-reserve-mib"_s, u"0"_s,
              u"--blob-upload-mib-per-hour"_s, u"50"_s, u"--media-retention-days"_s, u"30"_s},
             QProcessEnvironment(), &config, &error),
        qPrintable(error));
    QCOMPARE(config.effectiveBlobDir(), u"/srv/blobs"_s);
    QCOMPARE(config.maxBlobBytes, 20ll << 20);
    QCOMPARE(config.blobQuotaBytes, 2048ll << 20);
    QCOMPARE(config.maxPendingUploads, 9);
    QCOMPARE(config.blobBytes.perSecond, 4.0 * (1 << 20));
    QCOMPARE(config.blobBytes.burst, 8.0 * (1 << 20));
    QCOMPARE(config.blobSweepIntervalMs, 60'000);
    QCOMPARE(config.blobDiskReserveBytes, 0);
    QCOMPARE(config.blobUploadBytesPerHour, 50ll << 20);
    QCOMPARE(config.mediaRetentionDays, 30);

    const QString file =
        writeFile("blob-dir=/var/blobs\nmax-blob-mib=5\nblob-sweep-s=1\nmedia-retention-days=90\n");
    config = ServerConfig();
    QVERIFY2(load({u"--config"_s, file, u"--data-dir"_s, u"/data"_s}, QProcessEnvironment(),
                  &config, &error),
             qPrintable(error));
    QCOMPARE(config.effectiveBlobDir(), u"/var/blobs"_s);
    QCOMPARE(config.maxBlobBytes, 5ll << 20);
    QCOMPARE(config.blobSweepIntervalMs, 1'000);
    QCOMPARE(config.mediaRetentionDays, 90);
    // Without --blob-dir: the data folder's blobs/.
    config = ServerConfig();
    QVERIFY2(load({u"--data-dir"_s, u"/data"_s}, QProcessEnvironment(), &config, &error),
             qPrintable(error));
    QCOMPARE(config.effectiveBlobDir(), u"/data/blobs"_s);
}

void TestConfig::databasePasswordSources()
{
    QTemporaryDir credentials;
    QFile credential(credentials.filePath(u"db-password"_s));
    QVERIFY(credential.open(QIODevice::WriteOnly) && credential.write("from-systemd\n") > 0);
    credential.close();
    QFile file(m_dir.filePath(u"password"_s));
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("from-a-file\nsecond line\n") > 0);
    file.close();

    // systemd's LoadCredential=db-password:… when nothing else names a password.
    QProcessEnvironment environment;
    environment.insert(u"CREDENTIALS_DIRECTORY"_s, credentials.path());
    ServerConfig config;
    QString error;
    QVERIFY2(load({}, environment, &config, &error), qPrintable(error));
    QCOMPARE(config.database.password, u"from-systemd"_s);
    // --db-password-file beats the credential; its first line only.
    config = ServerConfig();
    QVERIFY2(load({u"--db-password-file"_s, file.fileName()}, environment, &config, &error),
             qPrintable(error));
    QCOMPARE(config.database.password, u"from-a-file"_s);
    // A password given outright beats both.
    environment.insert(u"MESSENGERD_DB_PASSWORD"_s, u"outright"_s);
    config = ServerConfig();
    QVERIFY2(load({u"--db-password-file"_s, file.fileName()}, environment, &config, &error),
             qPrintable(error));
    QCOMPARE(config.database.password, u"outright"_s);
    // No credential, no file, no password: none.
    config = ServerConfig();
    QVERIFY2(load({}, QProcessEnvironment(), &config, &error), qPrintable(error));
    QVERIFY(config.database.password.isEmpty());
}

namespace {
QList<ConfigCheck::Problem> checkFile(const QString &file)
{
    QCommandLineParser parser;
    ConfigLoader::addOptions(parser);
    if (!parser.parse({u"messengerd"_s, u"--config"_s, file}))
        return {{{}, 0, parser.errorText()}};
    return ConfigCheck::check(parser, QProcessEnvironment());
}

QString describe(const QList<ConfigCheck::Problem> &problems)
{
    QStringList lines;
    for (const auto &problem : problems)
        lines << u"%1 (line %2): %3"_s.arg(problem.key).arg(problem.line).arg(problem.message);
    return lines.join(u'\n');
}
} // namespace

void TestConfig::checkGoodFile()
{
    SelfSignedCertificate::Files tls;
    QString error;
    QVERIFY2(SelfSignedCertificate::ensure(m_dir.filePath(u"tls"_s), &tls, &error),
             qPrintable(error));
    const QString file = writeFile(
        "; a comment\nport=7401\nregistration=invite\ndata-dir="
        + m_dir.filePath(u"data"_s).toUtf8() + "\ntls-cert=" + tls.certificate.toUtf8()
        + "\ntls-key=" + tls.privateKey.toUtf8() + "\nlog-level=debug\nexpiry-sweep-s=60\n");
    const auto problems = checkFile(file);
    QVERIFY2(problems.isEmpty(), qPrintable(describe(problems)));
}

void TestConfig::checkBadFile()
{
    SelfSignedCertificate::Files one, other;
    QString error;
    QVERIFY(SelfSignedCertificate::ensure(m_dir.filePath(u"one"_s), &one, &error));
    QVERIFY(SelfSignedCertificate::ensure(m_dir.filePath(u"other"_s), &other, &error));
    // Every problem is found, not only the first, each with its key and line.
    const QString file = writeFile("port=7401\n"
                                   "colour=blue\n"
                                   "registration=sometimes\n"
                                   "idle-timeout-s=1\n"
                                   "expiry-sweep-s=0\n"
                                   "tls-cert="
                                   + one.certificate.toUtf8()
                                   + "\n"
                                     "tls-key="
                                   + other.privateKey.toUtf8()
                                   + "\n"
                                     "data-dir=/etc/passwd/messengerd\n");
    const auto problems = checkFile(file);
    const auto has = [&problems](const QString &key, int line, const QString &words) {
        return std::any_of(problems.cbegin(), problems.cend(), [&](const auto &problem) {
            return problem.key == key && problem.line == line && problem.message.contains(words);
        });
    };
    QVERIFY2(has(u"colour"_s, 2, u"unknown key"_s), qPrintable(describe(problems)));
    QVERIFY2(has(u"registration"_s, 3, u"sometimes"_s), qPrintable(describe(problems)));
    QVERIFY2(has(u"idle-timeout-s"_s, 4, u"from 5"_s), qPrintable(describe(problems)));
    QVERIFY2(has(u"expiry-sweep-s"_s, 5, u"from 1 to 86400"_s), qPrintable(describe(problems)));
    QVERIFY(!has(u"port"_s, 1, {}));

    // With the values fixed, the files are checked: the key is not the certificate's, the data
    // folder cannot be made.
    const QString second =
        writeFile("tls-cert=" + one.certificate.toUtf8() + "\ntls-key=" + other.privateKey.toUtf8()
                  + "\ndata-dir=/etc/passwd/messengerd\n");
    const auto fileProblems = checkFile(second);
    const auto mentions = [&fileProblems](const QString &key, const QString &words) {
        return std::any_of(fileProblems.cbegin(), fileProblems.cend(), [&](const auto &problem) {
            return problem.key == key && problem.message.contains(words);
        });
    };
    QVERIFY2(mentions(u"tls-key"_s, u"does not belong to the certificate"_s),
             qPrintable(describe(fileProblems)));
    QVERIFY2(mentions(u"data-dir"_s, u"not a writable folder"_s),
             qPrintable(describe(fileProblems)));

    // messengerd config check's exit code.
    QCommandLineParser parser;
    ConfigLoader::addOptions(parser);
    QVERIFY(parser.parse({u"messengerd"_s, u"--config"_s, second}));
    QCOMPARE(ConfigCheck::run(parser, QProcessEnvironment()), 1);
}

void TestConfig::checkUnreachablePostgres()
{
    // Nothing listens on port 1 of the loopback: refused at once.
    const QString file = writeFile("db=postgres\ndb-host=127.0.0.1\ndb-port=1\ndata-dir="
                                   + m_dir.filePath(u"pgdata"_s).toUtf8() + "\n");
    const auto problems = checkFile(file);
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.constFirst().key, u"db"_s);
    QVERIFY2(problems.constFirst().message.contains(u"cannot connect to PostgreSQL"_s),
             qPrintable(describe(problems)));
}

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
