#pragma once

#include "account/Account.h"

#include <QIcon>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QQuickWindow>
#include <QWindow>

class QMenu;
class QSystemTrayIcon;

namespace App {

//! The icon in the system tray (notification area): the app's icon with the number of unread
//! messages drawn on it and said in its tooltip, a menu (Open Messenger, Quit), and a click that
//! brings the window up.
//!
//! With a tray, closing the window hides it and the app keeps running there (as Telegram and
//! Signal Desktop do), until Quit. Without one (QSystemTrayIcon::isSystemTrayAvailable() false,
//! e.g. GNOME without the AppIndicator extension) nothing is shown, and closing the window
//! quits as before; the count is kept all the same.
//!
//! Made in Main.qml with the window, given the account on screen.
class TrayIcon : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    //! Whose unread messages are counted; null: none.
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    Q_PROPERTY(QQuickWindow *window READ window WRITE setWindow NOTIFY windowChanged)
    //! Unread messages of every conversation of the account.
    Q_PROPERTY(int unreadCount READ unreadCount NOTIFY unreadCountChanged)
    Q_PROPERTY(QString toolTip READ toolTip NOTIFY unreadCountChanged)
    //! True when the icon is in a tray (so closing the window only hides it).
    Q_PROPERTY(bool available READ isAvailable CONSTANT)
public:
    explicit TrayIcon(QObject *parent = nullptr);
    explicit TrayIcon(Client::Account *account, QObject *parent = nullptr);
    ~TrayIcon() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);

    QQuickWindow *window() const;
    void setWindow(QQuickWindow *window);
    int unreadCount() const { return m_unreadCount; }
    QString toolTip() const;
    bool isAvailable() const { return m_tray != nullptr; }
    //! What the tray shows now.
    QIcon icon() const { return m_icon; }

    //! The app's icon, `size` pixels square, with `count` on a badge in its corner (none for 0;
    //! "99+" above 99).
    static QPixmap drawIcon(int count, int size);
    //! Where drawIcon() puts the badge: its centre, for tests.
    static QPointF badgeCentre(int size);

Q_SIGNALS:
    void accountChanged();
    void windowChanged();
    void unreadCountChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void recount();
    void bringUpWindow();

    //! A QWindow pointer: a QQuickWindow one would be cast while the window is destroyed (its
    //! visibleChanged() comes from ~QWindow), which UBSan rightly reports.
    QPointer<QWindow> m_window;
    QPointer<Client::Account> m_account;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    QIcon m_icon;
    int m_unreadCount = 0;
    bool m_quitting = false;
};

} // namespace App
