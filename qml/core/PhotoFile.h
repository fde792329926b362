#pragma once

#include <QFuture>
#include <QImage>
#include <QString>
#include <QUrl>

namespace App {

//! A picture the user chose for a profile or group photo, read from a local file on a worker
//! thread: decoded with ImagePrep::decode (PNG, JPEG, GIF, WebP only, the format from the bytes,
//! orientation applied, Qt's allocation limit kept), scaled on decode to at most MaxLongSide.
//! AvatarUpload makes the square JPEG that is sent from it.
namespace PhotoFile {

inline constexpr int MaxLongSide = 2048;

struct Loaded
{
    QImage image;
    QString error; //!< why it cannot be used, in words; empty when `image` is there
};

//! Reads and decodes `file` (a local file URL, or a path) off the GUI thread.
QFuture<Loaded> load(const QUrl &file);
//! The same, synchronously (the worker's part).
Loaded loadNow(const QUrl &file);

} // namespace PhotoFile
} // namespace App
