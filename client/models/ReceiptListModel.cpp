#include "ReceiptListModel.h"

#include "connection/Connection.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QCborArray>
#include <QDateTime>
#include <QMap>

namespace Client {

using namespace Qt::StringLiterals;

ReceiptListModel::ReceiptListModel(Connection *connection, LocalStore *store, qint64 conversationId,
                                   qint64 seq, QObject *parent)
    : QAbstractListModel(parent)
    , m_connection(connection)
    , m_store(store)
    , m_conversationId(conversationId)
    , m_seq(seq)
{
    connect(m_store, &LocalStore::membersChanged, this, [this](qint64 id) {
        if (id == m_conversationId)
            refresh();
    });
    connect(m_store, &LocalStore::conversationChanged, this, [this](qint64 id) {
        if (id == m_conversationId)
            refresh();
    });
    refresh();
}

void ReceiptListModel::refresh()
{
    if (m_loading) {
        m_again = true; // one request at a time; the newest state wins
        return;
    }
    m_loading = true;
    Q_EMIT loadingChanged();
    Request *request =
        m_connection->send(Protocol::Request::GetReceipts,
                           {{"conversationId"_L1, m_conversationId}, {"seq"_L1, m_seq}});
    connect(request, &Request::finished, this, [this](const Reply &reply) {
        m_loading = false;
        Q_EMIT loadingChanged();
        if (reply.isOk()) {
            QMap<qint64, Row> rows; // by user id: a stable order
            for (const QCborValue &value : reply.body.value("delivered"_L1).toArray()) {
                Row &row = rows[value["userId"_L1].toInteger()];
                row.deliveredAt = value["at"_L1].toInteger();
            }
            for (const QCborValue &value : reply.body.value("read"_L1).toArray()) {
                Row &row = rows[value["userId"_L1].toInteger()];
                row.readAt = value["at"_L1].toInteger();
                if (row.deliveredAt == 0)
                    row.deliveredAt = row.readAt;
            }
            QList<Row> list;
            for (auto it = rows.begin(); it != rows.end(); ++it) {
                Row row = it.value();
                row.userId = it.key();
                const auto user = m_store->user(row.userId);
                row.name = user ? user->displayName : QString();
                list.append(row);
            }
            // The result is a new answer to the same question: replace the rows in one go.
            beginResetModel();
            m_rows = list;
            endResetModel();
        }
        if (std::exchange(m_again, false))
            refresh();
    });
}

int ReceiptListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ReceiptListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return row.name;
    case UserIdRole:
        return row.userId;
    case DeliveredAtRole:
        return row.deliveredAt > 0 ? QDateTime::fromMSecsSinceEpoch(row.deliveredAt) : QDateTime();
    case ReadAtRole:
        return row.readAt > 0 ? QDateTime::fromMSecsSinceEpoch(row.readAt) : QDateTime();
    case IsReadRole:
        return row.readAt > 0;
    default:
        return {};
    }
}

QHash<int, QByteArray> ReceiptListModel::roleNames() const
{
    return {{UserIdRole, "userId"},
            {DisplayNameRole, "displayName"},
            {DeliveredAtRole, "deliveredAt"},
            {ReadAtRole, "readAt"},
            {IsReadRole, "isRead"}};
}

} // namespace Client
