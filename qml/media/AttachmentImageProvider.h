#pragma once

#include "protocol/Attachment.h"

#include <QQuickAsyncImageProvider>

class QQmlEngine;

namespace Client {
class MediaTransfers;
}

namespace App {

//! Received images for QML, decoded by the app itself (docs/design media.md §7, §10.3): Debian's
//! Qt 6.4 still has CVE-2024-25580 and Qt Quick picks texture loaders by file extension, so a
//! received file never reaches an `Image` as a file:// URL.
//!
//! - `image://attachment/<blobId>`: the cached ciphertext, decrypted while it is read
//!   (MediaTransfers::open), decoded with ImagePrep::decode (PNG, JPEG, GIF, WebP only, the
//!   format from the bytes, Qt's allocation limit kept), at most the requested size or
//!   MaxLongSide. The blob must have been made known with remember() (MediaController does).
//! - `image://attachment-thumb/<base64url>`: a descriptor's inline thumbnail (JPEG, ≤ 4 KiB),
//!   carried in the URL itself, so it shows before anything is downloaded, pending or not.
//!
//! Decoding runs on Qt's global thread pool, never on the GUI thread.
class AttachmentImageProvider : public QQuickAsyncImageProvider
{
public:
    enum class Source { Blob, Thumbnail };
    static constexpr int MaxLongSide = 4096;

    explicit AttachmentImageProvider(Source source);

    QQuickImageResponse *requestImageResponse(const QString &id,
                                              const QSize &requestedSize) override;

    //! Adds "attachment" and "attachment-thumb" to `engine` unless they are there already.
    static void installOn(QQmlEngine *engine);
    //! Makes a blob decodable: its descriptor (with the key) and the transfers that hold its
    //! cache. Forgotten with forget() when the transfers go.
    static void remember(Client::MediaTransfers *transfers,
                         const Protocol::Body::Attachment &attachment);
    static void forget(Client::MediaTransfers *transfers);

private:
    Source m_source;
};

} // namespace App
