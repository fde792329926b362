// messengerd's configuration: defaults < config file < MESSENGERD_* environment < command line,
// and every invalid value is refused with a message naming the option.

#include "core/ConfigLoader.h"

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

QTEST_GUILESS_MAIN(TestConfig)
#include "tst_config.moc"
