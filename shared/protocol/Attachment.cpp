#include "Attachment.h"

#include "Protocol.h"
#include "media/BlobCipher.h"

#include <QCborArray>

namespace Protocol::Body {

namespace {

using L = QLatin1StringView;

namespace Key {
inline constexpr L Blob {"blob"};
inline constexpr L BlobKey {"key"};
inline constexpr L Size {"size"};
inline constexpr L CipherSize {"csize"};
inline constexpr L Sha256 {"sha256"};
inline constexpr L Kind {"kind"};
inline constexpr L Mime {"mime"};
inline constexpr L Name {"name"};
inline constexpr L Width {"w"};
inline constexpr L Height {"h"};
inline constexpr L Duration {"dur"};
inline constexpr L Waveform {"wave"};
inline constexpr L Thumbnail {"thumb"};
} // namespace Key

struct Kinds
{
    AttachmentKind kind;
    L name;
};
constexpr Kinds AllKinds[] = {{AttachmentKind::Image, L("image")},
                              {AttachmentKind::Video, L("video")},
                              {AttachmentKind::Voice, L("voice")},
                              {AttachmentKind::Audio, L("audio")},
                              {AttachmentKind::File, L("file")}};

// RFC 6838 restricted-name characters (letters, digits, ! # $ & - ^ _ . +).
bool isMimeNameChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')
        || QStringView(u"!#$&-^_.+").contains(c);
}

bool isMimeType(const QString &mime)
{
    if (mime.isEmpty() || mime.size() > Limits::MaxMimeLength)
        return false;
    const qsizetype slash = mime.indexOf(u'/');
    if (slash <= 0 || slash == mime.size() - 1 || mime.indexOf(u'/', slash + 1) >= 0)
        return false;
    for (qsizetype i = 0; i < mime.size(); ++i) {
        if (i != slash && !isMimeNameChar(mime.at(i)))
            return false;
    }
    return true;
}

// Reads one map, remembering the first problem (as MessageBody's reader does).
struct Reader
{
    const QCborMap &map;
    QString error;
    bool failed() const { return !error.isEmpty(); }
    void fail(const QString &message)
    {
        if (error.isEmpty())
            error = message;
    }

    QCborValue field(L key, bool required)
    {
        QCborValue value = map.value(key);
        if (value.isUndefined() && required)
            fail(QStringLiteral("\"%1\" is missing").arg(key));
        return value;
    }

    qint64 integer(L key, qint64 min, qint64 max, bool required)
    {
        const QCborValue value = field(key, required);
        if (value.isUndefined())
            return 0;
        if (!value.isInteger()) {
            fail(QStringLiteral("\"%1\" must be an integer").arg(key));
            return 0;
        }
        const qint64 n = value.toInteger();
        if (n < min || n > max) {
            fail(QStringLiteral("\"%1\" must be %2 to %3").arg(key).arg(min).arg(max));
            return 0;
        }
        return n;
    }

    QByteArray bytes(L key, qsizetype minLength, qsizetype maxLength, bool required)
    {
        const QCborValue value = field(key, required);
        if (value.isUndefined())
            return {};
        if (!value.isByteArray()) {
            fail(QStringLiteral("\"%1\" must be a byte string").arg(key));
            return {};
        }
        QByteArray result = value.toByteArray();
        if (result.size() < minLength || result.size() > maxLength) {
            fail(minLength == maxLength
                     ? QStringLiteral("\"%1\" must be %2 bytes").arg(key).arg(minLength)
                     : QStringLiteral("\"%1\" must be %2 to %3 bytes")
                           .arg(key)
                           .arg(minLength)
                           .arg(maxLength));
            return {};
        }
        return result;
    }

    QString text(L key, bool required)
    {
        const QCborValue value = field(key, required);
        if (value.isUndefined())
            return {};
        if (!value.isString()) {
            fail(QStringLiteral("\"%1\" must be a text string").arg(key));
            return {};
        }
        return value.toString();
    }
};

} // namespace

QString attachmentKindName(AttachmentKind kind)
{
    for (const Kinds &k : AllKinds) {
        if (k.kind == kind)
            return QString(k.name);
    }
    return QStringLiteral("file");
}

