// End to end, received photos and files (issue 13): Bob sends two photos, a file whose name needs
// sanitising and a script. Alice zooms the viewer (keys, wheel, double click), pans the zoomed
// photo by dragging, steps back and forth, and saves a photo through the real Save as dialog;
// from the file card she saves the file (the sanitised name is offered, the decrypted original
// is written) and opens it (the desktop's handler is this test's: QDesktopServices::setUrlHandler),
// and the script warns first and then only its folder opens. Downloads go to a folder of the test
// (XDG_CONFIG_HOME's user-dirs.dirs). Screenshots e2e-46-… to e2e-49-… in the artifacts folder.
#include "tst_app_e2e.h"

#include "E2eSupport.h"

#include "media/FileNames.h"
#include "media/ImagePrep.h"
#include "media/MediaTransfers.h"
#include "store/LocalStore.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QPainter>
#include <QQuickItem>
#include <QQuickWindow>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

using namespace Client;
using namespace E2e;
namespace Body = Protocol::Body;

using namespace Qt::StringLiterals;

//! Stands in for the desktop: QDesktopServices::openUrl() of a file:// URL lands here.
class OpenedUrls : public QObject
{
    Q_OBJECT
public:
    QList<QUrl> urls;
public Q_SLOTS:
    void open(const QUrl &url) { urls.append(url); }
};

namespace {

QImage tiles(int width, int height, QColor colour)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    for (int y = 0; y < height; y += 100) {
        for (int x = (y / 100) % 2 * 100; x < width; x += 200)
            painter.fillRect(x, y, 100, 100, colour);
    }
    painter.setPen(QPen(Qt::black, 8));
    painter.drawEllipse(QPoint(width / 2, height / 2), height / 3, height / 3);
    return image;
}

//! The visible button (any AbstractButton) under `root` that reads `text`.
QQuickItem *buttonIn(QQuickItem *root, const QString &text)
{
    return findItem(root, [&](QQuickItem *item) {
        return item->isVisible() && item->inherits("QQuickAbstractButton")
            && item->property("text").toString() == text;
    });
}

//! The footer of an open Qt Quick Dialogs FileDialog (its non-native implementation, as on a
//! desktop without a platform dialog): the item around its file name field.
QQuickItem *fileDialogFooter(QQuickWindow *window)
{
    QQuickItem *field = named(window, u"fileNameTextField"_s);
    return field ? field->parentItem() : nullptr;
}

