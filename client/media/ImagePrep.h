#pragma once

#include "media/MediaKind.h"
#include "protocol/Attachment.h"

#include <QByteArray>
#include <QFuture>
#include <QImage>
#include <QString>

class QIODevice;

namespace Client {

//! What ImagePrep made of a file: the bytes to upload (empty when the file goes as it is from
//! `path`) and the descriptor's meta (kind, mime, name, size, w, h, thumb). `error` says why it
//! cannot be sent; `warning` says what the user should know (metadata stays).
struct PreparedMedia
{
    QString path; //!< the source file, when `bytes` is empty (sent untouched)
    QByteArray bytes; //!< re-encoded image bytes; win over `path`
    Protocol::Body::Attachment meta;
    QString error;
    QString warning;
    bool ok() const { return error.isEmpty(); }
};

//! Gets photos and files ready to send, on a worker thread (docs/design media.md §8).
//!
//! Photos: decoded only as PNG, JPEG, GIF or WebP, the format decided from the bytes; EXIF
//! orientation applied; Qt's allocation limit kept (a PNG declaring 30000×30000 is refused); a
//! scaled decode to MaxLongSide; painted into a fresh QImage so that EXIF (GPS), XMP, JPEG
//! comments and PNG text are gone; saved as JPEG quality JpegQuality, or PNG when some pixel is
//! transparent. Animated GIFs and WebPs go as they are. "Send as file" keeps the bytes untouched.
//! Every image gets a thumbnail: JPEG, at most ThumbLongSide px and ThumbMaxBytes.
namespace ImagePrep {

inline constexpr int MaxLongSide = 2048;
inline constexpr int JpegQuality = 80;
inline constexpr int ThumbLongSide = 64;
inline constexpr int ThumbMaxBytes = 4096;

enum class Mode {
    Media, //!< photos re-encoded, shown inline
    AsFile, //!< the original bytes, shown as a file card
};

//! Reads and prepares a file (the read happens on the worker too).
QFuture<PreparedMedia> prepareFile(const QString &path, Mode mode, const MediaLimits &limits = {});
//! Prepares an image already in memory (a pasted picture) as a photo named `name`.
QFuture<PreparedMedia> prepareImage(const QImage &image, const QString &name,
                                    const MediaLimits &limits = {});

//! The same, synchronously: for the worker and for tests.
PreparedMedia prepareFileNow(const QString &path, Mode mode, const MediaLimits &limits = {});
PreparedMedia prepareBytesNow(const QByteArray &bytes, const QString &name, Mode mode,
                              const MediaLimits &limits = {});
PreparedMedia prepareImageNow(const QImage &image, const QString &name,
                              const MediaLimits &limits = {});

//! Decodes an image from `device` safely: the format from its first bytes, only the
//! allow-listed ones, no format guessing by Qt, orientation applied, the allocation limit kept,
//! scaled (keeping the aspect ratio) when its long side is above `maxLongSide` (0: never). A
//! null image and `error` set when it is refused. Used for received images too.
QImage decode(QIODevice *device, int maxLongSide, QString *error = nullptr);

//! The inline thumbnail: JPEG, ≤ ThumbLongSide px, ≤ ThumbMaxBytes (the quality drops until it
//! fits). Empty for a null image.
QByteArray thumbnail(const QImage &image);

} // namespace ImagePrep
} // namespace Client
