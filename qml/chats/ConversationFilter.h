#pragma once

#include <QSortFilterProxyModel>

namespace App {

//! The conversation list as the main window shows it: the chats or the archived ones, narrowed
//! to those whose name contains the filter text (any script, case-insensitive). Keeps the core
//! model's order (pinned first, then newest activity).
class ConversationFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ConversationFilter(QObject *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    bool showArchived() const { return m_showArchived; }
    void setShowArchived(bool archived);
    //! Archived conversations in the source model, whatever is shown.
    int archivedCount() const;
    //! Archived conversations with unread messages (the "Archived" row shows it).
    int archivedUnread() const;

Q_SIGNALS:
    void archivedCountChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void watchSource();

    QString m_text;
    bool m_showArchived = false;
};

} // namespace App
