// MessageListModel, third part: the attachments of a message (issue 13) as the app shows them.
#include "MessageListModel.h"

#include "media/FileNames.h"
#include "media/MediaKind.h"
#include "media/MediaTransfers.h"

namespace Client {

using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

QVariantList MessageListModel::attachmentsData(const Item &item) const
{
    QVariantList list;
    const QString pendingId = MediaTransfers::pendingBlobId();
    for (qsizetype index = 0; index < item.attachments.size(); ++index) {
        const Body::Attachment &a = item.attachments.at(index);
        const bool pending = item.pending || a.blobId == pendingId;
        // The thumbnail travels in the URL itself: the image provider decodes it (JPEG only,
        // through the allow-list), so no file and no lookup are needed, pending or not.
        const QString thumbUrl = a.thumbnail.isEmpty() ? QString()
                                                       : u"image://attachment-thumb/"_s
                + QString::fromLatin1(a.thumbnail.toBase64(QByteArray::Base64UrlEncoding
                                                           | QByteArray::OmitTrailingEquals));
        const QString name = a.name.isEmpty() ? QString() : FileNames::sanitize(a.name);
        // A voice note's peaks (0–255 each), from the descriptor: the sender's own note is drawn
        // while it uploads too (its blob id is not known yet).
        QVariantList peaks;
        peaks.reserve(a.waveform.size());
        for (const char peak : a.waveform)
            peaks.append(int(quint8(peak)));
        list.append(QVariantMap {
            {u"index"_s, int(index)},
            {u"blobId"_s, pending ? QString() : a.blobId},
            {u"kind"_s, Body::attachmentKindName(a.kind)},
            {u"mime"_s, a.mime},
            {u"name"_s, name},
            {u"size"_s, a.size},
            {u"width"_s, a.width},
            {u"height"_s, a.height},
            {u"durationMs"_s, a.durationMs},
            {u"hasThumb"_s, !a.thumbnail.isEmpty()},
            {u"thumbUrl"_s, thumbUrl},
            {u"dangerous"_s,
             MediaKind::isDangerousName(name) || MediaKind::isDangerousMime(a.mime)},
            {u"pending"_s, pending},
            {u"waveform"_s, peaks},
        });
    }
    return list;
}

std::optional<Body::Attachment> MessageListModel::attachment(const QString &blobId) const
{
    if (blobId.isEmpty() || blobId == MediaTransfers::pendingBlobId())
        return std::nullopt;
    for (const Item &item : m_items) {
        for (const Body::Attachment &a : item.attachments) {
            if (a.blobId == blobId)
                return a;
        }
    }
    return std::nullopt;
}

qint64 MessageListModel::attachmentSentAt(const QString &blobId) const
{
    if (blobId.isEmpty() || blobId == MediaTransfers::pendingBlobId())
        return 0;
    for (const Item &item : m_items) {
        for (const Body::Attachment &a : item.attachments) {
            if (a.blobId == blobId)
                return item.pending ? 0 : item.record.timestamp;
        }
    }
    return 0;
}

QStringList MessageListModel::imageBlobIds() const
{
    QStringList ids;
    const QString pendingId = MediaTransfers::pendingBlobId();
    for (const Item &item : m_items) {
        for (const Body::Attachment &a : item.attachments) {
            if (a.kind == Body::AttachmentKind::Image && !item.pending && a.blobId != pendingId
                && !ids.contains(a.blobId))
                ids.append(a.blobId);
        }
    }
    return ids;
}

} // namespace Client
