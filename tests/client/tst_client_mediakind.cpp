// MediaKind: the type comes from the bytes, not the name; executables are recognised by name and
// by content; SVG and HTML are files, never images; per-kind limits from the welcome.
#include "media/BlobCipher.h"
#include "media/MediaKind.h"
#include "protocol/Attachment.h"
#include "protocol/MessageBody.h"
#include "text/DisplayText.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Client;
using namespace Qt::StringLiterals;
using Protocol::Body::AttachmentKind;

namespace {

QByteArray fixture(const QString &name)
{
    QFile file(QStringLiteral(CLIENT_TEST_DATA "/media/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return file.readAll();
}

QByteArray elfHeader()
{
    QByteArray elf("\x7f"
                   "ELF\x02\x01\x01\x00",
                   8);
    elf += QByteArray(8, '\0');
    elf += QByteArray("\x02\x00\x3e\x00\x01\x00\x00\x00", 8); // ET_EXEC, x86-64
    elf += QByteArray(40, '\0');
    return elf;
}

QByteArray peHeader()
{
    QByteArray pe("MZ\x90\x00", 4);
    pe += QByteArray(56, '\0');
    pe += QByteArray("\x80\x00\x00\x00", 4);
    pe += QByteArray(64, '\0');
    pe += QByteArray("PE\0\0", 4);
    return pe;
}

} // namespace

Q_DECLARE_METATYPE(AttachmentKind)

class TestMediaKind : public QObject
{
    Q_OBJECT

private slots:
    void fromContent_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("mime");
        QTest::addColumn<AttachmentKind>("kind");
        QTest::addColumn<bool>("dangerous");
        QTest::newRow("png named x.txt") << fixture(u"text.png"_s) << u"x.txt"_s << u"image/png"_s
                                         << AttachmentKind::Image << false;
        QTest::newRow("jpeg") << fixture(u"photo-gps.jpg"_s) << u"a.jpg"_s << u"image/jpeg"_s
                              << AttachmentKind::Image << false;
        QTest::newRow("gif") << fixture(u"anim.gif"_s) << u"a.gif"_s << u"image/gif"_s
                             << AttachmentKind::Image << false;
        QTest::newRow("jpeg named a.jpg.exe") << fixture(u"photo-gps.jpg"_s) << u"a.jpg.exe"_s
                                              << u"image/jpeg"_s << AttachmentKind::Image << true;
        QTest::newRow("elf named photo.jpg")
            << elfHeader() << u"photo.jpg"_s << u"application/x-executable"_s
            << AttachmentKind::File << true;
        QTest::newRow("pe named doc.pdf")
            << peHeader() << u"doc.pdf"_s << u"application/x-ms-dos-executable"_s
            << AttachmentKind::File << true;
        QTest::newRow("shell script")
            << QByteArray("#!/bin/sh\nrm -rf ~\n") << u"notes.txt"_s
            << u"application/x-shellscript"_s << AttachmentKind::File << true;
        QTest::newRow("desktop entry")
            << QByteArray("[Desktop Entry]\nType=Application\nExec=sh -c x\n") << u"readme"_s
            << u"application/x-desktop"_s << AttachmentKind::File << true;
        QTest::newRow("svg") << QByteArray(
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" "
            "height=\"4\"></svg>")
                             << u"a.svg"_s << u"image/svg+xml"_s << AttachmentKind::File << false;
        QTest::newRow("svg with script")
            << QByteArray(
                   "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")
            << u"a.svg"_s << u"image/svg+xml"_s << AttachmentKind::File << false;
        QTest::newRow("html") << QByteArray("<!DOCTYPE html><html><body>hi</body></html>")
                              << u"a.png"_s << u"text/html"_s << AttachmentKind::File << false;
        QTest::newRow("text") << QByteArray("just words\n") << u"a.mp4"_s << u"text/plain"_s
                              << AttachmentKind::File << false;
        QTest::newRow("pdf") << QByteArray("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") << u"a.pdf"_s
                             << u"application/pdf"_s << AttachmentKind::File << false;
        QTest::newRow("ogg opus") << fixture(u"voice.ogg"_s) << u"v.opus"_s << u"audio/x-opus+ogg"_s
                                  << AttachmentKind::Audio << false;
    }

    void fromContent()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, name);
        QFETCH(QString, mime);
        QFETCH(AttachmentKind, kind);
        QFETCH(bool, dangerous);
        QCOMPARE(MediaKind::mimeForData(bytes), mime);
        QCOMPARE(MediaKind::kindForMime(MediaKind::mimeForData(bytes)), kind);
        QCOMPARE(MediaKind::isDangerous(name, bytes), dangerous);

