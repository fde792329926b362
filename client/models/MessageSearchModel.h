#pragma once

#include "store/LocalTypes.h"

#include <QAbstractListModel>
#include <QList>

namespace Client {

class LocalStore;

//! Results of the local full-text search, newest first. Each carries its conversation and seq,
//! so the app can open the message in context.
class MessageSearchModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QString query READ query NOTIFY queryChanged)
public:
    enum Roles {
        ConversationIdRole = Qt::UserRole + 1, //!< qint64
        SeqRole, //!< qint64
        ConversationNameRole,
        SenderNameRole, //!< "You" for this user
        TextRole, //!< the whole message text (also Qt::DisplayRole)
        TimestampRole, //!< QDateTime
    };
    Q_ENUM(Roles)

    explicit MessageSearchModel(LocalStore *store, QObject *parent = nullptr);

    QString query() const { return m_query; }
    //! Searches every conversation (conversationId 0) or one.
    void search(const QString &text, qint64 conversationId = 0);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void queryChanged();

private:
    struct Row
    {
        SearchHit hit;
        QString conversationName;
        QString senderName;
    };

    LocalStore *m_store;
    QString m_query;
    QList<Row> m_rows;
};

} // namespace Client
