#include "Daemon.h"

#include "TestServer.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

Daemon::Daemon(const QString &executable, const TestServer *fixture)
    : m_executable(executable)
    , m_fixture(fixture)
{
}

Daemon::~Daemon()
{
    kill();
}

QStringList Daemon::commonArguments(QProcessEnvironment *environment) const
{
    return QStringList {u"--data-dir"_s, m_dataDir.path(),        u"--password-ops"_s,
                        u"1"_s,          u"--password-mem-kib"_s, u"8"_s}
    + m_fixture->daemonArguments(environment);
}

bool Daemon::start(const QStringList &arguments, const QProcessEnvironment &extra)
{
    kill();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList all = QStringList {u"--port"_s, QString::number(m_port)}
        + commonArguments(&environment) + arguments;
    for (const QString &key : extra.keys())
        environment.insert(key, extra.value(key));
    m_process = std::make_unique<QProcess>();
    m_process->setProcessEnvironment(environment);
    QProcess *process = m_process.get();
    QObject::connect(process, &QProcess::readyReadStandardOutput, process,
                     [this, process] { m_stdout += process->readAllStandardOutput(); });
    QObject::connect(process, &QProcess::readyReadStandardError, process,
                     [this, process] { m_stderr += process->readAllStandardError(); });
    QObject::connect(process, &QProcess::finished, process,
                     [this, process](int code, QProcess::ExitStatus status) {
                         m_stdout += process->readAllStandardOutput();
                         m_stderr += process->readAllStandardError();
                         m_exitCode = code;
                         m_exitStatus = status;
                     });
    const qsizetype before = m_stdout.size();
    process->start(m_executable, all);
    if (!process->waitForStarted(10'000))
        return false;
    // messengerd prints "messengerd <version> listening on ws://host:port" once it listens.
    static const QRegularExpression listening(u"listening on (wss?://\\S+)"_s);
    QRegularExpressionMatch match;
    const bool up = QTest::qWaitFor(
        [&] {
            match = listening.match(QString::fromUtf8(m_stdout.mid(before)));
            return match.hasMatch() || process->state() == QProcess::NotRunning;
        },
        20'000);
    if (!up || !match.hasMatch()) {
        qWarning().noquote() << "messengerd did not start:" << m_stderr;
        return false;
    }
    m_url = QUrl(match.captured(1));
    m_port = quint16(m_url.port());
    return true;
}

bool Daemon::signal(int signal)
{
    return isRunning() && ::kill(pid_t(m_process->processId()), signal) == 0;
}

bool Daemon::waitFinished(int timeoutMs)
{
    if (!m_process)
        return true;
    return QTest::qWaitFor([this] { return m_process->state() == QProcess::NotRunning; },
                           timeoutMs);
}

int Daemon::runCommand(const QStringList &arguments, const QByteArray &input, QByteArray *output)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QProcess command;
    const QStringList all = commonArguments(&environment) + arguments;
    command.setProcessEnvironment(environment);
    command.setProcessChannelMode(QProcess::MergedChannels);
    command.start(m_executable, all);
    command.write(input);
    command.closeWriteChannel();
    // The event loop keeps running: the server process's output and the clients' sockets move.
    if (!QTest::qWaitFor([&command] { return command.state() == QProcess::NotRunning; }, 30'000))
        return -1;
    *output = command.readAll();
    return command.exitStatus() == QProcess::NormalExit ? command.exitCode() : -1;
}

void Daemon::kill()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(10'000);
    }
    m_process.reset();
}
