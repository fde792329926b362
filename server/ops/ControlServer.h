#pragma once

#include <QObject>
#include <QString>

#include <functional>

class QLocalServer;
class QLocalSocket;

namespace Server {

//! The server side of the control socket (see ControlProtocol): a QLocalServer at
//! <data-dir>/control.sock, mode 0600. Filesystem permissions are the access control, as with
//! prosodyctl or supervisorctl: whoever can open the socket runs as the server's user (or root).
class ControlServer : public QObject
{
    Q_OBJECT
public:
    //! Closes the live connections of a user; returns how many.
    using SignOutUser = std::function<int(qint64 userId)>;

    ControlServer(SignOutUser signOutUser, QObject *parent = nullptr);
    ~ControlServer() override;

    //! Listens at path. A socket file left by a server that is gone is replaced; one a live
    //! server answers on is not (false with a reason).
    bool listen(const QString &path, QString *error);
    QString path() const { return m_path; }

    //! The client side, for the admin commands: sends one line, returns the answer line. Empty
    //! when no server listens at path (nothing to do then) or it did not answer in time.
    static QByteArray request(const QString &path, const QByteArray &line, QString *error);

private:
    void serve(QLocalSocket *socket);

    SignOutUser m_signOutUser;
    QLocalServer *m_server = nullptr;
    QString m_path;
};

} // namespace Server
