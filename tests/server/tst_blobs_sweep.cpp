// The blob sweeper: abandoned uploads and blobs no message ever referenced go 24 h after they
// were started or finished; blobs whose every message was deleted or expired go at the next
// sweep; files without a row go too. Rows are aged directly in the test's database (no clock
// hook in the server); the sweeper runs every 50 ms here.

#include "Blobs.h"
#include "TestClient.h"
#include "TestServer.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Blobs;
using Protocol::ErrorCode;

namespace {
constexpr qint64 Day = 24ll * 3'600'000;

//! One sample of the admin listener's /metrics (a family without labels); -1 when missing.
double metric(quint16 port, const QByteArray &name)
{
    QTcpSocket socket;
    QSignalSpy closed(&socket, &QTcpSocket::disconnected);
    QByteArray data;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { data += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return -1;
    socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    if (closed.isEmpty() && !closed.wait(10'000))
        return -1;
    data += socket.readAll();
    for (const QByteArray &line : data.split('\n')) {
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).trimmed().toDouble();
    }
    return -1;
}
} // namespace

class TestBlobsSweep : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void abandonedUploadsGo();
    void unreferencedBlobsGo();
    void blobsOfDeletedMessagesGo();
    void blobsOfExpiredMessagesGo();
    void filesWithoutARowGo();
    void metricsCountUploadsAndStorage();

private:
    using User = Blobs::User;
    User newUser(const QString &name) { return Blobs::newUser(*m_server, name); }
    Frame sendWithBlob(TestClient *client, qint64 conversationId, const QString &blobId);
    //! Moves a blob's times back by more than a day.
    bool age(const QString &id);
    bool rowExists(const QString &id);
    QString finishedPath(const QString &id) const;
    QString partialPath(const QString &id) const;

    std::unique_ptr<TestServer> m_server;
};

void TestBlobsSweep::init()
{
    m_server = std::make_unique<TestServer>();
    m_server->config().blobSweepIntervalMs = 50;
    m_server->config().expirySweepIntervalMs = 50;
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestBlobsSweep::cleanup()
{
    m_server.reset();
}

Frame TestBlobsSweep::sendWithBlob(TestClient *client, qint64 conversationId, const QString &blobId)
{
    return client->request(Request::Send,
                           {{u"conversationId"_s, conversationId},
                            {u"clientId"_s, u"send-"_s + blobId},
                            {u"contentType"_s, u"application/x-test"_s},
                            {u"content"_s, "descriptor"_ba},
                            {u"blobIds"_s, QCborArray {blobId}}});
}

bool TestBlobsSweep::age(const QString &id)
{
    return m_server
        ->queryValue(u"UPDATE blobs SET created_at = created_at - ?, completed_at = "
                     "completed_at - ? WHERE id = ? RETURNING id"_s,
                     {Day + 60'000, Day + 60'000, id})
        .isValid();
}

bool TestBlobsSweep::rowExists(const QString &id)
{
    return m_server->queryValue(u"SELECT COUNT(*) FROM blobs WHERE id = ?"_s, {id}).toInt() == 1;
}

QString TestBlobsSweep::finishedPath(const QString &id) const
{
    return m_server->config().effectiveBlobDir() + u"/%1/%2/%3"_s.arg(id.left(2), id.mid(2, 2), id);
}

QString TestBlobsSweep::partialPath(const QString &id) const
{
    return m_server->config().effectiveBlobDir() + u"/partial/"_s + id;
}

void TestBlobsSweep::abandonedUploadsGo()
{
    const User alice = newUser(u"alice"_s);
    QVERIFY(alice.transfer);
    const QByteArray blob = bytes(2 * Chunk, 40);
    const QString old = create(alice.transfer, blob, u"old"_s).body.value("blobId"_L1).toString();
    VERIFY_OK(put(alice.transfer, old, 0, blob.first(Chunk)));
    const QString fresh =
        create(alice.transfer, blob, u"fresh"_s).body.value("blobId"_L1).toString();
    QVERIFY(QFile::exists(partialPath(old)));
    QVERIFY(age(old));
    QTRY_VERIFY(!rowExists(old));
    QTRY_VERIFY(!QFile::exists(partialPath(old)));
    COMPARE_ERROR(status(alice.transfer, old), ErrorCode::NotFound);
    // A chunk for it now finds nothing.
    COMPARE_ERROR(put(alice.transfer, old, Chunk, blob.mid(Chunk)), ErrorCode::NotFound);
    // The young upload stays.
    QVERIFY(rowExists(fresh));
    QVERIFY(QFile::exists(partialPath(fresh)));
}

void TestBlobsSweep::unreferencedBlobsGo()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const QString unused = upload(alice.transfer, bytes(500, 41), u"unused"_s);
    const QString sent = upload(alice.transfer, bytes(500, 42), u"sent"_s);
    VERIFY_OK(sendWithBlob(alice.chat, alice.chat->openDirect(bob.id()), sent));
    QVERIFY(QFile::exists(finishedPath(unused)));
    QVERIFY(age(unused));
    QVERIFY(age(sent));
    QTRY_VERIFY(!rowExists(unused));
    QTRY_VERIFY(!QFile::exists(finishedPath(unused)));
    // Referenced by a live message: kept, however old.
    QVERIFY(bob.transfer->flush());
    QVERIFY(rowExists(sent));
    VERIFY_OK(get(bob.transfer, sent, 0, 10));
}

void TestBlobsSweep::blobsOfDeletedMessagesGo()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const qint64 direct = alice.chat->openDirect(bob.id());
    const QString id = upload(alice.transfer, bytes(500, 43), u"gone"_s);
    const QString kept = upload(alice.transfer, bytes(500, 44), u"kept"_s);
    const Frame first = sendWithBlob(alice.chat, direct, id);
    VERIFY_OK(first);
    VERIFY_OK(sendWithBlob(alice.chat, direct, kept));
    VERIFY_OK(alice.chat->request(
        Request::DeleteMessage,
        {{u"conversationId"_s, direct}, {u"seq"_s, first.body.value("seq"_L1).toInteger()}}));
    QTRY_VERIFY(!rowExists(id));
    QTRY_VERIFY(!QFile::exists(finishedPath(id)));
    QCOMPARE(m_server->queryValue(u"SELECT COUNT(*) FROM message_blobs WHERE blob_id = ?"_s, {id})
                 .toInt(),
             0);
    COMPARE_ERROR(get(alice.transfer, id, 0, 10), ErrorCode::NotFound);
    QVERIFY(rowExists(kept)); // its message lives
}

