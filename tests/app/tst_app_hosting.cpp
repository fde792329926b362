// "Host a server on this computer" across the app's whole life: the hosted messengerd dies with
// the real `messenger` process however it ends (SIGKILL, SIGTERM), the next start hosts again and
// goes straight to the chats, a server an earlier run left behind is stopped, a port another
// program holds gives a retry (and, before any account lives there, another port) instead of the
// first-run page, and a second start on the same data folder shows the first one's window.
#include "AppController.h"
#include "AppLifecycle.h"

#include "account/Account.h"
#include "account/MemoryTokenVault.h"
#include "runtime/DataDirLock.h"

#include <QDir>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace Client;
using namespace App;
using Runtime::DataDirLock;

using namespace Qt::StringLiterals;
using Stage = Onboarding::Stage;

namespace {

constexpr int Timeout = 20'000;

//! A port nobody listens on right now (the kernel's pick, let go).
int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::AnyIPv4, 0);
    return probe.serverPort();
}

//! Whether `pid` is a live process (a zombie waiting for its reaper is not).
bool isAlive(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype end = line.lastIndexOf(')');
    return end > 0 && line.size() > end + 2 && line.at(end + 2) != 'Z' && line.at(end + 2) != 'X';
}

qint64 hostedServerPid(const QString &dataDir)
{
    const auto holder = DataDirLock::holder(QDir(dataDir).filePath(u"server"_s));
    return holder && holder->url.isValid() ? holder->pid : 0;
}

} // namespace

