// Profile and group photos in the real window (issue 13): two apps side by side in this process,
// alice's and bob's, each its own Main.qml and App singleton on its own data folder, against the
// real server on loopback. Alice sets her photo in Settings → Profile (through the FileDialog: Qt
// Quick Dialogs' own, under Xvfb; a click on the file, then Open), and bob's chat list and
// conversation header show it; a group photo set from the group info reaches bob's list and
// timeline; removing the photo brings the initials back. Screenshots avatars-chatlist.png (bob's
// window), avatars-profile.png and avatars-group.png (alice's) in the artifacts folder.
#include "E2eSupport.h"
#include "MainWindowFixture.h"

#include "AppController.h"
#include "GroupController.h"
#include "ProfileSettings.h"

#include "ClientTestSupport.h"
#include "TestServer.h"
#include "account/Account.h"
#include "store/LocalStore.h"

#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace App;
using namespace E2e;

using namespace Qt::StringLiterals;

namespace {

//! Alice's photo: a sunset, wider than high (the centre square is kept), the sun in the middle.
QImage sunset()
{
    QImage image(900, 600, QImage::Format_RGB32);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    QLinearGradient sky(0, 0, 0, 600);
    sky.setColorAt(0, QColor(u"#1a237e"_s));
    sky.setColorAt(0.6, QColor(u"#ff7043"_s));
    painter.fillRect(image.rect(), sky);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(u"#ffca28"_s));
    painter.drawEllipse(QPointF(450, 300), 150, 150);
    painter.setBrush(QColor(u"#2e7d32"_s));
    painter.drawEllipse(QPointF(450, 900), 700, 420);
    return image;
}

//! The group's photo: a teal square with a white ring.
QImage ring()
{
    QImage image(600, 600, QImage::Format_RGB32);
    image.fill(QColor(u"#00897b"_s));
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::white, 60));
    painter.drawEllipse(QPointF(300, 300), 170, 170);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(u"#ffeb3b"_s));
    painter.drawEllipse(QPointF(300, 300), 90, 90);
    return image;
}

bool near(QColor a, QColor b, int tolerance = 48)
{
    return std::abs(a.red() - b.red()) <= tolerance && std::abs(a.green() - b.green()) <= tolerance
        && std::abs(a.blue() - b.blue()) <= tolerance;
}

//! The colour the window shows in `item` at (x, y), fractions of its size.
QColor colourAt(QQuickWindow *window, QQuickItem *item, qreal x, qreal y)
{
    const QImage shown = window->grabWindow();
    const QPointF at = item->mapToScene(QPointF(item->width() * x, item->height() * y));
    const qreal ratio = shown.width() / qreal(window->width());
    return shown.pixelColor((at * ratio).toPoint());
}

//! At the centre: the sun or the ring's middle of a picture, the initials' letters otherwise.
QColor centreColour(QQuickWindow *window, QQuickItem *item)
{
    return colourAt(window, item, 0.5, 0.5);
}

//! Above the letters, inside the circle: the initials' colour when they show.
QColor upperColour(QQuickWindow *window, QQuickItem *item)
{
    return colourAt(window, item, 0.5, 0.15);
}

//! The Avatar of the chat list row of `conversationId`.
QQuickItem *rowAvatar(QQuickWindow *window, qint64 conversationId)
{
    QQuickItem *row = findInWindow(window, [&](QQuickItem *item) {
        return item->isVisible() && item->property("avatarBlob").isValid()
            && item->property("lastMessage").isValid()
            && item->property("conversationId").toLongLong() == conversationId;
    });
    return row ? findItem(
               row, [](QQuickItem *item) { return item->objectName() == u"conversationAvatar"_s; })
               : nullptr;
}

//! The visible button (any AbstractButton, the file list's rows too) under `root` reading `text`.
QQuickItem *buttonIn(QQuickItem *root, const QString &text)
{
    return findItem(root, [&](QQuickItem *item) {
        return item->isVisible() && item->inherits("QQuickAbstractButton")
            && item->property("text").toString() == text;
    });
}

