#pragma once

#include <QObject>
#include <QProcess>
#include <QTimer>
#include <QUrl>

namespace App {

//! "Host a server on this computer": runs the bundled messengerd on its embedded database in the
//! user's data folder for as long as the app runs.
class ServerHost : public QObject
{
    Q_OBJECT
public:
    explicit ServerHost(QObject *parent = nullptr);
    ~ServerHost() override;

    //! Where the messengerd executable is: next to this one when installed, else the build tree's.
    static QString executablePath();

    //! Starts messengerd listening on every interface (so friends on the network can join) at
    //! `port` (0: any free one), with TLS on a self-signed certificate it makes once in
    //! dataDir/tls; started() or failed() follows. A messengerd a previous run left serving
    //! `dataDir` (found by its lock, runtime/DataDirLock) is stopped first; a port another
    //! program holds fails at once with portInUse.
    void start(const QString &dataDir, int port);
    void stop();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    //! Started and listening (started() was emitted), until it stops.
    bool isServing() const { return isRunning() && !m_url.isEmpty(); }
    QUrl url() const { return m_url; }
    //! The address others on this network type in: wss://<this computer's LAN address>:<port>.
    QString addressForFriends() const;
    //! SHA-256 of the server's certificate ("AB:CD:…"): friends compare it with what their app
    //! shows before they trust it.
    QString fingerprint() const { return m_fingerprint; }
    //! The process id of the running messengerd (0 when none).
    qint64 processId() const { return m_process.processId(); }

    //! Whether `port` can be listened on (on every interface) right now.
    static bool isPortFree(int port);

Q_SIGNALS:
    void started(const QUrl &localUrl);
    //! `portInUse`: another program listens on the port asked for.
    void failed(const QString &error, bool portInUse);

private:
    void launch();
    void stopOrphan(qint64 pid);
    void onOutput();

    QProcess m_process;
    QByteArray m_output;
    QString m_dataDir;
    int m_port = 0;
    QUrl m_url;
    QString m_fingerprint;
    bool m_announced = false;
    bool m_stopping = false;
    QTimer *m_orphanWait = nullptr; //!< polls until a left-behind server let go of the folder
};

} // namespace App
