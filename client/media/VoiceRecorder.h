#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <memory>

QT_BEGIN_NAMESPACE
class QAudioSource;
class QIODevice;
QT_END_NAMESPACE

struct OggOpusEnc;

namespace Client {

//! Records a voice note from the default microphone: QAudioSource (48 kHz, mono, 16-bit) straight
//! into libopusenc (Ogg Opus, mono, 24 kbit/s, voice tuning), kept in memory, so the note never
//! touches the disk unencrypted. This gives the mono, the bitrate and the level meter that
//! QMediaRecorder 6.4 cannot (media.md §7, §8).
//!
//! start() → level and elapsedMs change while recording → stop() emits finished() with the Ogg
//! bytes, the duration and a waveform of at most 100 peaks; cancel() drops it all. A note stops
//! by itself at MaxDurationMs. Time is counted in recorded samples, not by the clock.
class VoiceRecorder : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool recording READ isRecording NOTIFY recordingChanged)
    //! The loudest sample of the last ~100 ms, 0..1 (for the level meter).
    Q_PROPERTY(qreal level READ level NOTIFY levelChanged)
    Q_PROPERTY(qint64 elapsedMs READ elapsedMs NOTIFY elapsedMsChanged)

public:
    static constexpr int SampleRate = 48000;
    static constexpr int Bitrate = 24000;
    static constexpr qint64 MaxDurationMs = 15 * 60 * 1000;
    static constexpr int WaveformPeaks = 100;

    explicit VoiceRecorder(QObject *parent = nullptr);
    ~VoiceRecorder() override;

    bool isRecording() const { return m_source != nullptr; }
    qreal level() const { return m_level; }
    qint64 elapsedMs() const;
    //! The note stops by itself after this long: MaxDurationMs unless set shorter.
    qint64 maxDurationMs() const { return m_maxDurationMs; }
    void setMaxDurationMs(qint64 ms) { m_maxDurationMs = qBound<qint64>(1, ms, MaxDurationMs); }

    //! Starts recording; failed() when there is no microphone or it cannot be opened.
    Q_INVOKABLE void start();
    //! Ends the note: finished() (or failed() when nothing was recorded).
    Q_INVOKABLE void stop();
    //! Ends recording and drops what was recorded.
    Q_INVOKABLE void cancel();

signals:
    void recordingChanged();
    void levelChanged();
    void elapsedMsChanged();
    //! ogg: Ogg Opus bytes; waveform: at most WaveformPeaks bytes, one peak 0–255 each, over the
    //! whole note.
    void finished(const QByteArray &ogg, qint64 durationMs, const QByteArray &waveform);
    //! A sentence for the user.
    void failed(const QString &message);

private:
    static int writeOgg(void *user, const unsigned char *data, int length);
    void readAudio();
    void consume(const qint16 *samples, qsizetype count);
    void teardown();
    QByteArray waveform() const;

    QAudioSource *m_source = nullptr;
    QIODevice *m_input = nullptr; // owned by m_source
    OggOpusEnc *m_encoder = nullptr;
    QByteArray m_ogg;
    QByteArray m_pendingByte; // half a sample left over from the last read
    qint64 m_samples = 0;
    qint64 m_lastElapsedMs = 0;
    // Peaks of each 100 ms window: the level meter shows the last, the waveform is made of all.
    QList<quint16> m_windowPeaks;
    int m_windowSamples = 0;
    quint16 m_windowPeak = 0;
    qreal m_level = 0;
    bool m_stopping = false;
    qint64 m_maxDurationMs = MaxDurationMs;
};

} // namespace Client
