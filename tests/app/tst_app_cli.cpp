// The `messenger` executable's command line, run as a user runs it: --help and --version (and a
// mistaken option) are answered without a display — over ssh, on a server, in CI — so the test
// runs it with DISPLAY, WAYLAND_DISPLAY and QT_QPA_PLATFORM taken out of its environment.
#include <QProcess>
#include <QTest>

using namespace Qt::StringLiterals;

class TestAppCommandLine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void answeredWithoutADisplay_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QStringList>("output"); //!< what stdout says
        QTest::addColumn<QString>("error"); //!< what stderr says

        const QStringList help {u"Usage:"_s, u"--data-dir <dir>"_s, u"--host-server"_s,
                                u"--no-keychain"_s, u"--version"_s};
        const QStringList version {u"messenger " MESSENGER_VERSION "\n"_s};
        QTest::newRow("--help") << QStringList {u"--help"_s} << 0 << help << QString();
        QTest::newRow("-h") << QStringList {u"-h"_s} << 0 << help << QString();
        QTest::newRow("--version") << QStringList {u"--version"_s} << 0 << version << QString();
        QTest::newRow("-v") << QStringList {u"-v"_s} << 0 << version << QString();
        // Qt's own options are the QApplication's; they do not stand in the way.
        QTest::newRow("Qt's options, --version")
            << QStringList {u"-platform"_s, u"xcb"_s, u"--version"_s} << 0 << version << QString();
        QTest::newRow("a mistake")
            << QStringList {u"--bogus"_s} << 1 << QStringList() << u"Unknown option 'bogus'"_s;
        QTest::newRow("a missing value")
            << QStringList {u"--data-dir"_s} << 1 << QStringList() << u"data-dir"_s;
    }

    void answeredWithoutADisplay()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QStringList, output);
        QFETCH(QString, error);

        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        for (const QString &name : {u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"QT_QPA_PLATFORM"_s})
            environment.remove(name);
        QProcess messenger;
        messenger.setProcessEnvironment(environment);
        messenger.start(QStringLiteral(MESSENGER_EXECUTABLE), arguments);
        QVERIFY2(messenger.waitForFinished(30'000), qPrintable(messenger.errorString()));
        const QString out = QString::fromLocal8Bit(messenger.readAllStandardOutput());
        const QString err = QString::fromLocal8Bit(messenger.readAllStandardError());
        QCOMPARE(messenger.exitStatus(), QProcess::NormalExit);
        QVERIFY2(
            messenger.exitCode() == exitCode,
            qPrintable(
                u"exit code %1; stdout: %2; stderr: %3"_s.arg(messenger.exitCode()).arg(out, err)));
        if (output.size() == 1 && output.constFirst().endsWith(u'\n'))
            QCOMPARE(out, output.constFirst()); // the version: exactly that
        for (const QString &part : std::as_const(output))
            QVERIFY2(out.contains(part), qPrintable(u"no \"%1\" in: %2"_s.arg(part, out)));
        if (exitCode == 0)
            QVERIFY2(err.isEmpty(), qPrintable(err));
        else
            QVERIFY2(err.contains(error), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestAppCommandLine)
#include "tst_app_cli.moc"
