#pragma once

#include "account/Account.h"
#include "protocol/Protocol.h"
#include "store/LocalTypes.h"

#include <QAbstractItemModel>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QUrl>
#include <QVariantList>

#include <functional>
#include <optional>

namespace Client {
class GroupApi;
class MemberListModel;
struct Reply;
class Request;
} // namespace Client

namespace App {

//! One group as its info panel shows it: name, members with their roles and presence, what the
//! user may do there, and the doing (group.create, .add, .remove, .leave, .rename, .role).
//!
//! The can* answers follow the server's rules (docs/protocol.md, "Groups") for the user's role as
//! the local store knows it; they say what to offer. The server still decides: every action is
//! sent as asked, and a refusal comes back as error(), in words.
//!
//! In QML it is given the account on screen (`account: App.account`, followed through switches)
//! and a conversationId.
class GroupController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    //! The group shown; 0: none. create() sets it to the new group.
    //! (double for QML, as QML sees it anyway: qmllint 6.4 knows no 64-bit integer type.)
    Q_PROPERTY(double conversationId READ conversationId WRITE setConversationId NOTIFY
                   conversationIdChanged)
    //! MemberListModel: owner, admins, then members (roles userId, displayName, role, presence,
    //! isSelf…).
    Q_PROPERTY(QAbstractItemModel *members READ members NOTIFY membersModelChanged)
    Q_PROPERTY(bool isGroup READ isGroup NOTIFY groupChanged)
    //! False once the user left or was removed (the conversation stays readable).
    Q_PROPERTY(bool isMember READ isMember NOTIFY groupChanged)
    Q_PROPERTY(QString name READ name NOTIFY groupChanged)
    Q_PROPERTY(QString initials READ initials NOTIFY groupChanged)
    Q_PROPERTY(QString avatarColor READ avatarColor NOTIFY groupChanged)
    Q_PROPERTY(int memberCount READ memberCount NOTIFY groupChanged)
    //! "owner", "admin", "member", or "" when the user is not a member.
    Q_PROPERTY(QString myRole READ myRole NOTIFY groupChanged)
    //! The user ids of the members (to leave them out when adding).
    Q_PROPERTY(QVariantList memberIds READ memberIds NOTIFY groupChanged)
    //! For the owner: who becomes owner when they leave (as the server chooses); else empty.
    Q_PROPERTY(QString heirName READ heirName NOTIFY groupChanged)
    Q_PROPERTY(bool canRename READ canRename NOTIFY groupChanged)
    Q_PROPERTY(bool canAddMembers READ canAddMembers NOTIFY groupChanged)
    Q_PROPERTY(bool canLeave READ canLeave NOTIFY groupChanged)
    //! The group's photo blob when it can be drawn (image://avatar/<blob>), else "".
    Q_PROPERTY(QString avatarBlob READ avatarBlob NOTIFY groupChanged)
    //! The group has a photo (drawable or still downloading).
    Q_PROPERTY(bool hasPhoto READ hasPhoto NOTIFY groupChanged)
    //! May change or remove the photo: the roles that may rename.
    Q_PROPERTY(bool canChangePhoto READ canChangePhoto NOTIFY groupChanged)
    //! A photo is being prepared and uploaded, or removed (busy is true too).
    Q_PROPERTY(bool savingPhoto READ isSavingPhoto NOTIFY busyChanged)
    //! A request is on its way; the panel disables its actions meanwhile.
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
    //! Why the last action failed, in words; empty after a success or clearError().
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
public:
    //! What the user does; succeeded() and failed() say which.
    enum class Action { Create, Rename, Add, Remove, Promote, Demote, Leave, Photo };
    Q_ENUM(Action)

    explicit GroupController(QObject *parent = nullptr);
    GroupController(Client::Account *account, qint64 conversationId, QObject *parent = nullptr);
    ~GroupController() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);

    qint64 conversationId() const { return m_conversationId; }
    void setConversationId(qint64 conversationId);
    QAbstractItemModel *members() const;
    bool isGroup() const;
    bool isMember() const;
    QString name() const;
    QString initials() const;
    QString avatarColor() const;
    int memberCount() const;
    QString myRole() const;
    QVariantList memberIds() const;
    QString heirName() const;
    bool canRename() const;
    bool canAddMembers() const;
    bool canLeave() const;
    QString avatarBlob() const;
    bool hasPhoto() const;
    bool canChangePhoto() const { return canRename(); }
    bool isSavingPhoto() const { return m_savingPhoto; }
    bool isBusy() const { return m_busy; }
    QString error() const { return m_error; }

    //! The server's rules, by role (Protocol::Role::None: not a member).
    static bool mayRename(Protocol::Role me);
    static bool mayAdd(Protocol::Role me);
    static bool mayRemove(Protocol::Role me, Protocol::Role them);
    static bool mayPromote(Protocol::Role me, Protocol::Role them);
    static bool mayDemote(Protocol::Role me, Protocol::Role them);

    //! Whether to offer removing / promoting / demoting this member (never oneself).
    Q_INVOKABLE bool canRemove(qint64 userId) const;
    Q_INVOKABLE bool canPromote(qint64 userId) const;
    Q_INVOKABLE bool canDemote(qint64 userId) const;

    //! group.create with the user as owner; created() and conversationId follow.
    Q_INVOKABLE void create(const QString &name, const QVariantList &memberIds);
    Q_INVOKABLE void rename(const QString &name);
    Q_INVOKABLE void addMembers(const QVariantList &userIds);
    Q_INVOKABLE void removeMember(qint64 userId);
    //! Member → admin.
    Q_INVOKABLE void promote(qint64 userId);
    //! Admin → member.
    Q_INVOKABLE void demote(qint64 userId);
    //! group.leave; an owner's ownership passes on as the server decides.
    Q_INVOKABLE void leave();
    //! Makes the picture in `file` (a local file URL) the group photo: decoded on a worker,
    //! centre-cropped to a square, sent re-encoded without metadata (AvatarUpload); action Photo.
    Q_INVOKABLE void changePhoto(const QUrl &file);
    //! Removes the group photo (action Photo).
    Q_INVOKABLE void removePhoto();
    Q_INVOKABLE void clearError();

Q_SIGNALS:
    void accountChanged();
    void conversationIdChanged();
    void membersModelChanged();
    void groupChanged();
    void busyChanged();
    void errorChanged();
    //! create() succeeded: the group is in the store and the conversation list.
    void created(qint64 conversationId);
    //! An action went through (the membership event follows through the sync).
    void succeeded(GroupController::Action action);
    //! An action failed; error() says why.
    void failed(GroupController::Action action, const QString &error);

private:
    void rebuild();
    void reloadSummary();
    Protocol::Role role() const;
    Protocol::Role roleOf(qint64 userId) const;
    bool checkName(Action action, const QString &name);
    //! Runs `request` for `action` (busy meanwhile); onOk gets the answer.
    void track(Action action, Client::Request *request,
               std::function<void(const Client::Reply &)> onOk = {});
    void setBusy(bool busy);
    void setError(const QString &error);
    void fail(Action action, const QString &error);
    //! The typed group calls of the account's connection.
    Client::GroupApi groups() const;

    QPointer<Client::Account> m_account;
    qint64 m_conversationId = 0;
    std::optional<Client::ConversationSummary>
        m_summary; //!< the store's record of the conversation
    Client::MemberListModel *m_members = nullptr;
    bool m_busy = false;
    bool m_savingPhoto = false;
    QString m_error;
};

} // namespace App
