// End to end, attachments (issue 13): Alice attaches a photo (what the file dialog and a drop
// hand over), pastes a picture with Ctrl+V, writes a caption and sends; then sends a file. Bob,
// on the client core, receives them re-encoded without metadata. Bob sends a photo and a script:
// Alice sees the photo inline (downloaded by itself), opens the viewer, and sees the script's
// file card with its warning. Screenshots e2e-40-… to e2e-45-… in the artifacts folder.
#include "tst_app_e2e.h"

#include "E2eSupport.h"

#include "media/ImagePrep.h"
#include "media/MediaTransfers.h"
#include "store/LocalStore.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QDropEvent>
#include <QGuiApplication>
#include <QLinearGradient>
#include <QMimeData>
#include <QPainter>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

using namespace Client;
using namespace E2e;
namespace Body = Protocol::Body;

using namespace Qt::StringLiterals;

namespace {

//! A picture worth looking at in a screenshot: sky, sea, sun, a boat.
QImage seaside(int width, int height, QColor sky)
{
    QImage image(width, height, QImage::Format_RGB32);
    QPainter painter(&image);
    QLinearGradient skyGradient(0, 0, 0, height * 0.6);
    skyGradient.setColorAt(0, sky);
    skyGradient.setColorAt(1, QColor(255, 214, 170));
    painter.fillRect(QRectF(0, 0, width, height * 0.6), skyGradient);
    QLinearGradient sea(0, height * 0.6, 0, height);
    sea.setColorAt(0, QColor(30, 110, 170));
    sea.setColorAt(1, QColor(10, 50, 90));
    painter.fillRect(QRectF(0, height * 0.6, width, height * 0.4), sea);
    painter.setBrush(QColor(255, 190, 60));
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(QPointF(width * 0.7, height * 0.45), height * 0.12, height * 0.12);
    painter.setBrush(Qt::white);
    painter.drawPolygon(
        QPolygonF({QPointF(width * 0.3, height * 0.62), QPointF(width * 0.3, height * 0.4),
                   QPointF(width * 0.38, height * 0.62)}));
    painter.setBrush(QColor(120, 60, 30));
    painter.drawRect(QRectF(width * 0.24, height * 0.62, width * 0.16, height * 0.03));
    return image;
}

std::optional<StoredMessage> storedWithCaption(Account *account, qint64 conversationId,
                                               const QString &caption)
{
    for (const StoredMessage &message :
         awaited(account->store()->storedMessages(conversationId, 0, 50))) {
        const Protocol::MessageRecord &record = message.record;
        if (record.contentType != Body::ContentType)
            continue;
        const Body::DecodedBody decoded = Body::decode(record.content);
        if (decoded.ok() && decoded.body.text == caption && !decoded.body.attachments.isEmpty())
            return message;
    }
    return std::nullopt;
}

QList<Body::Attachment> attachmentsIn(const StoredMessage &message)
{
    return Body::attachmentsOf(Body::decode(message.record.content).body);
}

int draftCount(QObject *media)
{
    return int(media->property("drafts").toList().size());
}

//! Bob downloads `attachment` and reads the plaintext.
QByteArray fetched(Account *account, const Body::Attachment &attachment)
{
    account->media()->fetch(attachment);
    if (!QTest::qWaitFor([&] { return account->media()->isAvailable(attachment.blobId); }, Timeout))
        return {};
    const std::unique_ptr<QIODevice> device = account->media()->open(attachment);
    return device ? device->readAll() : QByteArray();
}

} // namespace

