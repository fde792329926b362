#pragma once

#include <QByteArray>
#include <QObject>
#include <QSize>
#include <QString>

#include <functional>

QT_BEGIN_NAMESPACE
class QMediaPlayer;
class QTimer;
class QVideoFrame;
class QVideoSink;
QT_END_NAMESPACE

namespace App {

//! What a video about to be sent tells about itself (media.md §8): its duration, its size and a
//! poster — the first frame as a JPEG of at most 64 px and 4 KiB, the descriptor's `thumb`.
//!
//! QMediaPlayer decodes into a QVideoSink with no audio output (nothing is heard) and stops once
//! it has the first frame and the duration. Checked headless (QT_QPA_PLATFORM=offscreen,
//! GStreamer, tst_app_voice): a VP8/WebM frame arrives (CPU conversion, "No RHI backend"); bytes
//! that are no video give ready() with nothing. Formats without an installed decoder (H.264
//! without gstreamer1.0-libav; not checked) give no frame: ready() comes after TimeoutMs with
//! what is known, and the bubble shows a neutral poster with the duration, if any.
class VideoPoster : public QObject
{
    Q_OBJECT
public:
    static constexpr int TimeoutMs = 5000;
    static constexpr int PosterSide = 64;
    static constexpr int PosterBytes = 4096;

    explicit VideoPoster(QObject *parent = nullptr);
    ~VideoPoster() override;

    //! Reads `path` (a local file the user picked); ready() follows once.
    void start(const QString &path);

    qint64 durationMs() const { return m_durationMs; }
    QSize size() const { return m_size; }
    QByteArray poster() const { return m_poster; }

    //! start() on a VideoPoster owned by `context`, then `done` with it (it goes afterwards).
    static void describe(const QString &path, QObject *context,
                         std::function<void(const VideoPoster &)> done);

    //! A JPEG of at most `side` px long side and `maxBytes` bytes, or empty.
    static QByteArray posterOf(const QImage &frame, int side = PosterSide,
                               int maxBytes = PosterBytes);

Q_SIGNALS:
    //! Done: durationMs() (0 when unknown), size() (invalid when unknown), poster() (may be
    //! empty).
    void ready();

private:
    void onFrame(const QVideoFrame &frame);
    void checkDone();
    void finish();

    QMediaPlayer *m_player = nullptr;
    QVideoSink *m_sink = nullptr;
    QTimer *m_timer = nullptr;
    QTimer *m_poll = nullptr;
    bool m_haveFrame = false;
    qint64 m_durationMs = 0;
    QSize m_size;
    QByteArray m_poster;
    bool m_done = false;
};

} // namespace App
