#include "MediaController.h"

#include "AttachmentImageProvider.h"
#include "account/Account.h"
#include "media/FileNames.h"
#include "media/MediaTransfers.h"
#include "models/MessageListModel.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace App {

MediaController::MediaController(QObject *parent)
    : QObject(parent)
{
}

MediaController::~MediaController() = default;

void MediaController::classBegin()
{
    AttachmentImageProvider::installOn(qmlEngine(this));
}

void MediaController::componentComplete() { }

Client::MediaTransfers *MediaController::media() const
{
    return m_account ? m_account->media() : nullptr;
}

Client::MediaLimits MediaController::limits() const
{
    return media() ? media()->limits() : Client::MediaLimits {};
}

Client::MessageListModel *MediaController::model() const
{
    return qobject_cast<Client::MessageListModel *>(m_messages.data());
}

void MediaController::setAccount(Client::Account *account)
{
    if (m_account == account)
        return;
    for (const auto &connection : std::as_const(m_connections))
        disconnect(connection);
    m_connections.clear();
    m_account = account;
    if (Client::MediaTransfers *transfers = media()) {
        m_connections.append(connect(
            transfers, &Client::MediaTransfers::progress, this,
            [this](const QString &id, qint64 done, qint64 total) {
                setTransfer(id,
                            {{u"done"_s, done}, {u"total"_s, total}, {u"state"_s, u"running"_s}});
            }));
        m_connections.append(
            connect(transfers, &Client::MediaTransfers::finished, this, [this](const QString &id) {
                setTransfer(id, {{u"state"_s, u"done"_s}});
            }));
        m_connections.append(
            connect(transfers, &Client::MediaTransfers::failed, this,
                    [this](const QString &id, const QString &error) {
                        setTransfer(id, {{u"state"_s, u"failed"_s}, {u"error"_s, error}});
                    }));
        m_connections.append(
            connect(transfers, &Client::MediaTransfers::expired, this, [this](const QString &id) {
                setTransfer(id, {{u"state"_s, u"expired"_s}});
            }));
        m_connections.append(connect(transfers, &QObject::destroyed, this,
                                     [transfers] { AttachmentImageProvider::forget(transfers); }));
        m_connections.append(connect(transfers, &Client::MediaTransfers::autoDownloadBytesChanged,
                                     this, &MediaController::accountChanged));
    }
    m_transfers.clear();
    Q_EMIT transfersChanged();
    Q_EMIT accountChanged();
}

QAbstractItemModel *MediaController::messages() const
{
    return m_messages;
}

void MediaController::setMessages(QAbstractItemModel *messages)
{
    if (m_messages == messages)
        return;
    m_messages = messages;
    clearDrafts();
    Q_EMIT messagesChanged();
}

qint64 MediaController::autoDownloadBytes() const
{
    return media() ? media()->autoDownloadBytes() : 0;
}

