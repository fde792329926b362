// Desktop notifications and the tray, against the real server and a real D-Bus session bus (the
// test runs inside dbus-run-session): the test is the desktop's notification server — its own
// org.freedesktop.Notifications on the bus — and checks what the app sends it: title and body,
// no preview, nothing when turned off or muted, one notification per conversation (replaces_id),
// closed when read, and a click that opens the conversation in the real window. Also what counts
// as "on screen", and the unread count the tray shows.
#include "AppTestSupport.h"
#include "ClientTestSupport.h"
#include "DesktopNotifier.h"
#include "MainWindowFixture.h"
#include "TrayIcon.h"

#include "TestClient.h"
#include "TestServer.h"
#include "account/Account.h"
#include "api/MessageApi.h"
#include "models/ConversationListModel.h"
#include "protocol/MessageBody.h"
#include "store/LocalStore.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusPendingCallWatcher>
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using namespace Server;
using namespace Client;
using namespace App;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;
const auto ServerConnection = u"fake-notification-server"_s;
} // namespace

//! A notification server as the desktop runs one (org.freedesktop.Notifications, spec 1.2),
//! on a bus connection of its own: it records what it is asked and can be clicked.
class FakeNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Shown
    {
        uint id = 0;
        QString appName;
        uint replacesId = 0;
        QString summary;
        QString body;
        QStringList actions;
        QVariantMap hints;
    };

    explicit FakeNotificationServer(const QStringList &capabilities)
        : m_capabilities(capabilities)
        , m_bus(QDBusConnection::connectToBus(QDBusConnection::SessionBus, ServerConnection))
    {
    }

    ~FakeNotificationServer() override
    {
        m_bus.unregisterObject(u"/org/freedesktop/Notifications"_s);
        m_bus.unregisterService(u"org.freedesktop.Notifications"_s);
        QDBusConnection::disconnectFromBus(ServerConnection);
    }

    bool start()
    {
        return m_bus.isConnected()
            && m_bus.registerObject(u"/org/freedesktop/Notifications"_s, this,
                                    QDBusConnection::ExportAllSlots
                                        | QDBusConnection::ExportAllSignals)
            && m_bus.registerService(u"org.freedesktop.Notifications"_s);
    }

    //! The user clicks the notification.
    void click(uint id) { Q_EMIT ActionInvoked(id, u"default"_s); }

    QList<Shown> shown;
    QList<uint> closed;

public Q_SLOTS:
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int expireTimeout)
    {
        Q_UNUSED(appIcon)
        Q_UNUSED(expireTimeout)
        // As the spec says: a replacement keeps the id it replaces.
        const uint id = replacesId != 0 ? replacesId : ++m_lastId;
        shown.append({id, appName, replacesId, summary, body, actions, hints});
        return id;
    }

    void CloseNotification(uint id)
    {
        closed.append(id);
        Q_EMIT NotificationClosed(id, 3); // closed by a call to CloseNotification
    }

    QStringList GetCapabilities() { return m_capabilities; }

    QString GetServerInformation(QString &vendor, QString &version, QString &specVersion)
    {
        vendor = u"messenger tests"_s;
        version = u"1"_s;
        specVersion = u"1.2"_s;
        return u"fake"_s;
    }

Q_SIGNALS:
    // The D-Bus signals' definitions are moc's (included below), with moc's parameter names.
    // NOLINTBEGIN(readability-inconsistent-declaration-parameter-name)
    void NotificationClosed(uint id, uint reason);
    void ActionInvoked(uint id, const QString &actionKey);
    // NOLINTEND(readability-inconsistent-declaration-parameter-name)

private:
    QStringList m_capabilities;
    QDBusConnection m_bus;
    uint m_lastId = 100;
};

//! The host side of the StatusNotifierItem tray protocol, enough for Qt to find a tray.
class FakeStatusNotifierWatcher : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.kde.StatusNotifierWatcher")
    Q_PROPERTY(bool IsStatusNotifierHostRegistered READ isHostRegistered)
    Q_PROPERTY(int ProtocolVersion READ protocolVersion)
    Q_PROPERTY(QStringList RegisteredStatusNotifierItems READ items)
