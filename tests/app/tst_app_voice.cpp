// Voice notes end to end (issue 13), the way the app's QML drives them: VoiceNotes records from
// the virtual microphone of scripts/audio-env (a 440 Hz tone), queues the note through
// MediaTransfers, the real server on loopback carries it to the other user, and there
// MediaPlayback plays it from the decrypting device to its end — then the next voice note by
// itself. A "voice note" whose bytes are not Ogg/Opus is told apart (shown as a file).
#include "ClientTestSupport.h"
#include "MediaPlayback.h"
#include "MediaTestSupport.h"
#include "TestServer.h"
#include "VideoPoster.h"
#include "VoiceNotes.h"

#include "media/MediaTransfers.h"
#include "models/MessageListModel.h"

#include <QBuffer>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Client;
using namespace MediaTest;
using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace {
constexpr int Timeout = 30'000;

//! The blob ids of the voice notes the model shows, oldest first (sent ones only).
QStringList voiceNotesIn(const MessageListModel *model)
{
    QStringList ids;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QVariantList list =
            model->data(model->index(row, 0), MessageListModel::AttachmentsRole).toList();
        for (const QVariant &entry : list) {
            const QVariantMap map = entry.toMap();
            if (map.value(u"kind"_s) == u"voice"_s && !map.value(u"blobId"_s).toString().isEmpty())
                ids.append(map.value(u"blobId"_s).toString());
        }
    }
    return ids;
}
} // namespace

