#pragma once

#include "protocol/Attachment.h"

#include <QByteArrayView>
#include <QCborMap>
#include <QString>

//! What a file is, decided from its bytes (never from its name alone), and whether it may be
//! sent and how it is shown (docs/design media.md §8, §10). The sender's MIME type in a
//! descriptor is only a guess: receivers call these on the decrypted bytes again.
namespace Client {

//! The sending app's per-kind limits. The server never learns a file's kind, so it enforces only
//! maxBlobBytes; it announces the rest in welcome.limits and the app tells the user before an
//! upload starts. The defaults are the seeds' (docs/protocol.md, "Limits").
struct MediaLimits
{
    qint64 imageBytes = 26'214'400; //!< 25 MiB
    qint64 videoBytes = 104'857'600; //!< 100 MiB
    qint64 audioBytes = 16'777'216; //!< 16 MiB (voice notes and audio files)
    qint64 fileBytes = 104'857'600; //!< 100 MiB
    qint64 blobBytes = 104'857'600; //!< the server's maxBlobBytes: nothing goes above it
    //! The server's mediaRetentionDays: 0 keeps blobs while referenced; N > 0 removes every blob
    //! N days after its upload, so an older message's attachment may be gone (expired).
    int retentionDays = 0;

    //! The defaults overridden by what a welcome's `limits` map announces.
    static MediaLimits fromWelcome(const QCborMap &limits);
    qint64 limitFor(Protocol::Body::AttachmentKind kind) const;
};

namespace MediaKind {

inline constexpr int SniffBytes = 4096; //!< how much of a file decides its MIME type

//! The MIME type of these bytes (the first SniffBytes of a file), from their content only.
//! "application/octet-stream" when nothing matches.
QString mimeForData(QByteArrayView head);
//! The same for a file on disk (reads its first SniffBytes). Empty when it cannot be read.
QString mimeForFile(const QString &path);

//! The images the app decodes itself: PNG, JPEG, GIF and WebP. Nothing else is ever decoded from
//! a stranger (no SVG, TGA, ICNS, MNG, TIFF, KTX).
bool isAllowedImageMime(const QString &mime);
//! The QImageReader format for an allowed image MIME type ("png", "jpeg", "gif", "webp"), or
//! empty.
QByteArray imageFormatFor(const QString &mime);

//! How content of this type is shown: Image for the allow-listed images only; Video and Audio
//! by the MIME top type; everything else, SVG and HTML included, is a File (never rendered).
Protocol::Body::AttachmentKind kindForMime(const QString &mime);

//! A name whose extension runs code when opened: Windows executables and scripts (Telegram
//! Desktop's Data::IsExecutableName, Signal Desktop's isFileDangerous), and on Linux .desktop,
//! .AppImage, shell and interpreter scripts, packages. Looks at every extension, so
//! "a.jpg.exe" and "a.exe." count.
bool isDangerousName(const QString &name);
//! A MIME type of executable content: ELF, PE, scripts, desktop entries, Java archives, MSI.
bool isDangerousMime(const QString &mime);
//! Either of the two, or a "#!" script whatever its type.
bool isDangerous(const QString &name, QByteArrayView head);

//! Empty when `size` bytes of `kind` may be sent under `limits`; else a sentence for the user
//! naming the file, its size and the limit.
QString sizeProblem(const QString &name, qint64 size, Protocol::Body::AttachmentKind kind,
                    const MediaLimits &limits);

} // namespace MediaKind
} // namespace Client
