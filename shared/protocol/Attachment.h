#pragma once

#include "MessageBody.h"

#include <QByteArray>
#include <QCborMap>
#include <QCborValue>
#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

//! An attachment descriptor: one element of a body's "att" array, telling the receiver where the
//! encrypted blob is (its server id), how to decrypt it (the key) and check it (sizes, SHA-256 of
//! the ciphertext), and what to show before downloading (kind, MIME type, name, dimensions,
//! duration, waveform, thumbnail). docs/protocol.md, "Attachments", has the table.
//!
//! Decoding is strict about the keys it knows (type, length, range; csize must match size) and
//! ignores keys it does not know, so that newer clients can add some; a kind it does not know
//! decodes as File. The body keeps each descriptor as the map that came, so forwarding passes
//! unknown keys on.
namespace Protocol::Body {

enum class AttachmentKind { Image, Video, Voice, Audio, File };

namespace Limits {
inline constexpr int BlobIdLength = 26; //!< base32 (a-z, 2-7) of 128 random bits
inline constexpr qint64 MaxAttachmentBytes = qint64(1) << 40; //!< plaintext size
inline constexpr int MaxMimeLength = 127;
inline constexpr int MaxNameBytes = 255; //!< UTF-8
inline constexpr int MaxDimension = 65535;
inline constexpr qint64 MaxDurationMs = 86'400'000;
inline constexpr int MaxWaveformBytes = 100;
inline constexpr int MaxThumbnailBytes = 4096;
} // namespace Limits

struct Attachment
{
    QString blobId;
    QByteArray key; //!< 32 bytes
    qint64 size = 0; //!< plaintext bytes
    qint64 cipherSize = 0; //!< Media::cipherSizeFor(size)
    QByteArray sha256; //!< of the ciphertext
    AttachmentKind kind = AttachmentKind::File;
    QString mime; //!< the sender's guess: receivers re-detect from the bytes
    QString name; //!< may be empty; shown only after sanitising, never a path
    int width = 0, height = 0; //!< 0 when not known
    qint64 durationMs = 0;
    QByteArray waveform; //!< voice: up to 100 peaks, one byte each
    QByteArray thumbnail; //!< image, video: a small JPEG
    friend bool operator==(const Attachment &, const Attachment &) = default;
};

//! The map for an "att" entry; the attachment must be valid (decodes again).
QCborMap encodeAttachment(const Attachment &attachment);
//! Decodes and checks an "att" entry; nullopt with a sentence naming the key in error.
std::optional<Attachment> decodeAttachment(const QCborValue &value, QString *error = nullptr);
//! The decoded descriptors of a valid body (decode() has already checked each entry).
QList<Attachment> attachmentsOf(const MessageBody &body);
//! Replaces the body's "att" entries.
void setAttachments(MessageBody &body, const QList<Attachment> &attachments);

QString attachmentKindName(AttachmentKind kind);
std::optional<AttachmentKind> attachmentKindFromName(QStringView name);

} // namespace Protocol::Body
