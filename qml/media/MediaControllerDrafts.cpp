// MediaController, second part: what is about to be sent (the preview strip) and sending it.
#include "MediaController.h"
#include "VideoPoster.h"

#include "account/Account.h"
#include "media/MediaTransfers.h"
#include "models/MessageListModel.h"
#include "protocol/MessageBody.h"

#include <QClipboard>
#include <QFileInfo>
#include <QGuiApplication>
#include <QMimeData>

using namespace Qt::StringLiterals;
using Client::ImagePrep::Mode;

namespace App {

namespace {

QString thumbUrlOf(const QByteArray &thumbnail)
{
    if (thumbnail.isEmpty())
        return {};
    return u"image://attachment-thumb/"_s
        + QString::fromLatin1(
               thumbnail.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

QVariantList MediaController::drafts() const
{
    QVariantList list;
    for (const Draft &draft : m_drafts) {
        const Protocol::Body::Attachment &meta = draft.prepared.meta;
        list.append(QVariantMap {
            {u"id"_s, draft.id},
            {u"name"_s, meta.name.isEmpty() ? QFileInfo(draft.path).fileName() : meta.name},
            {u"kind"_s, Protocol::Body::attachmentKindName(meta.kind)},
            {u"mime"_s, meta.mime},
            {u"size"_s, meta.size},
            {u"thumbUrl"_s, thumbUrlOf(meta.thumbnail)},
            {u"ready"_s, draft.ready},
            {u"error"_s, draft.prepared.error},
            {u"warning"_s, draft.prepared.warning},
        });
    }
    return list;
}

bool MediaController::isPreparing() const
{
    return std::any_of(m_drafts.cbegin(), m_drafts.cend(),
                       [](const Draft &draft) { return !draft.ready; });
}

void MediaController::setSendAsFile(bool asFile)
{
    if (m_sendAsFile == asFile)
        return;
    m_sendAsFile = asFile;
    Q_EMIT sendAsFileChanged();
}

void MediaController::addDraft(const QString &path, QFuture<Client::PreparedMedia> future)
{
    if (m_drafts.size() >= Protocol::Body::Limits::MaxAttachments) {
        setProblem(tr("At most %1 attachments go in one message.")
                       .arg(Protocol::Body::Limits::MaxAttachments));
        return;
    }
    Draft draft;
    draft.id = m_nextDraftId++;
    draft.path = path;
    draft.prepared.meta.name = QFileInfo(path).fileName();
    m_drafts.append(draft);
    const int id = draft.id;
    future.then(this, [this, id](const Client::PreparedMedia &prepared) {
        for (Draft &entry : m_drafts) {
            if (entry.id != id)
                continue;
            entry.prepared = prepared;
            entry.ready = true;
            if (!prepared.ok())
                setProblem(prepared.error);
            if (prepared.ok() && prepared.meta.kind == Protocol::Body::AttachmentKind::Video
                && !entry.path.isEmpty()) {
                // A video: its duration, size and poster first, when the app can read them.
                entry.ready = false;
                VideoPoster::describe(entry.path, this, [this, id](const VideoPoster &poster) {
                    for (Draft &video : m_drafts) {
                        if (video.id != id)
                            continue;
                        Protocol::Body::Attachment &meta = video.prepared.meta;
                        meta.durationMs =
                            std::clamp(poster.durationMs(), qint64(0), qint64(86'400'000));
                        if (poster.size().isValid() && poster.size().width() <= 65535
                            && poster.size().height() <= 65535) {
                            meta.width = poster.size().width();
                            meta.height = poster.size().height();
                        }
                        meta.thumbnail = poster.poster();
                        video.ready = true;
                        Q_EMIT draftsChanged();
                        return;
                    }
                });
            }
            Q_EMIT draftsChanged();
            return;
        }
    });
    Q_EMIT draftsChanged();
}

void MediaController::attachUrls(const QList<QUrl> &urls)
{
    for (const QUrl &url : urls) {
        if (!url.isLocalFile())
            continue;
        const QString path = url.toLocalFile();
        if (!QFileInfo(path).isFile()) {
            setProblem(tr("“%1” is not a file.").arg(QFileInfo(path).fileName()));
            continue;
        }
        addDraft(path, Client::ImagePrep::prepareFile(path, Mode::Media, limits()));
    }
}

bool MediaController::paste()
{
    const QMimeData *data = QGuiApplication::clipboard()->mimeData();
    if (!data)
        return false;
    if (data->hasUrls()) {
        QList<QUrl> files;
        for (const QUrl &url : data->urls()) {
            if (url.isLocalFile())
                files.append(url);
        }
        if (!files.isEmpty()) {
            attachUrls(files);
            return true;
        }
    }
    if (data->hasImage()) {
        const QImage image = qvariant_cast<QImage>(data->imageData());
        if (image.isNull())
            return false;
        addDraft(QString(), Client::ImagePrep::prepareImage(image, tr("Pasted image"), limits()));
        return true;
    }
    return false;
}

void MediaController::removeDraft(int id)
{
    const auto removed = m_drafts.removeIf([id](const Draft &draft) { return draft.id == id; });
    if (removed > 0)
        Q_EMIT draftsChanged();
}

void MediaController::clearDrafts()
{
    if (m_drafts.isEmpty())
        return;
    m_drafts.clear();
    Q_EMIT draftsChanged();
}

bool MediaController::send(const QString &caption)
{
    Client::MediaTransfers *transfers = media();
    const Client::MessageListModel *messages = model();
    if (!transfers || !messages || m_drafts.isEmpty())
        return false;
    if (isPreparing()) {
        setProblem(tr("The attachments are still being prepared."));
        return false;
    }
    QList<Client::OutgoingAttachment> files;
    for (const Draft &draft : std::as_const(m_drafts)) {
        // "Send as file": the original from disk, untouched (a pasted picture has no other form).
        const Client::PreparedMedia prepared = m_sendAsFile && !draft.path.isEmpty()
            ? Client::ImagePrep::prepareFileNow(draft.path, Mode::AsFile, limits())
            : draft.prepared;
        if (!prepared.ok()) {
            setProblem(prepared.error);
            return false;
        }
        files.append({prepared.path, prepared.bytes, prepared.meta});
    }
    const Client::OutboxEntry entry = transfers->sendAttachments(
        messages->conversationId(), Protocol::Body::text(caption), files);
    if (entry.clientId.isEmpty()) {
        setProblem(tr("The attachments could not be queued."));
        return false;
    }
    setTransfer(entry.clientId, {{u"state"_s, u"running"_s}});
    clearDrafts();
    setProblem({});
    return true;
}

} // namespace App
