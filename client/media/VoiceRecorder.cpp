#include "VoiceRecorder.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSource>
#include <QLoggingCategory>
#include <QMediaDevices>

#include <opusenc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace Client {

namespace {
Q_LOGGING_CATEGORY(lcVoice, "messenger.client.voice", QtInfoMsg)
constexpr int WindowSamples = VoiceRecorder::SampleRate / 10; // 100 ms
} // namespace

VoiceRecorder::VoiceRecorder(QObject *parent)
    : QObject(parent)
{
}

VoiceRecorder::~VoiceRecorder()
{
    teardown();
}

qint64 VoiceRecorder::elapsedMs() const
{
    return m_samples * 1000 / SampleRate;
}

int VoiceRecorder::writeOgg(void *user, const unsigned char *data, int length)
{
    static_cast<VoiceRecorder *>(user)->m_ogg.append(reinterpret_cast<const char *>(data), length);
    return 0;
}

void VoiceRecorder::start()
{
    if (isRecording())
        return;
    const QAudioDevice device = QMediaDevices::defaultAudioInput();
    if (device.isNull()) {
        emit failed(tr("No microphone was found."));
        return;
    }
    QAudioFormat format;
    format.setSampleRate(SampleRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);

    // libopusenc calls close when it drains; the bytes stay in m_ogg.
    static const OpusEncCallbacks callbacks {&VoiceRecorder::writeOgg, [](void *) { return 0; }};
    OggOpusComments *comments = ope_comments_create();
    int error = OPE_OK;
    m_encoder = comments
        ? ope_encoder_create_callbacks(&callbacks, this, comments, SampleRate, 1, 0, &error)
        : nullptr;
    if (comments)
        ope_comments_destroy(comments); // the encoder keeps its own copy
    if (!m_encoder) {
        qCWarning(lcVoice) << "voice recorder: libopusenc:" << ope_strerror(error);
        emit failed(tr("Voice notes cannot be recorded here (the Opus encoder failed)."));
        return;
    }
    ope_encoder_ctl(m_encoder, OPUS_SET_BITRATE(Bitrate));
    ope_encoder_ctl(m_encoder, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));

    m_ogg.clear();
    m_pendingByte.clear();
    m_samples = 0;
    m_lastElapsedMs = 0;
    m_windowPeaks.clear();
    m_windowSamples = 0;
    m_windowPeak = 0;
    m_source = new QAudioSource(device, format, this);
    m_input = m_source->start();
    if (!m_input || m_source->error() != QAudio::NoError) {
        qCWarning(lcVoice) << "voice recorder: cannot open" << device.description()
                           << m_source->error();
        teardown();
        emit failed(tr("The microphone \"%1\" cannot be opened.").arg(device.description()));
        return;
    }
    connect(m_input, &QIODevice::readyRead, this, &VoiceRecorder::readAudio);
    connect(m_source, &QAudioSource::stateChanged, this, [this](QAudio::State state) {
        if (state == QAudio::StoppedState && m_source && m_source->error() != QAudio::NoError) {
            qCWarning(lcVoice) << "voice recorder: input stopped:" << m_source->error();
            teardown();
            emit recordingChanged();
            emit failed(tr("The microphone stopped working."));
        }
    });
    emit recordingChanged();
    emit elapsedMsChanged();
}

void VoiceRecorder::readAudio()
{
    if (!m_input)
        return;
    QByteArray bytes = m_pendingByte + m_input->readAll();
    m_pendingByte.clear();
    if (bytes.size() % 2 != 0) {
        m_pendingByte = bytes.right(1);
        bytes.chop(1);
    }
    if (bytes.isEmpty())
        return;
    // QByteArray data is suitably aligned for qint16.
    consume(reinterpret_cast<const qint16 *>(bytes.constData()), bytes.size() / 2);
}

void VoiceRecorder::consume(const qint16 *samples, qsizetype count)
{
    // Never past the maximum: the rest of this read is dropped and the note ends.
    const qint64 room = m_maxDurationMs * SampleRate / 1000 - m_samples;
    count = qMin<qint64>(count, room);
    if (count > 0)
        ope_encoder_write(m_encoder, samples, int(count));
    for (qsizetype i = 0; i < count; ++i) {
        m_windowPeak = std::max<quint16>(m_windowPeak, quint16(std::abs(int(samples[i]))));
        if (++m_windowSamples == WindowSamples) {
            m_windowPeaks.append(m_windowPeak);
            m_level = qMin(1.0, m_windowPeak / 32767.0);
            m_windowSamples = 0;
            m_windowPeak = 0;
            emit levelChanged();
        }
    }
    m_samples += count;
    if (elapsedMs() != m_lastElapsedMs) {
        m_lastElapsedMs = elapsedMs();
        emit elapsedMsChanged();
    }
    if (!m_stopping && m_samples * 1000 / SampleRate >= m_maxDurationMs)
        stop();
}

QByteArray VoiceRecorder::waveform() const
{
    QList<quint16> peaks = m_windowPeaks;
    if (m_windowSamples > 0)
        peaks.append(m_windowPeak);
    // Each of at most WaveformPeaks buckets takes the loudest of its windows.
    const qsizetype buckets = qMin<qsizetype>(peaks.size(), WaveformPeaks);
    QByteArray wave(buckets, '\0');
    for (qsizetype b = 0; b < buckets; ++b) {
        const qsizetype from = b * peaks.size() / buckets;
        const qsizetype to = (b + 1) * peaks.size() / buckets;
        const quint16 peak = *std::max_element(peaks.cbegin() + from, peaks.cbegin() + to);
        wave[b] = char(qMin(255, (int(peak) * 255 + 16383) / 32767));
    }
    return wave;
}

void VoiceRecorder::stop()
{
    if (!isRecording() || m_stopping)
        return;
    m_stopping = true;
    readAudio(); // what the source has buffered
    m_input = nullptr;
    m_source->stop();
    const qint64 duration = elapsedMs();
    const QByteArray wave = waveform();
    if (m_samples > 0)
        ope_encoder_drain(m_encoder); // writes the last pages through writeOgg
    const QByteArray ogg = m_ogg;
    teardown();
    m_stopping = false;
    m_level = 0;
    emit levelChanged();
    emit recordingChanged();
    if (m_samples == 0) {
        emit failed(tr("Nothing was recorded: the microphone sent no sound."));
        return;
    }
    emit finished(ogg, duration, wave);
}

void VoiceRecorder::cancel()
{
    if (!isRecording())
        return;
    teardown();
    m_samples = 0;
    m_level = 0;
    emit levelChanged();
    emit elapsedMsChanged();
    emit recordingChanged();
}

void VoiceRecorder::teardown()
{
    m_input = nullptr;
    if (m_source) {
        m_source->disconnect(this);
        m_source->stop();
        m_source->deleteLater();
        m_source = nullptr;
    }
    if (m_encoder) {
        ope_encoder_destroy(m_encoder);
        m_encoder = nullptr;
    }
    m_ogg.clear();
    m_pendingByte.clear();
}

} // namespace Client
