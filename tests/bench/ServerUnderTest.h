#pragma once

#include "BenchOptions.h"

#include <QString>

#include <memory>
#include <sys/types.h>

namespace Server {
class MessengerServer;
} // namespace Server

class QProcess;
class QObject;
class QThread;

namespace Bench {

//! One messengerd for one scenario: either the real binary in a child process, or the server
//! library on its own thread of this process. Both get the cheapest Argon2id cost (registration
//! is deliberately slow and not what is measured); only the in-process one gets its
//! per-connection rate limits raised, because messengerd has no option for them.
class ServerUnderTest
{
public:
    ServerUnderTest(const BenchOptions &options, QString dataDir, bool spawn, int maxConnections);
    ~ServerUnderTest();

    bool start(QString *error);
    void stop();

    bool isSpawned() const { return m_spawn; }
    quint16 port() const { return m_port; }
    //! The child's pid, or 0 for the in-process server.
    pid_t pid() const;
    //! Resident memory of the server process (the whole bench process when in-process).
    qint64 rssKib() const;
    QString logPath() const { return m_logPath; }
    QString describe() const;
    //! After stop(): how a spawned server ended when it did not exit cleanly; else empty.
    QString exitProblem() const { return m_exitProblem; }
    //! After stop(): seconds from SIGTERM (or the in-process stop) until the server was gone.
    double stopSeconds() const { return m_stopSeconds; }

private:
    bool startSpawned(QString *error);
    bool startInProcess(QString *error);

    const BenchOptions &m_options;
    QString m_dataDir;
    QString m_logPath;
    bool m_spawn;
    int m_maxConnections;
    quint16 m_port = 0;
    QString m_exitProblem;
    double m_stopSeconds = 0;
    std::unique_ptr<QProcess> m_process;
    std::unique_ptr<QThread> m_thread;
    QObject *m_anchor = nullptr; //!< lives on m_thread: what work is posted to
    Server::MessengerServer *m_server = nullptr;
};

} // namespace Bench