        QTemporaryDir dir;
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.close();
        QCOMPARE(MediaKind::mimeForFile(file.fileName()), mime);
    }

    void dangerousNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("dangerous");
        for (const char *name : {"setup.exe", "a.jpg.exe", "RUN.BAT", "x.msi", "x.scr", "x.lnk",
                                 "x.jar", "x.ps1", "x.vbs", "x.desktop", "Tool.AppImage", "x.sh",
                                 "x.py", "x.deb", "x.exe.", "x.exe  ", "x.hta", "x.cmd"})
            QTest::newRow(name) << QString::fromUtf8(name) << true;
        for (const char *name : {"a.jpg", "report.pdf", "a.exe.txt", "notes", "archive.tar.gz",
                                 "song.ogg", ".bashrc.txt", "exe"})
            QTest::newRow(name) << QString::fromUtf8(name) << false;
    }

    void dangerousNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, dangerous);
        QCOMPARE(MediaKind::isDangerousName(name), dangerous);
    }

    void onlyFourImageFormats()
    {
        for (const char *mime : {"image/png", "image/jpeg", "image/gif", "image/webp"})
            QVERIFY(MediaKind::isAllowedImageMime(QString::fromLatin1(mime)));
        for (const char *mime : {"image/svg+xml", "image/x-tga", "image/tiff", "image/x-icns",
                                 "image/ktx", "image/bmp", "text/html"}) {
            QVERIFY(!MediaKind::isAllowedImageMime(QString::fromLatin1(mime)));
            QCOMPARE(MediaKind::kindForMime(QString::fromLatin1(mime)), AttachmentKind::File);
        }
        QCOMPARE(MediaKind::kindForMime(u"video/mp4"_s), AttachmentKind::Video);
        QCOMPARE(MediaKind::kindForMime(u"audio/mpeg"_s), AttachmentKind::Audio);
    }

    void limits()
    {
        const MediaLimits defaults;
        QCOMPARE(defaults.limitFor(AttachmentKind::Image), 26'214'400);
        QCOMPARE(defaults.limitFor(AttachmentKind::Video), 104'857'600);
        QCOMPARE(defaults.limitFor(AttachmentKind::Voice), 16'777'216);
        QCOMPARE(defaults.limitFor(AttachmentKind::Audio), 16'777'216);
        QCOMPARE(defaults.limitFor(AttachmentKind::File), 104'857'600);

        const MediaLimits announced = MediaLimits::fromWelcome(QCborMap {
            {"maxImageBytes"_L1, 1000}, {"maxBlobBytes"_L1, 5000}, {"maxFileBytes"_L1, -3}});
        QCOMPARE(announced.limitFor(AttachmentKind::Image), 1000);
        QCOMPARE(announced.limitFor(AttachmentKind::File), 5000); // never above maxBlobBytes
        QVERIFY(
            MediaKind::sizeProblem(u"a.jpg"_s, 1000, AttachmentKind::Image, announced).isEmpty());
        const QString problem =
            MediaKind::sizeProblem(u"a.jpg"_s, 1001, AttachmentKind::Image, announced);
        QVERIFY(problem.contains(u"“a.jpg”"_s));
        QVERIFY(problem.contains(u"Photos can be at most"_s));
    }

    // How a message of attachments reads in the chat list and in notifications.
    void previews_data()
    {
        QTest::addColumn<QList<int>>("kinds");
        QTest::addColumn<QString>("caption");
        QTest::addColumn<QString>("preview");
        QTest::addColumn<QString>("text");
        using K = AttachmentKind;
        QTest::newRow("photo") << QList {int(K::Image)} << QString() << u"📷 Photo"_s
                               << u"📷 Photo"_s;
        QTest::newRow("three photos") << QList {int(K::Image), int(K::Image), int(K::Image)}
                                      << QString() << u"📷 3 photos"_s << u"📷 3 photos"_s;
        QTest::newRow("mixed") << QList {int(K::Image), int(K::File)} << QString()
                               << u"📷 2 attachments"_s << u"📷 2 attachments"_s;
        QTest::newRow("voice") << QList {int(K::Voice)} << QString() << u"🎤 Voice message (1:05)"_s
                               << u"🎤 Voice message (1:05)"_s;
        QTest::newRow("file by name")
            << QList {int(K::File)} << QString() << u"📎 plan.txt"_s << u"📎 plan.txt"_s;
        QTest::newRow("caption") << QList {int(K::Video)} << u"Look at this"_s
                                 << u"🎬 Look at this"_s << u"Look at this"_s;
    }
    void previews()
    {
        QFETCH(QList<int>, kinds);
        QFETCH(QString, caption);
        QFETCH(QString, preview);
        QFETCH(QString, text);
        QList<Protocol::Body::Attachment> attachments;
        for (int kind : std::as_const(kinds)) {
            Protocol::Body::Attachment a;
            a.blobId = QString(26, u'a');
            a.key = QByteArray(32, 'k');
            a.sha256 = QByteArray(32, 's');
            a.size = 10;
            a.cipherSize = Media::cipherSizeFor(10);
            a.kind = AttachmentKind(kind);
            a.mime = u"application/octet-stream"_s;
            a.name = u"plan.txt"_s;
            a.durationMs = 65'000;
            attachments.append(a);
        }
        Protocol::Body::MessageBody body = Protocol::Body::text(caption);
        Protocol::Body::setAttachments(body, attachments);
        Protocol::MessageRecord record;
        record.contentType = Protocol::Body::ContentType;
        record.content = Protocol::Body::encode(body);
        QCOMPARE(DisplayText::preview(record, {}), preview);
        if (!text.isNull())
            QCOMPARE(DisplayText::messageText(record, {}), text);
    }
};

QTEST_GUILESS_MAIN(TestMediaKind)
#include "tst_client_mediakind.moc"
