#pragma once

#include "store/LocalTypes.h"

#include <QAbstractListModel>
#include <QList>

namespace Client {

class LocalStore;

//! Results of the local full-text search, newest first. Each carries its conversation and seq,
//! so the app can open the message in context. search() returns at once: the store searches on
//! its own thread, and a newer search() replaces one still running (finished() follows the one
//! that counts).
class MessageSearchModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QString query READ query NOTIFY queryChanged)
    //! A search is running; the rows are those of the previous one until it finishes.
    Q_PROPERTY(bool searching READ isSearching NOTIFY searchingChanged)
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
    bool isSearching() const { return m_searching; }
    //! Searches every conversation (conversationId 0) or one.
    void search(const QString &text, qint64 conversationId = 0);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void queryChanged();
    void searchingChanged();
    //! The rows are those of the newest search().
    void finished();

private:
    struct Row
    {
        SearchHit hit;
        QString conversationName;
        QString senderName;
    };

    void showResults(const QString &text, const QList<SearchHit> &hits);
    void setSearching(bool searching);

    LocalStore *m_store;
    QString m_query;
    quint64 m_generation = 0;
    bool m_searching = false;
    QList<Row> m_rows;
};

} // namespace Client
