#include "ConfigLoader.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSettings>

#include <memory>

namespace Server {

namespace ConfigLoader {

namespace {

struct Option
{
    const char *name;
    const char *valueName;
    const char *help;
};

// Every server option, once: the command line, the environment and the file all use these names.
constexpr Option options[] = {
    {"config", "file", "Read options from this INI file (keys named like the long options)."},
    {"listen", "address",
     "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface — use TLS then)."},
    {"port", "port", "TCP port to listen on (default 7400; 0 picks a free one)."},
    {"data-dir", "dir",
     "Folder for the embedded database and state (default ~/.local/share/messengerd)."},
    {"db", "driver", "Database: sqlite (embedded default) or postgres."},
    {"db-path", "file", "SQLite database file (default <data-dir>/messenger.db)."},
    {"db-host", "host", "PostgreSQL host (default 127.0.0.1)."},
    {"db-port", "port", "PostgreSQL port (default 5432)."},
    {"db-name", "name", "PostgreSQL database (default messenger)."},
    {"db-user", "user", "PostgreSQL role (default messenger)."},
    {"db-password", "password",
     "PostgreSQL password (prefer the MESSENGERD_DB_PASSWORD variable)."},
    {"registration", "policy", "Who may register: open (default), invite or closed."},
    {"tls-cert", "file",
     "PEM certificate (chain) for wss://; TLS is on when both files are given."},
    {"tls-key", "file", "PEM private key for wss://."},
    {"tls", "mode",
     "self-signed: make (once) a certificate in <data-dir>/tls/ and serve wss:// with it; the "
     "fingerprint clients compare is printed at start. off (default) unless --tls-cert/--tls-key."},
    {"password-ops", "n", "Argon2id operations limit (default 2)."},
    {"password-mem-kib", "kib", "Argon2id memory limit in KiB (default 65536)."},
    {"typing-timeout-ms", "ms",
     "A typing indicator not refreshed for this long ends (default 5000)."},
    {"idle-timeout-s", "s", "Close connections silent for this long (default 120)."},
    {"max-connections", "n", "Refuse connections beyond this many (default 200000)."},
    {"sends-per-second", "n",
     "message.send per connection per second, bursts of twice that (default 50)."},
    {"requests-per-second", "n",
     "Requests per connection per second, bursts of twice that (default 200)."},
};

class Source
{
public:
    Source(const QCommandLineParser &parser, const QProcessEnvironment &environment)
        : m_parser(parser)
        , m_environment(environment)
    {
        const QString file = value("config");
        if (!file.isEmpty())
            m_file = std::make_unique<QSettings>(file, QSettings::IniFormat);
    }

