#pragma once

#include "store/LocalTypes.h"

#include <QAbstractListModel>
#include <QList>

namespace Client {

class Avatars;
class LocalStore;
class TypingTracker;

//! The conversation list: pinned ones first, then by last activity, newest first.
//!
//! Filled from the local store when created (so it shows the cached list before any network
//! answer) and kept current by the store's change signals and the typing tracker. data() reads
//! only the rows held here.
class ConversationListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles {
        IdRole = Qt::UserRole + 1, //!< qint64
        KindRole, //!< "direct" or "group"
        NameRole, //!< the group's name or the peer's display name (also Qt::DisplayRole)
        InitialsRole, //!< up to two letters for the avatar
        AvatarColorRole, //!< "#rrggbb"
        //! preview of the newest entry (pending ones included), one line: reactions and edits
        //! are not entries of their own here, an edited message shows its new text
        LastMessageRole,
        LastMessageSenderRole, //!< display name of its sender; "You" for this user
        LastActivityRole, //!< QDateTime of the newest entry
        UnreadCountRole, //!< int
        PeerPresenceRole, //!< direct: "online", "away" or "offline"; groups: empty
        PeerLastSeenRole, //!< direct: QDateTime when known, else invalid
        TypingRole, //!< "Bob is typing…" or empty
        MutedRole, //!< bool
        PinnedRole, //!< bool
        ArchivedRole, //!< bool
        PendingRole, //!< bool: the newest entry is still in the outbox
        ActiveRole, //!< bool: false after the user left or was removed
        DraftRole, //!< the composer's unsent text, one line; empty when none
        UnreadMentionsRole, //!< int: unread messages that mention this user (the @ badge)
        //! the picture's blob id (a group's own, a direct chat's peer's) once it can be drawn
        //! (Avatars), else ""
        AvatarBlobRole,
    };
    Q_ENUM(Roles)

    //! avatars may be null (no pictures).
    ConversationListModel(LocalStore *store, TypingTracker *typing, Avatars *avatars = nullptr,
                          QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    //! The row of a conversation, or -1.
    int rowOf(qint64 conversationId) const;

private:
    struct Row
    {
        ConversationSummary summary;
        QString name;
        QString preview;
        QString lastSender;
        QString typing;
        qint64 activity = 0;
    };

    void reload();
    void refresh(qint64 conversationId);
    Row makeRow(const ConversationSummary &summary) const;
    QString typingText(qint64 conversationId) const;
    QString userName(qint64 userId) const;
    static bool before(const Row &a, const Row &b);
    int sortedPosition(const Row &row, int skip) const;

    LocalStore *m_store;
    TypingTracker *m_typing;
    Avatars *m_avatars;
    QList<Row> m_rows;
};

} // namespace Client
