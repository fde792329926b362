// The settings screen's sections (ProfileSettings, PasswordSettings, DeviceSettings,
// PrivacySettings, NotificationSettings), driven as the Settings*.qml pages drive them, against
// the real server: what another user sees after a change is the test, not the request. The last
// cases load the real window (Main.qml) and open the dialog with the gear and Ctrl+, .
#include "AppTestSupport.h"
#include "ClientTestSupport.h"
#include "DeviceListModel.h"
#include "DeviceSettings.h"
#include "E2eSupport.h"
#include "MainWindowFixture.h"
#include "NotificationSettings.h"
#include "PasswordSettings.h"
#include "PrivacySettings.h"
#include "ProfileSettings.h"

#include "TestClient.h"
#include "TestServer.h"
#include "account/Account.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QAbstractItemModelTester>
#include <QCborArray>
#include <QDir>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace App;
using E2e::findObject;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;
// What SignedInApp registers with, and TestClient's default (not read from there: another
// file's static may not be initialised yet when this one is).
const QString Password = u"correct horse battery"_s;

//! The member `userId` of a conversation.get response.
QCborMap memberOf(const Protocol::Frame &frame, qint64 userId)
{
    for (const QCborValue &member : frame.body.value("members"_L1).toArray()) {
        if (member.toMap().value("id"_L1).toInteger() == userId)
            return member.toMap();
    }
    return {};
}

//! The user `userId` as users.get shows it to `viewer`.
QCborMap userAs(TestClient *viewer, qint64 userId)
{
    const Protocol::Frame frame =
        viewer->request(Protocol::Request::GetUsers, {{"userIds"_L1, QCborArray {userId}}});
    return frame.body.value("users"_L1).toArray().first().toMap();
}

void click(QQuickWindow *window, QQuickItem *item)
{
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
}
} // namespace

class TestAppSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    }

    void cleanup() { m_server.reset(); }

    void displayNameReachesContacts()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        ProfileSettings settings(app.account());
        QTRY_VERIFY_WITH_TIMEOUT(settings.isOnline(), Timeout);
        QCOMPARE(settings.username(), u"alice"_s);
        QCOMPARE(settings.displayName(), u"Alice"_s);
        QCOMPARE(settings.initials(), u"A"_s);
        const qint64 aliceId = app.account()->store()->selfId();

        TestClient *bob = m_server->newUser(u"bob"_s);
        QVERIFY(bob);
        QVERIFY(bob->openDirect(aliceId) > 0); // contacts now: bob hears of her name changes

        // Names the server would refuse never leave.
        QVERIFY(!settings.saveDisplayName(u"   "_s));
        QVERIFY(!settings.profileError().isEmpty());
        QVERIFY(
            !settings.saveDisplayName(QString(Protocol::Limits::MaxDisplayNameLength + 1, u'a')));
        QVERIFY2(settings.profileError().contains(u"long"_s), qPrintable(settings.profileError()));

        QSignalSpy saved(&settings, &ProfileSettings::displayNameSaved);
        QVERIFY(settings.saveDisplayName(u"  Alice Liddell  "_s));
        QVERIFY(settings.isSavingProfile());
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Timeout);
        QVERIFY(!settings.isSavingProfile());
        QVERIFY(settings.profileError().isEmpty());
        QCOMPARE(settings.displayName(), u"Alice Liddell"_s);
        QCOMPARE(settings.initials(), u"AL"_s);
        QCOMPARE(app.account()->store()->profile().user.displayName, u"Alice Liddell"_s);

        const auto event = bob->waitEvent(Protocol::Event::User);
        QVERIFY(event);
        QCOMPARE(event->body.value("user"_L1).toMap().value("displayName"_L1).toString(),
                 u"Alice Liddell"_s);
        QCOMPARE(userAs(bob, aliceId).value("displayName"_L1).toString(), u"Alice Liddell"_s);

        // Renamed on her other device: this screen follows.
        TestClient *phone = m_server->newClient();
        QVERIFY(phone && phone->login(u"alice"_s, Password, u"Phone"_s));
        VERIFY_OK(
            phone->request(Protocol::Request::UpdateProfile, {{"displayName"_L1, u"Alice L."_s}}));
        QTRY_COMPARE_WITH_TIMEOUT(settings.displayName(), u"Alice L."_s, Timeout);
    }

    void passwordIsCheckedBeforeItGoesOut()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        PasswordSettings settings(app.account());
        QTRY_VERIFY_WITH_TIMEOUT(settings.isOnline(), Timeout);

        QVERIFY(!settings.changePassword({}, u"long enough 1"_s, u"long enough 1"_s));
        QCOMPARE(settings.passwordErrorField(), u"current"_s);

        QVERIFY(!settings.changePassword(Password, u"short"_s, u"short"_s));
        QCOMPARE(settings.passwordErrorField(), u"new"_s);
        QVERIFY2(settings.passwordError().contains(u"short"_s)
                     && settings.passwordError().contains(u"8"_s),
                 qPrintable(settings.passwordError()));

        QVERIFY(!settings.changePassword(Password, u"long enough 1"_s, u"long enough 2"_s));
        QCOMPARE(settings.passwordErrorField(), u"repeat"_s);
        QVERIFY2(settings.passwordError().contains(u"match"_s),
                 qPrintable(settings.passwordError()));

        QVERIFY(!settings.changePassword(Password, Password, Password));
        QCOMPARE(settings.passwordErrorField(), u"new"_s);
        QVERIFY(!settings.isChangingPassword());

        settings.clearError();
        QVERIFY(settings.passwordError().isEmpty());
        QVERIFY(settings.passwordErrorField().isEmpty());
    }

    void wrongCurrentPasswordIsSaid()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        PasswordSettings settings(app.account());
        QTRY_VERIFY_WITH_TIMEOUT(settings.isOnline(), Timeout);

        QSignalSpy updated(&settings, &PasswordSettings::passwordUpdated);
        QVERIFY(settings.changePassword(u"not her password"_s, u"staple battery horse"_s,
                                        u"staple battery horse"_s));
        QVERIFY(settings.isChangingPassword());
        QTRY_VERIFY_WITH_TIMEOUT(!settings.isChangingPassword(), Timeout);
        QCOMPARE(updated.size(), 0);
        QCOMPARE(settings.passwordErrorField(), u"current"_s);
        QVERIFY2(settings.passwordError().contains(u"current password is wrong"_s),
                 qPrintable(settings.passwordError()));

        // Nothing changed on the server.
        TestClient *laptop = m_server->newClient();
        QVERIFY(laptop && laptop->login(u"alice"_s, Password));
    }

    void changedPasswordSignsInAndTheOldOneNoLonger()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        PasswordSettings settings(app.account());
        QTRY_VERIFY_WITH_TIMEOUT(settings.isOnline(), Timeout);

        QSignalSpy updated(&settings, &PasswordSettings::passwordUpdated);
        const QString newPassword = u"staple battery horse"_s;
        QVERIFY(settings.changePassword(Password, newPassword, newPassword));
        QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 1, Timeout);
        QVERIFY(settings.passwordError().isEmpty());

        TestClient *withNew = m_server->newClient();
        QVERIFY(withNew && withNew->login(u"alice"_s, newPassword));
        TestClient *withOld = m_server->newClient();
        QVERIFY(withOld);
        COMPARE_ERROR(withOld->request(Protocol::Request::Login,
                                       {{"username"_L1, u"alice"_s},
                                        {"password"_L1, Password},
                                        {"protocol"_L1, Protocol::Version}}),
                      Protocol::ErrorCode::InvalidCredentials);
        QVERIFY(settings.isOnline()); // this device stays signed in
    }

    void devicesListAndRevoke()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        DeviceSettings settings(app.account());
        new QAbstractItemModelTester(
            settings.devices(), QAbstractItemModelTester::FailureReportingMode::QtTest, &settings);
        DeviceListModel *devices = settings.deviceModel();
        QTRY_VERIFY_WITH_TIMEOUT(settings.isOnline(), Timeout);

        settings.refreshDevices();
        QVERIFY(settings.isLoadingDevices());
        QTRY_COMPARE_WITH_TIMEOUT(devices->rowCount(), 1, Timeout);
        QVERIFY(devices->index(0).data(DeviceListModel::CurrentRole).toBool());

        TestClient *phone = m_server->newClient();
        QVERIFY(phone && phone->login(u"alice"_s, Password, u"Phone"_s));
        settings.refreshDevices();
        QTRY_COMPARE_WITH_TIMEOUT(devices->rowCount(), 2, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!settings.isLoadingDevices(), Timeout);
        // This device first, then the phone, online.
        QCOMPARE(devices->index(0).data(DeviceListModel::DeviceIdRole).toLongLong(),
                 app.account()->connection()->deviceId());
        const QModelIndex second = devices->index(1);
        QCOMPARE(second.data(DeviceListModel::NameRole).toString(), u"Phone"_s);
        QCOMPARE(second.data(DeviceListModel::DeviceIdRole).toLongLong(), phone->deviceId());
        QVERIFY(!second.data(DeviceListModel::CurrentRole).toBool());
        QVERIFY(second.data(DeviceListModel::OnlineRole).toBool());
        QVERIFY(second.data(DeviceListModel::LastActiveRole).toDateTime().isValid());

        // This device is signed out with "Sign out", not from the list.
        QVERIFY(!settings.revokeDevice(app.account()->connection()->deviceId()));
        QVERIFY(!settings.revokeDevice(987654));

        QSignalSpy revoked(&settings, &DeviceSettings::deviceRevoked);
        QVERIFY(settings.revokeDevice(phone->deviceId()));
        QTRY_COMPARE_WITH_TIMEOUT(revoked.size(), 1, Timeout);
        QCOMPARE(revoked.constFirst().constFirst().toLongLong(), phone->deviceId());
        QCOMPARE(devices->rowCount(), 1);
        QVERIFY(settings.devicesError().isEmpty());

        QVERIFY(phone->waitEvent(Protocol::Event::SignedOut));
        QVERIFY(phone->waitDisconnected());
        TestClient *again = m_server->newClient();
        QVERIFY(again);
        COMPARE_ERROR(
            again->request(Protocol::Request::Resume,
                           {{"token"_L1, phone->token()}, {"protocol"_L1, Protocol::Version}}),
            Protocol::ErrorCode::InvalidToken);

        settings.refreshDevices();
        QTRY_VERIFY_WITH_TIMEOUT(!settings.isLoadingDevices(), Timeout);
        QCOMPARE(devices->rowCount(), 1);
        QVERIFY(settings.isOnline());
    }

    void hiddenLastSeenIsHidden()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        Account *alice = app.account();
        PrivacySettings settings(alice);
        QTRY_VERIFY_WITH_TIMEOUT(settings.isOnline(), Timeout);
        const qint64 aliceId = alice->store()->selfId();
        TestClient *bob = m_server->newUser(u"bob"_s);
        QVERIFY(bob && bob->openDirect(aliceId) > 0);
        const auto offline = [aliceId](const Protocol::Frame &frame) {
            return frame.body.value("userId"_L1).toInteger() == aliceId
                && frame.body.value("presence"_L1).toString() == u"offline"_s;
        };

        QVERIFY(!settings.hideLastSeen());
        settings.setHideLastSeen(true);
        QVERIFY(settings.hideLastSeen()); // shown at once, before the answer
        QTRY_VERIFY_WITH_TIMEOUT(!settings.isSaving(), Timeout);
        QVERIFY(settings.hideLastSeen());
        QVERIFY(settings.privacyError().isEmpty());
        QVERIFY(alice->store()->profile().hideLastSeen);

        alice->disconnectFromServer();
        auto event = bob->waitEvent(Protocol::Event::Presence, offline);
        QVERIFY(event);
        QVERIFY(!event->body.contains("lastSeen"_L1));
        QVERIFY(!userAs(bob, aliceId).contains("lastSeen"_L1));

        // And back: bob sees her last seen again.
        alice->connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(settings.isOnline(), Timeout);
        settings.setHideLastSeen(false);
        QTRY_VERIFY_WITH_TIMEOUT(!settings.isSaving(), Timeout);
        QVERIFY(!settings.hideLastSeen());
        alice->disconnectFromServer();
        event = bob->waitEvent(Protocol::Event::Presence, offline);
        QVERIFY(event);
        QVERIFY(event->body.value("lastSeen"_L1).toInteger() > 0);
        QVERIFY(userAs(bob, aliceId).value("lastSeen"_L1).toInteger() > 0);

        // Offline, a switch cannot reach the server: it goes back and says why.
        settings.setHideLastSeen(true);
        QTRY_VERIFY_WITH_TIMEOUT(!settings.isSaving(), Timeout);
        QVERIFY(!settings.hideLastSeen());
        QVERIFY2(settings.privacyError().contains(u"offline"_s),
                 qPrintable(settings.privacyError()));
    }

    void readReceiptsStopReachingOthers()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        Account *alice = app.account();
        PrivacySettings settings(alice);
        QTRY_VERIFY_WITH_TIMEOUT(settings.isOnline(), Timeout);
        const qint64 aliceId = alice->store()->selfId();
        TestClient *bob = m_server->newUser(u"bob"_s);
        QVERIFY(bob);
        const qint64 conversationId = bob->openDirect(aliceId);
        QVERIFY(conversationId > 0);
        const qint64 seq = bob->sendText(conversationId, u"did you read this?"_s);
        QVERIFY(seq > 0);

        // With receipts on (the default), her reading reaches bob.
        QVERIFY(settings.sendReadReceipts());
        QTRY_COMPARE_WITH_TIMEOUT(awaited(alice->store()->messageCount(conversationId)), 1,
                                  Timeout);
        alice->setVisibleMessages(conversationId, {seq});
        QVERIFY(
            bob->waitEvent(Protocol::Event::Receipt, [aliceId, seq](const Protocol::Frame &frame) {
                return frame.body.value("userId"_L1).toInteger() == aliceId
                    && frame.body.value("readSeq"_L1).toInteger() == seq;
            }));
        const auto aliceAsBobSeesHer = [&] {
            const Protocol::Frame frame = bob->request(Protocol::Request::GetConversation,
                                                       {{"conversationId"_L1, conversationId}});
            return memberOf(frame, aliceId);
        };
        QCOMPARE(aliceAsBobSeesHer().value("readSeq"_L1).toInteger(), seq);

        settings.setSendReadReceipts(false);
        QVERIFY(!settings.sendReadReceipts());
        QTRY_VERIFY_WITH_TIMEOUT(!settings.isSaving(), Timeout);
        QVERIFY(!settings.sendReadReceipts());
        QVERIFY(!alice->store()->profile().sendReadReceipts);
        const QCborMap hidden = aliceAsBobSeesHer();
        QVERIFY(!hidden.isEmpty());
        QVERIFY(!hidden.contains("readSeq"_L1));

        settings.setSendReadReceipts(true);
        QTRY_VERIFY_WITH_TIMEOUT(!settings.isSaving(), Timeout);
        QCOMPARE(aliceAsBobSeesHer().value("readSeq"_L1).toInteger(), seq);
    }

    void notificationSettingsAreKeptInAppIni()
    {
        SignedInApp app;
        QVERIFY(app.signUp(m_server->url(), u"alice"_s));
        NotificationSettings settings(app.app()->settings());
        QVERIFY(settings.notificationsEnabled()); // on until the user says otherwise
        QVERIFY(settings.notificationPreview());

        QSignalSpy changed(&settings, &NotificationSettings::notificationsChanged);
        settings.setNotificationPreview(false);
        settings.setNotificationsEnabled(false);
        QCOMPARE(changed.size(), 2);
        settings.setNotificationsEnabled(false); // no change, no signal
        QCOMPARE(changed.size(), 2);
        QVERIFY(!settings.notificationsEnabled());
        QVERIFY(!settings.notificationPreview());

        // The exact keys the desktop notifier reads, in app.ini on disk.
        QSettings *appSettings = app.app()->settings();
        QCOMPARE(appSettings->fileName(), QDir(app.dataDir()).filePath(u"app.ini"_s));
        QFile file(appSettings->fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString ini = QString::fromUtf8(file.readAll());
        QVERIFY2(ini.contains(u"[notifications]\nenabled=false\npreview=false"_s), qPrintable(ini));
        QCOMPARE(appSettings->value(u"notifications/enabled"_s).toBool(), false);
        QCOMPARE(appSettings->value(u"notifications/preview"_s).toBool(), false);

        // Another screen, later, reads them back.
        NotificationSettings later(app.app()->settings());
        QVERIFY(!later.notificationsEnabled());
        QVERIFY(!later.notificationPreview());
        later.setNotificationsEnabled(true);
        QCOMPARE(appSettings->value(u"notifications/enabled"_s).toBool(), true);
    }

    void followsTheAccountOnScreen()
    {
        // The sections' controllers, made by QML and given App.account, through switches.
        MainWindowFixture fixture;
        QVERIFY(fixture.signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        AppController *app = fixture.app();
        Account *alice = app->account();
        // A second account: the first-run pages, then a new main page (and dialog) for bob.
        app->accountList()->addAccount();
        app->onboarding()->useServer(m_server->url().toString());
        app->onboarding()->registerUser(u"bob"_s, u"Bob"_s, Password, {});
        QTRY_COMPARE_WITH_TIMEOUT(app->username(), u"bob"_s, Timeout);

        QObject *dialog = nullptr;
        QTRY_VERIFY((dialog = fixture.find(u"settingsDialog"_s)));
        QVERIFY(QMetaObject::invokeMethod(dialog, "open"));
        ProfileSettings *settings = nullptr;
        QTRY_VERIFY((settings = qobject_cast<ProfileSettings *>(
                         findObject(fixture.window()->contentItem(), u"profileSettings"_s))));
        auto *notifications = qobject_cast<NotificationSettings *>(
            findObject(fixture.window()->contentItem(), u"notificationSettings"_s));
        QVERIFY(notifications);
        QCOMPARE(notifications->settings(), app->settings());
        QCOMPARE(settings->account(), app->account());
        QCOMPARE(settings->username(), u"bob"_s);
        QTRY_COMPARE_WITH_TIMEOUT(settings->displayName(), u"Bob"_s, Timeout);

        QSignalSpy accountChanged(settings, &ProfileSettings::accountChanged);
        app->accountList()->switchAccount(alice->key());
        QCOMPARE(accountChanged.size(), 1);
        QCOMPARE(settings->username(), u"alice"_s);
        QCOMPARE(settings->displayName(), u"Alice"_s);

        app->accountList()->signOut(); // alice goes; bob is on screen
        QCOMPARE(settings->username(), u"bob"_s);
        QCOMPARE(settings->displayName(), u"Bob"_s);
        const QPointer<ProfileSettings> guard(settings);
        // Nobody: the first-run pages, and the dialog goes with the main page.
        app->accountList()->signOut();
        QVERIFY(!guard || !guard->hasAccount());
        QTRY_VERIFY(!findObject(fixture.window()->contentItem(), u"settingsDialog"_s));
    }

    void dialogOpensFromTheMainWindow_data()
    {
        QTest::addColumn<QString>("theme");
        QTest::newRow("light") << u"light"_s;
        QTest::newRow("dark") << u"dark"_s;
    }

    //! The real window: the gear and Ctrl+, open the settings, Esc closes them; every section
    //! shows, and a few things are done through it with clicks.
    void dialogOpensFromTheMainWindow()
    {
        QFETCH(QString, theme);
        // Any warning about the settings' QML (a broken binding, a missing property) fails.
        QTest::failOnWarning(QRegularExpression(u"Settings\\w*\\.qml"_s));
        MainWindowFixture fixture;
        QVERIFY(fixture.signUp(m_server->url(), u"alice"_s, u"Alice Liddell"_s, theme));
        QQuickWindow *window = fixture.window();
        AppController *app = fixture.app();
        TestClient *phone = m_server->newClient();
        QVERIFY(phone && phone->login(u"alice"_s, Password, u"Phone"_s));
        TestClient *bob = m_server->newUser(u"bob"_s);
        QVERIFY(bob && bob->openDirect(app->account()->store()->selfId()) > 0);
        window->requestActivate(); // shortcuts need the active window
        QVERIFY(QTest::qWaitForWindowActive(window));

        QObject *dialog = nullptr;
        QTRY_VERIFY((dialog = findObject(window->contentItem(), u"settingsDialog"_s)));
        auto *gear =
            qobject_cast<QQuickItem *>(findObject(window->contentItem(), u"settingsButton"_s));
        QVERIFY(gear);
        click(window, gear);
        QTRY_VERIFY(dialog->property("opened").toBool());

        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY(!dialog->property("visible").toBool());
        QTest::keyClick(window, Qt::Key_Comma, Qt::ControlModifier);
        QTRY_VERIFY(dialog->property("opened").toBool());

        const auto controller = [window](const QString &name) {
            return findObject(window->contentItem(), name);
        };
        auto *profile = qobject_cast<ProfileSettings *>(controller(u"profileSettings"_s));
        auto *devices = qobject_cast<DeviceSettings *>(controller(u"deviceSettings"_s));
        auto *notificationSettings =
            qobject_cast<NotificationSettings *>(controller(u"notificationSettings"_s));
        QVERIFY(profile && devices && notificationSettings);
        QTRY_COMPARE_WITH_TIMEOUT(profile->displayName(), u"Alice Liddell"_s, Timeout);
        auto *profileName = findObject(window->contentItem(), u"profileName"_s);
        QVERIFY(profileName);
        QCOMPARE(profileName->property("text").toString(), u"Alice Liddell"_s);

        const QStringList sections = dialog->property("sections").toStringList();
        QCOMPARE(sections.size(), 8);
        // Pictures of every section, in the artifacts folder (see MainWindowFixture).
        const auto shoot = [&](const QString &name) {
            return fixture.screenshot(u"settings-%1-%2"_s.arg(name, theme));
        };
        const auto item = [window](const QString &name, QObject *under = nullptr) {
            return qobject_cast<QQuickItem *>(
                findObject(under ? under : window->contentItem(), name));
        };
        const auto show = [dialog, &sections](const QString &section) {
            dialog->setProperty("currentIndex", int(sections.indexOf(section)));
        };
        for (const QString &section : sections) {
            show(section);
            if (section == u"devices"_s)
                QTRY_COMPARE_WITH_TIMEOUT(devices->deviceModel()->rowCount(), 2, Timeout);
            QVERIFY(shoot(section));
        }

        // The name is saved from the profile section.
        show(u"profile"_s);
        item(u"displayNameField"_s)->setProperty("text", u"Alice L."_s);
        click(window, item(u"saveDisplayNameButton"_s));
        QTRY_COMPARE_WITH_TIMEOUT(profile->displayName(), u"Alice L."_s, Timeout);
        QTRY_VERIFY(item(u"displayNameSaved"_s)->isVisible());
        QCOMPARE(profileName->property("text").toString(), u"Alice L."_s);

        // A mistake in the password form is said under it.
        show(u"password"_s);
        item(u"currentPasswordField"_s)->setProperty("text", Password);
        item(u"newPasswordField"_s)->setProperty("text", u"long enough 1"_s);
        item(u"repeatPasswordField"_s)->setProperty("text", u"long enough 2"_s);
        click(window, item(u"changePasswordButton"_s));
        QTRY_VERIFY(item(u"passwordError"_s)->property("text").toString().contains(u"match"_s));
        QVERIFY(shoot(u"password-error"_s));

        // Signing the phone out asks first.
        show(u"devices"_s);
        QQuickItem *phoneRow = item(u"device1"_s);
        QVERIFY(phoneRow);
        click(window, item(u"revokeButton"_s, phoneRow));
        QObject *confirm = findObject(window->contentItem(), u"confirmRevoke"_s);
        QVERIFY(confirm);
        QTRY_VERIFY(confirm->property("opened").toBool());
        QVERIFY(shoot(u"devices-confirm"_s));
        click(window, item(u"confirmRevokeButton"_s));
        QTRY_COMPARE_WITH_TIMEOUT(devices->deviceModel()->rowCount(), 1, Timeout);
        QVERIFY(phone->waitEvent(Protocol::Event::SignedOut));
        QTRY_VERIFY(!confirm->property("visible").toBool());

        // The theme choice is App.theme.
        show(u"appearance"_s);
        const QString other = theme == u"dark"_s ? u"light"_s : u"dark"_s;
        QQuickItem *choice = item(u"theme"_s + other.at(0).toUpper() + other.mid(1));
        QVERIFY(choice);
        QTRY_VERIFY(choice->isVisible());
        click(window, choice);
        QTRY_COMPARE(app->appearance()->theme(), other);
        QVERIFY(choice->property("checked").toBool());
        app->appearance()->setTheme(theme); // from elsewhere: the choices follow
        QTRY_VERIFY(!choice->property("checked").toBool());

        // A switch asks the controller and shows what it says.
        show(u"notifications"_s);
        QQuickItem *notifications = item(u"notificationsSwitch"_s);
        QTRY_VERIFY(notifications->isVisible());
        QVERIFY(notifications->property("checked").toBool());
        click(window, notifications);
        QTRY_VERIFY(!notificationSettings->notificationsEnabled());
        QVERIFY(!notifications->property("checked").toBool());
        QVERIFY(!item(u"previewSwitch"_s)->isEnabled());
        notificationSettings->setNotificationsEnabled(true);
        QVERIFY(notifications->property("checked").toBool());

        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY(!dialog->property("visible").toBool());
    }

private:
    std::unique_ptr<TestServer> m_server;
};

QTEST_MAIN(TestAppSettings)
#include "tst_app_settings.moc"
