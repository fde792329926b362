#pragma once

#include "account/Account.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QVariantList>

namespace Client {
class MemberListModel;
class ReceiptListModel;
} // namespace Client

namespace App {

//! What the message info dialog shows of one of the user's own messages: when it was sent and,
//! from receipts.get, who has it delivered and who has read it, with the times. Follows the
//! receipts as they move while it is open.
//!
//! Groups: readBy, deliveredTo (delivered, not read) and waiting (the other members who have not
//! received it yet), each a list of maps {userId, displayName, initials, avatarColor, at}.
//! Direct chats: deliveredAt and readAt of the other person.
//!
//! In QML it is given the account on screen (`account: App.account`).
class MessageInfoController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(
        qint64 conversationId READ conversationId WRITE setConversationId NOTIFY messageChanged)
    Q_PROPERTY(qint64 seq READ seq WRITE setSeq NOTIFY messageChanged)
    Q_PROPERTY(bool isGroup READ isGroup NOTIFY messageChanged)
    //! The message's text, as the conversation shows it.
    Q_PROPERTY(QString text READ text NOTIFY messageChanged)
    //! When the server stored it.
    Q_PROPERTY(QDateTime sentAt READ sentAt NOTIFY messageChanged)
    //! Direct chats: when the other person received / read it; invalid while not (or not told).
    Q_PROPERTY(QDateTime deliveredAt READ deliveredAt NOTIFY receiptsChanged)
    Q_PROPERTY(QDateTime readAt READ readAt NOTIFY receiptsChanged)
    Q_PROPERTY(QVariantList readBy READ readBy NOTIFY receiptsChanged)
    Q_PROPERTY(QVariantList deliveredTo READ deliveredTo NOTIFY receiptsChanged)
    Q_PROPERTY(QVariantList waiting READ waiting NOTIFY receiptsChanged)
    //! receipts.get is on its way (the first answer, or a refresh).
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
public:
    explicit MessageInfoController(QObject *parent = nullptr);
    MessageInfoController(Client::Account *account, qint64 conversationId, qint64 seq,
                          QObject *parent = nullptr);
    ~MessageInfoController() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);

    qint64 conversationId() const { return m_conversationId; }
    void setConversationId(qint64 conversationId);
    qint64 seq() const { return m_seq; }
    void setSeq(qint64 seq);
    bool isGroup() const { return m_isGroup; }
    QString text() const { return m_text; }
    QDateTime sentAt() const { return m_sentAt; }
    QDateTime deliveredAt() const { return m_deliveredAt; }
    QDateTime readAt() const { return m_readAt; }
    QVariantList readBy() const { return m_readBy; }
    QVariantList deliveredTo() const { return m_deliveredTo; }
    QVariantList waiting() const { return m_waiting; }
    bool isLoading() const;

    //! Asks the server again.
    Q_INVOKABLE void refresh();

Q_SIGNALS:
    void accountChanged();
    void messageChanged();
    void receiptsChanged();
    void loadingChanged();

private:
    void rebuild();
    void collect();

    QPointer<Client::Account> m_account;
    qint64 m_conversationId = 0;
    qint64 m_seq = 0;
    bool m_isGroup = false;
    QString m_text;
    QDateTime m_sentAt;
    QDateTime m_deliveredAt;
    QDateTime m_readAt;
    QVariantList m_readBy;
    QVariantList m_deliveredTo;
    QVariantList m_waiting;
    Client::ReceiptListModel *m_receipts = nullptr;
    Client::MemberListModel *m_members = nullptr;
};

} // namespace App
