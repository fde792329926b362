#pragma once

#include "models/ConversationListModel.h"

#include <QObject>
#include <QPointer>
#include <QQmlEngine>

class Account;
class MessageListModel;

//! One open conversation: its messages, its header (name, presence or member count, typing) and
//! what the user does in it (send, retry, type). Made by App.openConversation(); QML owns it.
class ConversationController : public QObject
{
    Q_OBJECT
    using Role = ConversationListModel::Roles;
    QML_ELEMENT
    QML_UNCREATABLE("Made by App.openConversation()")
    Q_PROPERTY(qint64 conversationId READ conversationId CONSTANT)
    Q_PROPERTY(QAbstractItemModel *messages READ messages CONSTANT)
    Q_PROPERTY(QString name READ name NOTIFY headerChanged)
    Q_PROPERTY(QString initials READ initials NOTIFY headerChanged)
    Q_PROPERTY(QString avatarColor READ avatarColor NOTIFY headerChanged)
    Q_PROPERTY(bool isGroup READ isGroup NOTIFY headerChanged)
    Q_PROPERTY(QString presence READ presence NOTIFY headerChanged)
    //! "online", "last seen …", "3 members".
    Q_PROPERTY(QString subtitle READ subtitle NOTIFY headerChanged)
    //! "Bob is typing…" or empty.
    Q_PROPERTY(QString typing READ typing NOTIFY headerChanged)
    Q_PROPERTY(bool active READ isActive NOTIFY headerChanged)
public:
    ConversationController(Account *account, qint64 conversationId, QObject *parent = nullptr);
    ~ConversationController() override;

    qint64 conversationId() const { return m_conversationId; }
    QAbstractItemModel *messages() const;
    QString name() const { return value(Role::NameRole).toString(); }
    QString initials() const { return value(Role::InitialsRole).toString(); }
    QString avatarColor() const { return value(Role::AvatarColorRole).toString(); }
    bool isGroup() const { return value(Role::KindRole).toString() == u"group"; }
    QString presence() const { return value(Role::PeerPresenceRole).toString(); }
    QString subtitle() const;
    QString typing() const { return value(Role::TypingRole).toString(); }
    bool isActive() const;

    //! Sends the text (trimmed); false when there is nothing to send.
    Q_INVOKABLE bool send(const QString &text);
    Q_INVOKABLE void retry(const QString &clientId);
    Q_INVOKABLE void discard(const QString &clientId);
    //! The user typed in the composer (throttled by the core).
    Q_INVOKABLE void userTyping();
    //! Loads the page before the oldest entry shown (the view scrolled to the top).
    Q_INVOKABLE void loadOlder();
    //! The seqs of the entries on screen now (read receipts).
    Q_INVOKABLE void setVisibleSeqs(const QList<qint64> &seqs);

Q_SIGNALS:
    void headerChanged();

private:
    QVariant value(int role) const;

    QPointer<Account> m_account;
    qint64 m_conversationId;
    MessageListModel *m_messages = nullptr;
};
