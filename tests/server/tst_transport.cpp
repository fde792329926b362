// messengerd's own WebSocket connection (WebSocketConnection): the upgrade, framing, fragments,
// control frames, closing in both directions, limits and timeouts. The framing cases drive one
// connection over a socket pair with hand-made bytes; the rest go through the real server over
// loopback TCP, byte for byte as a browser or QWebSocket would send them.

#include "TestClient.h"
#include "TestServer.h"

#include "core/WebSocketConnection.h"
#include "core/WebSocketHandshake.h"

#include "protocol/Frame.h"

#include <QCborMap>
#include <QCborValue>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <functional>
#include <sys/socket.h>
#include <unistd.h>

using namespace Server;

using namespace Qt::StringLiterals;

namespace {

//! A client frame, masked as RFC 6455 requires (unless `masked` is false, to test refusal).
QByteArray clientFrame(quint8 opcode, const QByteArray &payload, bool fin = true,
                       bool masked = true)
{
    QByteArray frame;
    frame.append(char((fin ? 0x80 : 0) | opcode));
    const quint8 maskBit = masked ? 0x80 : 0;
    const qint64 size = payload.size();
    if (size < 126) {
        frame.append(char(maskBit | size));
    } else if (size <= 0xffff) {
        frame.append(char(maskBit | 126));
        frame.append(char(size >> 8)).append(char(size & 0xff));
    } else {
        frame.append(char(maskBit | 127));
        for (int i = 7; i >= 0; --i)
            frame.append(char((size >> (8 * i)) & 0xff));
    }
    if (!masked)
        return frame + payload;
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    frame.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload.at(i) ^ mask[i & 3]));
    return frame;
}

QByteArray upgradeRequest(const QByteArray &key = "dGhlIHNhbXBsZSBub25jZQ==",
                          const QByteArray &version = "13")
{
    return "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: keep-alive, "
           "Upgrade\r\n"
           "Sec-WebSocket-Key: "
        + key + "\r\nSec-WebSocket-Version: " + version + "\r\n\r\n";
}

struct ServerFrame
{
    quint8 opcode = 0;
    QByteArray payload;
};

//! Takes every whole unmasked server frame off the front of `buffer`.
QList<ServerFrame> takeFrames(QByteArray *buffer)
{
    QList<ServerFrame> frames;
    for (;;) {
        const auto *p = reinterpret_cast<const quint8 *>(buffer->constData());
        if (buffer->size() < 2)
            break;
        qint64 length = p[1] & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (buffer->size() < 4)
                break;
            length = (qint64(p[2]) << 8) | p[3];
            header = 4;
        } else if (length == 127) {
            if (buffer->size() < 10)
                break;
            length = 0;
            for (int i = 2; i < 10; ++i)
                length = (length << 8) | p[i];
            header = 10;
        }
        if (buffer->size() < header + length)
            break;
        frames.append({quint8(p[0] & 0x0f), buffer->mid(header, length)});
        buffer->remove(0, header + length);
    }
    return frames;
}

//! Records what a connection tells its receiver.
struct Recorder : Transport::Receiver
{
    QList<QByteArray> binary;
    int texts = 0;
    int pongs = 0;
    int closed = 0;
    std::function<void(const QByteArray &)> onBinary;
    void binaryReceived(const QByteArray &message) override
    {
        binary.append(message);
        if (onBinary)
            onBinary(message);
    }
    void textReceived() override { ++texts; }
    void pongReceived() override { ++pongs; }
    void transportClosed() override { ++closed; }
};

//! The far end of a socket pair: raw bytes in and out, read from inside QTRY loops.
class Peer
{
public:
    explicit Peer(int fd)
        : m_fd(fd)
    {
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
    }
    ~Peer() { ::close(m_fd); }

