#pragma once

#include "account/Account.h"
#include "media/ImagePrep.h"
#include "media/MediaKind.h"

#include <QAbstractItemModel>
#include <QPointer>
#include <QQmlEngine>
#include <QQmlParserStatus>
#include <QUrl>
#include <QVariantMap>

namespace Client {
class MediaTransfers;
class MessageListModel;
} // namespace Client

namespace App {

//! The attachments of one open conversation, for its view (docs/design media.md §8):
//!
//! - what is about to be sent: files from the attach button or a drop, pictures and files
//!   pasted (Ctrl+V), each prepared on a worker (ImagePrep: photos re-encoded, limits told before
//!   any upload) and listed in `drafts` for the preview strip; send() hands them with the caption
//!   to MediaTransfers::sendAttachments.
//! - what was received or sent: download, cancel, retry, the progress of each (`transfers`),
//!   the sharp image's URL (image://attachment/…), Save as (sanitised name, never overwriting),
//!   Open (saved to Downloads first; an executable only shows its folder).
class MediaController : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    QML_ELEMENT
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    //! The conversation's MessageListModel (ConversationController.messages).
    Q_PROPERTY(QAbstractItemModel *messages READ messages WRITE setMessages NOTIFY messagesChanged)
    //! [{id, name, kind, mime, size, thumbUrl, ready, error, warning}] in the order attached.
    Q_PROPERTY(QVariantList drafts READ drafts NOTIFY draftsChanged)
    Q_PROPERTY(bool preparing READ isPreparing NOTIFY draftsChanged)
    //! "Send as file": the original bytes, no re-encoding (metadata stays).
    Q_PROPERTY(bool sendAsFile READ sendAsFile WRITE setSendAsFile NOTIFY sendAsFileChanged)
    //! The last thing the user should be told (a limit, an unreadable file); "" when none.
    Q_PROPERTY(QString problem READ problem NOTIFY problemChanged)
    //! id (blobId or clientId) → {done, total, state: "running" | "done" | "failed" |
    //! "expired" (past the server's media retention: no retry), error}.
    Q_PROPERTY(QVariantMap transfers READ transfers NOTIFY transfersChanged)
    Q_PROPERTY(qint64 autoDownloadBytes READ autoDownloadBytes NOTIFY accountChanged)
public:
    explicit MediaController(QObject *parent = nullptr);
    ~MediaController() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);
    QAbstractItemModel *messages() const;
    void setMessages(QAbstractItemModel *messages);
    QVariantList drafts() const;
    bool isPreparing() const;
    bool sendAsFile() const { return m_sendAsFile; }
    void setSendAsFile(bool asFile);
    QString problem() const { return m_problem; }
    QVariantMap transfers() const { return m_transfers; }
    qint64 autoDownloadBytes() const;

    void classBegin() override;
    void componentComplete() override;

    // Sending (MediaControllerDrafts.cpp).
    //! Files chosen in the dialog or dropped (local files only; folders are refused).
    Q_INVOKABLE void attachUrls(const QList<QUrl> &urls);
    //! Ctrl+V: takes a picture or files from the clipboard; false when it holds neither (the
    //! text box pastes text then).
    Q_INVOKABLE bool paste();
    Q_INVOKABLE void removeDraft(int id);
    Q_INVOKABLE void clearDrafts();
    //! Queues the drafts with `caption` as one message; false (and `problem`) when it cannot.
    Q_INVOKABLE bool send(const QString &caption);
    Q_INVOKABLE void clearProblem();

    // Received and sent attachments (MediaController.cpp).
    Q_INVOKABLE void download(const QString &blobId);
    Q_INVOKABLE void cancel(const QString &id);
    Q_INVOKABLE void retry(const QString &id);
    Q_INVOKABLE bool isAvailable(const QString &blobId) const;
    //! Past the server's media retention (found so in this or an earlier run): shown as expired,
    //! never downloaded.
    Q_INVOKABLE bool isExpired(const QString &blobId) const;
    //! image://attachment/<blobId> once it is downloaded, else "".
    Q_INVOKABLE QString imageUrl(const QString &blobId);
    Q_INVOKABLE QStringList imageBlobIds() const;
    //! Decrypts to a new file in the folder of `fileUrl`, named after it (sanitised, never
    //! overwriting): `saved` or `problem` says how it went.
    Q_INVOKABLE void saveAs(const QString &blobId, const QUrl &fileUrl);
    //! Saves to the Downloads folder, then opens it with the desktop's application; a dangerous
    //! type only opens the folder. Never runs by itself: the view asks first.
    Q_INVOKABLE void open(const QString &blobId);
    //! Where Save as starts: the user's Downloads folder.
    Q_INVOKABLE QUrl downloadsFolder() const;
    //! The name to offer in Save as (sanitised).
    Q_INVOKABLE QString suggestedName(const QString &blobId) const;

Q_SIGNALS:
    void accountChanged();
    void messagesChanged();
    void draftsChanged();
    void sendAsFileChanged();
    void problemChanged();
    void transfersChanged();
    void saved(const QString &blobId, const QString &path);

private:
    struct Draft
    {
        int id = 0;
        QString path; //!< empty for a pasted picture
        Client::PreparedMedia prepared;
        bool ready = false;
    };

    Client::MediaTransfers *media() const;
    //! What the account's server announced (welcome.limits), the seeds' defaults before that.
    Client::MediaLimits limits() const;
    Client::MessageListModel *model() const;
    void setProblem(const QString &problem);
    void setTransfer(const QString &id, const QVariantMap &state);
    void addDraft(const QString &path, QFuture<Client::PreparedMedia> future);
    void saveTo(const QString &blobId, const QString &path, bool openAfter, bool folderOnly);

    QPointer<Client::Account> m_account;
    QPointer<QAbstractItemModel> m_messages;
    QList<Draft> m_drafts;
    int m_nextDraftId = 1;
    bool m_sendAsFile = false;
    QString m_problem;
    QVariantMap m_transfers;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace App
