#include "ConfigCheck.h"

#include "core/ConfigLoader.h"
#include "ops/TlsFiles.h"
#include "storage/Database.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryFile>
#include <QTextStream>

namespace Server {

namespace ConfigCheck {

namespace {

using namespace Qt::StringLiterals;

//! Options whose validity depends on others: checked by the full load only.
const QStringList crossKeyOptions {u"tls"_s, u"tls-cert"_s, u"tls-key"_s, u"config"_s};

struct FileKey
{
    QString key;
    int line = 0;
};

// The keys of an INI file with their lines. QSettings gives values but not lines, so the file is
// also read as text: keys outside [General] (or before any section) are unknown to messengerd.
QList<FileKey> keysOf(const QString &path, QList<Problem> *problems)
{
    QList<FileKey> keys;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        problems->append({{}, 0, u"cannot read %1: %2"_s.arg(path, file.errorString())});
        return keys;
    }
    QString section;
    int number = 0;
    while (!file.atEnd()) {
        ++number;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u';') || line.startsWith(u'#'))
            continue;
        if (line.startsWith(u'[') && line.endsWith(u']')) {
            section = line.mid(1, line.size() - 2).trimmed();
            continue;
        }
        const qsizetype equals = line.indexOf(u'=');
        if (equals <= 0) {
            problems->append({{}, number, u"not a \"key = value\" line"_s});
            continue;
        }
        const QString key = line.left(equals).trimmed();
        if (!section.isEmpty() && section.compare(u"General"_s, Qt::CaseInsensitive) != 0) {
            problems->append({key, number,
                              u"messengerd reads no section [%1]: put the key before any "
                              "section"_s.arg(section)});
            continue;
        }
        keys.append({key, number});
    }
    return keys;
}

bool loadWith(const QStringList &arguments, const QProcessEnvironment &environment,
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

QString keyNamedIn(const QString &message)
{
    static const QRegularExpression option(u"--([a-z-]+)"_s);
    const auto match = option.match(message);
    return match.hasMatch() ? match.captured(1) : QString();
}

void checkWritableFolder(const QString &key, const QString &dir, QList<Problem> *problems)
{
    // The folder itself, or the nearest existing parent it would be created in.
    QString existing = dir;
    while (!QFileInfo(existing).exists() && QFileInfo(existing).dir().path() != existing)
        existing = QFileInfo(existing).dir().path();
    QTemporaryFile probe(existing + u"/.messengerd-check-XXXXXX"_s);
    if (!QFileInfo(existing).isDir() || !probe.open())
        problems->append({key, 0, u"%1 is not a writable folder for this user"_s.arg(existing)});
}

} // namespace

QList<Problem> check(const QCommandLineParser &parser, const QProcessEnvironment &environment)
{
    QList<Problem> problems;
    const QString path = parser.value(u"config"_s);
    const QStringList known = ConfigLoader::optionNames();
    if (!path.isEmpty()) {
        if (!QFileInfo::exists(path))
            return {{u"config"_s, 0, u"the config file %1 does not exist"_s.arg(path)}};
        const QSettings settings(path, QSettings::IniFormat);
        for (const FileKey &entry : keysOf(path, &problems)) {
            if (!known.contains(entry.key) || entry.key == u"config"_s) {
                problems.append({entry.key, entry.line, u"unknown key"_s});
                continue;
            }
            if (crossKeyOptions.contains(entry.key))
                continue;
            // Each value on its own, so every bad one is found, not only the first.
            QProcessEnvironment only;
            only.insert(u"MESSENGERD_"_s + entry.key.toUpper().replace(u'-', u'_'),
                        settings.value(entry.key).toString());
            ServerConfig config;
            QString error;
            if (!loadWith({}, only, &config, &error))
                problems.append({entry.key, entry.line, error});
        }
    }

    ServerConfig config;
    QString error;
    if (!ConfigLoader::load(parser, environment, &config, &error)) {
        const QString key = keyNamedIn(error);
        const bool reported = std::any_of(problems.cbegin(), problems.cend(),
                                          [&key](const Problem &p) { return p.key == key; });
        if (!reported || key.isEmpty())
            problems.append({key, 0, error});
        return problems;
    }

    if (!config.tlsCertificate.isEmpty()) {
        TlsFiles tls;
        if (!TlsFiles::load(config.tlsCertificate, config.tlsPrivateKey, &tls, &error))
            problems.append(
                {error.contains(u"TLS key"_s) ? u"tls-key"_s : u"tls-cert"_s, 0, error});
    }
    checkWritableFolder(u"data-dir"_s, config.effectiveDataDir(), &problems);
    if (config.database.driver == DatabaseConfig::Driver::Sqlite) {
        if (!config.database.sqlitePath.isEmpty())
            checkWritableFolder(u"db-path"_s, QFileInfo(config.database.sqlitePath).path(),
                                &problems);
    } else {
        try {
            Database db(config.database, u"messengerd-check"_s);
            db.open();
        } catch (const StoreError &e) {
            problems.append({u"db"_s, 0, u"cannot connect to PostgreSQL: %1"_s.arg(e.message())});
        }
    }
    return problems;
}

int run(const QCommandLineParser &parser, const QProcessEnvironment &environment)
{
    QTextStream out(stdout);
    const QString path = parser.value(u"config"_s);
    const QList<Problem> problems = check(parser, environment);
    for (const Problem &problem : problems) {
        QString where = path.isEmpty() ? u"configuration"_s : path;
        if (problem.line > 0)
            where += u":%1"_s.arg(problem.line);
        out << where << ": " << (problem.key.isEmpty() ? QString() : problem.key + u": "_s)
            << problem.message << '\n';
    }
    if (problems.isEmpty())
        out << (path.isEmpty() ? u"configuration"_s : path) << ": OK\n";
    out.flush();
    return problems.isEmpty() ? 0 : 1;
}

} // namespace ConfigCheck

} // namespace Server