class TestAppVoice : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        m_fixture = std::make_unique<ClientFixture>();
        m_conversation = m_fixture->directPair(m_server->url(), &m_alice, &m_bob);
        QVERIFY(m_conversation);
    }

    void cleanup()
    {
        m_alice.reset();
        m_bob.reset();
        m_fixture.reset();
        m_server.reset();
    }

    void recordSendAndPlayInTurn()
    {
        MessageListModel *aliceModel = m_alice->createMessageModel(m_conversation, this);
        MessageListModel *bobModel = m_bob->createMessageModel(m_conversation, this);
        QTRY_VERIFY(aliceModel->isLoaded() && bobModel->isLoaded());

        App::VoiceNotes voice;
        voice.setAccount(m_alice.get());
        voice.setMessages(aliceModel);
        QSignalSpy sent(&voice, &App::VoiceNotes::sent);
        for (int note = 0; note < 2; ++note) {
            voice.start();
            QTRY_VERIFY_WITH_TIMEOUT(voice.isRecording(), Timeout);
            // Long enough to hear: the recorder counts recorded samples, not the clock.
            QTRY_VERIFY_WITH_TIMEOUT(voice.elapsedMs() >= 1200, Timeout);
            QTRY_VERIFY(voice.level() > 0.05); // the tone moves the meter
            voice.send();
            QTRY_COMPARE_WITH_TIMEOUT(sent.size(), note + 1, Timeout);
            QVERIFY(!voice.isRecording());
            QVERIFY2(voice.problem().isEmpty(), qPrintable(voice.problem()));
        }
        QVERIFY(outboxDrained(m_alice.get()));

        QTRY_COMPARE_WITH_TIMEOUT(voiceNotesIn(bobModel).size(), 2, Timeout);
        const QStringList notes = voiceNotesIn(bobModel);
        for (const QString &id : notes) {
            const auto a = bobModel->attachment(id);
            QVERIFY(a);
            QCOMPARE(a->kind, Body::AttachmentKind::Voice);
            QCOMPARE(a->mime, u"audio/ogg"_s);
            QVERIFY2(a->durationMs >= 1000 && a->durationMs < 10'000,
                     qPrintable(QString::number(a->durationMs)));
            QVERIFY(!a->waveform.isEmpty());
            QVERIFY(a->waveform.size() <= 100);
            // Voice notes below the auto-download size come by themselves.
            QTRY_VERIFY_WITH_TIMEOUT(m_bob->media()->isAvailable(id), Timeout);
        }

        App::MediaPlayback playback;
        playback.setAccount(m_bob.get());
        playback.setMessages(bobModel);
        QVERIFY(playback.isOggOpus(notes[0]));
        QCOMPARE(playback.waveform(notes[0]).size(),
                 bobModel->attachment(notes[0])->waveform.size());
        QSignalSpy ended(&playback, &App::MediaPlayback::ended);
        playback.cycleRate();
        QCOMPARE(playback.rate(), 1.5);
        playback.play(notes[0]);
        QCOMPARE(playback.currentBlobId(), notes[0]);
        QTRY_VERIFY_WITH_TIMEOUT(playback.isPlaying(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(playback.position() > 0, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!ended.isEmpty(), Timeout);
        QCOMPARE(ended.at(0).at(0).toString(), notes[0]);
        // Telegram's habit: the next voice note of the chat plays by itself, to its end.
        QTRY_COMPARE_WITH_TIMEOUT(playback.currentBlobId(), notes[1], Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(ended.size() >= 2, Timeout);
        QCOMPARE(ended.at(1).at(0).toString(), notes[1]);
        // The last one heard, the player lets go (its bubble shows the start again).
        QTRY_COMPARE(playback.currentBlobId(), QString());
        QVERIFY(!playback.isPlaying());
        QVERIFY2(playback.problem().isEmpty(), qPrintable(playback.problem()));
    }

    void notOggOpusIsToldApart()
    {
        MessageListModel *bobModel = m_bob->createMessageModel(m_conversation, this);
        QTRY_VERIFY(bobModel->isLoaded());
        OutgoingAttachment fake;
        fake.bytes = "MZ" + randomBytes(4000); // a program claiming to be a voice note
        fake.meta.kind = Body::AttachmentKind::Voice;
        fake.meta.mime = u"audio/ogg"_s;
        fake.meta.durationMs = 3000;
        QVERIFY(!m_alice->media()
                     ->sendAttachments(m_conversation, Body::text(QString()), {fake})
                     .clientId.isEmpty());
        QVERIFY(outboxDrained(m_alice.get()));
        QTRY_COMPARE_WITH_TIMEOUT(voiceNotesIn(bobModel).size(), 1, Timeout);
        const QString id = voiceNotesIn(bobModel).first();
        App::MediaPlayback playback;
        playback.setAccount(m_bob.get());
        playback.setMessages(bobModel);
        QVERIFY(playback.isOggOpus(id)); // not downloaded yet: not known
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->media()->isAvailable(id), Timeout);
        QVERIFY(!playback.isOggOpus(id));

        QByteArray head = "OggS" + QByteArray(24, '\0') + "OpusHead";
        QBuffer buffer(&head);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        QVERIFY(App::MediaPlayback::looksLikeOggOpus(&buffer));
    }

    void videoPosterFromAFile()
    {
        // A 2-second VP8/WebM made here (gstreamer1.0-tools, in scripts/install-deps).
        QTemporaryDir dir;
        const QString path = dir.filePath(u"clip.webm"_s);
        QProcess gst;
        gst.start(u"gst-launch-1.0"_s,
                  {u"-q"_s, u"videotestsrc"_s, u"num-buffers=60"_s, u"pattern=smpte"_s, u"!"_s,
                   u"video/x-raw,width=320,height=240,framerate=30/1"_s, u"!"_s, u"vp8enc"_s,
                   u"!"_s, u"webmmux"_s, u"!"_s, u"filesink"_s, u"location="_s + path});
        QVERIFY(gst.waitForFinished(60'000));
        QCOMPARE(gst.exitCode(), 0);

        App::VideoPoster poster;
        QSignalSpy ready(&poster, &App::VideoPoster::ready);
        poster.start(path);
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, Timeout);
        QCOMPARE(poster.size(), QSize(320, 240));
        QVERIFY(!poster.poster().isEmpty());
        QVERIFY(poster.poster().size() <= App::VideoPoster::PosterBytes);
        QVERIFY(poster.poster().startsWith("\xff\xd8")); // JPEG
        QVERIFY2(poster.durationMs() > 1500 && poster.durationMs() < 2500,
                 qPrintable(QString::number(poster.durationMs())));

        // Not a video: ready all the same, with nothing.
        const QString junk = dir.filePath(u"junk.webm"_s);
        QVERIFY(writeFile(junk, randomBytes(5000)));
        App::VideoPoster none;
        QSignalSpy noneReady(&none, &App::VideoPoster::ready);
        none.start(junk);
        QTRY_COMPARE_WITH_TIMEOUT(noneReady.size(), 1, Timeout);
        QVERIFY(none.poster().isEmpty());
    }

private:
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientFixture> m_fixture;
    std::unique_ptr<Account> m_alice;
    std::unique_ptr<Account> m_bob;
    qint64 m_conversation = 0;
};

QTEST_MAIN(TestAppVoice)
#include "tst_app_voice.moc"
