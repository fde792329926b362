#pragma once

#include "account/Account.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QQuickWindow>
#include <QSettings>
#include <QWindow>

namespace Client {
struct Notification;
} // namespace Client

namespace App {

class FreedesktopNotifications;

//! Desktop notifications of new messages, and what the account counts as "on screen".
//!
//! The core decides which messages deserve a notification (Account::notification: not one's own,
//! not muted, not the conversation on screen); this shows them through the desktop's notification
//! server, one per conversation (a newer message replaces the older one), and takes a
//! conversation's away when it is read. A click brings the window up and asks for the
//! conversation (activated()). The settings notifications/enabled and notifications/preview (in
//! the app's settings, default true) turn them off or hide the text.
//!
//! The conversation on screen is the open one while the window is active, and none while the
//! window is in the background, minimised or hidden: that is when notifications are wanted.
//!
//! Made in Main.qml with the window, given the account on screen and the app's settings.
class DesktopNotifier : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    //! Whose new messages are shown; null: none. Conversation ids belong to one account, so a
    //! change closes every notification shown.
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    //! The app's settings: EnabledKey and PreviewKey say whether to notify, and how.
    Q_PROPERTY(QSettings *settings READ settings WRITE setSettings NOTIFY settingsChanged)
    //! The main window: its focus decides what is on screen; a click on a notification raises it.
    Q_PROPERTY(QQuickWindow *window READ window WRITE setWindow NOTIFY windowChanged)
    //! The conversation open in the main page (0: none).
    //! (double for QML, as QML sees it anyway: qmllint 6.4 knows no 64-bit integer type.)
    Q_PROPERTY(double openConversationId READ openConversationId WRITE setOpenConversationId NOTIFY
                   openConversationIdChanged)
public:
    static constexpr auto EnabledKey = "notifications/enabled";
    static constexpr auto PreviewKey = "notifications/preview";

    explicit DesktopNotifier(QObject *parent = nullptr);
    DesktopNotifier(Client::Account *account, QSettings *settings, QObject *parent = nullptr);
    ~DesktopNotifier() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);
    QSettings *settings() const { return m_settings; }
    void setSettings(QSettings *settings);

    QQuickWindow *window() const;
    void setWindow(QQuickWindow *window);
    qint64 openConversationId() const { return m_openConversationId; }
    void setOpenConversationId(qint64 conversationId);

Q_SIGNALS:
    void accountChanged();
    void settingsChanged();
    void windowChanged();
    void openConversationIdChanged();
    //! The user clicked the notification of this message: the window is up, open it.
    void activated(qint64 conversationId, qint64 seq);

private:
    void updateOnScreen();
    void show(const Client::Notification &notification);
    //! The message a shown notification is about was edited: shown again in place, if it is still.
    void showUpdated(const Client::Notification &notification);
    //! The message a shown notification is about is gone: closed.
    void withdraw(qint64 conversationId);
    QString titleOf(const Client::Notification &notification) const;
    //! The body show() shows, as the preview setting says.
    QString bodyOf(const Client::Notification &notification) const;
    void closeRead(int firstRow, int lastRow);
    void closeAll();
    void bringUpWindow();

    //! A QWindow pointer: a QQuickWindow one would be cast while the window is destroyed (its
    //! visibleChanged() comes from ~QWindow), which UBSan rightly reports.
    QPointer<QWindow> m_window;
    QPointer<QSettings> m_settings;
    QPointer<Client::Account> m_account;
    FreedesktopNotifications *m_desktop;
    //! The seq of the message each conversation's notification shows.
    QHash<qint64, qint64> m_seqOf;
    qint64 m_openConversationId = 0;
};

} // namespace App