    void write(const QByteArray &bytes)
    {
        qsizetype done = 0;
        while (done < bytes.size()) {
            const ssize_t sent =
                ::send(m_fd, bytes.constData() + done, size_t(bytes.size() - done), MSG_NOSIGNAL);
            if (sent > 0)
                done += sent;
            else
                QCoreApplication::processEvents(); // let the connection drain the pair
        }
    }
    //! Reads what is there; true once the other side closed.
    bool pump()
    {
        char buffer[65536];
        for (;;) {
            const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (got > 0) {
                received.append(buffer, got);
                continue;
            }
            if (got == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                m_eof = true;
            return m_eof;
        }
    }
    //! Reads, then strips the 101 answer once it is complete; true when it was there.
    bool upgraded()
    {
        if (!head.isEmpty())
            return true; // QTRY_VERIFY evaluates its condition once more after it held
        pump();
        const qsizetype end = received.indexOf("\r\n\r\n");
        if (end < 0)
            return false;
        head = received.first(end + 4);
        received.remove(0, end + 4);
        return true;
    }
    QList<ServerFrame> frames()
    {
        pump();
        return takeFrames(&received);
    }
    bool eof() { return pump(); }

    QByteArray received;
    QByteArray head;

private:
    int m_fd;
    bool m_eof = false;
};

} // namespace

class TestTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void acceptKey();
    void upgradeAndQueuedMessage();
    void refusedUpgrade_data();
    void refusedUpgrade();
    void frameSizes_data();
    void frameSizes();
    void splitAndCoalescedFrames();
    void bigFramesInPiecesAndQueuedSends();
    void fragmentsWithPingBetween();
    void protocolErrors_data();
    void protocolErrors();
    void peerCloses();
    void serverClosesThenPeerAnswers();
    void peerThatDoesNotReadIsDropped();
    void receiverEndsConnectionMidBurst_data();
    void receiverEndsConnectionMidBurst();

    void realServerHandshakeAndRequest();
    void realServerPipelinedFrame();
    void realServerHandshakeTimeout();
    void realServerUnansweredClose();

private:
    //! A connection on one end of a socket pair, the Peer on the other.
    void makePair(const WebSocketConnection::Limits &limits = {});
    void upgrade();

    std::unique_ptr<WebSocketConnection> m_connection;
    std::unique_ptr<Peer> m_peer;
    Recorder m_recorder;
    std::unique_ptr<TestServer> m_server;
};

void TestTransport::init()
{
    m_recorder = Recorder();
}

void TestTransport::cleanup()
{
    m_connection.reset();
    m_peer.reset();
    m_server.reset();
}

