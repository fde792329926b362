#include "ConversationController.h"

#include "account/Account.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "store/LocalStore.h"

#include <QDateTime>
#include <QLocale>

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

ConversationController::ConversationController(Account *account, qint64 conversationId,
                                               QObject *parent)
    : QObject(parent)
    , m_account(account)
    , m_conversationId(conversationId)
    , m_messages(account->createMessageModel(conversationId, this))
{
    connect(m_messages, &MessageListModel::loadedChanged, this,
            &ConversationController::loadedChanged);
    if (const auto summary = account->store()->summary(conversationId);
        summary && summary->info.unread > 0)
        m_firstUnreadSeq = summary->info.readSeq + 1;
    // What is on screen (no notifications for it) is DesktopNotifier's to say: it knows whether the
    // window is in front. This controller is destroyed by the garbage collector, maybe long after
    // the next one opened, so it must not reset it.

    // The header reads the conversation list's row, which already follows presence and typing.
    ConversationListModel *list = account->conversationModel();
    const auto changedHere = [this, list](const QModelIndex &first, const QModelIndex &last) {
        const int row = list->rowOf(m_conversationId);
        if (row >= first.row() && row <= last.row())
            Q_EMIT headerChanged();
    };
    connect(list, &QAbstractItemModel::dataChanged, this, changedHere);
    connect(list, &QAbstractItemModel::rowsInserted, this, &ConversationController::headerChanged);
    connect(list, &QAbstractItemModel::rowsMoved, this, &ConversationController::headerChanged);
    connect(list, &QAbstractItemModel::modelReset, this, &ConversationController::headerChanged);
    connect(account->store(), &LocalStore::conversationChanged, this, [this](qint64 id) {
        if (id == m_conversationId)
            Q_EMIT headerChanged();
    });
    // Roles decide who may set the disappearing-messages timer.
    connect(account->store(), &LocalStore::membersChanged, this, [this](qint64 id) {
        if (id == m_conversationId)
            Q_EMIT headerChanged();
    });
}

ConversationController::~ConversationController() = default;

QAbstractItemModel *ConversationController::messages() const
{
    return m_messages;
}

QVariant ConversationController::value(int role) const
{
    if (!m_account)
        return {};
    ConversationListModel *list = m_account->conversationModel();
    const int row = list->rowOf(m_conversationId);
    return row < 0 ? QVariant() : list->data(list->index(row), role);
}

QString ConversationController::subtitle() const
{
    if (!m_account)
        return {};
    if (isGroup()) {
        const auto conversation = m_account->store()->conversation(m_conversationId);
        const int count = conversation ? conversation->memberCount : 0;
        return count == 1 ? tr("1 member") : tr("%1 members").arg(count);
    }
    const QString state = presence();
    if (state == u"online")
        return tr("online");
    if (state == u"away")
        return tr("away");
    const QDateTime lastSeen = value(Role::PeerLastSeenRole).toDateTime();
    if (!lastSeen.isValid())
        return tr("offline");
    const QDateTime local = lastSeen.toLocalTime();
    const QLocale locale;
    // Some locales' short format still has seconds (the C locale's "HH:mm:ss").
    const QString timeFormat =
        locale.timeFormat(QLocale::ShortFormat).remove(u":ss"_s).remove(u".ss"_s);
    if (local.date() == QDate::currentDate())
        return tr("last seen today at %1").arg(locale.toString(local.time(), timeFormat));
    if (local.date() == QDate::currentDate().addDays(-1))
        return tr("last seen yesterday at %1").arg(locale.toString(local.time(), timeFormat));
    return tr("last seen %1").arg(locale.toString(local.date(), QLocale::ShortFormat));
}

bool ConversationController::isActive() const
{
    const QVariant active = value(Role::ActiveRole);
    return !active.isValid() || active.toBool();
}

void ConversationController::retry(const QString &clientId)
{
    if (m_account)
        m_account->retryMessage(clientId);
}

void ConversationController::discard(const QString &clientId)
{
    if (m_account)
        m_account->discardMessage(clientId);
}

void ConversationController::userTyping()
{
    if (m_account)
        m_account->userTyping(m_conversationId);
}

void ConversationController::setVisibleSeqs(const QList<qint64> &seqs)
{
    if (m_account)
        m_account->setVisibleMessages(m_conversationId, seqs);
}

void ConversationController::revealMessage(qint64 seq)
{
    m_messages->loadUntil(seq).then(this,
                                    [this, seq](int row) { Q_EMIT messageRevealed(seq, row); });
}

bool ConversationController::isLoaded() const
{
    return m_messages->isLoaded();
}

QString ConversationController::draft() const
{
    return m_account ? m_account->store()->draft(m_conversationId) : QString();
}

void ConversationController::setDraft(const QString &text)
{
    if (!m_account || draft() == text)
        return;
    m_account->store()->setDraft(m_conversationId, text);
    Q_EMIT draftChanged();
}

void ConversationController::setMuted(bool muted)
{
    if (m_account)
        m_account->setConversationFlags(m_conversationId, muted, std::nullopt, std::nullopt);
}

void ConversationController::setPinned(bool pinned)
{
    if (m_account)
        m_account->setConversationFlags(m_conversationId, std::nullopt, pinned, std::nullopt);
}

void ConversationController::setArchived(bool archived)
{
    if (m_account)
        m_account->setConversationFlags(m_conversationId, std::nullopt, std::nullopt, archived);
}

void ConversationController::loadOlder()
{
    if (m_messages->canFetchMore())
        m_messages->fetchMore();
}

} // namespace App
