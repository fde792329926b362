// The real messengerd killed with SIGKILL in the middle of uploads: after a restart the upload
// resumes where the server's partial file really ends (its hash rebuilt from it) and finishes
// byte-identical; a blob acknowledged complete is complete after the restart.

#include "Blobs.h"
#include "Daemon.h"
#include "TestClient.h"
#include "TestServer.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Blobs;

class TestBlobsCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void killedMidUploadResumesByteIdentical();

private:
    std::unique_ptr<TestServer> m_fixture;
};

void TestBlobsCrash::init()
{
    m_fixture = std::make_unique<TestServer>();
    QVERIFY2(m_fixture->setUp(), qPrintable(m_fixture->errorString()));
    m_fixture->stop();
}

void TestBlobsCrash::cleanup()
{
    m_fixture.reset();
}

void TestBlobsCrash::killedMidUploadResumesByteIdentical()
{
    Daemon daemon(QStringLiteral(MESSENGERD_PATH), m_fixture.get());
    QVERIFY(daemon.start());
    auto chat = std::make_unique<TestClient>();
    QVERIFY(chat->connectTo(daemon.url()));
    QVERIFY(chat->registerUser(u"alice"_s));
    const QString token = chat->token();
    auto transfer = std::make_unique<TestClient>();
    QVERIFY(transfer->connectTo(daemon.url()) && signInForTransfer(transfer.get(), token));

    const QByteArray done = bytes(Chunk + 99, 50);
    const QString doneId = upload(transfer.get(), done, u"done"_s);
    QVERIFY(!doneId.isEmpty());

    const QByteArray blob = bytes(8 * Chunk + 1234, 51);
    const Frame created = create(transfer.get(), blob, u"big"_s);
    VERIFY_OK(created);
    const QString id = created.body.value("blobId"_L1).toString();
    VERIFY_OK(put(transfer.get(), id, 0, blob.first(Chunk)));
    // Four chunks in flight; the server is killed once the first of them is acknowledged.
    QList<qint64> requests;
    for (int i = 1; i <= 4; ++i)
        requests.append(transfer->send(Request::PutBlob,
                                       {{u"blobId"_s, id},
                                        {u"offset"_s, qint64(i) * Chunk},
                                        {u"data"_s, blob.mid(i * Chunk, Chunk)}}));
    VERIFY_OK(transfer->waitResponse(requests.first()));
    daemon.kill();
    QVERIFY(transfer->waitDisconnected());

    QVERIFY(daemon.start());
    auto again = std::make_unique<TestClient>();
    QVERIFY(again->connectTo(daemon.url()) && signInForTransfer(again.get(), token));
    const Frame resumed = create(again.get(), blob, u"big"_s);
    VERIFY_OK(resumed);
    QCOMPARE(resumed.body.value("blobId"_L1).toString(), id);
    const qint64 offset = resumed.body.value("offset"_L1).toInteger();
    QVERIFY2(offset >= 2 * Chunk && offset <= blob.size(), qPrintable(QString::number(offset)));
    QCOMPARE(status(again.get(), id).body.value("offset"_L1).toInteger(), offset);
    QCOMPARE(upload(again.get(), blob, u"big"_s), id);
    QCOMPARE(status(again.get(), id).body.value("complete"_L1).toBool(), true);
    QCOMPARE(download(again.get(), id, blob.size()), blob);
    // What was acknowledged complete before the kill still is.
    QCOMPARE(download(again.get(), doneId, done.size()), done);
}

QTEST_GUILESS_MAIN(TestBlobsCrash)
#include "tst_blobs_crash.moc"