void TestTransport::makePair(const WebSocketConnection::Limits &limits)
{
    int fds[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    m_connection = std::make_unique<WebSocketConnection>(fds[0], limits, "messengerd/test");
    m_connection->setReceiver(&m_recorder);
    m_peer = std::make_unique<Peer>(fds[1]);
}

void TestTransport::upgrade()
{
    m_peer->write(upgradeRequest());
    QTRY_VERIFY(m_peer->upgraded());
    QVERIFY(m_connection->isOpen());
}

void TestTransport::acceptKey()
{
    // The example of RFC 6455, section 1.3.
    QCOMPARE(WebSocketHandshake::acceptKey("dGhlIHNhbXBsZSBub25jZQ=="),
             QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void TestTransport::upgradeAndQueuedMessage()
{
    makePair();
    QVERIFY(!m_connection->isOpen());
    // Sent before the upgrade is read: it must follow the 101 answer, not precede it.
    m_connection->sendBinary("welcome");
    m_peer->write(upgradeRequest());
    QTRY_VERIFY(m_peer->upgraded());
    QVERIFY(m_peer->head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(m_peer->head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    QVERIFY(m_peer->head.contains("Server: messengerd/test\r\n"));
    QList<ServerFrame> frames;
    QTRY_VERIFY((frames += m_peer->frames()).size() == 1);
    QCOMPARE(frames.first().opcode, quint8(0x2));
    QCOMPARE(frames.first().payload, QByteArray("welcome"));

    m_peer->write(clientFrame(0x2, "hello"));
    QTRY_COMPARE(m_recorder.binary.size(), 1);
    QCOMPARE(m_recorder.binary.first(), QByteArray("hello"));
    m_peer->write(clientFrame(0x1, "text"));
    QTRY_COMPARE(m_recorder.texts, 1);
    QCOMPARE(m_recorder.closed, 0);
}

void TestTransport::refusedUpgrade_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("POST") << QByteArray("POST / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n")
                          << QByteArray("400");
    QTest::newRow("no upgrade header")
        << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") << QByteArray("400");
    QTest::newRow("no key") << QByteArray(
        "GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n")
                            << QByteArray("400");
    QTest::newRow("short key") << upgradeRequest("c2hvcnQ=") << QByteArray("400");
    QTest::newRow("version 8") << upgradeRequest("dGhlIHNhbXBsZSBub25jZQ==", "8")
                               << QByteArray("426");
    QTest::newRow("endless headers")
        << ("GET / HTTP/1.1\r\nX-Padding: " + QByteArray(9000, 'a')) << QByteArray("431");
}

void TestTransport::refusedUpgrade()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, status);
    makePair();
    m_peer->write(request);
    QTRY_VERIFY(m_peer->eof());
    QVERIFY2(m_peer->received.startsWith("HTTP/1.1 " + status), m_peer->received.constData());
    if (status == "426")
        QVERIFY(m_peer->received.contains("Sec-WebSocket-Version: 13\r\n"));
    QTRY_COMPARE(m_recorder.closed, 1);
    QVERIFY(m_recorder.binary.isEmpty());
}

void TestTransport::frameSizes_data()
{
    QTest::addColumn<int>("size");
    // The three length encodings and their edges.
    for (int size : {0, 125, 126, 65535, 65536, 300000})
        QTest::addRow("%d bytes", size) << size;
}

void TestTransport::frameSizes()
{
    QFETCH(int, size);
    makePair();
    upgrade();
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = char(i * 7 + 3);
    m_peer->write(clientFrame(0x2, payload));
    QTRY_COMPARE(m_recorder.binary.size(), 1);
    QCOMPARE(m_recorder.binary.first(), payload);

    // And the same size back to the peer.
    m_connection->sendBinary(payload);
    QList<ServerFrame> frames;
    QTRY_VERIFY((frames += m_peer->frames()).size() == 1);
    QCOMPARE(frames.first().payload, payload);
}

void TestTransport::splitAndCoalescedFrames()
{
    makePair();
    upgrade();
    // Byte by byte: every partial header and payload state.
    const QByteArray first = clientFrame(0x2, QByteArray(300, 'a'));
    for (char byte : first) {
        m_peer->write(QByteArray(1, byte));
        QCoreApplication::processEvents();
    }
    QTRY_COMPARE(m_recorder.binary.size(), 1);
    // Fifty frames in one write.
    QByteArray burst;
    for (int i = 0; i < 50; ++i)
        burst += clientFrame(0x2, QByteArray::number(i));
    m_peer->write(burst);
    QTRY_COMPARE(m_recorder.binary.size(), 51);
    for (int i = 0; i < 50; ++i)
        QCOMPARE(m_recorder.binary.at(1 + i), QByteArray::number(i));
}

void TestTransport::bigFramesInPiecesAndQueuedSends()
{
    makePair();
    upgrade();
    // Big frames arriving in uneven pieces are read straight into buffers of their own size:
    // whole ones, a fragmented one, and small frames right behind them.
    QByteArray big(300000, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 13 + 5);
    const QByteArray stream = clientFrame(0x2, big) + clientFrame(0x2, "after")
        + clientFrame(0x2, big.first(150000), false) + clientFrame(0x0, big.sliced(150000), true)
        + clientFrame(0x2, "end");
    for (qsizetype at = 0; at < stream.size(); at += 7919) {
        m_peer->write(stream.sliced(at, std::min<qsizetype>(7919, stream.size() - at)));
        QCoreApplication::processEvents();
    }
    QTRY_COMPARE(m_recorder.binary.size(), 4);
    QCOMPARE(m_recorder.binary.at(0), big);
    QCOMPARE(m_recorder.binary.at(1), QByteArray("after"));
    QCOMPARE(m_recorder.binary.at(2), big);
    QCOMPARE(m_recorder.binary.at(3), QByteArray("end"));

    // Sent while the peer does not read: big frames are queued by reference between small ones
    // and leave in order; the sender changing its array afterwards changes nothing sent.
    QByteArray outgoing = big;
    QList<QByteArray> expected;
    for (int i = 0; i < 12; ++i) {
        m_connection->sendBinary(outgoing);
        expected.append(outgoing);
        const QByteArray small = QByteArray::number(i);
        m_connection->sendBinary(small);
        expected.append(small);
        outgoing[0] = char(i);
    }
    QList<ServerFrame> frames;
    QTRY_VERIFY((frames += m_peer->frames()).size() == expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(frames.at(i).payload, expected.at(i));
}

void TestTransport::fragmentsWithPingBetween()
{
    makePair();
    upgrade();
    m_peer->write(clientFrame(0x2, "one ", false) + clientFrame(0x9, "are you there", true)
                  + clientFrame(0x0, "two ", false) + clientFrame(0x0, "three", true));
    QTRY_COMPARE(m_recorder.binary.size(), 1);
    QCOMPARE(m_recorder.binary.first(), QByteArray("one two three"));
    QList<ServerFrame> frames;
    QTRY_VERIFY((frames += m_peer->frames()).size() == 1);
    QCOMPARE(frames.first().opcode, quint8(0xA)); // the pong carries the ping's payload
    QCOMPARE(frames.first().payload, QByteArray("are you there"));

    m_connection->ping();
    frames.clear();
    QTRY_VERIFY((frames += m_peer->frames()).size() == 1);
    QCOMPARE(frames.first().opcode, quint8(0x9));
    m_peer->write(clientFrame(0xA, {}));
    QTRY_COMPARE(m_recorder.pongs, 1);
}

void TestTransport::protocolErrors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("closeCode");
    QTest::newRow("unmasked") << clientFrame(0x2, "x", true, false) << 1002;
    QTest::newRow("reserved bit") << QByteArray(clientFrame(0x2, "x")).replace(0, 1, "\xC2")
                                  << 1002;
    QTest::newRow("unknown opcode") << clientFrame(0x3, "x") << 1002;
    QTest::newRow("fragmented ping") << clientFrame(0x9, "x", false) << 1002;
    QTest::newRow("long ping") << clientFrame(0x9, QByteArray(126, 'p')) << 1002;
    QTest::newRow("stray continuation") << clientFrame(0x0, "x") << 1002;
    QTest::newRow("message inside message")
        << clientFrame(0x2, "a", false) + clientFrame(0x2, "b") << 1002;
    QTest::newRow("too big") << clientFrame(0x2, QByteArray(70000, 'b')) << 1009;
    QTest::newRow("too big in fragments") << clientFrame(0x2, QByteArray(40000, 'b'), false)
            + clientFrame(0x0, QByteArray(40000, 'b'))
                                          << 1009;
}

void TestTransport::protocolErrors()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, closeCode);
    WebSocketConnection::Limits limits;
    limits.maxMessageBytes = 65536;
    makePair(limits);
    upgrade();
    m_peer->write(bytes);
    QTRY_VERIFY(m_peer->eof());
    const QList<ServerFrame> frames = takeFrames(&m_peer->received);
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.first().opcode, quint8(0x8));
    QCOMPARE((quint8(frames.first().payload.at(0)) << 8) | quint8(frames.first().payload.at(1)),
             closeCode);
    QTRY_COMPARE(m_recorder.closed, 1);
    QVERIFY(m_recorder.binary.isEmpty());
}

