#include "VideoPoster.h"

#include <QBuffer>
#include <QImage>
#include <QMediaPlayer>
#include <QTimer>
#include <QUrl>
#include <QVideoFrame>
#include <QVideoSink>

namespace App {

VideoPoster::VideoPoster(QObject *parent)
    : QObject(parent)
{
}

VideoPoster::~VideoPoster()
{
    if (m_player)
        m_player->stop();
}

void VideoPoster::start(const QString &path)
{
    m_player = new QMediaPlayer(this);
    m_sink = new QVideoSink(this);
    m_timer = new QTimer(this);
    // No QAudioOutput: the video is decoded, never heard.
    m_player->setVideoSink(m_sink);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &VideoPoster::finish);
    connect(m_sink, &QVideoSink::videoFrameChanged, this, &VideoPoster::onFrame);
    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, [this](QMediaPlayer::MediaStatus s) {
        if (s == QMediaPlayer::InvalidMedia || s == QMediaPlayer::EndOfMedia)
            finish();
    });
    connect(m_player, &QMediaPlayer::errorOccurred, this, &VideoPoster::finish);
    m_player->setSource(QUrl::fromLocalFile(path));
    m_player->play();
    m_timer->start(TimeoutMs);
    m_poll = new QTimer(this);
    connect(m_poll, &QTimer::timeout, this, &VideoPoster::checkDone);
    m_poll->start(50);
}

void VideoPoster::onFrame(const QVideoFrame &frame)
{
    if (m_done || !frame.isValid())
        return;
    const QImage image = frame.toImage();
    if (image.isNull())
        return;
    m_size = image.size();
    m_poster = posterOf(image);
    m_haveFrame = true;
    checkDone();
}

void VideoPoster::checkDone()
{
    // The first frame often comes before the duration is known: wait for both (polled, as
    // durationChanged is unreliable in 6.4, media.md §7).
    if (m_haveFrame && m_player && m_player->duration() > 0)
        finish();
}

void VideoPoster::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_timer->stop();
    if (m_poll)
        m_poll->stop();
    if (m_player) {
        // durationChanged is unreliable in 6.4 (media.md §7): read it.
        m_durationMs = qMax<qint64>(0, m_player->duration());
        m_player->stop();
    }
    Q_EMIT ready();
}

void VideoPoster::describe(const QString &path, QObject *context,
                           std::function<void(const VideoPoster &)> done)
{
    auto *poster = new VideoPoster(context);
    connect(poster, &VideoPoster::ready, context, [poster, done = std::move(done)] {
        done(*poster);
        poster->deleteLater();
    });
    poster->start(path);
}

QByteArray VideoPoster::posterOf(const QImage &frame, int side, int maxBytes)
{
    if (frame.isNull())
        return {};
    // A fresh image: nothing of the source but its pixels.
    const QImage scaled = frame.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation)
                              .convertToFormat(QImage::Format_RGB888);
    for (int quality = 80; quality >= 20; quality -= 20) {
        QByteArray bytes;
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::WriteOnly);
        if (scaled.save(&buffer, "JPEG", quality) && bytes.size() <= maxBytes)
            return bytes;
    }
    return {};
}

} // namespace App
