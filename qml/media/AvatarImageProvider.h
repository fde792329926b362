#pragma once

#include <QQuickAsyncImageProvider>

#include <functional>
#include <memory>

class QIODevice;
class QQmlEngine;

namespace App {

//! Profile and group pictures for QML: `image://avatar/<blobId>` (docs/design media.md §5).
//!
//! The picture comes from a source that knows the blob: an account's Avatars (its open() gives
//! the cached blob, decrypted while it is read), registered with addSource() by the composition
//! root. It is decoded with ImagePrep::decode (PNG, JPEG, GIF, WebP only, the format from the
//! bytes, Qt's allocation limit kept) and cut to a circle of the requested size with transparent,
//! antialiased corners, so Avatar.qml shows it round without a shader (Qt 6.4, no Qt5Compat).
//! Decoding runs on Qt's global thread pool, never on the GUI thread.
class AvatarImageProvider : public QQuickAsyncImageProvider
{
public:
    //! The side when the Image asks for no size, and the most it gets.
    static constexpr int DefaultSide = 256;
    static constexpr int MaxSide = 1024;

    //! Opens the plaintext of an avatar blob, or null when this source does not have it. Called
    //! on a worker thread, under the provider's lock (removeSource() waits for it).
    using Opener = std::function<std::unique_ptr<QIODevice>(const QString &blobId)>;

    QQuickImageResponse *requestImageResponse(const QString &id,
                                              const QSize &requestedSize) override;

    //! Adds "avatar" to `engine` unless it is there already.
    static void installOn(QQmlEngine *engine);
    //! A place avatar blobs are found (one per account), until removeSource(owner).
    static void addSource(const void *owner, Opener open);
    static void removeSource(const void *owner);

    //! `picture`'s centre square scaled to side × side, inside a circle: the corners transparent,
    //! the edge antialiased. Null for a null picture.
    static QImage circle(const QImage &picture, int side);
};

} // namespace App
