#pragma once

#include "ConversationFilter.h"
#include "account/Account.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>

namespace App {

//! The chat list pane: the account's conversations as the list shows them (the chats, or the
//! archived ones; narrowed by the filter typed above it), and opening the direct chat with
//! someone found in the new chat dialog or a group's member list.
class ChatListController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    //! Whose chats: the account on screen (`account: App.account`).
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    //! ConversationListModel's rows and roles, pinned first, then by newest activity.
    Q_PROPERTY(QAbstractItemModel *conversations READ conversations CONSTANT)
    //! Narrows the list to the names that contain it (a filter searches archived chats too).
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(bool showArchived READ showArchived WRITE setShowArchived NOTIFY showArchivedChanged)
    Q_PROPERTY(int archivedCount READ archivedCount NOTIFY archivedCountChanged)
    Q_PROPERTY(int archivedUnread READ archivedUnread NOTIFY archivedCountChanged)
public:
    explicit ChatListController(QObject *parent = nullptr);
    explicit ChatListController(Client::Account *account, QObject *parent = nullptr);
    ~ChatListController() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);
    QAbstractItemModel *conversations() { return &m_filtered; }
    QString filter() const { return m_filtered.text(); }
    void setFilter(const QString &filter);
    bool showArchived() const { return m_filtered.showArchived(); }
    void setShowArchived(bool show);
    int archivedCount() const { return m_filtered.archivedCount(); }
    int archivedUnread() const { return m_filtered.archivedUnread(); }

    //! Opens (or creates) the direct conversation with a user; conversationReady() follows.
    Q_INVOKABLE void openDirect(qint64 userId);

Q_SIGNALS:
    void accountChanged();
    void filterChanged();
    void showArchivedChanged();
    void archivedCountChanged();
    //! The direct conversation asked for is in the list: open it.
    void conversationReady(qint64 conversationId);

private:
    QPointer<Client::Account> m_account;
    ConversationFilter m_filtered;
};

} // namespace App
