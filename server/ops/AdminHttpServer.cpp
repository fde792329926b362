#include "AdminHttpServer.h"

#include <QLoggingCategory>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace Server {

Q_LOGGING_CATEGORY(lcAdmin, "messengerd.admin")

//! One admin connection: reads one request head, is answered once, then closes.
class AdminConnection : public QObject
{
public:
    AdminConnection(QTcpSocket *socket, AdminHttpServer *server,
                    const AdminHttpServer::Limits &limits)
        : QObject(server)
        , m_socket(socket)
        , m_server(server)
        , m_parser(limits.maxHeadBytes)
    {
        socket->setParent(this);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            qCDebug(lcAdmin) << "admin connection timed out" << m_socket->peerAddress();
            finish();
        });
        m_timer.start(limits.timeoutMs);
        connect(socket, &QTcpSocket::readyRead, this, &AdminConnection::onReadable);
        connect(socket, &QTcpSocket::disconnected, this, &AdminConnection::finish);
        connect(socket, &QTcpSocket::errorOccurred, this, [this] {
            if (m_socket->state() != QAbstractSocket::ConnectedState)
                finish();
        });
        onReadable(); // bytes may have come with the connection
    }

    void respond(const AdminHttpServer::Response &response, const QByteArray &extraHeaders = {})
    {
        if (m_answered || m_finished)
            return;
        m_answered = true;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' '
            + AdminHttpServer::statusText(response.status)
            + "\r\nContent-Type: " + response.contentType
            + "\r\nContent-Length: " + QByteArray::number(response.body.size())
            + "\r\nCache-Control: no-store\r\nConnection: close\r\n" + extraHeaders + "\r\n";
        m_socket->write(head + response.body);
        // A lingering close: once the answer is out, our side of the stream ends (FIN) and what
        // the peer still sends is read and dropped until it closes (or the timeout). Closing at
        // once with unread bytes would reset the connection, and the peer could lose the answer
        // (an oversized head is answered before all of it arrived).
        connect(m_socket, &QTcpSocket::bytesWritten, this, &AdminConnection::endOutput);
        endOutput();
    }

    void respondError(int status, const QByteArray &reason, const QByteArray &extraHeaders = {})
    {
        respond({status, QByteArrayLiteral("text/plain; charset=utf-8"), reason + '\n'},
                extraHeaders);
    }

private:
    void endOutput()
    {
        if (m_outputEnded || m_socket->bytesToWrite() > 0)
            return;
        m_outputEnded = true;
        ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
    }

    void onReadable()
    {
        if (m_finished)
            return;
        const QByteArray bytes = m_socket->readAll();
        if (m_answered || m_dispatched || bytes.isEmpty())
            return; // one request per connection: the rest is not read
        switch (m_parser.feed(bytes)) {
        case HttpRequestParser::State::Incomplete:
            return;
        case HttpRequestParser::State::Error:
            respondError(m_parser.errorStatus(), m_parser.errorReason());
            return;
        case HttpRequestParser::State::Complete:
            m_dispatched = true;
            m_server->dispatch(this, m_parser.request());
            return;
        }
    }

    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_timer.stop();
        m_socket->abort();
        m_server->forget(this);
        deleteLater();
    }

    QTcpSocket *m_socket;
    AdminHttpServer *m_server;
    HttpRequestParser m_parser;
    QTimer m_timer;
    bool m_dispatched = false;
    bool m_answered = false;
    bool m_finished = false;
    bool m_outputEnded = false;
};

AdminHttpServer::AdminHttpServer(Limits limits, QObject *parent)
    : QObject(parent)
    , m_limits(limits)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this,
            &AdminHttpServer::acceptPending);
}

AdminHttpServer::~AdminHttpServer()
{
    close();
}

void AdminHttpServer::route(const QByteArray &path, const Handler &handler)
{
    m_routes.insert(path, handler);
}

bool AdminHttpServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server->listen(address, port))
        return true;
    if (error)
        *error = m_server->errorString();
    return false;
}

void AdminHttpServer::close()
{
    m_server->close();
    const auto connections = std::exchange(m_connections, {});
    for (AdminConnection *connection : connections) {
        disconnect(connection, nullptr, nullptr, nullptr);
        delete connection;
    }
}

bool AdminHttpServer::isListening() const
{
    return m_server->isListening();
}

quint16 AdminHttpServer::port() const
{
    return m_server->isListening() ? m_server->serverPort() : 0;
}

QByteArray AdminHttpServer::statusText(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

void AdminHttpServer::acceptPending()
{
    while (m_server->hasPendingConnections()) {
        QTcpSocket *socket = m_server->nextPendingConnection();
        if (int(m_connections.size()) >= m_limits.maxConnections) {
            // Best effort and without reading: the answer fits any socket buffer.
            static const QByteArray body = QByteArrayLiteral("too many admin connections\n");
            socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; "
                          "charset=utf-8\r\nConnection: close\r\nContent-Length: "
                          + QByteArray::number(body.size()) + "\r\n\r\n" + body);
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            if (socket->state() == QAbstractSocket::UnconnectedState)
                socket->deleteLater();
            continue;
        }
        m_connections.append(new AdminConnection(socket, this, m_limits));
    }
}

void AdminHttpServer::dispatch(AdminConnection *connection,
                               const HttpRequestParser::Request &request)
{
    if (request.method != "GET") {
        connection->respondError(405, "only GET is served here", "Allow: GET\r\n");
        return;
    }
    if (request.hasBody()) {
        connection->respondError(413, "a GET request carries no body");
        return;
    }
    const auto it = m_routes.constFind(request.path);
    if (it == m_routes.constEnd()) {
        connection->respondError(404, "not found");
        return;
    }
    QPointer<AdminConnection> target(connection);
    (*it)(request, [target](const Response &response) {
        if (target)
            target->respond(response);
    });
}

void AdminHttpServer::forget(AdminConnection *connection)
{
    m_connections.removeOne(connection);
}

} // namespace Server
