#include "ConfigLoader.h"

#include "ops/Logging.h"

#include <QCommandLineParser>
#include <QFile>
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
    {"expiry-sweep-s", "s",
     "Erase expired disappearing messages this often, and at start-up (default 5)."},
    {"max-connections", "n", "Refuse connections beyond this many (default 200000)."},
    {"sends-per-second", "n",
     "message.send per connection per second, bursts of twice that (default 50)."},
    {"requests-per-second", "n",
     "Requests per connection per second, bursts of twice that (default 200)."},
    {"admin-listen", "address:port",
     "Admin listener for Prometheus /metrics, /healthz and /readyz (default 127.0.0.1:9400; "
     "[::1]:9400 for IPv6; off disables it). Keep it off the public network."},
    {"db-password-file", "file",
     "Read the PostgreSQL password from this file (first line). Under systemd, "
     "LoadCredential=db-password:… is read when no password is given."},
    {"drain-timeout", "seconds",
     "On SIGTERM, finish in-flight work and close clients within this long (default 10)."},
    {"log-level", "level", "debug, info (default), warning or critical; SIGHUP applies a change."},
    {"blob-dir", "dir", "Folder for media blobs (default <data-dir>/blobs)."},
    {"max-blob-mib", "mib", "Largest media blob (attachment) in MiB (default 100)."},
    {"blob-quota-mib", "mib", "Media bytes stored per user, in MiB (default 1024)."},
    {"max-pending-uploads", "n", "Unfinished media uploads per user (default 5)."},
    {"blob-reserve-mib", "mib",
     "Free disk space, in MiB, that media uploads leave on the blob folder's disk (default 256; "
     "0: none)."},
    {"blob-mib-per-second", "mib",
     "Media chunk bytes per user and second, in MiB, bursts of twice that (default 16)."},
    {"blob-upload-mib-per-hour", "mib",
     "Media bytes one user may upload per hour, in MiB (default 500)."},
    {"blob-sweep-s", "s",
     "Remove abandoned uploads and unreferenced blobs this often, and at start-up (default "
     "3600)."},
    {"media-retention-days", "days",
     "Remove media (blobs) this many days after their upload finished, even if messages still "
     "refer to them; current profile and group pictures stay (default 0: keep while referenced)."},
    {"log-format", "format",
     "readable, or journal (a syslog priority <N> before each line); default: journal when "
     "stderr is the journal."},
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

// The database password: --db-password (or its variable, or the file's key), else the first line
// of --db-password-file, else systemd's credential "db-password" (LoadCredential=), which keeps it
// out of the environment and the unit file.
// --admin-listen: "off", "ADDRESS:PORT" or "[IPv6]:PORT".
bool readAdminListen(const Source &source, ServerConfig *config, QString *error)
{
    const QString text = source.value("admin-listen").trimmed();
    if (text.isEmpty())
        return true;
    if (text == QLatin1String("off")) {
        config->adminEnabled = false;
        return true;
    }
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    QString host = colon > 0 ? text.first(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.sliced(1, host.size() - 2);
    else if (host.contains(QLatin1Char(':')))
        host.clear(); // an IPv6 address needs its brackets: [::1]:9400
    bool portOk = false;
    const uint port = colon > 0 ? text.sliced(colon + 1).toUInt(&portOk) : 0;
    QHostAddress address;
    if (host.isEmpty() || !address.setAddress(host) || !portOk || port > 65535) {
        *error = QStringLiteral("--admin-listen must be ADDRESS:PORT (e.g. 127.0.0.1:9400 or "
                                "[::1]:9400) or off, not \"%1\"")
                     .arg(text);
        return false;
    }
    config->adminEnabled = true;
    config->adminAddress = address;
    config->adminPort = quint16(port);
    config->adminRequired = true;
    return true;
}

bool readPassword(const Source &source, const QProcessEnvironment &environment, QString *password,
                  QString *error)
{
    *password = source.value("db-password");
    QString file = source.value("db-password-file");
    if (!password->isEmpty() || file.isEmpty()) {
        if (!password->isEmpty())
            return true;
        const QString credentials = environment.value(QStringLiteral("CREDENTIALS_DIRECTORY"));
        if (credentials.isEmpty()
            || !QFileInfo::exists(credentials + QStringLiteral("/db-password")))
            return true;
        file = credentials + QStringLiteral("/db-password");
    }
    QFile in(file);
    if (!in.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the database password file %1: %2")
                     .arg(file, in.errorString());
        return false;
    }
    *password = QString::fromUtf8(in.readLine(4096)).trimmed();
    return true;
}

} // namespace

QStringList optionNames()
{
    QStringList names;
    for (const Option &option : options)
        names << QString::fromLatin1(option.name);
    return names;
}

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
    if (!readPassword(source, environment, &config->database.password, error))
        return false;

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
    number = config->expirySweepIntervalMs / 1000;
    if (!readNumber(source, "expiry-sweep-s", 1, 86'400, &number, error))
        return false;
    config->expirySweepIntervalMs = int(number * 1000);
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
    if (!readAdminListen(source, config, error))
        return false;
    number = config->drainTimeoutMs / 1000;
    if (!readNumber(source, "drain-timeout", 0, 3600, &number, error))
        return false;
    config->drainTimeoutMs = int(number * 1000);
    if (const QString dir = source.value("blob-dir"); !dir.isEmpty())
        config->blobDir = dir;
    number = config->maxBlobBytes >> 20;
    if (!readNumber(source, "max-blob-mib", 1, 1 << 20, &number, error))
        return false;
    config->maxBlobBytes = number << 20;
    number = config->blobQuotaBytes >> 20;
    if (!readNumber(source, "blob-quota-mib", 1, 1ll << 30, &number, error))
        return false;
    config->blobQuotaBytes = number << 20;
    number = config->maxPendingUploads;
    if (!readNumber(source, "max-pending-uploads", 1, 1000, &number, error))
        return false;
    config->maxPendingUploads = int(number);
    number = config->blobDiskReserveBytes >> 20;
    if (!readNumber(source, "blob-reserve-mib", 0, 1ll << 30, &number, error))
        return false;
    config->blobDiskReserveBytes = number << 20;
    number = qint64(config->blobBytes.perSecond) >> 20;
    if (!readNumber(source, "blob-mib-per-second", 1, 100'000, &number, error))
        return false;
    config->blobBytes = RateLimit {double(number << 20), 2.0 * double(number << 20)};
    number = config->blobUploadBytesPerHour >> 20;
    if (!readNumber(source, "blob-upload-mib-per-hour", 1, 1ll << 30, &number, error))
        return false;
    config->blobUploadBytesPerHour = number << 20;
    number = config->blobSweepIntervalMs / 1000;
    if (!readNumber(source, "blob-sweep-s", 1, 86'400, &number, error))
        return false;
    config->blobSweepIntervalMs = int(number * 1000);
    number = config->mediaRetentionDays;
    if (!readNumber(source, "media-retention-days", 0, 36'500, &number, error))
        return false;
    config->mediaRetentionDays = int(number);
    if (const QString level = source.value("log-level");
        !level.isEmpty() && !Logging::levelFromName(level, &config->logLevel)) {
        *error = QStringLiteral("--log-level must be debug, info, warning or critical, not \"%1\"")
                     .arg(level);
        return false;
    }
    config->logFormat = source.value("log-format");
    if (Logging::Format format; !Logging::formatFromName(config->logFormat, &format)) {
        *error = QStringLiteral("--log-format must be readable, journal or auto, not \"%1\"")
                     .arg(config->logFormat);
        return false;
    }
    return true;
}

} // namespace ConfigLoader

} // namespace Server
