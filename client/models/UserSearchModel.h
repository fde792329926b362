#pragma once

#include "protocol/Records.h"

#include <QAbstractListModel>
#include <QList>

namespace Client {

class Avatars;
class Connection;

//! Users whose username starts with a prefix (users.search), to start a chat with.
class UserSearchModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    Q_PROPERTY(bool busy READ isBusy NOTIFY busyChanged)
public:
    enum Roles {
        UserIdRole = Qt::UserRole + 1, //!< qint64
        UsernameRole,
        DisplayNameRole, //!< also Qt::DisplayRole
        PresenceRole, //!< "online", "away" or "offline"
        InitialsRole,
        AvatarColorRole, //!< "#rrggbb"
        //! the picture's blob id once it can be drawn (Avatars), else "": only users who share
        //! a conversation with this one have their picture in the results
        AvatarBlobRole,
    };
    Q_ENUM(Roles)

    //! avatars may be null (no pictures).
    UserSearchModel(Connection *connection, Avatars *avatars, QObject *parent = nullptr);

    QString query() const { return m_query; }
    //! Searches as the user types; answers to earlier queries that arrive late are dropped.
    void setQuery(const QString &query);
    bool isBusy() const { return m_busy; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void queryChanged();
    void busyChanged();

private:
    void setResults(const QList<Protocol::UserInfo> &users);
    void setBusy(bool busy);

    Connection *m_connection;
    Avatars *m_avatars;
    QString m_query;
    quint64 m_generation = 0;
    bool m_busy = false;
    QList<Protocol::UserInfo> m_users;
};

} // namespace Client