//! Opens the file dialog with `button` and picks `file` in it as a hand does: Qt Quick Dialogs'
//! own FileDialog (no platform dialog under Xvfb), opened on the file's folder; a click on the
//! file's row, then Open.
void choosePhoto(QQuickWindow *window, QQuickItem *button, QObject *dialog, const QString &file)
{
    QVERIFY(dialog);
    const QFileInfo info(file);
    QVERIFY(dialog->setProperty("currentFolder", QUrl::fromLocalFile(info.absolutePath())));
    click(window, button);
    QTRY_VERIFY(dialog->property("visible").toBool());
    QQuickItem *row = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        (row = findItem(window->contentItem(),
                        [&](QQuickItem *item) {
                            return item->isVisible()
                                && item->objectName().startsWith(u"fileDialogDelegate"_s)
                                && item->property("file").toUrl() == QUrl::fromLocalFile(file);
                        })),
        Timeout);
    click(window, row);
    QTRY_COMPARE(dialog->property("selectedFile").toUrl(), QUrl::fromLocalFile(file));
    QQuickItem *open = buttonIn(window->contentItem(), u"Open"_s);
    QVERIFY(open);
    click(window, open);
    QTRY_VERIFY(!dialog->property("visible").toBool());
}

} // namespace

class TestAppAvatars : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        QVERIFY(m_files.isValid());
    }
    void cleanup() { m_server.reset(); }

    void profileAndGroupPhotosReachTheOtherSide();

private:
    std::unique_ptr<TestServer> m_server;
    QTemporaryDir m_files;
};

