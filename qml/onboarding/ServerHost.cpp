#include "ServerHost.h"

#include "AppLogging.h"

#include "runtime/DataDirLock.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkInterface>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace App {

using namespace Qt::StringLiterals;

ServerHost::ServerHost(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_process, &QProcess::readyRead, this, &ServerHost::onOutput);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError) {
        if (!m_announced)
            Q_EMIT failed(tr("Could not start messengerd: %1").arg(m_process.errorString()), false);
    });
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) {
        if (!m_stopping)
            qCWarning(lcOnboarding) << "messengerd exited with" << code;
        if (!m_announced) {
            const QString output = QString::fromUtf8(m_output).trimmed();
            // "cannot listen on 0.0.0.0:7400: The bound address is already in use": another
            // program took the port between isPortFree() and messengerd's listen().
            const bool portInUse = output.contains(u"already in use"_s);
            Q_EMIT failed(output.isEmpty() ? tr("messengerd stopped (exit code %1)").arg(code)
                                           : output,
                          portInUse);
        }
        m_announced = false;
        m_stopping = false;
        m_url.clear();
    });
}

ServerHost::~ServerHost()
{
    stop();
}

QString ServerHost::executablePath()
{
    // Installed: beside the app (/usr/bin). In the build tree: the build's own. Else on the PATH.
    QString besideApp = QDir(QCoreApplication::applicationDirPath()).filePath(u"messengerd"_s);
    if (QFileInfo(besideApp).isExecutable())
        return besideApp;
#ifdef MESSENGERD_BUILD_PATH
    if (QString built = QStringLiteral(MESSENGERD_BUILD_PATH); QFileInfo(built).isExecutable())
        return built;
#endif
    const QString onPath = QStandardPaths::findExecutable(u"messengerd"_s);
    return onPath.isEmpty() ? besideApp : onPath;
}

void ServerHost::start(const QString &dataDir, int port)
{
    if (isRunning() || m_orphanWait)
        return;
    QDir().mkpath(dataDir);
    m_dataDir = dataDir;
    m_port = port;
    m_url.clear();
    m_output.clear();
    m_announced = false;
    // This app is the only one on its data folder (SingleInstance), so a messengerd serving the
    // folder is one an earlier run left behind (killed before it could stop it, or an older
    // version without the parent-death signal): stop it, then start ours.
    if (const auto orphan = Runtime::DataDirLock::holder(dataDir)) {
        stopOrphan(orphan->pid);
        return;
    }
    if (port != 0 && !isPortFree(port)) {
        Q_EMIT failed(tr("Port %1 is used by another program.").arg(port), true);
        return;
    }
    launch();
}

void ServerHost::launch()
{
    // Reachable from the network, so never in plain text. No admin listener: a server hosted by
    // the app is watched by the app, and 127.0.0.1:9400 stays free for a system messengerd.
    const QStringList arguments {
        u"--listen"_s, u"0.0.0.0"_s, u"--port"_s,      QString::number(m_port), u"--data-dir"_s,
        m_dataDir,     u"--tls"_s,   u"self-signed"_s, u"--admin-listen"_s,     u"off"_s};
    // The server goes with the app, however the app ends (SIGKILL and crashes included): the
    // kernel sends it SIGTERM when this process dies (it forks from this, the GUI thread, which
    // lives as long as the process). Should the app have died before prctl() ran, the child's
    // parent is no longer this process and it leaves at once.
    const pid_t parent = ::getpid();
    m_process.setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(1);
    });
    qCInfo(lcOnboarding) << "starting" << executablePath() << arguments;
    m_process.start(executablePath(), arguments);
}

void ServerHost::stopOrphan(qint64 pid)
{
    QFile comm(u"/proc/%1/comm"_s.arg(pid));
    const bool isMessengerd = comm.open(QIODevice::ReadOnly)
        && comm.readAll().trimmed() == QByteArrayLiteral("messengerd");
    if (pid <= 0 || !isMessengerd) {
        Q_EMIT failed(tr("Another program (process %1) holds the server's data folder %2.")
                          .arg(pid)
                          .arg(m_dataDir),
                      false);
        return;
    }
    qCInfo(lcOnboarding) << "stopping the messengerd an earlier run left serving" << m_dataDir
                         << "(process" << pid << ")";
    ::kill(pid_t(pid), SIGTERM);
    // It drains and exits within seconds; past 10 s it is killed, past 15 s given up on.
    m_orphanWait = new QTimer(this);
    m_orphanWait->setInterval(50);
    auto *since = new QElapsedTimer;
    since->start();
    connect(m_orphanWait, &QTimer::destroyed, this, [since] { delete since; });
    connect(m_orphanWait, &QTimer::timeout, this, [this, pid, since] {
        const bool gone = !Runtime::DataDirLock::holder(m_dataDir).has_value();
        if (!gone && since->elapsed() < 15'000) {
            if (since->elapsed() >= 10'000)
                ::kill(pid_t(pid), SIGKILL);
            return;
        }
        m_orphanWait->deleteLater();
        m_orphanWait = nullptr;
        if (!gone) {
            Q_EMIT failed(
                tr("The server left running by an earlier start (process %1) does not stop.")
                    .arg(pid),
                false);
            return;
        }
        start(m_dataDir, m_port);
    });
    m_orphanWait->start();
}

bool ServerHost::isPortFree(int port)
{
    QTcpServer probe;
    return probe.listen(QHostAddress::AnyIPv4, quint16(port)); // as messengerd will
}

void ServerHost::stop()
{
    if (m_orphanWait) {
        m_orphanWait->deleteLater();
        m_orphanWait = nullptr;
    }
    if (!isRunning())
        return;
    m_announced = true; // a stop we asked for is no failure
    m_stopping = true;
    m_process.terminate(); // messengerd drains: its clients are told to reconnect, nothing is lost
    if (!m_process.waitForFinished(5000))
        m_process.kill();
}

void ServerHost::onOutput()
{
    m_output += m_process.readAll();
    if (m_announced)
        return;
    // "messengerd <version> listening on wss://host:port" … "certificate SHA-256: AB:CD:…"
    static const QRegularExpression listening(u"listening on (\\S+)"_s);
    static const QRegularExpression certificate(u"certificate SHA-256: ([0-9A-F:]{95})"_s);
    const QString output = QString::fromUtf8(m_output);
    const QRegularExpressionMatch match = listening.match(output);
    const QRegularExpressionMatch fingerprint = certificate.match(output);
    if (!match.hasMatch() || !fingerprint.hasMatch())
        return;
    m_announced = true;
    m_fingerprint = fingerprint.captured(1);
    QUrl url(match.captured(1));
    if (url.host() == u"0.0.0.0"_s)
        url.setHost(u"127.0.0.1"_s);
    m_url = url;
    Q_EMIT started(url);
}

QString ServerHost::addressForFriends() const
{
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback()
            && !address.isLinkLocal())
            return u"%1://%2:%3"_s.arg(m_url.scheme(), address.toString()).arg(m_url.port());
    }
    return m_url.toString();
}

} // namespace App
