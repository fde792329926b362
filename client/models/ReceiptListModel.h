#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QString>

namespace Client {

class Connection;
class LocalStore;

//! Who has received and who has read one entry, and when each first got there (receipts.get).
//! Only the other members appear; members who do not send read receipts never show as read.
//! Refreshes itself when receipts of the conversation move.
class ReceiptListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
public:
    enum Roles {
        UserIdRole = Qt::UserRole + 1, //!< qint64
        DisplayNameRole, //!< also Qt::DisplayRole
        DeliveredAtRole, //!< QDateTime, invalid when not delivered
        ReadAtRole, //!< QDateTime, invalid when not read (or not told)
        IsReadRole, //!< bool
    };
    Q_ENUM(Roles)

    ReceiptListModel(Connection *connection, LocalStore *store, qint64 conversationId, qint64 seq,
                     QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool isLoading() const { return m_loading; }
    void refresh();

Q_SIGNALS:
    void loadingChanged();

private:
    struct Row
    {
        qint64 userId = 0;
        QString name;
        qint64 deliveredAt = 0;
        qint64 readAt = 0;
    };

    Connection *m_connection;
    LocalStore *m_store;
    qint64 m_conversationId;
    qint64 m_seq;
    QList<Row> m_rows;
    bool m_loading = false;
    bool m_again = false;
};

} // namespace Client
