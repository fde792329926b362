#pragma once

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QString>

#include <optional>

class QDBusPendingCallWatcher;

namespace App {

//! The desktop's notification server (org.freedesktop.Notifications on the session bus, as
//! GNOME, KDE, XFCE, dunst, mako… implement it), spoken to asynchronously: the app never waits
//! for the bus.
//!
//! Each notification is about something, a `key` (the app uses conversation ids): a new one with
//! the same key replaces the one shown (replaces_id) instead of stacking up, close(key) takes it
//! away, and a click on it (the "default" action) is activated(key). Texts are plain: the body is
//! escaped for servers that read markup in it (capability "body-markup").
class FreedesktopNotifications : public QObject
{
    Q_OBJECT
public:
    static constexpr auto Service = "org.freedesktop.Notifications";
    static constexpr auto Path = "/org/freedesktop/Notifications";
    static constexpr auto Interface = "org.freedesktop.Notifications";

    explicit FreedesktopNotifications(QDBusConnection bus = QDBusConnection::sessionBus(),
                                      QObject *parent = nullptr);
    ~FreedesktopNotifications() override;

    //! False without a session bus: show() and close() do nothing then.
    bool isConnected() const { return m_bus.isConnected(); }

    void show(qint64 key, const QString &title, const QString &body);
    void close(qint64 key);
    //! True while a notification with this key is shown (or on its way).
    bool isShown(qint64 key) const { return m_entries.contains(key); }

Q_SIGNALS:
    //! The user clicked the notification with this key.
    void activated(qint64 key);

private Q_SLOTS:
    void onActionInvoked(uint id, const QString &action);
    void onNotificationClosed(uint id, uint reason);

private:
    struct Content
    {
        QString title;
        QString body;
    };
    //! One key's notification: the server's id once it answered, and what waits for that answer.
    struct Entry
    {
        uint id = 0;
        bool inFlight = false;
        //! What waits for the server's answer (hasNext). Not a std::optional: GCC 12 with ASan
        //! warns (-Wmaybe-uninitialized) on QHash::operator[]'s default Entry holding one.
        Content next;
        bool hasNext = false;
        bool closeWanted = false;
    };

    void fetchCapabilities();
    void send(qint64 key, Entry &entry, const Content &content);
    void sendClose(uint id);
    void onNotified(qint64 key, QDBusPendingCallWatcher *watcher);
    void flush();

    QDBusConnection m_bus;
    QHash<qint64, Entry> m_entries;
    QHash<uint, qint64> m_keyOf;
    bool m_capabilitiesKnown = false;
    bool m_bodyMarkup = false;
    bool m_warned = false;
};

} // namespace App
