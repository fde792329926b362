#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>

//! A TCP proxy on loopback between a client and a server, for tests of half-open connections.
//!
//! setForwarding(false) turns it into a black hole: connections stay open on both sides, but
//! nothing passes in either direction (bytes wait in the sockets' buffers), as behind a NAT that
//! forgot the mapping. setForwarding(true) lets everything waiting, and what follows, through.
class TcpProxy : public QObject
{
    Q_OBJECT
public:
    explicit TcpProxy(QObject *parent = nullptr);

    //! Listens on a free loopback port and forwards to target's host and port.
    bool start(const QUrl &target);
    //! target with the proxy's port.
    QUrl url() const { return m_url; }

    void setForwarding(bool forwarding);
    //! Connections accepted so far.
    int connectionCount() const { return m_accepted; }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> server;
    };
    void onNewConnection();
    void pump(QTcpSocket *from, QTcpSocket *to);
    void pumpAll();

    QTcpServer m_listener;
    QUrl m_target;
    QUrl m_url;
    bool m_forwarding = true;
    int m_accepted = 0;
    QList<Pair> m_pairs;
};
