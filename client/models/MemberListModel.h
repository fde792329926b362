#pragma once

#include "protocol/Records.h"

#include <QAbstractListModel>
#include <QList>

namespace Client {

class LocalStore;
class SyncEngine;

//! The members of one conversation: owner, admins, then members, each in the order they joined,
//! with their presence and how far they have received and read. From the local store; refresh()
//! asks the server for the current list.
class MemberListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        UserIdRole = Qt::UserRole + 1, //!< qint64
        UsernameRole,
        DisplayNameRole, //!< also Qt::DisplayRole
        RoleRole, //!< "owner", "admin" or "member"
        PresenceRole, //!< "online", "away" or "offline"
        LastSeenRole, //!< QDateTime, invalid when unknown or hidden
        DeliveredSeqRole, //!< qint64
        ReadSeqRole, //!< qint64; 0 when they do not send read receipts
        InitialsRole,
        AvatarColorRole, //!< "#rrggbb"
        IsSelfRole, //!< bool
    };
    Q_ENUM(Roles)

    MemberListModel(LocalStore *store, SyncEngine *sync, qint64 conversationId,
                    QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! Fetches the members from the server into the store (and so into this model).
    void refresh();

private:
    void reload();

    LocalStore *m_store;
    SyncEngine *m_sync;
    qint64 m_conversationId;
    QList<Protocol::MemberInfo> m_members;
};

} // namespace Client
