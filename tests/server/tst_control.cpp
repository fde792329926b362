// The control socket's protocol (one line in, one line out): what its parser accepts and refuses,
// and a ControlServer answering a real local socket, including a line that is too long.

#include "ops/ControlProtocol.h"
#include "ops/ControlServer.h"

#include <QFileInfo>
#include <QLocalSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Server;
using namespace Qt::StringLiterals;
using Kind = ControlProtocol::Command::Kind;

Q_DECLARE_METATYPE(Kind)

class TestControl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void serverAnswers();
};

void TestControl::parse_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<Kind>("kind");
    QTest::addColumn<qint64>("userId");
    QTest::newRow("ping") << QByteArray("ping") << Kind::Ping << qint64(0);
    QTest::newRow("sign out") << QByteArray("sign-out-user 42") << Kind::SignOutUser << qint64(42);
    QTest::newRow("carriage return")
        << QByteArray("sign-out-user 7\r") << Kind::SignOutUser << qint64(7);
    QTest::newRow("largest id") << QByteArray("sign-out-user 999999999999999999")
                                << Kind::SignOutUser << qint64(999'999'999'999'999'999);
    QTest::newRow("id too long") << QByteArray("sign-out-user 9999999999999999999") << Kind::Invalid
                                 << qint64(0);
    QTest::newRow("zero") << QByteArray("sign-out-user 0") << Kind::Invalid << qint64(0);
    QTest::newRow("negative") << QByteArray("sign-out-user -3") << Kind::Invalid << qint64(0);
    QTest::newRow("sign") << QByteArray("sign-out-user +3") << Kind::Invalid << qint64(0);
    QTest::newRow("trailing space") << QByteArray("sign-out-user 3 ") << Kind::Invalid << qint64(0);
    QTest::newRow("no id") << QByteArray("sign-out-user ") << Kind::Invalid << qint64(0);
    QTest::newRow("unknown") << QByteArray("shutdown") << Kind::Invalid << qint64(0);
    QTest::newRow("empty") << QByteArray() << Kind::Invalid << qint64(0);
    QTest::newRow("binary") << QByteArray("sign-out-user \0\xff", 16) << Kind::Invalid << qint64(0);
    QTest::newRow("too long") << QByteArray(ControlProtocol::MaxLineBytes + 1, 'x') << Kind::Invalid
                              << qint64(0);
}

void TestControl::parse()
{
    QFETCH(QByteArray, line);
    QFETCH(Kind, kind);
    QFETCH(qint64, userId);
    const ControlProtocol::Command command = ControlProtocol::parse(line);
    QCOMPARE(command.kind, kind);
    QCOMPARE(command.userId, userId);
    QCOMPARE(command.error.isEmpty(), kind != Kind::Invalid);
}

void TestControl::serverAnswers()
{
    QTemporaryDir dir;
    QList<qint64> signedOut;
    ControlServer server([&signedOut](qint64 userId) {
        signedOut.append(userId);
        return 3;
    });
    QString error;
    const QString path = dir.filePath(u"control.sock"_s);
    QVERIFY2(server.listen(path, &error), qPrintable(error));
    // Owner only: the file's permissions are the access control.
    QCOMPARE(QFileInfo(path).permissions()
                 & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
             QFile::Permissions());

    const auto ask = [&path](const QByteArray &bytes) {
        QLocalSocket socket;
        socket.connectToServer(path);
        if (!socket.waitForConnected(5000))
            return QByteArray("not connected");
        socket.write(bytes);
        QByteArray answer;
        [[maybe_unused]] const bool answered = QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return answer.endsWith('\n') || socket.state() != QLocalSocket::ConnectedState;
            },
            10'000);
        return answer + socket.readAll();
    };
    QCOMPARE(ask(ControlProtocol::encodeSignOutUser(17)), QByteArray("ok 3\n"));
    QCOMPARE(signedOut, QList<qint64> {17});
    QCOMPARE(ask("ping\n"), QByteArray("ok 0\n"));
    QVERIFY(ask("reboot\n").startsWith("error unknown command"));
    QVERIFY(ask(QByteArray(4096, 'a')).startsWith("error line too long"));
    QCOMPARE(signedOut.size(), 1);

    // A second server on the same socket is refused while the first one answers.
    ControlServer second([](qint64) { return 0; });
    QVERIFY(!second.listen(path, &error));
    QVERIFY2(error.contains(u"another messengerd"_s), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestControl)
#include "tst_control.moc"
