#include "ControlServer.h"

#include "ControlProtocol.h"
#include "Logging.h"

#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QTimer>

namespace Server {

namespace {
constexpr int RequestTimeoutMs = 5000;
}

ControlServer::ControlServer(SignOutUser signOutUser, QObject *parent)
    : QObject(parent)
    , m_signOutUser(std::move(signOutUser))
{
}

ControlServer::~ControlServer()
{
    if (m_server) {
        m_server->close(); // removes the socket file
        delete m_server;
    }
}

bool ControlServer::listen(const QString &path, QString *error)
{
    if (QFile::exists(path)) {
        QLocalSocket probe;
        probe.connectToServer(path);
        if (probe.waitForConnected(1000)) {
            *error = QStringLiteral("another messengerd serves the control socket %1").arg(path);
            return false;
        }
        QLocalServer::removeServer(path); // left by a server that is gone
    }
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption); // 0600-like: owner only
    m_server->setMaxPendingConnections(8);
    if (!m_server->listen(path)) {
        *error = QStringLiteral("cannot listen on the control socket %1: %2")
                     .arg(path, m_server->errorString());
        delete m_server;
        m_server = nullptr;
        return false;
    }
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner);
    m_path = path;
    connect(m_server, &QLocalServer::newConnection, this, [this] {
        while (QLocalSocket *socket = m_server->nextPendingConnection())
            serve(socket);
    });
    return true;
}

void ControlServer::serve(QLocalSocket *socket)
{
    // One line within the timeout, else the connection is dropped.
    QTimer::singleShot(RequestTimeoutMs, socket, [socket] { socket->abort(); });
    connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
    connect(socket, &QLocalSocket::readyRead, socket, [this, socket] {
        if (!socket->canReadLine()) {
            if (socket->bytesAvailable() > ControlProtocol::MaxLineBytes) {
                socket->write(ControlProtocol::errorLine(QStringLiteral("line too long")));
                socket->disconnectFromServer();
            }
            return;
        }
        QByteArray line = socket->readLine(ControlProtocol::MaxLineBytes + 2);
        line.chop(1);
        const ControlProtocol::Command command = ControlProtocol::parse(line);
        switch (command.kind) {
        case ControlProtocol::Command::Kind::Invalid:
            qCWarning(lcOps).noquote() << "control socket: refused a request:" << command.error;
            socket->write(ControlProtocol::errorLine(command.error));
            break;
        case ControlProtocol::Command::Kind::Ping:
            socket->write(ControlProtocol::okLine(0));
            break;
        case ControlProtocol::Command::Kind::SignOutUser: {
            const int closed = m_signOutUser(command.userId);
            qCInfo(lcOps) << "control socket: user" << command.userId << "signed out;" << closed
                          << "live connection(s) closed";
            socket->write(ControlProtocol::okLine(closed));
            break;
        }
        }
        socket->disconnectFromServer(); // flushes first
    });
}

QByteArray ControlServer::request(const QString &path, const QByteArray &line, QString *error)
{
    QLocalSocket socket;
    socket.connectToServer(path);
    if (!socket.waitForConnected(RequestTimeoutMs))
        return {}; // no server runs on this data folder
    socket.write(line);
    if (!socket.waitForBytesWritten(RequestTimeoutMs)) {
        *error = socket.errorString();
        return {};
    }
    while (!socket.canReadLine()) {
        if (!socket.waitForReadyRead(RequestTimeoutMs)) {
            *error = QStringLiteral("the server did not answer on %1").arg(path);
            return {};
        }
    }
    QByteArray answer = socket.readLine(ControlProtocol::MaxLineBytes + 2);
    return answer.trimmed();
}

} // namespace Server
