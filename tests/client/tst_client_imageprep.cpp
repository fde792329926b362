// ImagePrep: photos re-encoded without their metadata (EXIF GPS, XMP, JPEG comments, PNG text),
// orientation applied, scaled to 2048 px, thumbnails within 64 px and 4 KiB, animated GIFs kept,
// image bombs refused. The fixtures (tests/client/data/media) were made with exiftool; their
// secrets all contain the word "secret".
#include "media/ImagePrep.h"

#include <QBuffer>
#include <QImageReader>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Client;
using namespace Qt::StringLiterals;
using Protocol::Body::AttachmentKind;

namespace {

QString fixture(const QString &name)
{
    return QStringLiteral(CLIENT_TEST_DATA "/media/") + name;
}

QByteArray readFixture(const QString &name)
{
    QFile file(fixture(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QByteArray pngOf(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "png");
    return bytes;
}

QImage noise(int width, int height)
{
    QImage image(width, height, QImage::Format_RGB32);
    auto *random = QRandomGenerator::global();
    for (int y = 0; y < height; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < width; ++x)
            line[x] = random->generate() | 0xff000000;
    }
    return image;
}

// What exiftool (independent of Qt) reads from the bytes: one "Group:Tag" per line.
QString exiftoolTags(const QByteArray &bytes)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"probe"_s);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    file.close();
    QProcess exiftool;
    exiftool.start(u"exiftool"_s, {u"-a"_s, u"-G1"_s, u"-s"_s, path});
    if (!exiftool.waitForFinished(60000))
        return {};
    return QString::fromUtf8(exiftool.readAllStandardOutput());
}

} // namespace