public:
    FakeStatusNotifierWatcher()
        : m_bus(QDBusConnection::connectToBus(QDBusConnection::SessionBus, u"fake-tray"_s))
    {
    }
    ~FakeStatusNotifierWatcher() override { QDBusConnection::disconnectFromBus(u"fake-tray"_s); }

    bool start()
    {
        return m_bus.registerObject(u"/StatusNotifierWatcher"_s, this,
                                    QDBusConnection::ExportAllSlots
                                        | QDBusConnection::ExportAllSignals
                                        | QDBusConnection::ExportAllProperties)
            && m_bus.registerService(u"org.kde.StatusNotifierWatcher"_s);
    }

    bool isHostRegistered() const { return true; }
    int protocolVersion() const { return 0; }
    QStringList items() const { return m_items; }

public Q_SLOTS:
    void RegisterStatusNotifierItem(const QString &service) { m_items.append(service); }
    void RegisterStatusNotifierHost(const QString &) { }

Q_SIGNALS:
    // NOLINTNEXTLINE(readability-inconsistent-declaration-parameter-name): moc defines it
    void StatusNotifierItemRegistered(const QString &service);
    void StatusNotifierHostRegistered();

private:
    QDBusConnection m_bus;
    QStringList m_items;
};

class TestAppNotifications : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QDBusConnection::sessionBus().isConnected(),
                 "no session bus: run this test inside dbus-run-session (ctest does)");
        QGuiApplication::setDesktopFileName(u"messenger"_s);
        // A StatusNotifierWatcher, as KDE's or GNOME's AppIndicator extension runs one: with it,
        // Qt's D-Bus tray is available on platforms that use it (xcb, not offscreen). On a thread
        // of its own: Qt asks it with a blocking call.
        m_watcher = new FakeStatusNotifierWatcher;
        m_watcher->moveToThread(&m_watcherThread);
        connect(&m_watcherThread, &QThread::finished, m_watcher, &QObject::deleteLater);
        m_watcherThread.start();
        bool started = false;
        QMetaObject::invokeMethod(m_watcher, &FakeStatusNotifierWatcher::start,
                                  Qt::BlockingQueuedConnection, &started);
        QVERIFY(started);
    }

    void cleanupTestCase()
    {
        m_watcherThread.quit();
        m_watcherThread.wait();
    }

    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        m_fixture = std::make_unique<ClientFixture>();
    }

    void cleanup()
    {
        m_notifications.reset();
        m_bob.reset();
        m_app.reset();
        m_fixture.reset();
        m_server.reset();
    }

    void titleAndBodyOfADirectMessage()
    {
        QVERIFY(start());
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        QVERIFY(bobSays(u"Lunch at <Luigi's> & co?"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        const auto &shown = m_notifications->shown.constFirst();
        QCOMPARE(shown.appName, u"Messenger"_s);
        QCOMPARE(shown.summary, u"Bob"_s);
        // Without "body-markup" the server shows the body as it is: no escaping.
        QCOMPARE(shown.body, u"Lunch at <Luigi's> & co?"_s);
        QCOMPARE(shown.replacesId, 0u);
        QVERIFY(shown.actions.contains(u"default"_s));
        QCOMPARE(shown.hints.value(u"desktop-entry"_s).toString(), u"messenger"_s);
        QCOMPARE(shown.hints.value(u"category"_s).toString(), u"im.received"_s);
        QCOMPARE(shown.hints.value(u"urgency"_s).toInt(), 1);
    }

    void groupTitleAndEscapedBodyForMarkupServers()
    {
        QVERIFY(start({u"body"_s, u"body-markup"_s, u"actions"_s}));
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        TestClient *carol = m_server->newUser(u"carol"_s);
        QVERIFY(carol);
        const qint64 group = carol->createGroup(u"Team"_s, {aliceId()});
        QVERIFY(group > 0);
        QVERIFY(carol->sendText(group, u"<b>not bold</b> & <img src=\"x\">"_s) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        QCOMPARE(m_notifications->shown.constFirst().summary, u"Display carol in Team"_s);
        QCOMPARE(m_notifications->shown.constFirst().body,
                 u"&lt;b&gt;not bold&lt;/b&gt; &amp; &lt;img src=&quot;x&quot;&gt;"_s);
    }

    void previewOffSaysNewMessage()
    {
        QVERIFY(start());
        m_app->app()->settings()->setValue(u"notifications/preview"_s, false);
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        QVERIFY(bobSays(u"the secret plan"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        QCOMPARE(m_notifications->shown.constFirst().summary, u"Bob"_s);
        QCOMPARE(m_notifications->shown.constFirst().body, u"New message"_s);
    }

    void turnedOffShowsNothing()
    {
        QVERIFY(start());
        QSettings *settings = m_app->app()->settings();
        settings->setValue(u"notifications/enabled"_s, false);
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        QVERIFY(bobSays(u"one"_s));
        // Turned on again (another QSettings on the file, as the settings page may use), the next
        // one is shown: had the first been sent, it would have come before it.
        QSettings(settings->fileName(), QSettings::IniFormat)
            .setValue(u"notifications/enabled"_s, true);
        QVERIFY(bobSays(u"two"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        QCOMPARE(m_notifications->shown.constFirst().body, u"two"_s);
    }

    void mutedConversationShowsNothing()
    {
        QVERIFY(start());
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        m_app->account()->setConversationFlags(m_direct, true, std::nullopt, std::nullopt);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->account()->store()->conversation(m_direct)->muted, Timeout);
        QVERIFY(bobSays(u"muted words"_s));
        TestClient *carol = m_server->newUser(u"carol"_s);
        QVERIFY(carol);
        const qint64 withCarol = carol->openDirect(aliceId());
        QVERIFY(withCarol > 0 && carol->sendText(withCarol, u"not muted"_s) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        QCOMPARE(m_notifications->shown.constFirst().body, u"not muted"_s);
        QCOMPARE(m_notifications->shown.constFirst().summary, u"Display carol"_s);
    }

    void newerMessageReplacesTheNotification()
    {
        QVERIFY(start());
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        QVERIFY(bobSays(u"first"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        const uint id = m_notifications->shown.constFirst().id;
        QVERIFY(bobSays(u"second"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 2, Timeout);
        QCOMPARE(m_notifications->shown.at(1).replacesId, id);
        QCOMPARE(m_notifications->shown.at(1).body, u"second"_s);

        // However many come, it stays one notification that shows the newest.
        QVERIFY(bobSays(u"third"_s) && bobSays(u"fourth"_s) && bobSays(u"fifth"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.constLast().body, u"fifth"_s, Timeout);
        for (const auto &shown : std::as_const(m_notifications->shown).sliced(1))
            QCOMPARE(shown.replacesId, id);

        // Another conversation has a notification of its own.
        TestClient *carol = m_server->newUser(u"carol"_s);
        QVERIFY(carol);
        const qint64 withCarol = carol->openDirect(aliceId());
        QVERIFY(withCarol > 0 && carol->sendText(withCarol, u"hello"_s) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.constLast().body, u"hello"_s, Timeout);
        QCOMPARE(m_notifications->shown.constLast().replacesId, 0u);
        QVERIFY(m_notifications->shown.constLast().id != id);

        // Dismissed by the user, the next message starts a new one.
        Q_EMIT m_notifications->NotificationClosed(id, 2);
        QVERIFY(roundTrip()); // the app has seen the signal
        QVERIFY(bobSays(u"after dismissal"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.constLast().body, u"after dismissal"_s,
                                  Timeout);
        QCOMPARE(m_notifications->shown.constLast().replacesId, 0u);
    }

    void readingClosesTheNotification()
    {
        QVERIFY(start());
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        QVERIFY(bobSays(u"read me"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        QVERIFY(m_notifications->closed.isEmpty());
        const qint64 seq = m_app->account()->store()->conversation(m_direct)->lastSeq;
        m_app->account()->setVisibleMessages(m_direct, {seq});
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->closed,
                                  QList<uint> {m_notifications->shown.constFirst().id}, Timeout);
    }

    void editReplacesAndDeleteClosesTheNotification()
    {
        QVERIFY(start());
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        QVERIFY(bobSays(u"at 5"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        const uint id = m_notifications->shown.constFirst().id;
        const qint64 seq = m_alice->store()->conversation(m_direct)->lastSeq;

        // Bob's edit shows the new text in place.
        m_bob->sendBody(m_direct, Protocol::Body::edit(seq, u"at 6"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 2, Timeout);
        QCOMPARE(m_notifications->shown.constLast().replacesId, id);
        QCOMPARE(m_notifications->shown.constLast().body, u"at 6"_s);
        QCOMPARE(m_notifications->shown.constLast().summary, u"Bob"_s);

        // Deleted for everyone: the notification goes.
        bool ok = false;
        m_bob->messageApi()
            .deleteForEveryone(m_direct, seq)
            .onFinished(m_bob.get(),
                        [&ok](const Reply &reply, const MessageChange &) { ok = reply.isOk(); });
        QTRY_VERIFY_WITH_TIMEOUT(ok, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->closed, QList<uint> {id}, Timeout);
        QCOMPARE(m_notifications->shown.size(), 2);
    }

    void clickSaysWhichMessage()
    {
        QVERIFY(start());
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        QQuickWindow window;
        notifier.setWindow(&window);
        QSignalSpy activated(&notifier, &DesktopNotifier::activated);
        QVERIFY(bobSays(u"click me"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        // Another application's notification with another id: not ours.
        m_notifications->click(m_notifications->shown.constFirst().id + 1000);
        m_notifications->click(m_notifications->shown.constFirst().id);
        QTRY_COMPARE_WITH_TIMEOUT(activated.size(), 1, Timeout);
        QCOMPARE(activated.constFirst().at(0).toLongLong(), m_direct);
        QCOMPARE(activated.constFirst().at(1).toLongLong(),
                 m_app->account()->store()->conversation(m_direct)->lastSeq);
        QVERIFY(window.isVisible()); // brought up
    }

    void clickOpensTheConversationInTheWindow()
    {
        m_notifications =
            std::make_unique<FakeNotificationServer>(QStringList {u"body"_s, u"actions"_s});
        QVERIFY(m_notifications->start());
        MainWindowFixture ui;
        QVERIFY(ui.signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        QQuickItem *page = ui.page();
        QCOMPARE(page->property("currentId").toLongLong(), 0);
        QVERIFY(setUpBob(ui.account()));
        QVERIFY(bobSays(u"open me"_s, ui.account()));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        QCOMPARE(m_notifications->shown.constFirst().body, u"open me"_s);

        ui.window()->hide(); // in the tray, say
        m_notifications->click(m_notifications->shown.constFirst().id);
        QTRY_COMPARE_WITH_TIMEOUT(page->property("currentId").toLongLong(), m_direct, Timeout);
        QVERIFY(ui.window()->isVisible());
    }

    void conversationOnScreenFollowsTheWindow()
    {
        QVERIFY(start());
        Account *alice = m_app->account();
        DesktopNotifier notifier(m_app->account(), m_app->app()->settings());
        QQuickWindow window;
        QQuickWindow other;
        notifier.setWindow(&window);
        notifier.setOpenConversationId(m_direct);
        QCOMPARE(alice->notifier()->conversationOnScreen(), 0); // not shown yet

        window.show();
        window.requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(alice->notifier()->conversationOnScreen(), m_direct);
        notifier.setOpenConversationId(0);
        QCOMPARE(alice->notifier()->conversationOnScreen(), 0);
        notifier.setOpenConversationId(m_direct);

        // On screen: the core has nothing to notify.
        QVERIFY(bobSays(u"seen"_s));

        // Another window in front: nobody is looking at the conversation.
        other.show();
        other.requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(&other));
        QCOMPARE(alice->notifier()->conversationOnScreen(), 0);
        QVERIFY(bobSays(u"unseen"_s));
        QTRY_COMPARE_WITH_TIMEOUT(m_notifications->shown.size(), 1, Timeout);
        QCOMPARE(m_notifications->shown.constFirst().body, u"unseen"_s);

        window.requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(alice->notifier()->conversationOnScreen(), m_direct);
        window.showMinimized();
        QTRY_COMPARE(alice->notifier()->conversationOnScreen(), 0);
        window.showNormal();
        window.requestActivate();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QCOMPARE(alice->notifier()->conversationOnScreen(), m_direct);
        window.hide();
        QCOMPARE(alice->notifier()->conversationOnScreen(), 0);
    }

    void trayCountsUnreadMessages()
    {
        QVERIFY(start());
        TrayIcon tray(m_app->account());
        QCOMPARE(tray.unreadCount(), 0);
        QCOMPARE(tray.toolTip(), u"Messenger"_s);
        const QImage none = tray.icon().pixmap(64).toImage();

        QSignalSpy changed(&tray, &TrayIcon::unreadCountChanged);
        QVERIFY(bobSays(u"one"_s) && bobSays(u"two"_s));
        TestClient *carol = m_server->newUser(u"carol"_s);
        QVERIFY(carol);
        const qint64 withCarol = carol->openDirect(aliceId());
        QVERIFY(withCarol > 0 && carol->sendText(withCarol, u"three"_s) > 0);
        QTRY_COMPARE_WITH_TIMEOUT(tray.unreadCount(), 3, Timeout);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(tray.toolTip(), u"Messenger: 3 unread messages"_s);
        QVERIFY(tray.icon().pixmap(64).toImage() != none); // the badge

        // Read in one conversation: its part goes.
        const qint64 seq = m_app->account()->store()->conversation(m_direct)->lastSeq;
        m_app->account()->setVisibleMessages(m_direct, {seq});
        QTRY_COMPARE_WITH_TIMEOUT(tray.unreadCount(), 1, Timeout);
        QCOMPARE(tray.toolTip(), u"Messenger: 1 unread message"_s);

        // Signed out: once the account is gone, nothing to count.
        m_app->app()->accountList()->signOut();
        QTRY_COMPARE(tray.unreadCount(), 0);
        QCOMPARE(tray.icon().pixmap(64).toImage(), none);
    }

    void withoutTrayClosingTheWindowCloses()
    {
        // The offscreen platform (ctest) has no tray: no icon, and closing does close.
        TrayIcon tray;
        if (tray.isAvailable())
            QSKIP("this platform has a tray");
        QQuickWindow window;
        tray.setWindow(&window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.close());
        QVERIFY(!window.isVisible());
        QVERIFY(QGuiApplication::quitOnLastWindowClosed());
    }

    void withTrayClosingTheWindowHidesIt()
    {
        // Needs a platform with a tray: under xcb the StatusNotifierWatcher of initTestCase()
        // makes Qt's D-Bus tray available. CTest runs this case on its own under Xvfb
        // (tst_app_tray_xcb, MESSENGER_TEST_EXPECT_TRAY=1), where a missing tray fails.
        TrayIcon tray;
        if (!tray.isAvailable()) {
            QVERIFY2(!qEnvironmentVariableIsSet("MESSENGER_TEST_EXPECT_TRAY"),
                     "no system tray, though the platform should have one");
            QSKIP("no system tray on this platform (offscreen): see tst_app_tray_xcb");
        }
        QVERIFY(!QGuiApplication::quitOnLastWindowClosed());
        QQuickWindow window;
        QSignalSpy closing(&window, &QQuickWindow::closing);
        tray.setWindow(&window);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(!window.close()); // refused: hidden instead
        QVERIFY(!window.isVisible());
        QCOMPARE(closing.size(), 0);
    }

    void badgeOnTheIcon()
    {
        // To look at: tray-3.png and tray-120.png in the artifacts folder.
        QString artifacts = qEnvironmentVariable("MESSENGER_TEST_ARTIFACTS");
        if (artifacts.isEmpty())
            artifacts = QStringLiteral(QT_TESTCASE_BUILDDIR "/artifacts");
        QVERIFY(QDir().mkpath(artifacts));
        for (int count : {3, 120})
            QVERIFY(
                TrayIcon::drawIcon(count, 64).save(u"%1/tray-%2.png"_s.arg(artifacts).arg(count)));
        const QColor badge(0xe5, 0x39, 0x35); // Material Red 600
        for (int size : {16, 22, 32, 64}) {
            const QPoint centre = TrayIcon::badgeCentre(size).toPoint();
            const QImage plain = TrayIcon::drawIcon(0, size).toImage();
            QVERIFY(plain.pixelColor(centre) != badge);
            for (int count : {1, 42, 100}) {
                const QImage badged = TrayIcon::drawIcon(count, size).toImage();
                const QColor at = badged.pixelColor(centre);
                // The centre is on the red badge (or its white number), whatever the size.
                QVERIFY2(at.red() > at.green() + 60 || at.lightness() > 200,
                         qPrintable(u"%1 px, %2: %3"_s.arg(size).arg(count).arg(at.name())));
                QVERIFY(badged != plain);
            }
        }
    }

private:
    //! The fake notification server, alice signed up through an AppController, bob and their
    //! direct conversation.
    bool start(const QStringList &capabilities = {u"body"_s, u"actions"_s})
    {
        m_notifications = std::make_unique<FakeNotificationServer>(capabilities);
        if (!m_notifications->start())
            return false;
        m_app = std::make_unique<SignedInApp>();
        return m_app->signUp(m_server->url(), u"alice"_s, u"Alice"_s) && setUpBob(m_app->account());
    }

    bool setUpBob(Account *alice)
    {
        m_alice = alice;
        m_bob = m_fixture->account(m_server->url(), u"bob"_s);
        if (!registerOnline(m_bob.get(), u"Bob"_s))
            return false;
        m_bob->openDirect(alice->store()->selfId());
        if (!QTest::qWaitFor([&] { return alice->store()->conversationIds().size() == 1; },
                             Timeout))
            return false;
        m_direct = alice->store()->conversationIds().constFirst();
        return true;
    }

    qint64 aliceId() const { return m_alice->store()->selfId(); }

    //! Bob sends; true once alice's store has the message (and the core has decided about it).
    bool bobSays(const QString &text, Account *alice = nullptr)
    {
        alice = alice ? alice : m_alice;
        const int before = awaited(alice->store()->messageCount(m_direct));
        m_bob->sendMessage(m_direct, text);
        return QTest::qWaitFor(
            [&] { return awaited(alice->store()->messageCount(m_direct)) > before; }, Timeout);
    }

    //! A call from the app's bus connection to the notification server, answered: what the server
    //! sent before the answer (signals) has reached the app, as the bus keeps their order.
    bool roundTrip()
    {
        const QDBusMessage call = QDBusMessage::createMethodCall(
            u"org.freedesktop.Notifications"_s, u"/org/freedesktop/Notifications"_s,
            u"org.freedesktop.Notifications"_s, u"GetServerInformation"_s);
        QDBusPendingCallWatcher watcher(QDBusConnection::sessionBus().asyncCall(call));
        QSignalSpy finished(&watcher, &QDBusPendingCallWatcher::finished);
        return finished.wait(Timeout) && !watcher.isError();
    }

    QThread m_watcherThread;
    FakeStatusNotifierWatcher *m_watcher = nullptr;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientFixture> m_fixture;
    std::unique_ptr<FakeNotificationServer> m_notifications;
    std::unique_ptr<SignedInApp> m_app;
    std::unique_ptr<Account> m_bob;
    Account *m_alice = nullptr;
    qint64 m_direct = 0;
};

QTEST_MAIN(TestAppNotifications)
#include "tst_app_notifications.moc"
