// FileNames: hostile attachment names made harmless before they are shown or saved under, and
// Save as never overwriting nor leaving the chosen folder (media.md §10.1).
#include "media/FileNames.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Client;
using namespace Qt::StringLiterals;

class TestFileNames : public QObject
{
    Q_OBJECT

private slots:
    void sanitize_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << u"holiday.jpg"_s << u"holiday.jpg"_s;
        QTest::newRow("unicode") << u"Übersicht 日本.pdf"_s << u"Übersicht 日本.pdf"_s;
        QTest::newRow("traversal") << u"../../../etc/passwd"_s << u"passwd"_s;
        QTest::newRow("windows traversal") << u"..\\..\\Windows\\win.ini"_s << u"win.ini"_s;
        QTest::newRow("absolute") << u"/home/alice/.bashrc"_s << u"bashrc"_s;
        QTest::newRow("drive letter") << u"C:\\evil.txt"_s << u"evil.txt"_s;
        QTest::newRow("dot dot") << u".."_s << u"file"_s;
        QTest::newRow("dot") << u"."_s << u"file"_s;
        QTest::newRow("empty") << QString() << u"file"_s;
        QTest::newRow("only slashes") << u"///"_s << u"file"_s;
        QTest::newRow("trailing slash") << u"a/b/"_s << u"file"_s;
        QTest::newRow("hidden") << u".ssh"_s << u"ssh"_s;
        QTest::newRow("leading dots") << u"...profile"_s << u"profile"_s;
        QTest::newRow("trailing dots and spaces") << u"report.exe. . "_s << u"report.exe"_s;
        QTest::newRow("nul") << u"a\0b.txt"_s << u"ab.txt"_s;
        QTest::newRow("control") << u"line\nbreak\t\x1b[31m.txt"_s << u"linebreak[31m.txt"_s;
        QTest::newRow("del and c1") << u"a\x7f\u0085b.txt"_s << u"ab.txt"_s;
        QTest::newRow("rlo") << u"invoice\u202Egpj.exe"_s << u"invoicegpj.exe"_s;
        QTest::newRow("bidi isolates") << u"a\u2066b\u2067c\u2068d\u2069.txt"_s << u"abcd.txt"_s;
        QTest::newRow("marks") << u"\u200Ename\u200F\u061C.txt"_s << u"name.txt"_s;
        QTest::newRow("zero width") << u"pay\u200Bpal\uFEFF.html"_s << u"paypal.html"_s;
        QTest::newRow("windows forbidden") << u"a<b>c:d\"e|f?g*h.txt"_s << u"a_b_c_d_e_f_g_h.txt"_s;
        QTest::newRow("con") << u"CON"_s << u"_CON"_s;
        QTest::newRow("nul.txt") << u"nul.txt"_s << u"_nul.txt"_s;
        QTest::newRow("com1") << u"Com1.tar.gz"_s << u"_Com1.tar.gz"_s;
        QTest::newRow("lpt9") << u"lpt9"_s << u"_lpt9"_s;
        QTest::newRow("not reserved") << u"console.log"_s << u"console.log"_s;
        QTest::newRow("spaces around") << u"  notes.md  "_s << u"notes.md"_s;
        QTest::newRow("emoji") << u"🎉 party.png"_s << u"🎉 party.png"_s;
    }

    void sanitize()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        const QString clean = FileNames::sanitize(name);
        QCOMPARE(clean, expected);
        QCOMPARE(FileNames::sanitize(clean), clean); // stable
    }

    void longNamesKeepTheirExtension_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("suffix");
        QTest::newRow("ascii") << QString(400, u'a') + u".pdf"_s << u".pdf"_s;
        QTest::newRow("multibyte") << QString(300, u'ж') + u".jpeg"_s << u".jpeg"_s;
        QTest::newRow("emoji") << QString(u"😀"_s).repeated(200) + u".txt"_s << u".txt"_s;
        QTest::newRow("no extension") << QString(600, u'b') << QString();
        QTest::newRow("huge extension") << u"a."_s + QString(600, u'c') << QString();
    }

    void longNamesKeepTheirExtension()
    {
        QFETCH(QString, name);
        QFETCH(QString, suffix);
        const QString clean = FileNames::sanitize(name);
        QVERIFY2(clean.toUtf8().size() <= FileNames::MaxNameBytes,
                 QByteArray::number(clean.toUtf8().size()));
        QVERIFY(clean.toUtf8().size() > 200);
        if (!suffix.isEmpty())
            QVERIFY(clean.endsWith(suffix));
        // Cut between code points, never inside a surrogate pair.
        QVERIFY(!clean.isEmpty() && !clean.back().isHighSurrogate());
        QCOMPARE(QString::fromUtf8(clean.toUtf8()), clean);
    }

    void uniqueInNeverOverwrites()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString first = FileNames::uniqueIn(dir.path(), u"photo.jpg"_s);
        QCOMPARE(QFileInfo(first).fileName(), u"photo.jpg"_s);
        QFile(first).open(QIODevice::WriteOnly);
        const QString second = FileNames::uniqueIn(dir.path(), u"photo.jpg"_s);
        QCOMPARE(QFileInfo(second).fileName(), u"photo (1).jpg"_s);
        QFile(second).open(QIODevice::WriteOnly);
        QCOMPARE(QFileInfo(FileNames::uniqueIn(dir.path(), u"photo.jpg"_s)).fileName(),
                 u"photo (2).jpg"_s);
        QCOMPARE(QFileInfo(FileNames::uniqueIn(dir.path(), u"README"_s)).fileName(), u"README"_s);
    }

    void uniqueInStaysInTheFolder_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("traversal") << u"../../outside.txt"_s;
        QTest::newRow("absolute") << u"/tmp/outside.txt"_s;
        QTest::newRow("dot dot") << u".."_s;
        QTest::newRow("backslashes") << u"..\\outside.txt"_s;
        QTest::newRow("rlo") << u"\u202Eoutside.txt"_s;
        QTest::newRow("long") << QString(1000, u'x') + u".txt"_s;
    }

    void uniqueInStaysInTheFolder()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        const QString path = FileNames::uniqueIn(dir.path(), name);
        QVERIFY(!path.isEmpty());
        const QString canonicalDir = QFileInfo(dir.path()).canonicalFilePath();
        QCOMPARE(QFileInfo(path).absolutePath(), canonicalDir);
        QVERIFY(!QFileInfo::exists(path));
    }

    void uniqueInSkipsDanglingLinks()
    {
        QTemporaryDir dir;
        QTemporaryDir elsewhere;
        const QString target = elsewhere.filePath(u"victim"_s);
        // A link to a file that does not exist yet: writing "notes.txt" would create the victim.
        QVERIFY(QFile::link(target, dir.filePath(u"notes.txt"_s)));
        const QString path = FileNames::uniqueIn(dir.path(), u"notes.txt"_s);
        QCOMPARE(QFileInfo(path).fileName(), u"notes (1).txt"_s);
    }

    void uniqueInNeedsAFolder()
    {
        QTemporaryDir dir;
        QCOMPARE(FileNames::uniqueIn(dir.filePath(u"missing"_s), u"a.txt"_s), QString());
        QFile file(dir.filePath(u"plain"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QCOMPARE(FileNames::uniqueIn(file.fileName(), u"a.txt"_s), QString());
    }
};

QTEST_GUILESS_MAIN(TestFileNames)
#include "tst_client_filenames.moc"
