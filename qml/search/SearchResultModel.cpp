#include "SearchResultModel.h"

#include "SearchHighlighter.h"

#include "models/ConversationListModel.h"
#include "models/MessageSearchModel.h"

using namespace Client;

namespace App {

SearchResultModel::SearchResultModel(QObject *parent)
    : QIdentityProxyModel(parent)
{
}

void SearchResultModel::setConversations(ConversationListModel *conversations)
{
    m_conversations = conversations;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, 0),
                           {InitialsRole, AvatarColorRole, AvatarBlobRole});
}

void SearchResultModel::setHighlightColor(const QColor &color)
{
    if (m_highlightColor == color)
        return;
    m_highlightColor = color;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, 0), {HighlightedTextRole});
}

QVariant SearchResultModel::conversationValue(qint64 conversationId, int role) const
{
    if (!m_conversations)
        return {};
    const int row = m_conversations->rowOf(conversationId);
    return row < 0 ? QVariant() : m_conversations->index(row).data(role);
}

QVariant SearchResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case HighlightedTextRole:
        return SearchHighlighter::toStyledText(index.data(MessageSearchModel::TextRole).toString(),
                                               m_query, m_highlightColor);
    case InitialsRole:
        return conversationValue(index.data(MessageSearchModel::ConversationIdRole).toLongLong(),
                                 ConversationListModel::InitialsRole);
    case AvatarColorRole:
        return conversationValue(index.data(MessageSearchModel::ConversationIdRole).toLongLong(),
                                 ConversationListModel::AvatarColorRole);
    case AvatarBlobRole:
        return conversationValue(index.data(MessageSearchModel::ConversationIdRole).toLongLong(),
                                 ConversationListModel::AvatarBlobRole)
            .toString();
    default:
        return QIdentityProxyModel::data(index, role);
    }
}

QHash<int, QByteArray> SearchResultModel::roleNames() const
{
    // The same names with or without a source: QML reads them once, maybe before an account is in.
    static const QHash<int, QByteArray> names = [] {
        QHash<int, QByteArray> all = MessageSearchModel(nullptr).roleNames();
        // "text" is taken in a delegate (every button has a text): the message is messageText.
        all.insert(MessageSearchModel::TextRole, "messageText");
        all.insert(HighlightedTextRole, "highlightedText");
        all.insert(InitialsRole, "initials");
        all.insert(AvatarColorRole, "avatarColor");
        all.insert(AvatarBlobRole, "avatarBlob");
        return all;
    }();
    return names;
}

} // namespace App
