#include "ConversationFilter.h"

#include "models/ConversationListModel.h"

using namespace Client;

namespace App {

ConversationFilter::ConversationFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    connect(this, &QSortFilterProxyModel::sourceModelChanged, this,
            &ConversationFilter::watchSource);
}

void ConversationFilter::watchSource()
{
    QAbstractItemModel *source = sourceModel();
    Q_EMIT archivedCountChanged();
    if (!source)
        return;
    // Archiving, unarchiving, new and gone conversations change the count of the Archived row.
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(source, signal, this, &ConversationFilter::archivedCountChanged);
    connect(source, &QAbstractItemModel::modelReset, this,
            &ConversationFilter::archivedCountChanged);
    connect(source, &QAbstractItemModel::dataChanged, this,
            &ConversationFilter::archivedCountChanged);
}

void ConversationFilter::setText(const QString &text)
{
    if (m_text == text)
        return;
    m_text = text;
    invalidateRowsFilter();
}

void ConversationFilter::setShowArchived(bool archived)
{
    if (m_showArchived == archived)
        return;
    m_showArchived = archived;
    invalidateRowsFilter();
}

int ConversationFilter::archivedCount() const
{
    const QAbstractItemModel *source = sourceModel();
    int count = 0;
    for (int row = 0; source && row < source->rowCount(); ++row)
        count += source->index(row, 0).data(ConversationListModel::ArchivedRole).toBool() ? 1 : 0;
    return count;
}

int ConversationFilter::archivedUnread() const
{
    const QAbstractItemModel *source = sourceModel();
    int count = 0;
    for (int row = 0; source && row < source->rowCount(); ++row) {
        const QModelIndex index = source->index(row, 0);
        if (index.data(ConversationListModel::ArchivedRole).toBool())
            count += index.data(ConversationListModel::UnreadCountRole).toInt();
    }
    return count;
}

bool ConversationFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    // A search looks everywhere, archived or not (as Telegram's does).
    if (m_text.isEmpty()
        && index.data(ConversationListModel::ArchivedRole).toBool() != m_showArchived)
        return false;
    return m_text.isEmpty()
        || index.data(ConversationListModel::NameRole)
               .toString()
               .contains(m_text, Qt::CaseInsensitive);
}

} // namespace App
