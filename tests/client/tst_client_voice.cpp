// Voice notes (client/media/VoiceRecorder) recorded from a real (virtual) microphone: the test
// runs under scripts/audio-env, a private PulseAudio whose default source hears a 440 Hz tone.
// The note is Ogg Opus that Qt's own decoder reads and QMediaPlayer plays to the end from memory;
// its waveform shows the tone. Without any audio server the recorder says there is no microphone.

#include "media/VoiceRecorder.h"

#include <QAudioBuffer>
#include <QAudioDecoder>
#include <QAudioOutput>
#include <QBuffer>
#include <QGuiApplication>
#include <QMediaPlayer>
#include <QProcess>
#include <QSignalSpy>
#include <QTest>

using Client::VoiceRecorder;

namespace {
// Generous: device start-up under PulseAudio; the waits end as soon as the condition holds.
constexpr int Timeout = 30000;
} // namespace

class VoiceTest : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void recordsDecodesAndPlays();
    void cancelDropsTheNote();
    void stopsAtTheMaximum();
    void noMicrophone();
};

void VoiceTest::initTestCase()
{
    if (qEnvironmentVariableIsEmpty("MESSENGER_AUDIO_ENV"))
        QFAIL("run under scripts/audio-env (ctest does): it provides the microphone");
}

void VoiceTest::recordsDecodesAndPlays()
{
    VoiceRecorder recorder;
    QSignalSpy finished(&recorder, &VoiceRecorder::finished);
    QSignalSpy failed(&recorder, &VoiceRecorder::failed);
    QSignalSpy levels(&recorder, &VoiceRecorder::levelChanged);
    recorder.start();
    QVERIFY2(failed.isEmpty(),
             failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QVERIFY(recorder.isRecording());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.elapsedMs() >= 1500, Timeout);
    QVERIFY(!levels.isEmpty()); // every 100 ms of audio
    recorder.stop();
    QVERIFY(!recorder.isRecording());
    QCOMPARE(failed.size(), 0);
    QCOMPARE(finished.size(), 1);

    const QByteArray ogg = finished.first().at(0).toByteArray();
    const qint64 durationMs = finished.first().at(1).toLongLong();
    const QByteArray waveform = finished.first().at(2).toByteArray();
    QVERIFY(ogg.startsWith("OggS"));
    QVERIFY(ogg.contains("OpusHead"));
    QVERIFY(ogg.contains("OpusTags"));
    QVERIFY(durationMs >= 1500);
    QVERIFY(!waveform.isEmpty());
    QVERIFY(waveform.size() <= VoiceRecorder::WaveformPeaks);
    // The tone plays all along: the loudest 100 ms windows are far from silence.
    const auto loudest = *std::max_element(waveform.cbegin(), waveform.cend(),
                                           [](char a, char b) { return quint8(a) < quint8(b); });
    QVERIFY2(quint8(loudest) > 16, waveform.toHex().constData());

    // Qt's decoder reads the note back from memory.
    QBuffer decoderInput;
    decoderInput.setData(ogg);
    QVERIFY(decoderInput.open(QIODevice::ReadOnly));
    QAudioDecoder decoder;
    QAudioFormat format;
    format.setSampleRate(8000);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    decoder.setAudioFormat(format);
    decoder.setSourceDevice(&decoderInput);
    qint64 decodedUs = 0;
    connect(&decoder, &QAudioDecoder::bufferReady, this,
            [&decoder, &decodedUs] { decodedUs += decoder.read().duration(); });
    QSignalSpy decoded(&decoder, &QAudioDecoder::finished);
    decoder.start();
    QTRY_VERIFY_WITH_TIMEOUT(!decoded.isEmpty() || decoder.error() != QAudioDecoder::NoError,
                             Timeout);
    QCOMPARE(decoder.error(), QAudioDecoder::NoError);
    QVERIFY(decodedUs > 0);
    // The decoded length is the recorded one (Opus keeps the length to a frame or two).
    QVERIFY2(
        qAbs(decodedUs / 1000 - durationMs) < durationMs / 5,
        qPrintable(
            QStringLiteral("decoded %1 ms, recorded %2 ms").arg(decodedUs / 1000).arg(durationMs)));

    // And QMediaPlayer plays it from memory to the end.
    QBuffer playerInput;
    playerInput.setData(ogg);
    QVERIFY(playerInput.open(QIODevice::ReadOnly));
    QMediaPlayer player;
    QAudioOutput output;
    player.setAudioOutput(&output);
    // Qt 6.4 needs a URL with the device (only its name is used, as a hint): with an empty one
    // the player never even starts loading.
    player.setSourceDevice(&playerInput, QUrl(QStringLiteral("voice.ogg")));
    player.play();
    QTRY_VERIFY_WITH_TIMEOUT(player.mediaStatus() == QMediaPlayer::EndOfMedia
                                 || player.error() != QMediaPlayer::NoError,
                             Timeout);
    QCOMPARE(player.error(), QMediaPlayer::NoError);
}

void VoiceTest::cancelDropsTheNote()
{
    VoiceRecorder recorder;
    QSignalSpy finished(&recorder, &VoiceRecorder::finished);
    QSignalSpy failed(&recorder, &VoiceRecorder::failed);
    recorder.start();
    QVERIFY(recorder.isRecording());
    QTRY_VERIFY_WITH_TIMEOUT(recorder.elapsedMs() > 0, Timeout);
    recorder.cancel();
    QVERIFY(!recorder.isRecording());
    QCOMPARE(recorder.elapsedMs(), 0);
    recorder.stop(); // nothing to stop
    QCOMPARE(finished.size(), 0);
    QCOMPARE(failed.size(), 0);
}

void VoiceTest::stopsAtTheMaximum()
{
    // The real maximum is 15 minutes; a short one shows the note ends by itself, exactly there.
    VoiceRecorder recorder;
    recorder.setMaxDurationMs(300);
    QSignalSpy finished(&recorder, &VoiceRecorder::finished);
    recorder.start();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, Timeout);
    QVERIFY(!recorder.isRecording());
    QCOMPARE(finished.first().at(1).toLongLong(), 300);
    QVERIFY(finished.first().at(0).toByteArray().startsWith("OggS"));
    QCOMPARE(finished.first().at(2).toByteArray().size(), 3); // one peak per 100 ms
}

void VoiceTest::noMicrophone()
{
    // A child without any audio server: no input device at all.
    QProcess child;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("PULSE_SERVER"), QStringLiteral("unix:/nonexistent/native"));
    environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), QStringLiteral("/nonexistent"));
    child.setProcessEnvironment(environment);
    child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("--no-microphone")});
    QVERIFY(child.waitForFinished(Timeout));
    const QByteArray output = child.readAllStandardOutput();
    QCOMPARE(child.exitCode(), 0);
    QCOMPARE(output.trimmed(), QByteArray("No microphone was found."));
}

// With --no-microphone: records where there is no microphone and prints the failure.
int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    if (argc == 2 && qstrcmp(argv[1], "--no-microphone") == 0) {
        VoiceRecorder recorder;
        QString message;
        QObject::connect(&recorder, &VoiceRecorder::failed,
                         [&message](const QString &m) { message = m; });
        recorder.start();
        std::printf("%s\n", qPrintable(message));
        return message.isEmpty() || recorder.isRecording() ? 1 : 0;
    }
    VoiceTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_client_voice.moc"