void wheel(QQuickWindow *window, QPoint at, int delta)
{
    QWheelEvent event(at, window->mapToGlobal(at), QPoint(), QPoint(0, delta), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(window, &event);
}

//! Whether `item` (a part of a bubble) is wholly on screen in the message list, the list at rest;
//! when not, scrolls it there (bubbles grow as their pictures arrive, so the list's end is not
//! always where the last one is). For QTRY_VERIFY before a click.
bool shownIn(QQuickItem *list, QQuickItem *item)
{
    auto *content = list->property("contentItem").value<QQuickItem *>();
    const QRectF box = item->mapRectToItem(content, QRectF(0, 0, item->width(), item->height()));
    const qreal top = list->property("contentY").toReal();
    if (box.top() >= top && box.bottom() <= top + list->height())
        return !list->property("moving").toBool();
    QMetaObject::invokeMethod(list, "cancelFlick");
    list->setProperty("contentY", box.center().y() - list->height() / 2);
    return false;
}

//! shownIn(), and the item has not moved in the window since the last look (QTRY_* looks every
//! 50 ms): the list also moves by itself (it follows the newest message, bubbles grow as their
//! pictures arrive), which "moving" does not tell, and a click must land where the item is.
bool settledIn(QQuickItem *list, QQuickItem *item, QPointF &lastSeenAt)
{
    if (!shownIn(list, item))
        return false;
    const QPointF at = item->mapToScene(QPointF(0, 0));
    const bool still = at == lastSeenAt;
    lastSeenAt = at;
    return still;
}

QByteArray contentOf(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

void TestAppEndToEnd::viewerZoomSaveAsAndOpen()
{
    // Downloads (Save as's first folder, Open's target) in a folder of this test.
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString downloads = home.filePath(u"Downloads"_s);
    QVERIFY(QDir().mkpath(downloads) && QDir().mkpath(home.filePath(u"config"_s)));
    {
        QFile dirs(home.filePath(u"config/user-dirs.dirs"_s));
        QVERIFY(dirs.open(QIODevice::WriteOnly));
        dirs.write("XDG_DOWNLOAD_DIR=\"" + QFile::encodeName(downloads) + "\"\n");
    }
    const QByteArray configHome = qgetenv("XDG_CONFIG_HOME");
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home.filePath(u"config"_s)));
    OpenedUrls opened;
    QDesktopServices::setUrlHandler(u"file"_s, &opened, "open");
    const auto restore = qScopeGuard([&] {
        QDesktopServices::unsetUrlHandler(u"file"_s);
        if (configHome.isNull())
            qunsetenv("XDG_CONFIG_HOME");
        else
            qputenv("XDG_CONFIG_HOME", configHome);
    });

    qint64 direct = 0;
    aliceInTheWindowAndBobWrites(u"Photos and papers coming"_s, &direct);
    if (QTest::currentTestFailed())
        return;
    QQuickWindow *window = m_window->window();
    QQuickItem *row = chatRow(window, direct);
    click(window, row);
    QTRY_VERIFY(bubbleWithText(window, u"Photos and papers coming"_s));

    const PreparedMedia first =
        ImagePrep::prepareImageNow(tiles(1600, 1000, QColor(40, 120, 200)), u"tiles.png"_s);
    const PreparedMedia second =
        ImagePrep::prepareImageNow(tiles(1200, 900, QColor(220, 90, 40)), u"orange.png"_s);
    const QString paperName = u"../../Trip plan: day 1/2\u202Etxt.pdf"_s;
    const QByteArray paperBytes = "%PDF-1.4\n% not really a PDF, just bytes to get back\n";
    const PreparedMedia paper =
        ImagePrep::prepareBytesNow(paperBytes, paperName, ImagePrep::Mode::AsFile);
    const QByteArray scriptBytes = "#!/bin/sh\necho hello\n";
    const PreparedMedia script =
        ImagePrep::prepareBytesNow(scriptBytes, u"install.sh"_s, ImagePrep::Mode::Media);
    QVERIFY(first.ok() && second.ok() && paper.ok() && script.ok());
    m_bob->media()->sendAttachments(
        direct, Body::text(u"Two photos"_s),
        {{QString(), first.bytes, first.meta}, {QString(), second.bytes, second.meta}});
    QTRY_VERIFY_WITH_TIMEOUT(bubbleWithText(window, u"Two photos"_s), Timeout);
    QQuickItem *list = named(window, u"messageList"_s);
    QVERIFY(list);

    // 1. The viewer, at the second photo (the chat's last).
    QQuickItem *photos = delegateOf(bubbleWithText(window, u"Two photos"_s));
    QQuickItem *sharp = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((sharp = namedIn(photos, u"attachmentImage"_s))
                                 && sharp->property("status").toInt() == 1 /* Image.Ready */,
                             Timeout);
    QPointF sharpAt(-1, -1);
    QTRY_VERIFY(settledIn(list, sharp, sharpAt));
    click(window, sharp);
    QObject *viewer = m_window->find(u"imageViewer"_s);
    QVERIFY(viewer);
    QTRY_VERIFY(viewer->property("opened").toBool());
    QCOMPARE(viewer->property("blobIds").toStringList().size(), 2);
    // At the photo clicked; ‹ and › (and the arrow keys) step, the ends have no further button.
    if (viewer->property("index").toInt() == 1) {
        QVERIFY(!named(window, u"viewerNext"_s));
        click(window, named(window, u"viewerPrevious"_s));
        QTRY_COMPARE(viewer->property("index").toInt(), 0);
    }
    QVERIFY(!named(window, u"viewerPrevious"_s));
    click(window, named(window, u"viewerNext"_s));
    QTRY_COMPARE(viewer->property("index").toInt(), 1);
    QVERIFY(!named(window, u"viewerNext"_s));
    click(window, named(window, u"viewerPrevious"_s));
    QTRY_COMPARE(viewer->property("index").toInt(), 0);
    QTest::keyClick(window, Qt::Key_Right);
    QTRY_COMPARE(viewer->property("index").toInt(), 1);
    QQuickItem *shown = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((shown = named(window, u"viewerImage"_s))
                                 && shown->property("status").toInt() == 1,
                             Timeout);
    QQuickItem *flick = named(window, u"viewerFlickable"_s);
    QVERIFY(flick);
    const auto zoom = [&] { return viewer->property("zoom").toReal(); };
    const auto contentX = [&] { return flick->property("contentX").toReal(); };

    // + and − (Ctrl+= and Ctrl+- too), about the middle; 0 fits again.
    QTest::keyClick(window, Qt::Key_Plus);
    QCOMPARE(zoom(), 1.25);
    QVERIFY(contentX() > 0);
    QTest::keyClick(window, Qt::Key_Equal, Qt::ControlModifier);
    QVERIFY(zoom() > 1.5);
    QTest::keyClick(window, Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(window, Qt::Key_Minus);
    QCOMPARE(zoom(), 1.0);
    QCOMPARE(contentX(), 0.0);
    QTest::keyClick(window, Qt::Key_Minus);
    QCOMPARE(zoom(), 1.0); // never below the whole picture

    // The wheel zooms about the pointer: the point under it stays put.
    const QPoint middle = centreOf(flick);
    wheel(window, middle + QPoint(200, 0), 120);
    QTRY_COMPARE(zoom(), 1.2);
    wheel(window, middle + QPoint(200, 0), 120);
    QTRY_COMPARE(zoom(), 1.44);
    const qreal pointInContent = contentX() + flick->mapFromScene(middle + QPoint(200, 0)).x();
    QCOMPARE(qRound(pointInContent),
             qRound(flick->mapFromScene(middle + QPoint(200, 0)).x() * 1.44));
    wheel(window, middle, -120);
    QTRY_COMPARE(zoom(), 1.2);
    QTest::keyClick(window, Qt::Key_0);
    QCOMPARE(zoom(), 1.0);

    // A double click zooms in where it is; dragging pans the zoomed photo; a double click fits.
    QTest::mouseMove(window, middle);
    QTest::mouseDClick(window, Qt::LeftButton, {}, middle);
    QTRY_COMPARE(zoom(), 2.5);
    const qreal beforePan = contentX();
    const qreal beforePanY = flick->property("contentY").toReal();
    QVERIFY(beforePan > 0);
    QVERIFY(m_window->screenshot(u"e2e-46-viewer-zoomed"_s));
    QTest::mousePress(window, Qt::LeftButton, {}, middle);
    for (int step = 1; step <= 10; ++step)
        QTest::mouseMove(window, middle + QPoint(-20 * step, -10 * step));
    QTest::mouseRelease(window, Qt::LeftButton, {}, middle + QPoint(-200, -100));
    QTRY_VERIFY(!flick->property("moving").toBool());
    QVERIFY2(contentX() > beforePan + 100, qPrintable(QString::number(contentX() - beforePan)));
    QVERIFY(flick->property("contentY").toReal() > beforePanY + 50);
    QCOMPARE(zoom(), 2.5);
    QTest::mouseDClick(window, Qt::LeftButton, {}, middle);
    QTRY_COMPARE(zoom(), 1.0);

    // 2. Save as from the viewer: the real dialog, in Downloads, offering the photo's name.
    const QString secondId = viewer->property("blobId").toString();
    QObject *media = m_window->find(u"mediaController"_s);
    QVERIFY(media);
    QSignalSpy saved(media, SIGNAL(saved(QString, QString)));
    click(window, named(window, u"viewerSave"_s));
    QTRY_VERIFY(fileDialogFooter(window));
    const QString photoName = FileNames::sanitize(second.meta.name);
    QCOMPARE(named(window, u"fileNameTextField"_s)->property("text").toString(), photoName);
    QVERIFY(m_window->screenshot(u"e2e-47-save-as-dialog"_s));
    // It says Save (MediaDialogs' acceptLabel: Qt 6.4's own dialog would say Open).
    QQuickItem *save = buttonIn(fileDialogFooter(window), u"Save"_s);
    click(window, save);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, Timeout);
    QCOMPARE(saved.at(0).at(0).toString(), secondId);
    QCOMPARE(saved.at(0).at(1).toString(), QDir(downloads).filePath(photoName));
    QCOMPARE(contentOf(QDir(downloads).filePath(photoName)), second.bytes);
    QTRY_VERIFY(!fileDialogFooter(window));
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!viewer->property("visible").toBool());

    // 3. The file card: Download, then Save as offers the sanitised name and writes the
    // decrypted original.
    m_bob->media()->sendAttachments(direct, Body::text(u"The plan"_s),
                                    {{QString(), paper.bytes, paper.meta}});
    m_bob->media()->sendAttachments(direct, Body::text(u"Run this"_s),
                                    {{QString(), script.bytes, script.meta}});
    QTRY_VERIFY_WITH_TIMEOUT(bubbleWithText(window, u"Run this"_s), Timeout);
    const QString sanitised = FileNames::sanitize(paperName);
    QVERIFY(!sanitised.contains(u'/') && !sanitised.contains(u"\u202E"_s)
            && sanitised != paperName);
    QQuickItem *paperBubble = delegateOf(bubbleWithText(window, u"The plan"_s));
    QCOMPARE(namedIn(paperBubble, u"fileName"_s)->property("text").toString(), sanitised);
    QPointF paperBubbleAt(-1, -1);
    QTRY_VERIFY(settledIn(list, paperBubble, paperBubbleAt));
    click(window, namedIn(paperBubble, u"fileDownloadButton"_s));
    QTRY_VERIFY_WITH_TIMEOUT(namedIn(paperBubble, u"fileSaveButton"_s), Timeout);
    click(window, namedIn(paperBubble, u"fileSaveButton"_s));
    QTRY_VERIFY(fileDialogFooter(window));
    QCOMPARE(named(window, u"fileNameTextField"_s)->property("text").toString(), sanitised);
    save = buttonIn(fileDialogFooter(window), u"Save"_s);
    click(window, save);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 2, Timeout);
    const QString paperPath = saved.at(1).at(1).toString();
    QCOMPARE(QFileInfo(paperPath).absolutePath(), QFileInfo(downloads).absoluteFilePath());
    QCOMPARE(QFileInfo(paperPath).fileName(), sanitised);
    QCOMPARE(contentOf(paperPath), paperBytes);
    QTRY_VERIFY(!fileDialogFooter(window));

    // 4. Open: saved to Downloads (next to the first copy, never over it), then handed to the
    // desktop, here this test.
    click(window, namedIn(paperBubble, u"fileOpenButton"_s));
    QTRY_COMPARE_WITH_TIMEOUT(opened.urls.size(), 1, Timeout);
    const QString openedPath = opened.urls.at(0).toLocalFile();
    QVERIFY(openedPath != paperPath);
    QCOMPARE(QFileInfo(openedPath).absolutePath(), QFileInfo(downloads).absoluteFilePath());
    QCOMPARE(contentOf(openedPath), paperBytes);
    QVERIFY(m_window->screenshot(u"e2e-48-file-card-saved-and-opened"_s));

    // 5. The script: a warning first; Cancel opens nothing; Open saves it and opens its folder.
    QQuickItem *scriptBubble = delegateOf(bubbleWithText(window, u"Run this"_s));
    QVERIFY(namedIn(scriptBubble, u"dangerousLabel"_s));
    QPointF scriptBubbleAt(-1, -1);
    QTRY_VERIFY(settledIn(list, scriptBubble, scriptBubbleAt));
    click(window, namedIn(scriptBubble, u"fileDownloadButton"_s));
    QTRY_VERIFY_WITH_TIMEOUT(namedIn(scriptBubble, u"fileOpenButton"_s), Timeout);
    QObject *warning = m_window->find(u"dangerousFileDialog"_s);
    QVERIFY(warning);
    click(window, namedIn(scriptBubble, u"fileOpenButton"_s));
    QTRY_VERIFY(warning->property("opened").toBool());
    auto *warningButtons = warning->property("footer").value<QQuickItem *>();
    QVERIFY(warningButtons);
    QVERIFY(m_window->screenshot(u"e2e-49-dangerous-file-warning"_s));
    click(window, buttonIn(warningButtons, u"Cancel"_s));
    QTRY_VERIFY(!warning->property("visible").toBool());
    QCOMPARE(opened.urls.size(), 1);
    click(window, namedIn(scriptBubble, u"fileOpenButton"_s));
    QTRY_VERIFY(warning->property("opened").toBool());
    click(window, buttonIn(warningButtons, u"Open"_s));
    QTRY_COMPARE_WITH_TIMEOUT(opened.urls.size(), 2, Timeout);
    QCOMPARE(QFileInfo(opened.urls.at(1).toLocalFile()).absoluteFilePath(),
             QFileInfo(downloads).absoluteFilePath());
    QCOMPARE(contentOf(QDir(downloads).filePath(u"install.sh"_s)), scriptBytes);
    QVERIFY(!(QFileInfo(QDir(downloads).filePath(u"install.sh"_s)).permissions()
              & QFileDevice::ExeUser));
}

#include "tst_app_e2e_files.moc"