void TestTransport::peerCloses()
{
    makePair();
    upgrade();
    m_peer->write(clientFrame(0x8, QByteArray("\x03\xe8", 2) + "bye"));
    QTRY_VERIFY(m_peer->eof());
    const QList<ServerFrame> frames = takeFrames(&m_peer->received);
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.first().opcode, quint8(0x8));
    QCOMPARE(frames.first().payload, QByteArray("\x03\xe8", 2)); // 1000 echoed
    QTRY_COMPARE(m_recorder.closed, 1);
    m_connection->sendBinary("after the end"); // dropped, no crash
    QCOMPARE(m_recorder.closed, 1);
}

void TestTransport::serverClosesThenPeerAnswers()
{
    makePair();
    upgrade();
    m_connection->close(1001, u"going away ✓"_s);
    QList<ServerFrame> frames;
    QTRY_VERIFY((frames += m_peer->frames()).size() == 1);
    QCOMPARE(frames.first().opcode, quint8(0x8));
    QCOMPARE(frames.first().payload, QByteArray("\x03\xe9", 2) + u"going away ✓"_s.toUtf8());
    QTRY_VERIFY(m_peer->eof()); // our side shut down its writing half after the close frame
    m_connection->sendBinary("not sent after close");
    m_peer->pump();
    QVERIFY(m_peer->received.isEmpty());
    QCOMPARE(m_recorder.closed, 0); // waits for the peer's answer
    m_peer->write(clientFrame(0x2, "ignored while closing")
                  + clientFrame(0x8, QByteArray("\x03\xe9", 2)));
    QTRY_COMPARE(m_recorder.closed, 1);
    QVERIFY(m_recorder.binary.isEmpty());
}