void TestAppAvatars::profileAndGroupPhotosReachTheOtherSide()
{
    const QString sunsetFile = m_files.filePath(u"sunset.jpg"_s);
    const QString ringFile = m_files.filePath(u"ring.png"_s);
    const QString notAPicture = m_files.filePath(u"notes.png"_s);
    QVERIFY(sunset().save(sunsetFile, "JPEG", 92));
    QVERIFY(ring().save(ringFile, "PNG"));
    {
        QFile text(notAPicture);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("shopping: bread, milk");
    }

    MainWindowFixture alice;
    QVERIFY(alice.signUp(m_server->url(), u"alice"_s, u"Alice Liddell"_s));
    MainWindowFixture bob;
    QVERIFY(bob.signUp(m_server->url(), u"bob"_s, u"Bob Builder"_s));
    QQuickWindow *aliceWindow = alice.window();
    QQuickWindow *bobWindow = bob.window();
    aliceWindow->resize(1100, 720);
    bobWindow->resize(1100, 720);
    const qint64 aliceId = alice.account()->store()->selfId();
    const qint64 bobId = bob.account()->store()->selfId();

    // A direct chat, so that each sees the other's picture (the server's visibility rule).
    bob.account()->openDirect(aliceId);
    QTRY_VERIFY_WITH_TIMEOUT(!bob.account()->store()->conversationIds().isEmpty(), Timeout);
    const qint64 direct = bob.account()->store()->conversationIds().constFirst();
    QTRY_VERIFY_WITH_TIMEOUT(alice.account()->store()->conversationIds().contains(direct), Timeout);
    QQuickItem *bobsRow = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((bobsRow = rowAvatar(bobWindow, direct)), Timeout);
    QVERIFY(!bobsRow->property("showsPicture").toBool());
    const QColor initialsColour = bobsRow->property("color").value<QColor>();
    QTRY_VERIFY(near(upperColour(bobWindow, bobsRow), initialsColour, 8));

    // Alice: Settings → Profile.
    aliceWindow->requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(aliceWindow));
    QObject *dialog = nullptr;
    QTRY_VERIFY((dialog = findObject(aliceWindow, u"settingsDialog"_s)));
    click(aliceWindow, qobject_cast<QQuickItem *>(findObject(aliceWindow, u"settingsButton"_s)));
    QTRY_VERIFY(dialog->property("opened").toBool());
    auto *profile = qobject_cast<ProfileSettings *>(findObject(aliceWindow, u"profileSettings"_s));
    QVERIFY(profile);
    QTRY_VERIFY_WITH_TIMEOUT(profile->isOnline(), Timeout);
    auto *changeButton =
        qobject_cast<QQuickItem *>(findObject(aliceWindow, u"changePhotoButton"_s));
    auto *removeButton =
        qobject_cast<QQuickItem *>(findObject(aliceWindow, u"removePhotoButton"_s));
    auto *profileAvatar = qobject_cast<QQuickItem *>(findObject(aliceWindow, u"profileAvatar"_s));
    QObject *photoDialog = findObject(aliceWindow, u"photoDialog"_s);
    QVERIFY(changeButton && removeButton && profileAvatar && photoDialog);
    QVERIFY(!profile->hasPhoto());
    QVERIFY(!removeButton->isVisible());

    // A file that is no picture: said under the buttons, nothing sent.
    choosePhoto(aliceWindow, changeButton, photoDialog, notAPicture);
    QTRY_VERIFY_WITH_TIMEOUT(!profile->photoError().isEmpty(), Timeout);
    QVERIFY(!profile->isSavingPhoto());
    QVERIFY(qobject_cast<QQuickItem *>(findObject(aliceWindow, u"photoError"_s))->isVisible());
    QVERIFY(!profile->hasPhoto());

    // The sunset: busy while it is prepared and uploaded, then shown round.
    QSignalSpy saved(profile, &ProfileSettings::photoSaved);
    choosePhoto(aliceWindow, changeButton, photoDialog, sunsetFile);
    QVERIFY(profile->isSavingPhoto());
    QVERIFY(qobject_cast<QQuickItem *>(findObject(aliceWindow, u"photoProgress"_s))->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Timeout);
    QVERIFY2(profile->photoError().isEmpty(), qPrintable(profile->photoError()));
    QVERIFY(!profile->isSavingPhoto());
    QVERIFY(profile->hasPhoto());
    QTRY_VERIFY_WITH_TIMEOUT(!profile->avatarBlob().isEmpty(), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(profileAvatar->property("showsPicture").toBool(), Timeout);
    QTRY_VERIFY(removeButton->isVisible());
    QTRY_VERIFY(near(centreColour(aliceWindow, profileAvatar), QColor(u"#ffca28"_s)));
    QVERIFY(alice.screenshot(u"avatars-profile"_s));

    // Bob's chat list and, once he opens the chat, its header: the sun, not the initials.
    QTRY_VERIFY_WITH_TIMEOUT(bobsRow->property("showsPicture").toBool(), Timeout);
    QTRY_VERIFY(near(centreColour(bobWindow, bobsRow), QColor(u"#ffca28"_s)));
    QVERIFY(!near(upperColour(bobWindow, bobsRow), initialsColour, 8));
    bobWindow->requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(bobWindow));
    click(bobWindow, bobsRow);
    QQuickItem *header = nullptr;
    QTRY_VERIFY((header = named(bobWindow, u"headerAvatar"_s)));
    QTRY_VERIFY_WITH_TIMEOUT(header->property("showsPicture").toBool(), Timeout);
    QTRY_VERIFY(near(centreColour(bobWindow, header), QColor(u"#ffca28"_s)));

    // A group, made by alice: its photo from the group info (owner), seen by bob.
    QMetaObject::invokeMethod(dialog, "close");
    QTRY_VERIFY(!dialog->property("visible").toBool());
    const QList<qint64> before = bob.account()->store()->conversationIds();
    alice.account()->createGroup(u"Tea party"_s, {bobId});
    qint64 group = 0;
    QTRY_VERIFY_WITH_TIMEOUT(bob.account()->store()->conversationIds().size() == before.size() + 1,
                             Timeout);
    for (const qint64 id : bob.account()->store()->conversationIds()) {
        if (!before.contains(id))
            group = id;
    }
    QVERIFY(group > 0);
    QQuickItem *alicesGroupRow = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((alicesGroupRow = rowAvatar(aliceWindow, group)), Timeout);
    aliceWindow->requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(aliceWindow));
    click(aliceWindow, alicesGroupRow);
    // The group's chat on screen (its header), then its info button, once laid out: the button
    // becomes visible with the group's header, and the header's RowLayout places it only in the
    // polish before the next frame; a click before that lands where it sat, on the avatar.
    QTRY_VERIFY_WITH_TIMEOUT(findInWindow(aliceWindow,
                                          [](QQuickItem *item) {
                                              return item->objectName() == u"headerName"_s
                                                  && item->isVisible()
                                                  && item->property("text").toString()
                                                  == u"Tea party"_s;
                                          }),
                             Timeout);
    QQuickItem *infoButton = nullptr;
    QRectF infoButtonAt;
    QTRY_VERIFY((infoButton = named(aliceWindow, u"groupInfoButton"_s)) && infoButton->isEnabled()
                && infoButton->opacity() == 1.0 && settled(infoButton, infoButtonAt));
    QObject *panel = findObject(aliceWindow, u"groupInfoPanel"_s);
    QVERIFY(panel);
    click(aliceWindow, infoButton);
    // Slid in all the way: a click on a button still moving in can miss.
    QTRY_VERIFY(panel->property("opened").toBool());
    QTRY_COMPARE(panel->property("position").toReal(), 1.0);
    auto *groupController =
        qobject_cast<GroupController *>(panel->property("controller").value<QObject *>());
    QVERIFY(groupController);
    QTRY_COMPARE(groupController->conversationId(), group);
    QTRY_VERIFY(groupController->canChangePhoto());
    QQuickItem *groupButton = nullptr;
    QTRY_VERIFY((groupButton = named(aliceWindow, u"changeGroupPhotoButton"_s)));
    QSignalSpy succeeded(groupController, &GroupController::succeeded);
    choosePhoto(aliceWindow, groupButton, findObject(aliceWindow, u"groupPhotoDialog"_s), ringFile);
    QVERIFY(groupController->isSavingPhoto());
    QTRY_COMPARE_WITH_TIMEOUT(succeeded.size(), 1, Timeout);
    QCOMPARE(succeeded.constFirst().constFirst().value<GroupController::Action>(),
             GroupController::Action::Photo);
    QVERIFY2(groupController->error().isEmpty(), qPrintable(groupController->error()));
    auto *groupAvatar = named(aliceWindow, u"groupAvatar"_s);
    QVERIFY(groupAvatar);
    QTRY_VERIFY_WITH_TIMEOUT(groupAvatar->property("showsPicture").toBool(), Timeout);
    QTRY_VERIFY(near(centreColour(aliceWindow, groupAvatar), QColor(u"#ffeb3b"_s)));
    QVERIFY(named(aliceWindow, u"removeGroupPhotoButton"_s));
    QVERIFY(alice.screenshot(u"avatars-group"_s));

    // Bob: the group's row shows the picture, and the change is said in the list and the chat.
    QQuickItem *bobsGroupRow = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((bobsGroupRow = rowAvatar(bobWindow, group)), Timeout);
    QTRY_VERIFY_WITH_TIMEOUT(bobsGroupRow->property("showsPicture").toBool(), Timeout);
    QTRY_VERIFY(near(centreColour(bobWindow, bobsGroupRow), QColor(u"#ffeb3b"_s)));
    bobWindow->requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(bobWindow));
    click(bobWindow, bobsGroupRow);
    QTRY_VERIFY_WITH_TIMEOUT(findInWindow(bobWindow,
                                          [](QQuickItem *item) {
                                              return item->isVisible()
                                                  && item->property("text").toString().contains(
                                                      u"changed the group photo"_s);
                                          }),
                             Timeout);
    QTRY_VERIFY((header = named(bobWindow, u"headerAvatar"_s)));
    QTRY_VERIFY_WITH_TIMEOUT(header->property("showsPicture").toBool(), Timeout);
    QVERIFY(bob.screenshot(u"avatars-chatlist"_s));

    // Alice removes her photo: bob's row shows her initials again.
    aliceWindow->requestActivate();
    QVERIFY(QTest::qWaitForWindowActive(aliceWindow));
    QMetaObject::invokeMethod(panel, "close");
    QTRY_VERIFY(!panel->property("visible").toBool());
    click(aliceWindow, qobject_cast<QQuickItem *>(findObject(aliceWindow, u"settingsButton"_s)));
    QTRY_VERIFY(dialog->property("opened").toBool());
    QSignalSpy removed(profile, &ProfileSettings::photoSaved);
    click(aliceWindow, removeButton);
    QTRY_COMPARE_WITH_TIMEOUT(removed.size(), 1, Timeout);
    QVERIFY(!profile->hasPhoto());
    QTRY_VERIFY(!profileAvatar->property("showsPicture").toBool());
    QTRY_VERIFY_WITH_TIMEOUT((bobsRow = rowAvatar(bobWindow, direct))
                                 && !bobsRow->property("showsPicture").toBool(),
                             Timeout);
    QTRY_VERIFY(near(upperColour(bobWindow, bobsRow), initialsColour, 8));
}

QTEST_MAIN(TestAppAvatars)

#include "tst_app_avatars.moc"
