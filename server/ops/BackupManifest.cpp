#include "BackupManifest.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace Server::Ops {

namespace {

// A manifest path names a file inside the backup folder: relative, normalised, no way out.
bool isSafePath(const QString &path)
{
    if (path.isEmpty() || path.startsWith(QLatin1Char('/')) || path.contains(QLatin1Char('\\'))
        || path.contains(QChar(0)))
        return false;
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const QString &part : parts) {
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String(".."))
            return false;
    }
    return true;
}

bool isHexDigest(const QByteArray &digest)
{
    if (digest.size() != 64)
        return false;
    for (char c : digest) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

} // namespace

QByteArray BackupManifest::toJson() const
{
    QJsonArray list;
    for (const BackupFile &file : files) {
        list.append(QJsonObject {{QStringLiteral("path"), file.path},
                                 {QStringLiteral("size"), file.size},
                                 {QStringLiteral("sha256"), QString::fromLatin1(file.sha256)}});
    }
    const QJsonObject root {
        {QStringLiteral("format"), format},
        {QStringLiteral("messengerdVersion"), messengerdVersion},
        {QStringLiteral("schemaVersion"), schemaVersion},
        {QStringLiteral("driver"), driver},
        {QStringLiteral("createdAt"), createdAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("files"), list},
    };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<BackupManifest> BackupManifest::fromJson(const QByteArray &json, QString *error)
{
    const auto fail = [error](const QString &message) -> std::optional<BackupManifest> {
        *error = message;
        return std::nullopt;
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return fail(
            QStringLiteral("the manifest is not a JSON object (%1)").arg(parseError.errorString()));
    const QJsonObject root = document.object();
    BackupManifest manifest;
    manifest.format = root.value(QStringLiteral("format")).toInt(-1);
    if (manifest.format != CurrentFormat)
        return fail(QStringLiteral("unknown manifest format %1 (this messengerd reads format %2)")
                        .arg(root.value(QStringLiteral("format")).toVariant().toString())
                        .arg(CurrentFormat));
    manifest.messengerdVersion = root.value(QStringLiteral("messengerdVersion")).toString();
    manifest.schemaVersion = root.value(QStringLiteral("schemaVersion")).toInt(-1);
    if (manifest.schemaVersion < 1)
        return fail(QStringLiteral("the manifest has no valid schemaVersion"));
    manifest.driver = root.value(QStringLiteral("driver")).toString();
    if (manifest.driver != QLatin1String("sqlite") && manifest.driver != QLatin1String("postgres"))
        return fail(QStringLiteral("unknown driver \"%1\" in the manifest").arg(manifest.driver));
    manifest.createdAt = QDateTime::fromString(root.value(QStringLiteral("createdAt")).toString(),
                                               Qt::ISODateWithMs);
    if (!manifest.createdAt.isValid())
        return fail(QStringLiteral("the manifest has no valid createdAt"));

    const QString databaseName =
        QString::fromLatin1(manifest.driver == QLatin1String("sqlite") ? SqliteFile : PostgresFile);
    const QString blobPrefix = QString::fromLatin1(BlobFolder) + QLatin1Char('/');
    QSet<QString> seen;
    for (const QJsonValue &value : root.value(QStringLiteral("files")).toArray()) {
        const QJsonObject object = value.toObject();
        BackupFile file;
        file.path = object.value(QStringLiteral("path")).toString();
        file.size = qint64(object.value(QStringLiteral("size")).toDouble(-1));
        file.sha256 = object.value(QStringLiteral("sha256")).toString().toLatin1();
        if (!isSafePath(file.path)
            || (file.path != databaseName && !file.path.startsWith(blobPrefix)))
            return fail(QStringLiteral("the manifest names a file outside the backup: \"%1\"")
                            .arg(file.path));
        if (file.size < 0 || !isHexDigest(file.sha256))
            return fail(QStringLiteral("the manifest entry of %1 has no valid size and sha256")
                            .arg(file.path));
        if (seen.contains(file.path))
            return fail(QStringLiteral("the manifest lists %1 twice").arg(file.path));
        seen.insert(file.path);
        manifest.files.append(file);
    }
    if (!seen.contains(databaseName))
        return fail(QStringLiteral("the manifest lists no %1").arg(databaseName));
    return manifest;
}

const BackupFile *BackupManifest::databaseFile() const
{
    const QString name =
        QString::fromLatin1(driver == QLatin1String("sqlite") ? SqliteFile : PostgresFile);
    for (const BackupFile &file : files) {
        if (file.path == name)
            return &file;
    }
    return nullptr;
}

} // namespace Server::Ops
