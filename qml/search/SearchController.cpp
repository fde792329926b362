#include "SearchController.h"

#include "SearchResultModel.h"

#include "account/Account.h"
#include "models/MessageSearchModel.h"

using namespace Client;

namespace App {

namespace {
// Long enough to skip the prefixes of a word typed at speed, short enough not to feel slow.
constexpr int TypingPauseMs = 150;
} // namespace

SearchController::SearchController(QObject *parent)
    : SearchController(nullptr, parent)
{
}

SearchController::SearchController(Account *account, QObject *parent)
    : QObject(parent)
    , m_results(new SearchResultModel(this))
{
    m_pause.setSingleShot(true);
    m_pause.setInterval(TypingPauseMs);
    connect(&m_pause, &QTimer::timeout, this, &SearchController::searchNow);
    setAccount(account);
}

SearchController::~SearchController() = default;

QAbstractItemModel *SearchController::results() const
{
    return m_results;
}

int SearchController::count() const
{
    return m_count;
}

QColor SearchController::highlightColor() const
{
    return m_results->highlightColor();
}

void SearchController::setHighlightColor(const QColor &color)
{
    if (color == m_results->highlightColor())
        return;
    m_results->setHighlightColor(color);
    Q_EMIT highlightColorChanged();
}

void SearchController::setAccount(Account *account)
{
    if (m_account == account && (m_source != nullptr) == (account != nullptr))
        return;
    if (m_account)
        m_account->disconnect(this);
    m_account = account;
    MessageSearchModel *old = m_source;
    m_source = account ? account->createMessageSearchModel(this) : nullptr;
    if (m_source)
        connect(m_source, &MessageSearchModel::finished, this, &SearchController::onFinished);
    m_results->setSourceModel(m_source);
    m_results->setConversations(account ? account->conversationModel() : nullptr);
    delete old;
    if (account) {
        // The models hold the account's store: let go of them before it goes.
        connect(account, &QObject::destroyed, this, [this] { setAccount(nullptr); });
    }
    searchNow();
    Q_EMIT accountChanged();
}

void SearchController::setQuery(const QString &query)
{
    if (m_query == query)
        return;
    m_query = query;
    Q_EMIT queryChanged();
    if (query.trimmed().isEmpty())
        searchNow(); // clearing the field clears the list at once
    else
        schedule();
}

void SearchController::setConversationId(qint64 conversationId)
{
    conversationId = qMax<qint64>(0, conversationId);
    if (m_conversationId == conversationId)
        return;
    m_conversationId = conversationId;
    Q_EMIT conversationIdChanged();
    searchNow(); // a scope change is a click: answer at once
}

void SearchController::clear()
{
    setQuery({});
}

void SearchController::schedule()
{
    setPending(true);
    m_pause.start();
}

void SearchController::searchNow()
{
    m_pause.stop();
    if (!m_source) {
        m_results->setQuery(m_query);
        onFinished();
        return;
    }
    setPending(true);
    // Off the GUI thread; a newer query cancels this one (onFinished follows the newest).
    m_source->search(m_query, m_conversationId);
}

void SearchController::onFinished()
{
    m_results->setQuery(m_source ? m_source->query() : m_query);
    const int rows = m_results->rowCount();
    if (rows != m_count) {
        m_count = rows;
        Q_EMIT countChanged();
    }
    setPending(false);
    Q_EMIT searchFinished();
}

void SearchController::setPending(bool pending)
{
    if (m_pending == pending)
        return;
    m_pending = pending;
    Q_EMIT pendingChanged();
}

} // namespace App
