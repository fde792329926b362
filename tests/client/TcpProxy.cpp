#include "TcpProxy.h"

#include <QHostAddress>

TcpProxy::TcpProxy(QObject *parent)
    : QObject(parent)
{
    connect(&m_listener, &QTcpServer::newConnection, this, &TcpProxy::onNewConnection);
}

bool TcpProxy::start(const QUrl &target)
{
    if (!m_listener.listen(QHostAddress::LocalHost, 0))
        return false;
    m_target = target;
    m_url = target;
    m_url.setPort(m_listener.serverPort());
    return true;
}

void TcpProxy::setForwarding(bool forwarding)
{
    m_forwarding = forwarding;
    if (forwarding)
        pumpAll();
}

void TcpProxy::onNewConnection()
{
    while (QTcpSocket *client = m_listener.nextPendingConnection()) {
        ++m_accepted;
        auto *server = new QTcpSocket(client);
        m_pairs.append(Pair {client, server});
        connect(client, &QTcpSocket::readyRead, this,
                [this, client, server] { pump(client, server); });
        connect(server, &QTcpSocket::readyRead, this,
                [this, client, server] { pump(server, client); });
        connect(server, &QTcpSocket::connected, this,
                [this, client, server] { pump(client, server); });
        // One side closing closes the other: only the black hole keeps connections half-open.
        connect(client, &QTcpSocket::disconnected, server, &QTcpSocket::disconnectFromHost);
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        connect(server, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        server->connectToHost(m_target.host(), quint16(m_target.port()));
    }
}

void TcpProxy::pump(QTcpSocket *from, QTcpSocket *to)
{
    if (!m_forwarding || to->state() != QAbstractSocket::ConnectedState)
        return; // the bytes wait in `from` until forwarding resumes or `to` is connected
    const QByteArray bytes = from->readAll();
    if (!bytes.isEmpty())
        to->write(bytes);
}

void TcpProxy::pumpAll()
{
    m_pairs.removeIf([](const Pair &pair) { return !pair.client || !pair.server; });
    for (const Pair &pair : std::as_const(m_pairs)) {
        pump(pair.client, pair.server);
        pump(pair.server, pair.client);
    }
}
