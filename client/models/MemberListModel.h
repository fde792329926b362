#pragma once

#include "protocol/Records.h"

#include <QAbstractListModel>
#include <QList>

namespace Client {

class Avatars;
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
        AvatarBlobRole, //!< the picture's blob id once it can be drawn (Avatars), else ""
    };
    Q_ENUM(Roles)

    //! avatars may be null (no pictures).
    MemberListModel(LocalStore *store, SyncEngine *sync, Avatars *avatars, qint64 conversationId,
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
    Avatars *m_avatars;
    qint64 m_conversationId;
    QList<Protocol::MemberInfo> m_members;
};

} // namespace Client
