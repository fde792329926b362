#pragma once

#include <QByteArray>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

class TestServer;

//! The real messengerd executable on a TestServer's database (for what only a process shows:
//! signals, exit codes, its log), with its own data folder. Collects everything it prints.
class Daemon
{
public:
    //! `executable` is messengerd's path (MESSENGERD_PATH in the test's CMake definitions).
    Daemon(const QString &executable, const TestServer *fixture);
    ~Daemon();

    //! Starts it with the fixture's database, port 0 (or the port of its previous run, so clients
    //! can come back), cheap password hashing and `arguments`; waits until it listens.
    bool start(const QStringList &arguments = {}, const QProcessEnvironment &extra = {});
    QUrl url() const { return m_url; }
    QString dataDir() const { return m_dataDir.path(); }
    qint64 pid() const { return m_process ? m_process->processId() : 0; }
    bool isRunning() const { return m_process && m_process->state() != QProcess::NotRunning; }

    bool signal(int signal);
    //! Waits for the process to end; false on timeout.
    bool waitFinished(int timeoutMs = 30'000);
    QProcess::ExitStatus exitStatus() const { return m_exitStatus; }
    int exitCode() const { return m_exitCode; }

    //! Standard output and error of every run so far.
    QByteArray output() const { return m_stdout + m_stderr; }
    QByteArray standardError() const { return m_stderr; }
    //! Runs an admin command of the same executable on the same database and data folder;
    //! `input` goes to its standard input. Returns its exit code, its output in *output.
    int runCommand(const QStringList &arguments, const QByteArray &input, QByteArray *output);

    void kill();

private:
    QStringList commonArguments(QProcessEnvironment *environment) const;

    QString m_executable;
    const TestServer *m_fixture;
    QTemporaryDir m_dataDir;
    std::unique_ptr<QProcess> m_process;
    QUrl m_url;
    quint16 m_port = 0;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QProcess::ExitStatus m_exitStatus = QProcess::NormalExit;
    int m_exitCode = -1;
};