std::optional<AttachmentKind> attachmentKindFromName(QStringView name)
{
    for (const Kinds &k : AllKinds) {
        if (name == k.name)
            return k.kind;
    }
    return std::nullopt;
}

QCborMap encodeAttachment(const Attachment &a)
{
    QCborMap map;
    map.insert(Key::Blob, a.blobId);
    map.insert(Key::BlobKey, a.key);
    map.insert(Key::Size, a.size);
    map.insert(Key::CipherSize, a.cipherSize);
    map.insert(Key::Sha256, a.sha256);
    map.insert(Key::Kind, attachmentKindName(a.kind));
    map.insert(Key::Mime, a.mime);
    if (!a.name.isEmpty())
        map.insert(Key::Name, a.name);
    if (a.width > 0)
        map.insert(Key::Width, a.width);
    if (a.height > 0)
        map.insert(Key::Height, a.height);
    if (a.durationMs > 0)
        map.insert(Key::Duration, a.durationMs);
    if (!a.waveform.isEmpty())
        map.insert(Key::Waveform, a.waveform);
    if (!a.thumbnail.isEmpty())
        map.insert(Key::Thumbnail, a.thumbnail);
    return map;
}

std::optional<Attachment> decodeAttachment(const QCborValue &value, QString *error)
{
    auto refuse = [error](const QString &message) -> std::optional<Attachment> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    if (!value.isMap())
        return refuse(QStringLiteral("an attachment must be a map"));
    const QCborMap map = value.toMap();
    Reader in {map, {}};
    Attachment a;

    a.blobId = in.text(Key::Blob, true);
    if (!in.failed() && !isValidBlobId(a.blobId))
        in.fail(
            QStringLiteral("\"blob\" must be %1 characters a-z, 2-7").arg(Limits::BlobIdLength));
    a.key = in.bytes(Key::BlobKey, Media::KeyBytes, Media::KeyBytes, true);
    a.size = in.integer(Key::Size, 0, Limits::MaxAttachmentBytes, true);
    a.cipherSize =
        in.integer(Key::CipherSize, 0, Media::cipherSizeFor(Limits::MaxAttachmentBytes), true);
    if (!in.failed() && a.cipherSize != Media::cipherSizeFor(a.size))
        in.fail(QStringLiteral("\"csize\" must be %1 for a \"size\" of %2")
                    .arg(Media::cipherSizeFor(a.size))
                    .arg(a.size));
    a.sha256 = in.bytes(Key::Sha256, Media::Sha256Bytes, Media::Sha256Bytes, true);
    const QString kind = in.text(Key::Kind, true);
    // A kind a newer client added shows as a file.
    a.kind = attachmentKindFromName(kind).value_or(AttachmentKind::File);
    a.mime = in.text(Key::Mime, true);
    if (!in.failed() && !isMimeType(a.mime))
        in.fail(QStringLiteral("\"mime\" must be type/subtype, 1 to %1 ASCII characters")
                    .arg(Limits::MaxMimeLength));
    a.name = in.text(Key::Name, false);
    if (!in.failed() && a.name.toUtf8().size() > Limits::MaxNameBytes)
        in.fail(QStringLiteral("\"name\" is longer than %1 UTF-8 bytes").arg(Limits::MaxNameBytes));
    a.width = int(in.integer(Key::Width, 1, Limits::MaxDimension, false));
    a.height = int(in.integer(Key::Height, 1, Limits::MaxDimension, false));
    a.durationMs = in.integer(Key::Duration, 0, Limits::MaxDurationMs, false);
    a.waveform = in.bytes(Key::Waveform, 0, Limits::MaxWaveformBytes, false);
    a.thumbnail = in.bytes(Key::Thumbnail, 0, Limits::MaxThumbnailBytes, false);
    if (in.failed())
        return refuse(in.error);
    return a;
}

QList<Attachment> attachmentsOf(const MessageBody &body)
{
    QList<Attachment> list;
    for (const QCborValue &entry : body.attachments) {
        if (std::optional<Attachment> a = decodeAttachment(entry))
            list.append(std::move(*a));
    }
    return list;
}

void setAttachments(MessageBody &body, const QList<Attachment> &attachments)
{
    QCborArray array;
    for (const Attachment &a : attachments)
        array.append(encodeAttachment(a));
    body.attachments = array;
}

} // namespace Protocol::Body
