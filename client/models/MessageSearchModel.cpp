#include "MessageSearchModel.h"

#include "store/LocalStore.h"
#include "text/DisplayText.h"

#include <QDateTime>

namespace Client {

using namespace Qt::StringLiterals;

MessageSearchModel::MessageSearchModel(LocalStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
}

void MessageSearchModel::search(const QString &text, qint64 conversationId)
{
    const quint64 generation = ++m_generation;
    setSearching(true);
    // The store runs it on its search thread and cancels it when a newer one comes: a canceled
    // future never reaches the continuation; the generation check covers what was already on its
    // way back.
    m_store->search(text, conversationId)
        .then(this, [this, text, generation](const QList<SearchHit> &hits) {
            if (generation != m_generation)
                return;
            showResults(text, hits);
        });
}

void MessageSearchModel::showResults(const QString &text, const QList<SearchHit> &hits)
{
    QList<Row> rows;
    QHash<qint64, QString> conversationNames;
    for (const SearchHit &hit : hits) {
        Row row;
        row.hit = hit;
        if (!conversationNames.contains(hit.conversationId)) {
            const auto conversation = m_store->conversation(hit.conversationId);
            conversationNames.insert(hit.conversationId,
                                     conversation ? DisplayText::conversationName(*conversation)
                                                  : QString());
        }
        row.conversationName = conversationNames.value(hit.conversationId);
        if (hit.senderId == m_store->selfId()) {
            row.senderName = u"You"_s;
        } else if (const auto user = m_store->user(hit.senderId)) {
            row.senderName = user->displayName;
        }
        rows.append(row);
    }
    // A new query is a new list: a reset says exactly that.
    beginResetModel();
    m_rows = rows;
    endResetModel();
    if (m_query != text) {
        m_query = text;
        Q_EMIT queryChanged();
    }
    setSearching(false);
    Q_EMIT finished();
}

void MessageSearchModel::setSearching(bool searching)
{
    if (m_searching == searching)
        return;
    m_searching = searching;
    Q_EMIT searchingChanged();
}

int MessageSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MessageSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return row.hit.text;
    case ConversationIdRole:
        return row.hit.conversationId;
    case SeqRole:
        return row.hit.seq;
    case ConversationNameRole:
        return row.conversationName;
    case SenderNameRole:
        return row.senderName;
    case TimestampRole:
        return QDateTime::fromMSecsSinceEpoch(row.hit.timestamp);
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageSearchModel::roleNames() const
{
    return {{ConversationIdRole, "conversationId"},
            {SeqRole, "seq"},
            {ConversationNameRole, "conversationName"},
            {SenderNameRole, "senderName"},
            {TextRole, "text"},
            {TimestampRole, "timestamp"}};
}

} // namespace Client