class TestImagePrep : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(QImageReader::supportedImageFormats().contains("jpeg"));
        QVERIFY(QImageReader::supportedImageFormats().contains("gif"));
        if (QStandardPaths::findExecutable(u"exiftool"_s).isEmpty())
            QFAIL("exiftool is needed (libimage-exiftool-perl, scripts/install-deps)");
        // The fixtures carry what must go.
        const QString jpegTags = exiftoolTags(readFixture(u"photo-gps.jpg"_s));
        QVERIFY(jpegTags.contains(u"GPSLatitude"_s));
        QVERIFY(jpegTags.contains(u"[XMP-dc]"_s));
        QVERIFY(jpegTags.contains(u"secret comment"_s));
        QVERIFY(jpegTags.contains(u"Orientation"_s));
        QVERIFY(exiftoolTags(readFixture(u"text.png"_s)).contains(u"secret text"_s));
    }

    void photoLosesMetadataAndTurns()
    {
        const PreparedMedia prepared =
            ImagePrep::prepareFileNow(fixture(u"photo-gps.jpg"_s), ImagePrep::Mode::Media);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QCOMPARE(prepared.meta.kind, AttachmentKind::Image);
        QCOMPARE(prepared.meta.mime, u"image/jpeg"_s);
        QCOMPARE(prepared.meta.name, u"photo-gps.jpg"_s);
        QCOMPARE(prepared.meta.size, prepared.bytes.size());
        // Stored 48×32 with orientation 6 ("rotate 90° clockwise"): shown 32×48.
        QCOMPARE(prepared.meta.width, 32);
        QCOMPARE(prepared.meta.height, 48);
        QVERIFY(prepared.path.isEmpty());

        QVERIFY(!prepared.bytes.contains("secret"));
        QVERIFY(!prepared.bytes.contains("Exif"));
        QVERIFY(!prepared.bytes.contains("http://ns.adobe.com/xap"));
        const QString tags = exiftoolTags(prepared.bytes);
        QVERIFY2(tags.contains(u"ImageSize"_s), qPrintable(tags));
        for (const QString &gone :
             {u"GPS"_s, u"XMP"_s, u"Comment"_s, u"Orientation"_s, u"secret"_s, u"TestCam"_s})
            QVERIFY2(!tags.contains(gone), qPrintable(gone + u" stayed:\n"_s + tags));

        QBuffer buffer;
        buffer.setData(prepared.bytes);
        QImageReader reader(&buffer, "jpeg");
        QVERIFY(reader.textKeys().isEmpty());
        QCOMPARE(reader.size(), QSize(32, 48));
    }

    void pngTextIsDropped()
    {
        const PreparedMedia prepared =
            ImagePrep::prepareFileNow(fixture(u"text.png"_s), ImagePrep::Mode::Media);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        // Opaque: it goes as a JPEG, under a name that says so.
        QCOMPARE(prepared.meta.mime, u"image/jpeg"_s);
        QCOMPARE(prepared.meta.name, u"text.jpg"_s);
        QCOMPARE(QSize(prepared.meta.width, prepared.meta.height), QSize(40, 20));
        QVERIFY(!prepared.bytes.contains("secret"));
        QVERIFY(!exiftoolTags(prepared.bytes).contains(u"secret"_s));
        QBuffer buffer;
        buffer.setData(prepared.bytes);
        QVERIFY(QImageReader(&buffer, "jpeg").textKeys().isEmpty());
    }

    void transparentStaysPng()
    {
        const PreparedMedia prepared =
            ImagePrep::prepareFileNow(fixture(u"alpha.png"_s), ImagePrep::Mode::Media);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QCOMPARE(prepared.meta.mime, u"image/png"_s);
        QCOMPARE(prepared.meta.name, u"alpha.png"_s);
        const QImage decoded = QImage::fromData(prepared.bytes, "png");
        QCOMPARE(qAlpha(decoded.pixel(12, 4)), 0);
        QCOMPARE(qAlpha(decoded.pixel(2, 4)), 255);
    }

    void pastedPictureLosesItsText()
    {
        QImage pasted(300, 200, QImage::Format_RGB32);
        pasted.fill(Qt::darkCyan);
        pasted.setText(u"Comment"_s, u"secret paste"_s);
        const PreparedMedia prepared = ImagePrep::prepareImageNow(pasted, u"Pasted image"_s);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QCOMPARE(prepared.meta.name, u"Pasted image.jpg"_s);
        QVERIFY(!prepared.bytes.contains("secret"));
        QCOMPARE(QSize(prepared.meta.width, prepared.meta.height), QSize(300, 200));
    }

    void bigImageIsScaled_data()
    {
        QTest::addColumn<QSize>("original");
        QTest::addColumn<QSize>("sent");
        QTest::newRow("wide") << QSize(3000, 1500) << QSize(2048, 1024);
        QTest::newRow("tall") << QSize(1000, 4096) << QSize(500, 2048);
        QTest::newRow("small") << QSize(640, 480) << QSize(640, 480);
    }

    void bigImageIsScaled()
    {
        QFETCH(QSize, original);
        QFETCH(QSize, sent);
        QImage image(original, QImage::Format_RGB32);
        image.fill(Qt::darkGreen);
        const PreparedMedia prepared =
            ImagePrep::prepareBytesNow(pngOf(image), u"big.png"_s, ImagePrep::Mode::Media);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QCOMPARE(QSize(prepared.meta.width, prepared.meta.height), sent);
        QCOMPARE(QImage::fromData(prepared.bytes).size(), sent);
    }

    void thumbnailIsSmall_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("noisy wide") << QSize(1200, 500);
        QTest::newRow("noisy tall") << QSize(300, 900);
        QTest::newRow("tiny") << QSize(10, 6);
    }

    void thumbnailIsSmall()
    {
        QFETCH(QSize, size);
        // Noise is JPEG's worst case: the quality has to come down to fit 4 KiB.
        const PreparedMedia prepared = ImagePrep::prepareBytesNow(
            pngOf(noise(size.width(), size.height())), u"noise.png"_s, ImagePrep::Mode::Media);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        const QByteArray thumb = prepared.meta.thumbnail;
        QVERIFY(!thumb.isEmpty());
        QVERIFY2(thumb.size() <= ImagePrep::ThumbMaxBytes, QByteArray::number(thumb.size()));
        QVERIFY(thumb.startsWith("\xff\xd8\xff"));
        const QImage decoded = QImage::fromData(thumb, "jpeg");
        QVERIFY(!decoded.isNull());
        QVERIFY(std::max(decoded.width(), decoded.height()) <= ImagePrep::ThumbLongSide);
        // The aspect ratio survives (within a pixel of rounding).
        QVERIFY(qAbs(decoded.width() * size.height() - decoded.height() * size.width())
                <= std::max(size.width(), size.height()));
    }

    void animatedGifGoesAsItIs()
    {
        const QByteArray original = readFixture(u"anim.gif"_s);
        const PreparedMedia prepared =
            ImagePrep::prepareFileNow(fixture(u"anim.gif"_s), ImagePrep::Mode::Media);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QCOMPARE(prepared.bytes, original);
        QCOMPARE(prepared.meta.kind, AttachmentKind::Image);
        QCOMPARE(prepared.meta.mime, u"image/gif"_s);
        QCOMPARE(QSize(prepared.meta.width, prepared.meta.height), QSize(8, 8));
        QVERIFY(!prepared.meta.thumbnail.isEmpty());
        QVERIFY(!prepared.warning.isEmpty());
        QBuffer buffer;
        buffer.setData(prepared.bytes);
        QImageReader reader(&buffer, "gif");
        QVERIFY(reader.supportsAnimation());
        QCOMPARE(reader.imageCount(), 2);
    }

    void bombIsRefused()
    {
        const QByteArray bomb = readFixture(u"bomb.png"_s);
        QVERIFY(bomb.size() < 100);
        const PreparedMedia prepared =
            ImagePrep::prepareBytesNow(bomb, u"bomb.png"_s, ImagePrep::Mode::Media);
        QVERIFY(!prepared.ok());
        QVERIFY2(prepared.error.contains(u"too large to open"_s), qPrintable(prepared.error));
        QVERIFY2(prepared.error.contains(u"30000 × 30000"_s), qPrintable(prepared.error));
        QVERIFY(prepared.bytes.isEmpty());

        // The decoder the image provider uses refuses it too.
        QBuffer buffer;
        buffer.setData(bomb);
        buffer.open(QIODevice::ReadOnly);
        QString error;
        QVERIFY(ImagePrep::decode(&buffer, 2048, &error).isNull());
        QVERIFY(error.contains(u"too large to open"_s));
    }

    void decodeRefusesWhatIsNotAllowed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("svg") << QByteArray(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>");
        QTest::newRow("bmp") << QByteArray::fromHex("424d3a000000000000003600000028000000"
                                                    "0000");
        QTest::newRow("text") << QByteArray("hello, world");
        QTest::newRow("truncated png") << readFixture(u"text.png"_s).left(40);
    }

    void decodeRefusesWhatIsNotAllowed()
    {
        QFETCH(QByteArray, bytes);
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::ReadOnly);
        QString error;
        QVERIFY(ImagePrep::decode(&buffer, 0, &error).isNull());
        QVERIFY(!error.isEmpty());
    }

    void sendAsFileKeepsTheBytes()
    {
        const QByteArray original = readFixture(u"photo-gps.jpg"_s);
        const PreparedMedia fromDisk =
            ImagePrep::prepareFileNow(fixture(u"photo-gps.jpg"_s), ImagePrep::Mode::AsFile);
        QVERIFY2(fromDisk.ok(), qPrintable(fromDisk.error));
        QCOMPARE(fromDisk.path, fixture(u"photo-gps.jpg"_s));
        QVERIFY(fromDisk.bytes.isEmpty());
        QCOMPARE(fromDisk.meta.kind, AttachmentKind::File);
        QCOMPARE(fromDisk.meta.mime, u"image/jpeg"_s);
        QCOMPARE(fromDisk.meta.size, original.size());
        QVERIFY(fromDisk.warning.contains(u"metadata"_s));

        const PreparedMedia inMemory =
            ImagePrep::prepareBytesNow(original, u"photo-gps.jpg"_s, ImagePrep::Mode::AsFile);
        QCOMPARE(inMemory.bytes, original);
        QCOMPARE(inMemory.meta.kind, AttachmentKind::File);
    }

    void otherFilesGoUntouched()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"notes.png"_s); // a text file with an image's name
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("just some words\n");
        file.close();
        const PreparedMedia prepared = ImagePrep::prepareFileNow(path, ImagePrep::Mode::Media);
        QVERIFY2(prepared.ok(), qPrintable(prepared.error));
        QCOMPARE(prepared.meta.kind, AttachmentKind::File);
        QCOMPARE(prepared.meta.mime, u"text/plain"_s);
        QCOMPARE(prepared.path, path);
        QVERIFY(prepared.meta.thumbnail.isEmpty());
    }

    void limitsAreToldBeforeUpload()
    {
        MediaLimits limits;
        limits.imageBytes = 100;
        const PreparedMedia photo =
            ImagePrep::prepareFileNow(fixture(u"photo-gps.jpg"_s), ImagePrep::Mode::Media, limits);
        QVERIFY(!photo.ok());
        QVERIFY2(photo.error.contains(u"Photos can be at most"_s), qPrintable(photo.error));

        limits = {};
        limits.fileBytes = 10;
        const PreparedMedia file =
            ImagePrep::prepareFileNow(fixture(u"photo-gps.jpg"_s), ImagePrep::Mode::AsFile, limits);
        QVERIFY(!file.ok());
        QVERIFY2(file.error.contains(u"photo-gps.jpg"_s), qPrintable(file.error));
    }

    void runsOnAWorker()
    {
        QFuture<PreparedMedia> future =
            ImagePrep::prepareFile(fixture(u"photo-gps.jpg"_s), ImagePrep::Mode::Media);
        QTRY_VERIFY(future.isFinished());
        QVERIFY(future.result().ok());
        QCOMPARE(future.result().meta.width, 32);

        QImage pasted(100, 50, QImage::Format_ARGB32);
        pasted.fill(Qt::transparent);
        QFuture<PreparedMedia> paste = ImagePrep::prepareImage(pasted, u"clip"_s);
        QTRY_VERIFY(paste.isFinished());
        QCOMPARE(paste.result().meta.mime, u"image/png"_s);
    }
};

QTEST_MAIN(TestImagePrep)
#include "tst_client_imageprep.moc"
