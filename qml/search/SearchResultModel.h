#pragma once

#include <QColor>
#include <QIdentityProxyModel>
#include <QPointer>

namespace Client {
class ConversationListModel;
} // namespace Client

namespace App {

//! The rows of a MessageSearchModel with what a result row shows besides: the text as a
//! highlighted excerpt (SearchHighlighter) and the conversation's avatar. data() computes them
//! from the rows in memory. For QML, the message's role is named messageText (a delegate's
//! `text` is its own).
class SearchResultModel : public QIdentityProxyModel
{
    Q_OBJECT
public:
    enum Roles {
        //! The message text for Text.StyledText: escaped, matches highlighted, cut around the
        //! first.
        HighlightedTextRole = Qt::UserRole + 100,
        InitialsRole, //!< the conversation's avatar initials
        AvatarColorRole, //!< "#rrggbb"
        AvatarBlobRole, //!< the conversation's picture when it can be drawn, else ""
    };
    Q_ENUM(Roles)

    explicit SearchResultModel(QObject *parent = nullptr);

    //! Where the avatars come from (the account's conversation list).
    void setConversations(Client::ConversationListModel *conversations);
    //! What is highlighted: set before the source searches, so the rows it resets to read it.
    void setQuery(const QString &query) { m_query = query; }
    //! The colour of highlighted matches.
    void setHighlightColor(const QColor &color);
    QColor highlightColor() const { return m_highlightColor; }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    QVariant conversationValue(qint64 conversationId, int role) const;

    QPointer<Client::ConversationListModel> m_conversations;
    QColor m_highlightColor;
    QString m_query;
};

} // namespace App
