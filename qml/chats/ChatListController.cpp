#include "ChatListController.h"

#include "AppLogging.h"

#include "models/ConversationListModel.h"

using namespace Client;

namespace App {

ChatListController::ChatListController(QObject *parent)
    : ChatListController(nullptr, parent)
{
}

ChatListController::ChatListController(Account *account, QObject *parent)
    : QObject(parent)
{
    connect(&m_filtered, &ConversationFilter::archivedCountChanged, this,
            &ChatListController::archivedCountChanged);
    setAccount(account);
}

ChatListController::~ChatListController() = default;

void ChatListController::setAccount(Account *account)
{
    if (m_account == account)
        return;
    m_account = account;
    m_filtered.setSourceModel(account ? account->conversationModel() : nullptr);
    Q_EMIT accountChanged();
}

void ChatListController::setFilter(const QString &filter)
{
    if (filter == this->filter())
        return;
    m_filtered.setText(filter);
    Q_EMIT filterChanged();
}

void ChatListController::setShowArchived(bool show)
{
    if (show == showArchived())
        return;
    m_filtered.setShowArchived(show);
    Q_EMIT showArchivedChanged();
}

void ChatListController::openDirect(qint64 userId)
{
    if (!m_account)
        return;
    Request *request = m_account->openDirect(userId);
    connect(request, &Request::finished, this, [this](const Reply &reply) {
        if (!reply.isOk()) {
            qCInfo(lcChats) << "could not open the chat:" << reply.describe();
            return;
        }
        // The account stored the conversation when this answer came (it connected first).
        Q_EMIT conversationReady(Protocol::ConversationInfo::fromCbor(
                                     reply.body.value(QLatin1StringView("conversation")).toMap())
                                     .id);
    });
}

} // namespace App
