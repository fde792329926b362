#include "FreedesktopNotifications.h"

#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusServiceWatcher>
#include <QGuiApplication>
#include <QLoggingCategory>

namespace App {

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcNotifications, "messenger.app.notifications")

namespace {
constexpr uchar NormalUrgency = 1;
constexpr int ServerDefaultTimeout = -1;
} // namespace

FreedesktopNotifications::FreedesktopNotifications(QDBusConnection bus, QObject *parent)
    : QObject(parent)
    , m_bus(std::move(bus))
{
    if (!m_bus.isConnected()) {
        qCInfo(lcNotifications) << "no session bus: no desktop notifications";
        return;
    }
    const QString service = QLatin1StringView(Service);
    const QString path = QLatin1StringView(Path);
    const QString interface = QLatin1StringView(Interface);
    m_bus.connect(service, path, interface, u"ActionInvoked"_s, this,
                  SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(service, path, interface, u"NotificationClosed"_s, this,
                  SLOT(onNotificationClosed(uint, uint)));
    // A notification server that starts later (or again) may read markup differently.
    auto *watcher =
        new QDBusServiceWatcher(service, m_bus, QDBusServiceWatcher::WatchForRegistration, this);
    connect(watcher, &QDBusServiceWatcher::serviceRegistered, this,
            &FreedesktopNotifications::fetchCapabilities);
    fetchCapabilities();
}

FreedesktopNotifications::~FreedesktopNotifications() = default;

void FreedesktopNotifications::fetchCapabilities()
{
    m_capabilitiesKnown = false;
    const QDBusMessage call =
        QDBusMessage::createMethodCall(QLatin1StringView(Service), QLatin1StringView(Path),
                                       QLatin1StringView(Interface), u"GetCapabilities"_s);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this](QDBusPendingCallWatcher *finished) {
                finished->deleteLater();
                const QDBusPendingReply<QStringList> reply = *finished;
                if (reply.isError())
                    qCDebug(lcNotifications) << "no capabilities:" << reply.error().message();
                // Unknown is treated as plain text; escaping for a server that shows text as it is
                // would put "&lt;" on screen.
                m_bodyMarkup = !reply.isError() && reply.value().contains(u"body-markup"_s);
                m_capabilitiesKnown = true;
                flush();
            });
}

void FreedesktopNotifications::show(qint64 key, const QString &title, const QString &body)
{
    if (!m_bus.isConnected())
        return;
    Entry &entry = m_entries[key];
    entry.closeWanted = false;
    // The id to replace is not known yet: the newest content goes once it is.
    if (entry.inFlight || !m_capabilitiesKnown) {
        entry.next = Content {title, body};
        entry.hasNext = true;
        return;
    }
    send(key, entry, {title, body});
}

void FreedesktopNotifications::close(qint64 key)
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return;
    if (it->inFlight) {
        it->closeWanted = true;
        it->hasNext = false;
        it->next = {};
        return;
    }
    if (it->id != 0) {
        sendClose(it->id);
        m_keyOf.remove(it->id);
    }
    m_entries.erase(it);
}

void FreedesktopNotifications::flush()
{
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (!it->inFlight && it->hasNext) {
            const Content content = it->next;
            send(it.key(), *it, content);
        }
    }
}

void FreedesktopNotifications::send(qint64 key, Entry &entry, const Content &content)
{
    QDBusMessage call =
        QDBusMessage::createMethodCall(QLatin1StringView(Service), QLatin1StringView(Path),
                                       QLatin1StringView(Interface), u"Notify"_s);
    QVariantMap hints {{u"category"_s, u"im.received"_s},
                       {u"urgency"_s, QVariant::fromValue(NormalUrgency)}};
    if (!QGuiApplication::desktopFileName().isEmpty())
        hints.insert(u"desktop-entry"_s, QGuiApplication::desktopFileName());
    call << u"Messenger"_s << entry.id << QString() << content.title
         << (m_bodyMarkup ? content.body.toHtmlEscaped() : content.body)
         << QStringList {u"default"_s, tr("Open")} << hints << ServerDefaultTimeout;
    entry.inFlight = true;
    entry.hasNext = false;
    entry.next = {};
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this,
            [this, key](QDBusPendingCallWatcher *finished) { onNotified(key, finished); });
}

void FreedesktopNotifications::onNotified(qint64 key, QDBusPendingCallWatcher *watcher)
{
    watcher->deleteLater();
    const QDBusPendingReply<uint> reply = *watcher;
    const auto it = m_entries.find(key);
    if (it == m_entries.end())
        return;
    it->inFlight = false;
    if (reply.isError()) {
        if (!m_warned)
            qCWarning(lcNotifications)
                << "the desktop shows no notifications:" << reply.error().message();
        m_warned = true;
    } else {
        if (it->id != reply.value())
            m_keyOf.remove(it->id);
        it->id = reply.value();
        m_keyOf.insert(it->id, key);
    }
    if (it->closeWanted) {
        if (it->id != 0) {
            sendClose(it->id);
            m_keyOf.remove(it->id);
        }
        m_entries.erase(it);
    } else if (it->hasNext) {
        const Content content = it->next;
        send(key, *it, content);
    } else if (it->id == 0) {
        m_entries.erase(it);
    }
}

void FreedesktopNotifications::sendClose(uint id)
{
    QDBusMessage call =
        QDBusMessage::createMethodCall(QLatin1StringView(Service), QLatin1StringView(Path),
                                       QLatin1StringView(Interface), u"CloseNotification"_s);
    call << id;
    m_bus.send(call);
}

void FreedesktopNotifications::onActionInvoked(uint id, const QString &action)
{
    // Every application's notifications come by on this signal: only ours count.
    const auto found = m_keyOf.constFind(id);
    if (action != u"default"_s || found == m_keyOf.constEnd())
        return;
    const qint64 key = *found; // a copy: what the slots do may change m_keyOf
    Q_EMIT activated(key);
}

void FreedesktopNotifications::onNotificationClosed(uint id, uint reason)
{
    Q_UNUSED(reason)
    const auto key = m_keyOf.find(id);
    if (key == m_keyOf.end())
        return;
    const auto it = m_entries.find(*key);
    m_keyOf.erase(key);
    if (it == m_entries.end() || it->id != id)
        return;
    // A replacement on its way gets a new id from the server.
    it->id = 0;
    if (!it->inFlight && !it->hasNext)
        m_entries.erase(it);
}

} // namespace App