void TestTransport::peerThatDoesNotReadIsDropped()
{
    WebSocketConnection::Limits limits;
    limits.maxPendingBytes = 256 * 1024;
    int fds[2];
    QCOMPARE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    const int small = 4096;
    ::setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    ::setsockopt(fds[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    m_connection = std::make_unique<WebSocketConnection>(fds[0], limits, "messengerd/test");
    m_connection->setReceiver(&m_recorder);
    m_peer = std::make_unique<Peer>(fds[1]);
    upgrade();
    const QByteArray chunk(16 * 1024, 'z');
    for (int i = 0; i < 32 && m_recorder.closed == 0; ++i) {
        m_connection->sendBinary(chunk); // the peer reads none of it
        QCoreApplication::processEvents();
    }
    QTRY_COMPARE(m_recorder.closed, 1);
    QVERIFY(!m_connection->isOpen());
}

void TestTransport::receiverEndsConnectionMidBurst_data()
{
    QTest::addColumn<bool>("abort");
    QTest::addColumn<bool>("partialFrameFirst");
    QTest::newRow("close, frames in one read") << false << false;
    QTest::newRow("abort, frames in one read") << true << false;
    QTest::newRow("close, frames behind a partial one") << false << true;
    QTest::newRow("abort, frames behind a partial one") << true << true;
}

void TestTransport::receiverEndsConnectionMidBurst()
{
    // A handler may end its own connection while the frames it came in with are still being
    // parsed (out of the shared read buffer, or out of the connection's own one): nothing after
    // it is delivered, and nothing is read from freed memory (ASan watches this one).
    QFETCH(bool, abort);
    QFETCH(bool, partialFrameFirst);
    makePair();
    upgrade();
    m_recorder.onBinary = [&](const QByteArray &message) {
        if (message != "stop")
            return;
        if (abort)
            m_connection->abort();
        else
            m_connection->close(1008, u"stop"_s);
    };
    const QByteArray burst = clientFrame(0x2, "one") + clientFrame(0x2, "stop")
        + clientFrame(0x2, "three") + clientFrame(0x2, QByteArray(2000, 'x'));
    if (partialFrameFirst) {
        m_peer->write(burst.first(3)); // leaves a partial frame in the connection's own buffer
        QCoreApplication::processEvents(); // the connection reads those 3 bytes alone
        m_peer->write(burst.sliced(3));
    } else {
        m_peer->write(burst);
    }
    QTRY_COMPARE(m_recorder.binary.size(), 2);
    QCOMPARE(m_recorder.binary.last(), QByteArray("stop"));
    if (!abort)
        m_peer->write(clientFrame(0x8, QByteArray("\x03\xf0", 2)));
    QTRY_COMPARE(m_recorder.closed, 1);
    QCOMPARE(m_recorder.binary.size(), 2);
}

void TestTransport::realServerHandshakeAndRequest()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->server()->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(upgradeRequest("AAAAAAAAAAAAAAAAAAAAAA=="));
    QByteArray received;
    QTRY_VERIFY((received += socket.readAll()).contains("\r\n\r\n"));
    QVERIFY(received.startsWith("HTTP/1.1 101 "));
    QVERIFY(received.contains("Sec-WebSocket-Accept: "
                              + WebSocketHandshake::acceptKey("AAAAAAAAAAAAAAAAAAAAAA==")));
    QVERIFY(received.contains("Server: messengerd/"));
    received.remove(0, received.indexOf("\r\n\r\n") + 4);
    QList<ServerFrame> frames;
    QTRY_VERIFY(!(frames += takeFrames(&(received += socket.readAll()))).isEmpty());
    QCOMPARE(Protocol::decodeFrame(frames.first().payload).frame.type, u"welcome"_s);

    // A request in three fragments is one request.
    const QByteArray request = Protocol::encodeRequest(QLatin1StringView("no.such.request"), 7);
    socket.write(clientFrame(0x2, request.first(3), false)
                 + clientFrame(0x0, request.sliced(3, 2), false)
                 + clientFrame(0x0, request.sliced(5)));
    frames.clear();
    QTRY_VERIFY(!(frames += takeFrames(&(received += socket.readAll()))).isEmpty());
    const Protocol::DecodeResult answer = Protocol::decodeFrame(frames.first().payload);
    QCOMPARE(answer.frame.id, 7);
    QCOMPARE(answer.frame.errorCode(), Protocol::ErrorCode::UnknownType);
    QCOMPARE(m_server->server()->connectionCount(), 1);

    socket.write(clientFrame(0x8, QByteArray("\x03\xe8", 2)));
    QTRY_COMPARE(m_server->server()->connectionCount(), 0);
}

void TestTransport::realServerPipelinedFrame()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->server()->port());
    QVERIFY(socket.waitForConnected(5000));
    // The upgrade and the first request in one packet, as eager clients send them.
    socket.write(
        upgradeRequest()
        + clientFrame(0x2, Protocol::encodeRequest(QLatin1StringView("no.such.request"), 3)));
    QByteArray received;
    QTRY_VERIFY((received += socket.readAll()).contains("\r\n\r\n"));
    received.remove(0, received.indexOf("\r\n\r\n") + 4);
    QList<ServerFrame> frames;
    QTRY_VERIFY((frames += takeFrames(&(received += socket.readAll()))).size() >= 2);
    QCOMPARE(Protocol::decodeFrame(frames.at(0).payload).frame.type, u"welcome"_s);
    QCOMPARE(Protocol::decodeFrame(frames.at(1).payload).frame.id, 3);
}

