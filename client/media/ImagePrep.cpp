#include "media/ImagePrep.h"

#include "media/FileNames.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QLocale>
#include <QPainter>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;
using Protocol::Body::AttachmentKind;

namespace Client::ImagePrep {

namespace {

inline constexpr int MaxDescriptorSide = 65535; //!< the descriptor's w and h

int longSide(QSize size)
{
    return std::max(size.width(), size.height());
}

QImage failed(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return {};
}

bool hasTransparentPixel(const QImage &image)
{
    if (!image.hasAlphaChannel())
        return false;
    const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
    for (int y = 0; y < argb.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(argb.constScanLine(y));
        for (int x = 0; x < argb.width(); ++x) {
            if (qAlpha(line[x]) != 255)
                return true;
        }
    }
    return false;
}

// A new image with only the pixels: whatever the source carried (EXIF, XMP, comments, PNG
// text, ICC profile, dots per metre) stays behind. QImage::scaled() and convertToFormat() keep
// QImage::text(), which the writers then save; painting does not.
QImage repaint(const QImage &source, bool transparent)
{
    QImage out(source.size(),
               transparent ? QImage::Format_ARGB32_Premultiplied : QImage::Format_RGB32);
    out.fill(transparent ? Qt::transparent : Qt::white);
    QImage pixels = source;
    pixels.setDevicePixelRatio(1);
    QPainter painter(&out);
    painter.drawImage(0, 0, pixels);
    painter.end();
    return out;
}

QByteArray encode(const QImage &image, const char *format, int quality)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, format);
    writer.setQuality(quality);
    if (!writer.write(image))
        return {};
    return out;
}

QString withSuffix(const QString &name, QLatin1StringView suffix)
{
    const QString clean = FileNames::sanitize(name);
    const qsizetype dot = clean.lastIndexOf(u'.');
    return FileNames::sanitize((dot > 0 ? clean.left(dot) : clean) + u'.' + suffix);
}

void setDimensions(Protocol::Body::Attachment &meta, QSize size)
{
    if (size.width() >= 1 && size.width() <= MaxDescriptorSide && size.height() >= 1
        && size.height() <= MaxDescriptorSide) {
        meta.width = size.width();
        meta.height = size.height();
    }
}

void checkSize(PreparedMedia &result, qint64 size, const MediaLimits &limits)
{
    const QString problem =
        MediaKind::sizeProblem(result.meta.name, size, result.meta.kind, limits);
    if (!problem.isEmpty() && result.error.isEmpty())
        result.error = problem;
}

// A still picture, re-encoded: the bytes that go, and the descriptor's mime, name, w, h, thumb.
void encodePhoto(PreparedMedia &result, const QImage &decoded, const QString &name)
{
    QImage image = decoded;
    if (longSide(image.size()) > MaxLongSide)
        image =
            image.scaled(MaxLongSide, MaxLongSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const bool transparent = hasTransparentPixel(image);
    const QImage clean = repaint(image, transparent);
    result.bytes = transparent ? encode(clean, "png", -1) : encode(clean, "jpeg", JpegQuality);
    if (result.bytes.isEmpty()) {
        result.error = u"“%1” could not be converted for sending."_s.arg(FileNames::sanitize(name));
        return;
    }
    result.meta.kind = AttachmentKind::Image;
    result.meta.mime = transparent ? u"image/png"_s : u"image/jpeg"_s;
    result.meta.name = withSuffix(name, transparent ? "png"_L1 : "jpg"_L1);
    result.meta.size = result.bytes.size();
    setDimensions(result.meta, clean.size());
    result.meta.thumbnail = thumbnail(clean);
}

} // namespace

