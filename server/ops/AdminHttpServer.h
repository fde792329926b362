#pragma once

#include "HttpRequestParser.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <functional>

class QTcpServer;

namespace Server {

class AdminConnection;

//! A small HTTP/1.1 server for operators' endpoints (metrics, health): GET only, one request per
//! connection (answered with Connection: close), on the thread that creates it.
//!
//! Limits: a request head of at most maxHeadBytes (else 431), no request body (413), at most
//! maxConnections at once (more are answered 503 and closed), and each connection gets
//! timeoutMs from accept to the end of its answer, then is dropped. Other methods get 405,
//! unknown paths 404, unreadable requests 400.
class AdminHttpServer : public QObject
{
    Q_OBJECT
public:
    struct Limits
    {
        qsizetype maxHeadBytes = HttpRequestParser::DefaultMaxHeadBytes;
        int timeoutMs = 5'000;
        int maxConnections = 16;
    };

    struct Response
    {
        int status = 200;
        QByteArray contentType = QByteArrayLiteral("text/plain; charset=utf-8");
        QByteArray body;
    };
    //! Answers the request; may be called later (after the handler returned), at most once.
    //! Does nothing once the connection is gone.
    using Reply = std::function<void(const Response &)>;
    using Handler = std::function<void(const HttpRequestParser::Request &, const Reply &)>;

    explicit AdminHttpServer(Limits limits, QObject *parent = nullptr);
    ~AdminHttpServer() override;

    void route(const QByteArray &path, const Handler &handler);
    //! False with a reason when the address cannot be bound.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    void close();
    bool isListening() const;
    quint16 port() const;
    int connectionCount() const { return int(m_connections.size()); }

    static QByteArray statusText(int status);

private:
    friend class AdminConnection;
    void acceptPending();
    void dispatch(AdminConnection *connection, const HttpRequestParser::Request &request);
    void forget(AdminConnection *connection);

    Limits m_limits;
    QTcpServer *m_server;
    QHash<QByteArray, Handler> m_routes;
    QList<AdminConnection *> m_connections;
};

} // namespace Server