void TestBlobsSweep::blobsOfExpiredMessagesGo()
{
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const qint64 direct = alice.chat->openDirect(bob.id());
    VERIFY_OK(alice.chat->request(Request::SetTimer,
                                  {{u"conversationId"_s, direct}, {u"seconds"_s, 300}}));
    const QString id = upload(alice.transfer, bytes(500, 45), u"ephemeral"_s);
    const Frame sent = sendWithBlob(alice.chat, direct, id);
    VERIFY_OK(sent);
    VERIFY_OK(get(bob.transfer, id, 0, 10));
    // Its time comes (moved into the past in the database).
    QVERIFY(m_server
                ->queryValue(u"UPDATE messages SET expires_at = 1 WHERE conversation_id = ? AND "
                             "seq = ? RETURNING seq"_s,
                             {direct, sent.body.value("seq"_L1).toInteger()})
                .isValid());
    QTRY_VERIFY(!rowExists(id));
    QTRY_VERIFY(!QFile::exists(finishedPath(id)));
    COMPARE_ERROR(get(bob.transfer, id, 0, 10), ErrorCode::NotFound);
}

void TestBlobsSweep::filesWithoutARowGo()
{
    const QString root = m_server->config().effectiveBlobDir();
    const QString lost = u"aaaaaaaaaaaaaaaaaaaaaaaaaa"_s;
    const QString lostPartial = u"bbbbbbbbbbbbbbbbbbbbbbbbbb"_s;
    QVERIFY(QDir().mkpath(root + u"/aa/aa"_s));
    const QStringList paths {finishedPath(lost), partialPath(lostPartial)};
    for (const QString &path : paths) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("left behind by a crash");
    }
    QFile other(root + u"/README"_s); // not a blob id: not the sweeper's
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.close();
    QTRY_VERIFY(!QFile::exists(paths.at(0)));
    QTRY_VERIFY(!QFile::exists(paths.at(1)));
    QVERIFY(QFile::exists(other.fileName()));
}

void TestBlobsSweep::metricsCountUploadsAndStorage()
{
    const quint16 port = m_server->server()->adminPort();
    QVERIFY(port != 0);
    const User alice = newUser(u"alice"_s);
    const User bob = newUser(u"bob"_s);
    QVERIFY(alice.transfer && bob.transfer);
    const QString kept = upload(alice.transfer, bytes(500, 46), u"kept"_s);
    const QString unused = upload(alice.transfer, bytes(700, 47), u"unused"_s);
    VERIFY_OK(sendWithBlob(alice.chat, alice.chat->openDirect(bob.id()), kept));
    VERIFY_OK(get(alice.transfer, kept, 0, 100));
    QCOMPARE(metric(port, "messengerd_blob_uploads_total"), 2.0);
    QCOMPARE(metric(port, "messengerd_blob_received_bytes_total"), 1200.0);
    QCOMPARE(metric(port, "messengerd_blob_sent_bytes_total"), 100.0);
    QTRY_COMPARE(metric(port, "messengerd_blob_stored_bytes"), 1200.0);
    QVERIFY(age(unused));
    QTRY_COMPARE(metric(port, "messengerd_blob_stored_bytes"), 500.0);
    QCOMPARE(metric(port, "messengerd_blobs_stored"), 1.0);
    QCOMPARE(metric(port, "messengerd_blobs_swept_total"), 1.0);
}

QTEST_GUILESS_MAIN(TestBlobsSweep)
#include "tst_blobs_sweep.moc"
