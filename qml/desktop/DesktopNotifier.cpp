#include "DesktopNotifier.h"

#include "BringUpWindow.h"

#include <QQuickWindow>

#include "FreedesktopNotifications.h"

#include "account/Account.h"
#include "models/ConversationListModel.h"
#include "store/LocalStore.h"

#include <QSettings>

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

DesktopNotifier::DesktopNotifier(QObject *parent)
    : QObject(parent)
    , m_desktop(new FreedesktopNotifications(QDBusConnection::sessionBus(), this))
{
    connect(m_desktop, &FreedesktopNotifications::activated, this, [this](qint64 conversationId) {
        bringUpWindow();
        Q_EMIT activated(conversationId, m_seqOf.value(conversationId));
    });
}

DesktopNotifier::DesktopNotifier(Account *account, QSettings *settings, QObject *parent)
    : DesktopNotifier(parent)
{
    setSettings(settings);
    setAccount(account);
}

DesktopNotifier::~DesktopNotifier()
{
    setAccount(nullptr);
}

void DesktopNotifier::setSettings(QSettings *settings)
{
    if (m_settings == settings)
        return;
    m_settings = settings;
    Q_EMIT settingsChanged();
}

void DesktopNotifier::setWindow(QQuickWindow *window)
{
    if (m_window == window)
        return;
    if (m_window)
        m_window->disconnect(this);
    m_window = window;
    if (window) {
        connect(window, &QWindow::activeChanged, this, &DesktopNotifier::updateOnScreen);
        connect(window, &QWindow::visibleChanged, this, &DesktopNotifier::updateOnScreen);
        connect(window, &QWindow::windowStateChanged, this, &DesktopNotifier::updateOnScreen);
        connect(window, &QObject::destroyed, this, [this] {
            m_window = nullptr;
            updateOnScreen();
        });
    }
    updateOnScreen();
    Q_EMIT windowChanged();
}

void DesktopNotifier::setOpenConversationId(qint64 conversationId)
{
    if (m_openConversationId == conversationId)
        return;
    m_openConversationId = conversationId;
    updateOnScreen();
    Q_EMIT openConversationIdChanged();
}

void DesktopNotifier::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account) {
        m_account->disconnect(this);
        m_account->notifier()->disconnect(this);
        m_account->conversationModel()->disconnect(this);
        m_account->setConversationOnScreen(0);
    }
    // Conversation ids belong to one account: another's notifications would open the wrong chat.
    closeAll();
    m_account = account;
    Q_EMIT accountChanged();
    if (!account)
        return;
    connect(account, &Account::notification, this, &DesktopNotifier::show);
    connect(account->notifier(), &Notifier::updated, this, &DesktopNotifier::showUpdated);
    connect(account->notifier(), &Notifier::withdrawn, this, &DesktopNotifier::withdraw);
    connect(account, &QObject::destroyed, this, &DesktopNotifier::closeAll);
    ConversationListModel *list = account->conversationModel();
    connect(list, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &first, const QModelIndex &last, const QList<int> &roles) {
                if (roles.isEmpty() || roles.contains(ConversationListModel::UnreadCountRole))
                    closeRead(first.row(), last.row());
            });
    connect(list, &QAbstractItemModel::modelReset, this,
            [this, list] { closeRead(0, list->rowCount() - 1); });
    updateOnScreen();
}

void DesktopNotifier::closeAll()
{
    for (auto it = m_seqOf.cbegin(); it != m_seqOf.cend(); ++it)
        m_desktop->close(it.key());
    m_seqOf.clear();
}

void DesktopNotifier::updateOnScreen()
{
    if (!m_account)
        return;
    const bool looking = m_window && m_window->isVisible() && m_window->isActive()
        && !(m_window->windowStates() & Qt::WindowMinimized);
    m_account->setConversationOnScreen(looking ? m_openConversationId : 0);
}

void DesktopNotifier::show(const Notification &notification)
{
    QSettings *settings = m_settings;
    if (settings && !settings->value(QLatin1StringView(EnabledKey), true).toBool())
        return;
    m_seqOf.insert(notification.conversationId, notification.seq);
    m_desktop->show(notification.conversationId, titleOf(notification), bodyOf(notification));
}

void DesktopNotifier::showUpdated(const Notification &notification)
{
    const auto shown = m_seqOf.constFind(notification.conversationId);
    if (shown == m_seqOf.cend() || *shown != notification.seq
        || !m_desktop->isShown(notification.conversationId))
        return;
    // The same key replaces the notification in place. (FreedesktopNotifications has no quiet
    // variant: a server may sound again as for any replacement.)
    m_desktop->show(notification.conversationId, titleOf(notification), bodyOf(notification));
}

void DesktopNotifier::withdraw(qint64 conversationId)
{
    if (!m_seqOf.remove(conversationId))
        return;
    m_desktop->close(conversationId);
}

QString DesktopNotifier::titleOf(const Notification &notification) const
{
    const auto conversation = m_account->store()->conversation(notification.conversationId);
    const bool group = conversation && conversation->kind == Protocol::ConversationKind::Group;
    QString title = notification.senderName;
    if (title.isEmpty())
        title = notification.conversationName;
    else if (group && !notification.conversationName.isEmpty())
        title = tr("%1 in %2", "notification title: sender in group")
                    .arg(title, notification.conversationName);
    if (title.isEmpty())
        title = tr("Messenger");
    return title;
}

QString DesktopNotifier::bodyOf(const Notification &notification) const
{
    QSettings *settings = m_settings;
    const bool preview = !settings || settings->value(QLatin1StringView(PreviewKey), true).toBool();
    return preview ? notification.preview : tr("New message");
}

void DesktopNotifier::closeRead(int firstRow, int lastRow)
{
    if (!m_account || m_seqOf.isEmpty())
        return;
    const ConversationListModel *list = m_account->conversationModel();
    for (int row = qMax(0, firstRow); row <= lastRow && row < list->rowCount(); ++row) {
        const QModelIndex index = list->index(row);
        const qint64 id = index.data(ConversationListModel::IdRole).toLongLong();
        if (m_seqOf.contains(id)
            && index.data(ConversationListModel::UnreadCountRole).toInt() == 0) {
            m_seqOf.remove(id);
            m_desktop->close(id);
        }
    }
}

void DesktopNotifier::bringUpWindow()
{
    App::bringUpWindow(m_window);
}

QQuickWindow *DesktopNotifier::window() const
{
    return qobject_cast<QQuickWindow *>(m_window.data());
}

} // namespace App