    QString value(const char *name) const
    {
        const QString option = QString::fromLatin1(name);
        if (m_parser.isSet(option))
            return m_parser.value(option);
        const QString variable = QStringLiteral("MESSENGERD_")
            + option.toUpper().replace(QLatin1Char('-'), QLatin1Char('_'));
        if (m_environment.contains(variable))
            return m_environment.value(variable);
        if (m_file && m_file->contains(option))
            return m_file->value(option).toString();
        return {};
    }

private:
    const QCommandLineParser &m_parser;
    const QProcessEnvironment &m_environment;
    std::unique_ptr<QSettings> m_file;
};

bool readNumber(const Source &source, const char *name, qint64 min, qint64 max, qint64 *out,
                QString *error)
{
    const QString text = source.value(name);
    if (text.isEmpty())
        return true;
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max) {
        *error = QStringLiteral("--%1 must be a whole number from %2 to %3, not \"%4\"")
                     .arg(QLatin1String(name))
                     .arg(min)
                     .arg(max)
                     .arg(text);
        return false;
    }
    *out = value;
    return true;
}

} // namespace

void addOptions(QCommandLineParser &parser)
{
    for (const Option &option : options)
        parser.addOption(QCommandLineOption(QString::fromLatin1(option.name),
                                            QString::fromUtf8(option.help),
                                            QString::fromLatin1(option.valueName)));
}

bool load(const QCommandLineParser &parser, const QProcessEnvironment &environment,
          ServerConfig *config, QString *error)
{
    const Source source(parser, environment);
    if (!source.value("config").isEmpty() && !QFileInfo::exists(source.value("config"))) {
        *error = QStringLiteral("the config file %1 does not exist").arg(source.value("config"));
        return false;
    }
    if (const QString listen = source.value("listen"); !listen.isEmpty()) {
        if (!config->listenAddress.setAddress(listen)) {
            *error = QStringLiteral("--listen needs an IP address, not \"%1\"").arg(listen);
            return false;
        }
    }
    qint64 number = config->port;
    if (!readNumber(source, "port", 0, 65535, &number, error))
        return false;
    config->port = quint16(number);
    if (const QString dir = source.value("data-dir"); !dir.isEmpty())
        config->dataDir = dir;

    const QString driver = source.value("db");
    if (driver == QLatin1String("postgres") || driver == QLatin1String("postgresql")) {
        config->database.driver = DatabaseConfig::Driver::Postgres;
    } else if (driver.isEmpty() || driver == QLatin1String("sqlite")) {
        config->database.driver = DatabaseConfig::Driver::Sqlite;
    } else {
        *error = QStringLiteral("--db must be sqlite or postgres, not \"%1\"").arg(driver);
        return false;
    }
    if (const QString path = source.value("db-path"); !path.isEmpty())
        config->database.sqlitePath = path;
    if (const QString host = source.value("db-host"); !host.isEmpty())
        config->database.host = host;
    number = config->database.port;
    if (!readNumber(source, "db-port", 1, 65535, &number, error))
        return false;
    config->database.port = int(number);
    if (const QString name = source.value("db-name"); !name.isEmpty())
        config->database.name = name;
    if (const QString user = source.value("db-user"); !user.isEmpty())
        config->database.user = user;
    config->database.password = source.value("db-password");

    if (const QString policy = source.value("registration");
        !policy.isEmpty() && !Protocol::registrationPolicyFromName(policy, &config->registration)) {
        *error =
            QStringLiteral("--registration must be open, invite or closed, not \"%1\"").arg(policy);
        return false;
    }
    config->tlsCertificate = source.value("tls-cert");
    config->tlsPrivateKey = source.value("tls-key");
    if (config->tlsCertificate.isEmpty() != config->tlsPrivateKey.isEmpty()) {
        *error = QStringLiteral("TLS needs both --tls-cert and --tls-key");
        return false;
    }
    if (const QString mode = source.value("tls"); mode == QLatin1String("self-signed")) {
        if (!config->tlsCertificate.isEmpty()) {
            *error =
                QStringLiteral("--tls self-signed and --tls-cert/--tls-key exclude each other");
            return false;
        }
        config->tlsSelfSigned = true;
    } else if (!mode.isEmpty() && mode != QLatin1String("off")) {
        *error = QStringLiteral("--tls must be self-signed or off, not \"%1\"").arg(mode);
        return false;
    } else if (mode == QLatin1String("off") && !config->tlsCertificate.isEmpty()) {
        *error = QStringLiteral("--tls off and --tls-cert/--tls-key contradict each other");
        return false;
    }

    number = qint64(config->passwordOpsLimit);
    if (!readNumber(source, "password-ops", 1, 100, &number, error))
        return false;
    config->passwordOpsLimit = quint64(number);
    number = qint64(config->passwordMemLimit / 1024);
    if (!readNumber(source, "password-mem-kib", 8, 4 * 1024 * 1024, &number, error))
        return false;
    config->passwordMemLimit = quint64(number) * 1024;
    number = config->typingTimeoutMs;
    if (!readNumber(source, "typing-timeout-ms", 100, 60'000, &number, error))
        return false;
    config->typingTimeoutMs = int(number);
    number = config->idleTimeoutMs / 1000;
    if (!readNumber(source, "idle-timeout-s", 5, 3600, &number, error))
        return false;
    config->idleTimeoutMs = int(number * 1000);
    number = config->maxConnections;
    if (!readNumber(source, "max-connections", 1, 10'000'000, &number, error))
        return false;
    config->maxConnections = int(number);
    number = qint64(config->sends.perSecond);
    if (!readNumber(source, "sends-per-second", 1, 1'000'000, &number, error))
        return false;
    config->sends = RateLimit {double(number), 2.0 * double(number)};
    number = qint64(config->requests.perSecond);
    if (!readNumber(source, "requests-per-second", 1, 1'000'000, &number, error))
        return false;
    config->requests = RateLimit {double(number), 2.0 * double(number)};
    return true;
}

} // namespace ConfigLoader

} // namespace Server