void TestTransport::realServerHandshakeTimeout()
{
    m_server = std::make_unique<TestServer>();
    m_server->config().handshakeTimeoutMs = 300;
    m_server->config().authTimeoutMs = 300; // makes the sweep run often
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    QTcpSocket socket;
    QSignalSpy disconnected(&socket, &QTcpSocket::disconnected);
    socket.connectToHost(QHostAddress::LocalHost, m_server->server()->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET / HTTP/1.1\r\n"); // and never the rest
    QTRY_COMPARE(m_server->server()->connectionCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(disconnected.size(), 1, 10000);
    QTRY_COMPARE(m_server->server()->connectionCount(), 0);
}

void TestTransport::realServerUnansweredClose()
{
    m_server = std::make_unique<TestServer>();
    m_server->config().authTimeoutMs = 300; // never signs in: the server closes
    m_server->config().closeTimeoutMs = 300;
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->server()->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(upgradeRequest());
    QByteArray received;
    QList<ServerFrame> frames;
    QTRY_VERIFY((received += socket.readAll()).contains("\r\n\r\n"));
    received.remove(0, received.indexOf("\r\n\r\n") + 4);
    // The welcome, then a close (1008, "sign in timed out") that this client never answers.
    QTRY_VERIFY_WITH_TIMEOUT((frames += takeFrames(&(received += socket.readAll()))).size() >= 2,
                             10000);
    QCOMPARE(frames.at(1).opcode, quint8(0x8));
    QCOMPARE((quint8(frames.at(1).payload.at(0)) << 8) | quint8(frames.at(1).payload.at(1)), 1008);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->server()->connectionCount(), 0, 10000);
}

QTEST_GUILESS_MAIN(TestTransport)
#include "tst_transport.moc"
