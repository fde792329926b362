#include "media/MediaKind.h"

#include <QFile>
#include <QLocale>
#include <QMimeDatabase>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;
using Protocol::Body::AttachmentKind;

namespace Client {

MediaLimits MediaLimits::fromWelcome(const QCborMap &limits)
{
    MediaLimits out;
    const auto take = [&limits](QLatin1StringView key, qint64 &field) {
        const qint64 value = limits.value(key).toInteger(0);
        if (value > 0)
            field = value;
    };
    take("maxImageBytes"_L1, out.imageBytes);
    take("maxVideoBytes"_L1, out.videoBytes);
    take("maxAudioBytes"_L1, out.audioBytes);
    take("maxFileBytes"_L1, out.fileBytes);
    take("maxBlobBytes"_L1, out.blobBytes);
    qint64 retention = 0;
    take("mediaRetentionDays"_L1, retention);
    // A value past any real retention (~27 years) only means "keeps for a long time".
    out.retentionDays = int(std::min<qint64>(retention, 10'000));
    return out;
}

qint64 MediaLimits::limitFor(AttachmentKind kind) const
{
    qint64 limit = fileBytes;
    switch (kind) {
    case AttachmentKind::Image:
        limit = imageBytes;
        break;
    case AttachmentKind::Video:
        limit = videoBytes;
        break;
    case AttachmentKind::Voice:
    case AttachmentKind::Audio:
        limit = audioBytes;
        break;
    case AttachmentKind::File:
        break;
    }
    return std::min(limit, blobBytes);
}

namespace MediaKind {

namespace {

// Extensions that run something when opened. Telegram Desktop (Data::IsExecutableName) and
// Signal Desktop (isFileDangerous) for Windows and macOS; the Linux ones this app's users meet.
const QSet<QString> &dangerousExtensions()
{
    static const QSet<QString> set {
        // Windows executables, installers, scripts, shortcuts, control panels, help
        u"ad"_s,
        u"ade"_s,
        u"adp"_s,
        u"app"_s,
        u"application"_s,
        u"appref-ms"_s,
        u"asp"_s,
        u"asx"_s,
        u"bas"_s,
        u"bat"_s,
        u"bin"_s,
        u"cab"_s,
        u"cer"_s,
        u"chm"_s,
        u"cmd"_s,
        u"cnt"_s,
        u"com"_s,
        u"cpl"_s,
        u"crt"_s,
        u"csh"_s,
        u"der"_s,
        u"diagcab"_s,
        u"dll"_s,
        u"drv"_s,
        u"exe"_s,
        u"fxp"_s,
        u"gadget"_s,
        u"grp"_s,
        u"hlp"_s,
        u"hpj"_s,
        u"hta"_s,
        u"htt"_s,
        u"inf"_s,
        u"ins"_s,
        u"inx"_s,
        u"isp"_s,
        u"isu"_s,
        u"its"_s,
        u"jar"_s,
        u"jnlp"_s,
        u"job"_s,
        u"js"_s,
        u"jse"_s,
        u"ksh"_s,
        u"lnk"_s,
        u"local"_s,
        u"lua"_s,
        u"mad"_s,
        u"maf"_s,
        u"mag"_s,
        u"mam"_s,
        u"manifest"_s,
        u"maq"_s,
        u"mar"_s,
        u"mas"_s,
        u"mat"_s,
        u"mau"_s,
        u"mav"_s,
        u"maw"_s,
        u"mcf"_s,
        u"mda"_s,
        u"mdb"_s,
        u"mde"_s,
        u"mdt"_s,
        u"mdw"_s,
        u"mdz"_s,
        u"mht"_s,
        u"mhtml"_s,
        u"mjs"_s,
        u"mmc"_s,
        u"mof"_s,
        u"msc"_s,
        u"msh"_s,
        u"msh1"_s,
        u"msh2"_s,
        u"mshxml"_s,
        u"msh1xml"_s,
        u"msh2xml"_s,
        u"msi"_s,
        u"msix"_s,
        u"msixbundle"_s,
        u"msp"_s,
        u"mst"_s,
        u"ops"_s,
        u"osd"_s,
        u"paf"_s,
        u"pcd"_s,
        u"phar"_s,
        u"php"_s,
        u"php3"_s,
        u"php4"_s,
        u"php5"_s,
        u"phtml"_s,
        u"pif"_s,
        u"pl"_s,
        u"plg"_s,
        u"pm"_s,
        u"prf"_s,
        u"prg"_s,
        u"ps1"_s,
        u"ps1xml"_s,
        u"ps2"_s,
        u"ps2xml"_s,
        u"psc1"_s,
        u"psc2"_s,
        u"psd1"_s,
        u"psm1"_s,
        u"pssc"_s,
        u"pst"_s,
        u"py"_s,
        u"py3"_s,
        u"pyc"_s,
        u"pyd"_s,
        u"pyo"_s,
        u"pyw"_s,
        u"pywz"_s,
        u"pyz"_s,
        u"rb"_s,
        u"reg"_s,
        u"rgs"_s,
        u"scf"_s,
        u"scr"_s,
        u"sct"_s,
        u"search-ms"_s,
        u"settingcontent-ms"_s,
        u"shb"_s,
        u"shs"_s,
        u"slk"_s,
        u"sys"_s,
        u"u3p"_s,
        u"url"_s,
        u"vb"_s,
        u"vbe"_s,
        u"vbp"_s,
        u"vbs"_s,
        u"vbscript"_s,
        u"vsmacros"_s,
        u"vsw"_s,
        u"website"_s,
        u"ws"_s,
        u"wsc"_s,
        u"wsf"_s,
        u"wsh"_s,
        u"xbap"_s,
        u"xll"_s,
        u"xnk"_s,
        // macOS
        u"command"_s,
        u"dmg"_s,
        u"pkg"_s,
        u"tool"_s,
        u"workflow"_s,
        // Linux: desktop entries, self-running images, shell and interpreter scripts, packages
        u"desktop"_s,
        u"appimage"_s,
        u"run"_s,
        u"sh"_s,
        u"bash"_s,
        u"zsh"_s,
        u"fish"_s,
        u"elf"_s,
        u"so"_s,
        u"out"_s,
        u"deb"_s,
        u"rpm"_s,
        u"snap"_s,
        u"flatpak"_s,
        u"flatpakref"_s,
        u"flatpakrepo"_s,
        u"ko"_s,
        u"service"_s,
    };
    return set;
}

// MIME types (and their parents) of content that runs: checked with QMimeType::inherits, so
// application/x-pie-executable and application/x-sharedlib count as application/x-executable.
const QStringList &dangerousMimes()
{
    static const QStringList list {
        u"application/x-executable"_s,
        u"application/x-sharedlib"_s,
        u"application/x-pie-executable"_s,
        u"application/x-elf"_s,
        u"application/x-ms-dos-executable"_s,
        u"application/x-msdownload"_s,
        u"application/vnd.microsoft.portable-executable"_s,
        u"application/x-msi"_s,
        u"application/x-ms-shortcut"_s,
        u"application/x-shellscript"_s,
        u"application/x-desktop"_s,
        u"application/x-appimage"_s,
        u"application/vnd.appimage"_s,
        u"application/x-iso9660-appimage"_s,
        u"application/x-java-archive"_s,
        u"application/x-java-jnlp-file"_s,
        u"application/x-perl"_s,
        u"text/x-python"_s,
        u"text/x-python3"_s,
        u"application/x-ruby"_s,
        u"application/x-php"_s,
        u"application/javascript"_s,
        u"application/x-bat"_s,
        u"application/x-msdos-program"_s,
        u"application/x-deb"_s,
        u"application/vnd.debian.binary-package"_s,
        u"application/x-rpm"_s,
        u"application/x-executable-script"_s,
    };
    return list;
}

const QMimeDatabase &database()
{
    static const QMimeDatabase db;
    return db;
}

} // namespace

QString mimeForData(QByteArrayView head)
{
    return database()
        .mimeTypeForData(head.first(std::min<qsizetype>(head.size(), SniffBytes)).toByteArray())
        .name();
}

QString mimeForFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return mimeForData(file.read(SniffBytes));
}

QByteArray imageFormatFor(const QString &mime)
{
    if (mime == "image/png"_L1)
        return "png"_ba;
    if (mime == "image/jpeg"_L1)
        return "jpeg"_ba;
    if (mime == "image/gif"_L1)
        return "gif"_ba;
    if (mime == "image/webp"_L1)
        return "webp"_ba;
    return {};
}

bool isAllowedImageMime(const QString &mime)
{
    return !imageFormatFor(mime).isEmpty();
}

AttachmentKind kindForMime(const QString &mime)
{
    if (isAllowedImageMime(mime))
        return AttachmentKind::Image;
    if (mime.startsWith("video/"_L1))
        return AttachmentKind::Video;
    if (mime.startsWith("audio/"_L1))
        return AttachmentKind::Audio;
    return AttachmentKind::File;
}

bool isDangerousName(const QString &name)
{
    // The extension that decides what opens it ("a.jpg.exe" is an .exe), after the trailing dots
    // and spaces Windows drops ("a.exe." runs too).
    QString trimmed = name.trimmed();
    while (trimmed.endsWith(u'.') || trimmed.endsWith(u' '))
        trimmed.chop(1);
    const qsizetype dot = trimmed.lastIndexOf(u'.');
    if (dot < 0)
        return false;
    return dangerousExtensions().contains(trimmed.mid(dot + 1).toLower());
}

bool isDangerousMime(const QString &mime)
{
    const QMimeType type = database().mimeTypeForName(mime);
    for (const QString &bad : dangerousMimes()) {
        if (mime == bad || (type.isValid() && type.inherits(bad)))
            return true;
    }
    return false;
}

bool isDangerous(const QString &name, QByteArrayView head)
{
    if (isDangerousName(name) || head.startsWith("#!"))
        return true;
    return isDangerousMime(mimeForData(head));
}

QString sizeProblem(const QString &name, qint64 size, AttachmentKind kind,
                    const MediaLimits &limits)
{
    const qint64 limit = limits.limitFor(kind);
    if (size <= limit)
        return {};
    const QLocale locale;
    QString what;
    switch (kind) {
    case AttachmentKind::Image:
        what = u"Photos"_s;
        break;
    case AttachmentKind::Video:
        what = u"Videos"_s;
        break;
    case AttachmentKind::Voice:
    case AttachmentKind::Audio:
        what = u"Audio files"_s;
        break;
    case AttachmentKind::File:
        what = u"Files"_s;
        break;
    }
    return u"“%1” is %2. %3 can be at most %4."_s.arg(name, locale.formattedDataSize(size), what,
                                                      locale.formattedDataSize(limit));
}

} // namespace MediaKind
} // namespace Client