void MediaController::setProblem(const QString &problem)
{
    if (m_problem == problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged();
}

void MediaController::clearProblem()
{
    setProblem({});
}

void MediaController::setTransfer(const QString &id, const QVariantMap &state)
{
    QVariantMap entry = m_transfers.value(id).toMap();
    for (auto it = state.cbegin(); it != state.cend(); ++it)
        entry.insert(it.key(), it.value());
    if (entry.value(u"state"_s) != u"failed"_s)
        entry.remove(u"error"_s);
    m_transfers.insert(id, entry);
    Q_EMIT transfersChanged();
}

void MediaController::download(const QString &blobId)
{
    Client::MediaTransfers *transfers = media();
    const Client::MessageListModel *messages = model();
    if (!transfers || !messages)
        return;
    const auto attachment = messages->attachment(blobId);
    if (!attachment || transfers->isAvailable(blobId))
        return;
    if (transfers->isExpired(blobId)) {
        setTransfer(blobId, {{u"state"_s, u"expired"_s}});
        return;
    }
    setTransfer(blobId,
                {{u"done"_s, 0}, {u"total"_s, attachment->cipherSize}, {u"state"_s, u"running"_s}});
    transfers->fetch(*attachment, false, messages->attachmentSentAt(blobId));
}

void MediaController::cancel(const QString &id)
{
    if (Client::MediaTransfers *transfers = media())
        transfers->cancel(id);
}

void MediaController::retry(const QString &id)
{
    Client::MediaTransfers *transfers = media();
    if (!transfers)
        return;
    // A download that never started here (cancelled before) starts again from its descriptor.
    if (model() && model()->attachment(id)) {
        download(id);
        return;
    }
    setTransfer(id, {{u"state"_s, u"running"_s}});
    transfers->retry(id);
}

bool MediaController::isAvailable(const QString &blobId) const
{
    return media() && !blobId.isEmpty() && media()->isAvailable(blobId);
}

bool MediaController::isExpired(const QString &blobId) const
{
    return media() && !blobId.isEmpty() && media()->isExpired(blobId);
}

QString MediaController::imageUrl(const QString &blobId)
{
    Client::MediaTransfers *transfers = media();
    if (!transfers || !model() || !isAvailable(blobId))
        return {};
    const auto attachment = model()->attachment(blobId);
    if (!attachment)
        return {};
    AttachmentImageProvider::remember(transfers, *attachment);
    return u"image://attachment/"_s + blobId;
}

QStringList MediaController::imageBlobIds() const
{
    return model() ? model()->imageBlobIds() : QStringList();
}

QString MediaController::suggestedName(const QString &blobId) const
{
    const auto attachment = model() ? model()->attachment(blobId) : std::nullopt;
    return Client::FileNames::sanitize(attachment ? attachment->name : QString());
}

QUrl MediaController::downloadsFolder() const
{
    return QUrl::fromLocalFile(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation));
}

void MediaController::saveAs(const QString &blobId, const QUrl &fileUrl)
{
    if (!fileUrl.isLocalFile()) {
        setProblem(tr("Attachments can only be saved to a folder on this computer."));
        return;
    }
    const QFileInfo chosen(fileUrl.toLocalFile());
    const QString path = Client::FileNames::uniqueIn(chosen.absolutePath(), chosen.fileName());
    if (path.isEmpty()) {
        setProblem(tr("“%1” cannot be written.").arg(chosen.absolutePath()));
        return;
    }
    saveTo(blobId, path, false, false);
}

void MediaController::open(const QString &blobId)
{
    const auto attachment = model() ? model()->attachment(blobId) : std::nullopt;
    if (!attachment)
        return;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    QDir().mkpath(folder);
    const QString path = Client::FileNames::uniqueIn(folder, attachment->name);
    if (path.isEmpty()) {
        setProblem(tr("The Downloads folder cannot be written."));
        return;
    }
    const bool dangerous = Client::MediaKind::isDangerousName(attachment->name)
        || Client::MediaKind::isDangerousMime(attachment->mime);
    saveTo(blobId, path, true, dangerous);
}

void MediaController::saveTo(const QString &blobId, const QString &path, bool openAfter,
                             bool folderOnly)
{
    Client::MediaTransfers *transfers = media();
    const auto attachment = model() ? model()->attachment(blobId) : std::nullopt;
    if (!transfers || !attachment)
        return;
    if (!transfers->isAvailable(blobId)) {
        setProblem(tr("Download it first."));
        return;
    }
    // The decrypted bytes are re-checked: a file whose content is an executable only opens its
    // folder, whatever its name and the sender's type say.
    transfers->saveAs(*attachment, path)
        .then(this, [this, blobId, path, openAfter, folderOnly](bool ok) {
            if (!ok) {
                setProblem(tr("“%1” could not be saved.").arg(QFileInfo(path).fileName()));
                return;
            }
            Q_EMIT saved(blobId, path);
            if (!openAfter)
                return;
            QFile file(path);
            const bool executable = folderOnly
                || (file.open(QIODevice::ReadOnly)
                    && Client::MediaKind::isDangerous(path,
                                                      file.read(Client::MediaKind::SniffBytes)));
            QDesktopServices::openUrl(
                QUrl::fromLocalFile(executable ? QFileInfo(path).absolutePath() : path));
        });
}

} // namespace App
