#include "media/FileNames.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Client::FileNames {

namespace {

// Characters that reorder or hide text: a name like "invoice\u202Egpj.exe" shows as
// "invoiceexe.jpg" (the right-to-left override trick). Also zero-width characters and the byte
// order mark, which make two names look the same.
bool isInvisibleOrBidi(char32_t c)
{
    return (c >= 0x200B && c <= 0x200F) // zero-width space/joiners, LRM, RLM
        || (c >= 0x202A && c <= 0x202E) // LRE, RLE, PDF, LRO, RLO
        || (c >= 0x2066 && c <= 0x2069) // LRI, RLI, FSI, PDI
        || c == 0x061C // Arabic letter mark
        || c == 0x2028 || c == 0x2029 // line and paragraph separators
        || c == 0xFEFF; // byte order mark
}

// Windows refuses these in names; a file saved here may be copied there.
bool isWindowsForbidden(char32_t c)
{
    return c == '<' || c == '>' || c == ':' || c == '"' || c == '|' || c == '?' || c == '*';
}

QString cleanCharacters(const QString &name)
{
    QString out;
    out.reserve(name.size());
    for (const char32_t c : name.toUcs4()) {
        if (c < 0x20 || (c >= 0x7F && c < 0xA0) || isInvisibleOrBidi(c))
            continue;
        if (isWindowsForbidden(c)) {
            out += u'_';
            continue;
        }
        if (QChar::category(c) == QChar::Other_Surrogate
            || QChar::category(c) == QChar::Other_NotAssigned)
            continue;
        out += QString::fromUcs4(&c, 1);
    }
    return out;
}

// Trim what hides a file (leading dots), what Windows drops (trailing dots and spaces) and
// surrounding white space.
QString trimEnds(QString name)
{
    name = name.trimmed();
    while (name.startsWith(u'.') || name.startsWith(u' '))
        name.remove(0, 1);
    while (name.endsWith(u'.') || name.endsWith(u' '))
        name.chop(1);
    return name;
}

bool isReservedDeviceName(const QString &name)
{
    static const QRegularExpression reserved(
        u"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\\$|conout\\$)(\\..*)?$"_s,
        QRegularExpression::CaseInsensitiveOption);
    return reserved.match(name).hasMatch();
}

// Cuts `stem` (whole code points) so that stem + suffix fit MaxNameBytes UTF-8 bytes.
QString fitBytes(const QString &stem, const QString &suffix)
{
    const qsizetype budget = MaxNameBytes - suffix.toUtf8().size();
    QString out;
    qsizetype used = 0;
    for (const char32_t c : stem.toUcs4()) {
        const QString piece = QString::fromUcs4(&c, 1);
        const qsizetype bytes = piece.toUtf8().size();
        if (used + bytes > budget)
            break;
        out += piece;
        used += bytes;
    }
    return out;
}

} // namespace

QString sanitize(const QString &name)
{
    // The base name only: whatever a path says about folders is dropped.
    QString base = name;
    base.replace(u'\\', u'/');
    base = base.section(u'/', -1);
    base = trimEnds(cleanCharacters(base));
    if (base.isEmpty())
        return Fallback;
    if (isReservedDeviceName(base))
        base.prepend(u'_');

    if (base.toUtf8().size() > MaxNameBytes) {
        // Keep a short extension (".jpg", ".tar.gz" keeps ".gz") so the type still shows.
        const qsizetype dot = base.lastIndexOf(u'.');
        QString suffix;
        if (dot > 0 && base.size() - dot <= 16)
            suffix = base.mid(dot);
        const QString stem = suffix.isEmpty() ? base : base.left(dot);
        base = trimEnds(fitBytes(stem, suffix)) + suffix;
        if (base.startsWith(u'.') || base.isEmpty())
            base = QString(Fallback) + suffix;
    }
    return base;
}

QString uniqueIn(const QString &dir, const QString &name)
{
    const QFileInfo folder(dir);
    if (!folder.isDir())
        return {};
    const QString canonicalDir = folder.canonicalFilePath();
    if (canonicalDir.isEmpty())
        return {};

    const QString clean = sanitize(name);
    const qsizetype dot = clean.lastIndexOf(u'.');
    const QString stem = dot > 0 ? clean.left(dot) : clean;
    const QString suffix = dot > 0 ? clean.mid(dot) : QString();

    const QDir target(canonicalDir);
    for (int n = 0; n < 10000; ++n) {
        QString candidate = clean;
        if (n > 0) {
            const QString counter = u" (%1)"_s.arg(n);
            candidate = fitBytes(stem, counter + suffix) + counter + suffix;
        }
        QString path = target.filePath(candidate);
        const QFileInfo info(path);
        // A dangling symbolic link "does not exist" yet writing through it lands elsewhere.
        if (info.exists() || info.isSymLink())
            continue;
        if (QFileInfo(info.absolutePath()).canonicalFilePath() != canonicalDir)
            return {};
        return path;
    }
    return {};
}

} // namespace Client::FileNames
