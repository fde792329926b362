#include "MessageInfoController.h"

#include "account/Account.h"
#include "media/Avatars.h"
#include "models/MemberListModel.h"
#include "models/ReceiptListModel.h"
#include "store/LocalStore.h"
#include "text/Avatar.h"
#include "text/DisplayText.h"

#include <QSet>

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

MessageInfoController::MessageInfoController(QObject *parent)
    : QObject(parent)
{
}

MessageInfoController::MessageInfoController(Account *account, qint64 conversationId, qint64 seq,
                                             QObject *parent)
    : QObject(parent)
    , m_conversationId(conversationId)
    , m_seq(seq)
{
    setAccount(account);
}

MessageInfoController::~MessageInfoController() = default;

void MessageInfoController::setAccount(Account *account)
{
    if (m_account == account)
        return;
    m_account = account;
    rebuild();
    Q_EMIT accountChanged();
}

void MessageInfoController::setConversationId(qint64 conversationId)
{
    if (m_conversationId == conversationId)
        return;
    m_conversationId = conversationId;
    rebuild();
}

void MessageInfoController::setSeq(qint64 seq)
{
    if (m_seq == seq)
        return;
    m_seq = seq;
    rebuild();
}

bool MessageInfoController::isLoading() const
{
    return m_receipts && m_receipts->isLoading();
}

void MessageInfoController::refresh()
{
    if (m_receipts)
        m_receipts->refresh();
}

void MessageInfoController::rebuild()
{
    delete m_receipts;
    m_receipts = nullptr;
    delete m_members;
    m_members = nullptr;
    m_isGroup = false;
    m_text.clear();
    m_sentAt = {};

    LocalStore *store = m_account ? m_account->store() : nullptr;
    if (store && store->isOpen() && m_conversationId > 0 && m_seq > 0) {
        const auto conversation = store->conversation(m_conversationId);
        m_isGroup = conversation && conversation->kind == Protocol::ConversationKind::Group;
        // The text and time come from the store's thread; the receipts meanwhile.
        const qint64 conversationId = m_conversationId, seq = m_seq;
        store->messages(conversationId, seq + 1, 1)
            .then(this,
                  [this, store, conversationId, seq](const QList<Protocol::MessageRecord> &found) {
                      if (conversationId != m_conversationId || seq != m_seq || found.isEmpty()
                          || found.constFirst().seq != seq)
                          return;
                      const Protocol::MessageRecord &message = found.constFirst();
                      m_sentAt = QDateTime::fromMSecsSinceEpoch(message.timestamp);
                      m_text = DisplayText::messageText(message, [store](qint64 userId) {
                          const auto user = store->user(userId);
                          return user ? user->displayName : QString();
                      });
                      Q_EMIT messageChanged();
                  });
        m_members = m_account->createMemberModel(m_conversationId, this);
        connect(m_members, &QAbstractItemModel::modelReset, this, &MessageInfoController::collect);
        connect(m_members, &QAbstractItemModel::dataChanged, this, &MessageInfoController::collect);
        m_receipts = m_account->createReceiptModel(m_conversationId, m_seq, this);
        connect(m_receipts, &QAbstractItemModel::modelReset, this, &MessageInfoController::collect);
        connect(m_receipts, &ReceiptListModel::loadingChanged, this,
                &MessageInfoController::loadingChanged);
    }
    Q_EMIT messageChanged();
    Q_EMIT loadingChanged();
    collect();
}

namespace {

QVariantMap person(const Account *account, qint64 userId, const QString &name, const QDateTime &at)
{
    return {{u"userId"_s, userId},
            {u"displayName"_s, name},
            {u"initials"_s, Avatar::initials(name)},
            {u"avatarColor"_s, Avatar::color(userId)},
            {u"avatarBlob"_s, account ? account->avatars()->userAvatar(userId) : QString()},
            {u"at"_s, at}};
}

bool earlier(const QVariant &a, const QVariant &b)
{
    return a.toMap().value(u"at"_s).toDateTime() < b.toMap().value(u"at"_s).toDateTime();
}

} // namespace

void MessageInfoController::collect()
{
    m_readBy.clear();
    m_deliveredTo.clear();
    m_waiting.clear();
    m_deliveredAt = {};
    m_readAt = {};
    if (m_receipts) {
        QSet<qint64> reached;
        for (int row = 0; row < m_receipts->rowCount(); ++row) {
            const QModelIndex index = m_receipts->index(row);
            const qint64 userId = index.data(ReceiptListModel::UserIdRole).toLongLong();
            const QString name = index.data(ReceiptListModel::DisplayNameRole).toString();
            const QDateTime delivered = index.data(ReceiptListModel::DeliveredAtRole).toDateTime();
            const QDateTime read = index.data(ReceiptListModel::ReadAtRole).toDateTime();
            reached.insert(userId);
            if (read.isValid())
                m_readBy.append(person(m_account, userId, name, read));
            else
                m_deliveredTo.append(person(m_account, userId, name, delivered));
            if (!m_isGroup) { // one other member: their times are the message's
                m_deliveredAt = delivered;
                m_readAt = read;
            }
        }
        for (int row = 0; m_members && row < m_members->rowCount(); ++row) {
            const QModelIndex index = m_members->index(row);
            const qint64 userId = index.data(MemberListModel::UserIdRole).toLongLong();
            if (index.data(MemberListModel::IsSelfRole).toBool() || reached.contains(userId))
                continue;
            m_waiting.append(person(m_account, userId,
                                    index.data(MemberListModel::DisplayNameRole).toString(), {}));
        }
        std::stable_sort(m_readBy.begin(), m_readBy.end(), earlier);
        std::stable_sort(m_deliveredTo.begin(), m_deliveredTo.end(), earlier);
    }
    Q_EMIT receiptsChanged();
}

} // namespace App