class TestAppHosting : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        m_runtime = std::make_unique<QTemporaryDir>();
        // Where the app's single-instance socket lives, for the apps and this test alike.
        qputenv("XDG_RUNTIME_DIR", QFile::encodeName(m_runtime->path()));
        m_vault = std::make_unique<MemoryTokenVault>();
        m_port = freePort();
        AppController::Options options {m_dir->path(), false, u"light"_s};
        options.hostedPort = m_port;
        options.hostOnFirstRun = true;
        options.vault = m_vault.get();
        AppController::setOptions(options);
    }

    void cleanup()
    {
        if (m_app.state() != QProcess::NotRunning) {
            m_app.kill();
            m_app.waitForFinished(5000);
        }
        // Nothing a case started may outlive it.
        if (const qint64 pid = hostedServerPid(m_dir->path()))
            ::kill(pid_t(pid), SIGKILL);
    }

    void appEndedBySignalLeavesNoServerAndTheNextStartShowsTheChats_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGKILL") << int(SIGKILL);
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void appEndedBySignalLeavesNoServerAndTheNextStartShowsTheChats()
    {
        QFETCH(int, signal);
        signUpOnTheHostedServer();

        // The real app, started as a user starts it: it hosts the server on its own.
        startApp();
        QTRY_VERIFY_WITH_TIMEOUT(hostedServerPid(m_dir->path()) > 0, Timeout);
        const qint64 server = hostedServerPid(m_dir->path());
        QVERIFY(isAlive(server));

        ::kill(pid_t(m_app.processId()), signal);
        QVERIFY(m_app.waitForFinished(Timeout));
        if (signal == SIGKILL) {
            QCOMPARE(m_app.exitStatus(), QProcess::CrashExit);
        } else {
            // Ended in order: the event loop quit, the server was stopped, the stores closed.
            QCOMPARE(m_app.exitStatus(), QProcess::NormalExit);
            QCOMPARE(m_app.exitCode(), 0);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!isAlive(server), Timeout);
        // Its last thread may close the files a moment after the main one is gone.
        QTRY_VERIFY_WITH_TIMEOUT(!DataDirLock::holder(QDir(m_dir->path()).filePath(u"server"_s)),
                                 Timeout);

        // Started again: the server again, on its port, and the chats, signed in.
        AppController again;
        QTRY_VERIFY_WITH_TIMEOUT(again.onboarding()->isHosting(), Timeout);
        QCOMPARE(again.onboarding()->stage(), Stage::Done);
        QCOMPARE(again.username(), u"host"_s);
        QTRY_COMPARE_WITH_TIMEOUT(again.connectionState(), AppController::ConnectionState::Online,
                                  Timeout);
        QCOMPARE(QUrl(again.onboarding()->serverAddress()).port(), m_port);
    }

    void serverLeftBehindByAnEarlierRunIsStopped()
    {
        signUpOnTheHostedServer();
        // A messengerd serving the app's server folder that the app did not start (an app that
        // died before the parent-death signal existed, or one started by hand).
        QProcess orphan;
        orphan.start(u"" MESSENGERD_EXECUTABLE ""_s,
                     {u"--listen"_s, u"0.0.0.0"_s, u"--port"_s, QString::number(m_port),
                      u"--data-dir"_s, QDir(m_dir->path()).filePath(u"server"_s), u"--tls"_s,
                      u"self-signed"_s, u"--admin-listen"_s, u"off"_s});
        QTRY_VERIFY_WITH_TIMEOUT(hostedServerPid(m_dir->path()) == orphan.processId(), Timeout);

        AppController app;
        QTRY_VERIFY_WITH_TIMEOUT(app.onboarding()->isHosting(), Timeout);
        // Stopped by the app, in order (SIGTERM: it drained and exited).
        QTRY_COMPARE_WITH_TIMEOUT(orphan.state(), QProcess::NotRunning, Timeout);
        QCOMPARE(orphan.exitStatus(), QProcess::NormalExit);
        QTRY_VERIFY_WITH_TIMEOUT(hostedServerPid(m_dir->path()) > 0, Timeout);
        QVERIFY(hostedServerPid(m_dir->path()) != orphan.processId());
        QCOMPARE(app.onboarding()->stage(), Stage::Done);
        QVERIFY(app.onboarding()->hostingProblem().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(app.connectionState(), AppController::ConnectionState::Online,
                                  Timeout);
    }

    void portTakenByAnotherProgramKeepsTheChatsAndOffersARetry()
    {
        signUpOnTheHostedServer();
        QTcpServer other; // another program on the hosted server's port
        QVERIFY(other.listen(QHostAddress::AnyIPv4, quint16(m_port)));

        AppController app;
        QTRY_VERIFY_WITH_TIMEOUT(!app.onboarding()->hostingProblem().isEmpty(), Timeout);
        QVERIFY(app.onboarding()->isHostingPortInUse());
        // Never the first-run page for someone with an account: the chats, with the problem.
        QCOMPARE(app.onboarding()->stage(), Stage::Done);
        QCOMPARE(app.username(), u"host"_s);
        QVERIFY(!app.onboarding()->isHosting());
        // Friends and the account know the server by its port: moving it is not offered.
        QVERIFY(!app.onboarding()->canHostOnAnotherPort());

        other.close();
        app.onboarding()->retryHosting();
        QTRY_VERIFY_WITH_TIMEOUT(
            app.onboarding()->isHosting() && app.onboarding()->hostingProblem().isEmpty(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(app.connectionState(), AppController::ConnectionState::Online,
                                  Timeout);
    }

    void portTakenOnTheFirstRunOffersAnotherPort()
    {
        QTcpServer other;
        QVERIFY(other.listen(QHostAddress::AnyIPv4, quint16(m_port)));

        AppController app;
        QTRY_VERIFY_WITH_TIMEOUT(!app.onboarding()->hostingProblem().isEmpty(), Timeout);
        QCOMPARE(app.onboarding()->stage(), Stage::ChooseServer);
        QVERIFY(app.onboarding()->errorMessage().contains(QString::number(m_port)));
        QVERIFY(app.onboarding()->canHostOnAnotherPort());

        app.onboarding()->hostOnAnotherPort();
        QTRY_COMPARE_WITH_TIMEOUT(app.onboarding()->stage(), Stage::SignIn, Timeout);
        QVERIFY(app.onboarding()->isHosting());
        QVERIFY(app.onboarding()->hostingProblem().isEmpty());
        const int port = QUrl(app.onboarding()->serverAddress()).port();
        QVERIFY2(port > m_port, qPrintable(app.onboarding()->serverAddress()));
    }

    void secondStartOnTheSameDataFolderShowsTheFirstWindow()
    {
        startApp();
        SingleInstance probe(m_dir->path());
        // The first app answers on its socket once it runs (the test asks, as a second start does).
        QTRY_VERIFY_WITH_TIMEOUT(probe.activateRunning(1000), Timeout);

        QProcess second;
        second.setProcessEnvironment(appEnvironment());
        second.start(u"" MESSENGER_EXECUTABLE ""_s, {u"--data-dir"_s, m_dir->path()});
        QVERIFY(second.waitForFinished(Timeout));
        QCOMPARE(second.exitStatus(), QProcess::NormalExit);
        QCOMPARE(second.exitCode(), 0);
        QVERIFY2(second.readAllStandardError().contains("already running"), "no word said");
        QCOMPARE(m_app.state(), QProcess::Running); // the first one goes on

        // The folder is free again once the first one ends; a start then is the app.
        m_app.terminate();
        QVERIFY(m_app.waitForFinished(Timeout));
        SingleInstance next(m_dir->path());
        QVERIFY(next.claim());
    }

private:
    //! Registers "host" through an in-process app that hosts the server (the first run of
    //! `messenger --host-server`), then ends that app: the folder holds the account, its token is
    //! in the test's vault.
    void signUpOnTheHostedServer()
    {
        AppController app;
        QTRY_COMPARE_WITH_TIMEOUT(app.onboarding()->stage(), Stage::SignIn, Timeout);
        QVERIFY(app.onboarding()->isHosting());
        app.onboarding()->registerUser(u"host"_s, {}, u"correct horse battery"_s, {});
        QTRY_COMPARE_WITH_TIMEOUT(app.onboarding()->stage(), Stage::Done, Timeout);
    }

    QProcessEnvironment appEnvironment() const
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        environment.insert(u"XDG_RUNTIME_DIR"_s, m_runtime->path());
        return environment;
    }

    void startApp()
    {
        m_app.setProcessEnvironment(appEnvironment());
        m_app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_app.start(u"" MESSENGER_EXECUTABLE ""_s,
                    {u"--data-dir"_s, m_dir->path(), u"--no-keychain"_s});
        QVERIFY2(m_app.waitForStarted(Timeout), qPrintable(m_app.errorString()));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QTemporaryDir> m_runtime;
    std::unique_ptr<MemoryTokenVault> m_vault;
    int m_port = 0;
    QProcess m_app;
};

QTEST_MAIN(TestAppHosting)
#include "tst_app_hosting.moc"
