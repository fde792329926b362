#pragma once

#include <QLocalServer>
#include <QLockFile>
#include <QObject>

#include <memory>

namespace App {

//! One app per data folder: two would share its accounts' stores and host two servers on one
//! folder. The first start holds `<data-dir>/app.lock` (QLockFile: a crashed holder's lock is
//! stale and taken over) and listens on a local socket; a later start asks it to show its window
//! and leaves.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(const QString &dataDir, QObject *parent = nullptr);
    ~SingleInstance() override;

    //! True when this process is now the app of the data folder (and listens for later starts).
    bool claim();
    //! Asks the app holding the folder to show its window; true when it said it did.
    bool activateRunning(int timeoutMs = 3000);
    //! The local socket's path (short, in the runtime folder; named after the data folder).
    QString socketPath() const { return m_socketPath; }

Q_SIGNALS:
    //! A later start of the app on the same data folder asked for the window.
    void activationRequested();

private:
    QString m_socketPath;
    QLockFile m_lock;
    std::unique_ptr<QLocalServer> m_server;
};

//! SIGTERM, SIGINT and SIGHUP end the event loop instead of the process, so everything is taken
//! down in order: the hosted server is stopped, stores are closed (a signal handler only writes
//! to a socket; the loop does the rest).
void quitOnTerminationSignals();

} // namespace App