void TestAppEndToEnd::photosPastedPicturesAndFiles()
{
    qint64 direct = 0;
    aliceInTheWindowAndBobWrites(u"Send me the holiday photos"_s, &direct);
    if (QTest::currentTestFailed())
        return;
    QQuickWindow *window = m_window->window();
    QQuickItem *row = chatRow(window, direct);
    click(window, row);
    QTRY_VERIFY(bubbleWithText(window, u"Send me the holiday photos"_s));
    QObject *media = m_window->find(u"mediaController"_s);
    QVERIFY(media);

    // 1. A photo dragged from the file manager and dropped onto the chat.
    QTemporaryDir files;
    const QString photoPath = files.filePath(u"beach.jpg"_s);
    QImage photo = seaside(3000, 2000, QColor(90, 160, 230));
    photo.setText(u"Description"_s, u"secret spot"_s);
    QVERIFY(photo.save(photoPath, "jpeg", 90));
    {
        QMimeData dragged;
        dragged.setUrls({QUrl::fromLocalFile(photoPath)});
        const QPoint at = centreOf(named(window, u"messageList"_s));
        QDragEnterEvent enter(at, Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &enter);
        QDragMoveEvent move(at, Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &move);
        QTRY_VERIFY(named(window, u"chatDropArea"_s)->property("containsDrag").toBool());
        QDropEvent drop(at, Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(window, &drop);
    }
    QTRY_COMPARE(draftCount(media), 1);

    // 2. A picture pasted with Ctrl+V in the composer.
    QGuiApplication::clipboard()->setImage(seaside(800, 500, QColor(200, 120, 180)));
    click(window, named(window, u"composerInput"_s));
    QTest::keyClick(window, Qt::Key_V, Qt::ControlModifier);
    QTRY_COMPARE(draftCount(media), 2);
    QTRY_VERIFY_WITH_TIMEOUT(!media->property("preparing").toBool(), Timeout);
    QCOMPARE(named(window, u"composerInput"_s)->property("text").toString(), QString());
    typeInto(window, named(window, u"composerInput"_s), u"Holiday pictures"_s);
    QVERIFY(m_window->screenshot(u"e2e-40-attach-strip"_s));

    QTest::keyClick(window, Qt::Key_Return);
    QTRY_COMPARE(draftCount(media), 0);
    QTRY_VERIFY(bubbleWithText(window, u"Holiday pictures"_s));
    QVERIFY(m_window->screenshot(u"e2e-41-sending"_s));

    // Bob gets both, re-encoded: the photo scaled to 2048 px, its text gone.
    std::optional<StoredMessage> received;
    QTRY_VERIFY_WITH_TIMEOUT(
        (received = storedWithCaption(m_bob.get(), direct, u"Holiday pictures"_s)).has_value(),
        Timeout);
    const QList<Body::Attachment> sent = attachmentsIn(*received);
    QCOMPARE(sent.size(), 2);
    QCOMPARE(sent.at(0).kind, Body::AttachmentKind::Image);
    QCOMPARE(QSize(sent.at(0).width, sent.at(0).height), QSize(2048, 1365));
    QCOMPARE(sent.at(0).name, u"beach.jpg"_s);
    QVERIFY(!sent.at(0).thumbnail.isEmpty());
    QCOMPARE(QSize(sent.at(1).width, sent.at(1).height), QSize(800, 500));
    const QByteArray photoBytes = fetched(m_bob.get(), sent.at(0));
    QVERIFY(!photoBytes.isEmpty());
    QVERIFY(!photoBytes.contains("secret spot"));
    QCOMPARE(QImage::fromData(photoBytes).size(), QSize(2048, 1365));

    // 3. A file, without a caption.
    const QString notesPath = files.filePath(u"plan.txt"_s);
    QFile notes(notesPath);
    QVERIFY(notes.open(QIODevice::WriteOnly));
    notes.write("Day 1: the beach.\nDay 2: the boat.\n");
    notes.close();
    QVERIFY(QMetaObject::invokeMethod(media, "attachUrls",
                                      Q_ARG(QList<QUrl>, {QUrl::fromLocalFile(notesPath)})));
    QTRY_COMPARE(draftCount(media), 1);
    QTRY_VERIFY_WITH_TIMEOUT(!media->property("preparing").toBool(), Timeout);
    click(window, named(window, u"composerInput"_s));
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_COMPARE(draftCount(media), 0);
    QTRY_VERIFY_WITH_TIMEOUT(storedWithCaption(m_bob.get(), direct, QString()).has_value(),
                             Timeout);
    const Body::Attachment plan =
        attachmentsIn(*storedWithCaption(m_bob.get(), direct, QString())).first();
    QCOMPARE(plan.kind, Body::AttachmentKind::File);
    QCOMPARE(plan.name, u"plan.txt"_s);
    QCOMPARE(fetched(m_bob.get(), plan), QByteArray("Day 1: the beach.\nDay 2: the boat.\n"));

    // 4. Bob sends a photo and a script: Alice sees the photo inline, then in the viewer, and
    // the script as a card that warns.
    const PreparedMedia sunset =
        ImagePrep::prepareImageNow(seaside(1600, 1000, QColor(240, 120, 60)), u"sunset.png"_s);
    QVERIFY(sunset.ok());
    const PreparedMedia script = ImagePrep::prepareBytesNow(
        "#!/bin/sh\necho hello\n", u"install.sh"_s, ImagePrep::Mode::Media);
    QVERIFY(script.ok());
    QCOMPARE(script.meta.kind, Body::AttachmentKind::File);
    const OutboxEntry entry = m_bob->media()->sendAttachments(
        direct, Body::text(u"From my trip"_s),
        {{QString(), sunset.bytes, sunset.meta}, {QString(), script.bytes, script.meta}});
    QVERIFY(!entry.clientId.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(bubbleWithText(window, u"From my trip"_s), Timeout);
    QQuickItem *bubble = delegateOf(bubbleWithText(window, u"From my trip"_s));
    QQuickItem *sharp = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((sharp = namedIn(bubble, u"attachmentImage"_s))
                                 && sharp->property("status").toInt() == 1 /* Image.Ready */,
                             Timeout);
    QQuickItem *card = namedIn(bubble, u"fileName"_s);
    QVERIFY(card);
    QCOMPARE(card->property("text").toString(), u"install.sh"_s);
    QVERIFY(namedIn(bubble, u"dangerousLabel"_s));
    QVERIFY(m_window->screenshot(u"e2e-42-inline-photo-and-file-card"_s));

    click(window, sharp);
    QObject *viewer = m_window->find(u"imageViewer"_s);
    QVERIFY(viewer);
    QTRY_VERIFY(viewer->property("opened").toBool());
    QQuickItem *shown = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((shown = named(window, u"viewerImage"_s))
                                 && shown->property("status").toInt() == 1,
                             Timeout);
    // The three photos of the chat: the viewer is at Bob's, the last; Left steps back.
    QCOMPARE(viewer->property("blobIds").toStringList().size(), 3);
    QVERIFY(m_window->screenshot(u"e2e-43-viewer"_s));
    QTest::keyClick(window, Qt::Key_Left);
    QTRY_COMPARE(viewer->property("index").toInt(), 1);
    QTest::keyClick(window, Qt::Key_Escape);
    QTRY_VERIFY(!viewer->property("visible").toBool());

    // Settings → Media: the cache holds what was sent and received; Clear empties it, and the
    // photo downloads again on demand.
    QObject *mediaSettings = m_window->find(u"mediaSettings"_s);
    QVERIFY(mediaSettings);
    QCOMPARE(mediaSettings->property("autoDownloadBytes").toLongLong(),
             MediaTransfers::DefaultAutoDownloadBytes);
    QVERIFY(QMetaObject::invokeMethod(mediaSettings, "refresh"));
    QVERIFY(mediaSettings->property("cacheBytes").toLongLong() > 0);
    QVERIFY(QMetaObject::invokeMethod(mediaSettings, "clearCache"));
    QCOMPARE(mediaSettings->property("cacheBytes").toLongLong(), 0);
    const QString sunsetId = viewer->property("blobId").toString();
    QVERIFY(!m_window->account()->media()->isAvailable(sunsetId));
}
