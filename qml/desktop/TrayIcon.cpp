#include "TrayIcon.h"

#include "AppIcon.h"
#include "BringUpWindow.h"

#include <QQuickWindow>

#include "AppLogging.h"

#include "account/Account.h"
#include "models/ConversationListModel.h"

#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

using namespace Client;

namespace App {

using namespace Qt::StringLiterals;

namespace {
const QColor BadgeColor(0xe5, 0x39, 0x35); // Material Red 600
constexpr int IconSizes[] = {16, 22, 24, 32, 48, 64, 128};

QIcon iconFor(int count)
{
    QIcon icon;
    for (int size : IconSizes)
        icon.addPixmap(TrayIcon::drawIcon(count, size));
    return icon;
}
} // namespace

TrayIcon::TrayIcon(QObject *parent)
    : QObject(parent)
    , m_icon(iconFor(0))
{
    // QSystemTrayIcon is a Widgets class: it needs the QApplication main() makes.
    if (qobject_cast<QApplication *>(QCoreApplication::instance())
        && QSystemTrayIcon::isSystemTrayAvailable()) {
        m_menu = new QMenu;
        m_menu->addAction(tr("Open Messenger"), this, &TrayIcon::bringUpWindow);
        m_menu->addSeparator();
        m_menu->addAction(tr("Quit"), this, [this] {
            // A real close first: the window keeps its size and place on the way out (Main.qml's
            // onClosing), which hiding it in the tray skipped.
            m_quitting = true;
            if (m_window)
                m_window->close();
            QCoreApplication::quit();
        });
        m_tray = new QSystemTrayIcon(this);
        m_tray->setContextMenu(m_menu);
        connect(m_tray, &QSystemTrayIcon::activated, this,
                [this](QSystemTrayIcon::ActivationReason reason) {
                    if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick
                        || reason == QSystemTrayIcon::MiddleClick)
                        bringUpWindow();
                });
        // The hidden window is not the last one closed: Quit in the menu is.
        QGuiApplication::setQuitOnLastWindowClosed(false);
    } else {
        qCInfo(lcDesktop) << "no system tray: closing the window quits";
    }
    recount();
    if (m_tray) {
        m_tray->setIcon(m_icon);
        m_tray->setToolTip(toolTip());
        m_tray->show();
    }
}

TrayIcon::TrayIcon(Account *account, QObject *parent)
    : TrayIcon(parent)
{
    setAccount(account);
}

TrayIcon::~TrayIcon()
{
    if (m_tray)
        QGuiApplication::setQuitOnLastWindowClosed(true);
    delete m_tray;
    delete m_menu;
}

void TrayIcon::setWindow(QQuickWindow *window)
{
    if (m_window == window)
        return;
    if (m_window)
        m_window->removeEventFilter(this);
    m_window = window;
    if (window)
        window->installEventFilter(this);
    Q_EMIT windowChanged();
}

bool TrayIcon::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Close && m_tray && !m_quitting) {
        event->ignore();
        m_window->hide();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

void TrayIcon::setAccount(Account *account)
{
    if (m_account == account)
        return;
    if (m_account) {
        m_account->disconnect(this);
        m_account->conversationModel()->disconnect(this);
    }
    m_account = account;
    if (account) {
        ConversationListModel *list = account->conversationModel();
        connect(list, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &, const QModelIndex &, const QList<int> &roles) {
                    if (roles.isEmpty() || roles.contains(ConversationListModel::UnreadCountRole))
                        recount();
                });
        connect(list, &QAbstractItemModel::rowsInserted, this, &TrayIcon::recount);
        connect(list, &QAbstractItemModel::rowsRemoved, this, &TrayIcon::recount);
        connect(list, &QAbstractItemModel::modelReset, this, &TrayIcon::recount);
        // Gone (signed out): m_account is null by now, nothing left to count.
        connect(account, &QObject::destroyed, this, &TrayIcon::recount);
    }
    recount();
    Q_EMIT accountChanged();
}

void TrayIcon::recount()
{
    int total = 0;
    if (m_account) {
        const ConversationListModel *list = m_account->conversationModel();
        for (int row = 0; row < list->rowCount(); ++row)
            total += list->index(row).data(ConversationListModel::UnreadCountRole).toInt();
    }
    if (total == m_unreadCount)
        return;
    m_unreadCount = total;
    m_icon = iconFor(total);
    if (m_tray) {
        m_tray->setIcon(m_icon);
        m_tray->setToolTip(toolTip());
    }
    Q_EMIT unreadCountChanged();
}

QString TrayIcon::toolTip() const
{
    if (m_unreadCount == 0)
        return tr("Messenger");
    return m_unreadCount == 1 ? tr("Messenger: 1 unread message")
                              : tr("Messenger: %1 unread messages").arg(m_unreadCount);
}

void TrayIcon::bringUpWindow()
{
    App::bringUpWindow(m_window);
}

QPointF TrayIcon::badgeCentre(int size)
{
    return {size * 0.72, size * 0.28};
}

QPixmap TrayIcon::drawIcon(int count, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal s = size;

    // The app's icon (its speech bubble), the badge on top.
    painter.drawPixmap(QRect(0, 0, size, size), bundledAppIcon().pixmap(QSize(size, size), 1.0));

    if (count > 0) {
        const QString text = count > 99 ? u"99+"_s : QString::number(count);
        QFont font = painter.font();
        font.setBold(true);
        font.setPixelSize(qMax(7, int(s * (text.size() > 2 ? 0.28 : 0.36))));
        const QFontMetricsF metrics(font);
        const qreal height = s * 0.54;
        const qreal width = qMax(height, metrics.horizontalAdvance(text) + s * 0.16);
        const QPointF centre = badgeCentre(size);
        QRectF badge(0, 0, width, height);
        badge.moveCenter(centre);
        // Kept inside the icon: a wide "99+" grows to the left.
        if (badge.right() > s)
            badge.moveRight(s);
        painter.setBrush(BadgeColor);
        painter.setPen(QPen(Qt::white, qMax(1.0, s * 0.03)));
        painter.drawRoundedRect(badge, height / 2, height / 2);
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(badge, Qt::AlignCenter, text);
    }
    painter.end();
    return pixmap;
}

QQuickWindow *TrayIcon::window() const
{
    return qobject_cast<QQuickWindow *>(m_window.data());
}

} // namespace App
