#pragma once

#include <QObject>
#include <QProcess>
#include <QUrl>

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
    //! `port`; started() or failed() follows.
    void start(const QString &dataDir, int port);
    void stop();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    QUrl url() const { return m_url; }
    //! The address others on this network type in: ws://<this computer's LAN address>:<port>.
    QString addressForFriends() const;

Q_SIGNALS:
    void started(const QUrl &localUrl);
    void failed(const QString &error);

private:
    void onOutput();

    QProcess m_process;
    QByteArray m_output;
    QUrl m_url;
    bool m_announced = false;
    bool m_stopping = false;
};