QImage decode(QIODevice *device, int maxLongSide, QString *error)
{
    const QString mime = MediaKind::mimeForData(device->peek(MediaKind::SniffBytes));
    const QByteArray format = MediaKind::imageFormatFor(mime);
    if (format.isEmpty())
        return failed(error, u"This is not a PNG, JPEG, GIF or WebP image (%1)."_s.arg(mime));

    QImageReader reader(device, format);
    reader.setAutoDetectImageFormat(false);
    reader.setDecideFormatFromContent(false);
    reader.setAutoTransform(true);
    const QSize declared = reader.size();
    if (!declared.isValid() || declared.isEmpty())
        return failed(error, u"The image could not be read (%1)."_s.arg(reader.errorString()));

    QSize target = declared;
    if (maxLongSide > 0 && longSide(declared) > maxLongSide)
        target = declared.scaled(maxLongSide, maxLongSide, Qt::KeepAspectRatio);
    // JPEG decodes straight to a smaller size; PNG and GIF decode everything first whatever the
    // scaled size (checked on Qt 6.4.2), so their declared size is what must fit the limit.
    const bool scalesWhileDecoding =
        format != "png" && format != "gif" && reader.supportsOption(QImageIOHandler::ScaledSize);
    const QSize decodedSize = scalesWhileDecoding ? target : declared;
    const qint64 limitBytes = qint64(QImageReader::allocationLimit()) * 1024 * 1024;
    if (limitBytes > 0 && qint64(decodedSize.width()) * decodedSize.height() * 4 > limitBytes) {
        return failed(
            error,
            u"The image is too large to open: %1 × %2 pixels would need more than %3 of memory."_s
                .arg(declared.width())
                .arg(declared.height())
                .arg(QLocale().formattedDataSize(limitBytes)));
    }
    if (scalesWhileDecoding && target != declared)
        reader.setScaledSize(target);

    QImage image = reader.read();
    if (image.isNull())
        return failed(error, u"The image could not be read (%1)."_s.arg(reader.errorString()));
    if (maxLongSide > 0 && longSide(image.size()) > maxLongSide)
        image =
            image.scaled(maxLongSide, maxLongSide, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    return image;
}

QByteArray thumbnail(const QImage &image)
{
    if (image.isNull())
        return {};
    QImage small = image;
    if (longSide(image.size()) > ThumbLongSide)
        small = image.scaled(ThumbLongSide, ThumbLongSide, Qt::KeepAspectRatio,
                             Qt::SmoothTransformation);
    const QImage flat = repaint(small, false);
    for (int quality = 70; quality >= 10; quality -= 10) {
        QByteArray bytes = encode(flat, "jpeg", quality);
        if (!bytes.isEmpty() && bytes.size() <= ThumbMaxBytes)
            return bytes;
    }
    return {};
}

PreparedMedia prepareBytesNow(const QByteArray &bytes, const QString &name, Mode mode,
                              const MediaLimits &limits)
{
    PreparedMedia result;
    const QString mime = MediaKind::mimeForData(bytes);
    const AttachmentKind kind = MediaKind::kindForMime(mime);
    result.meta.mime = mime;
    result.meta.name = FileNames::sanitize(name);
    result.meta.size = bytes.size();

    if (mode == Mode::AsFile || kind != AttachmentKind::Image) {
        result.bytes = bytes;
        result.meta.kind = mode == Mode::AsFile ? AttachmentKind::File : kind;
        if (kind == AttachmentKind::Image)
            result.warning = u"Sent as it is: its metadata (such as where it was taken) stays."_s;
        checkSize(result, bytes.size(), limits);
        return result;
    }

    QByteArray copy = bytes;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    const QByteArray format = MediaKind::imageFormatFor(mime);
    bool animated = false;
    {
        QImageReader probe(&buffer, format);
        probe.setAutoDetectImageFormat(false);
        animated = probe.supportsAnimation() && probe.imageCount() != 1;
    }
    buffer.seek(0);

    QString error;
    if (animated) {
        // Re-encoding would lose the animation (Qt has no GIF writer): the bytes go as they are.
        const QImage first = decode(&buffer, 0, &error);
        if (first.isNull()) {
            result.error = u"“%1” cannot be sent as a picture: %2"_s.arg(result.meta.name, error);
            return result;
        }
        result.bytes = bytes;
        result.meta.kind = AttachmentKind::Image;
        setDimensions(result.meta, first.size());
        result.meta.thumbnail = thumbnail(first);
        result.warning = u"Animations are sent as they are: their metadata stays."_s;
        checkSize(result, bytes.size(), limits);
        return result;
    }

    const QImage image = decode(&buffer, MaxLongSide, &error);
    if (image.isNull()) {
        result.error = u"“%1” cannot be sent as a picture: %2"_s.arg(result.meta.name, error);
        return result;
    }
    encodePhoto(result, image, name);
    checkSize(result, result.bytes.size(), limits);
    return result;
}

PreparedMedia prepareFileNow(const QString &path, Mode mode, const MediaLimits &limits)
{
    PreparedMedia result;
    const QFileInfo info(path);
    result.meta.name = FileNames::sanitize(info.fileName());
    QFile file(path);
    if (!info.isFile() || !file.open(QIODevice::ReadOnly)) {
        result.error = u"“%1” cannot be read."_s.arg(result.meta.name);
        return result;
    }
    const QString mime = MediaKind::mimeForData(file.peek(MediaKind::SniffBytes));
    const AttachmentKind kind = MediaKind::kindForMime(mime);
    if (mode == Mode::AsFile || kind != AttachmentKind::Image) {
        // Files go from disk untouched; MediaTransfers reads them while encrypting.
        result.path = path;
        result.meta.mime = mime;
        result.meta.size = info.size();
        result.meta.kind = mode == Mode::AsFile ? AttachmentKind::File : kind;
        if (kind == AttachmentKind::Image)
            result.warning = u"Sent as it is: its metadata (such as where it was taken) stays."_s;
        checkSize(result, info.size(), limits);
        return result;
    }
    // A photo is read whole to re-encode it; one far beyond any limit is not even read.
    if (info.size() > std::max(limits.fileBytes, limits.imageBytes)) {
        result.meta.kind = AttachmentKind::Image;
        checkSize(result, info.size(), limits);
        return result;
    }
    return prepareBytesNow(file.readAll(), info.fileName(), mode, limits);
}

PreparedMedia prepareImageNow(const QImage &image, const QString &name, const MediaLimits &limits)
{
    PreparedMedia result;
    result.meta.name = FileNames::sanitize(name);
    if (image.isNull()) {
        result.error = u"There is no picture to send."_s;
        return result;
    }
    encodePhoto(result, image, name);
    checkSize(result, result.bytes.size(), limits);
    return result;
}

QFuture<PreparedMedia> prepareFile(const QString &path, Mode mode, const MediaLimits &limits)
{
    return QtConcurrent::run(prepareFileNow, path, mode, limits);
}

QFuture<PreparedMedia> prepareImage(const QImage &image, const QString &name,
                                    const MediaLimits &limits)
{
    return QtConcurrent::run(prepareImageNow, image, name, limits);
}

} // namespace Client::ImagePrep
