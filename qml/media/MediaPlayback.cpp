#include "MediaPlayback.h"

#include "media/MediaTransfers.h"
#include "models/MessageListModel.h"

#include <QAudioOutput>
#include <QIODevice>
#include <QMediaPlayer>
#include <QMimeDatabase>
#include <QUrl>

using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace App {

namespace {

//! The name handed to the player with the device. Qt 6.4's setSourceDevice with an empty URL
//! never loads; GStreamer only uses the name as a hint, the bytes decide.
QUrl nameHint(const Body::Attachment &a)
{
    if (a.kind == Body::AttachmentKind::Voice)
        return QUrl(u"voice.ogg"_s);
    const QString suffix = QMimeDatabase().mimeTypeForName(a.mime).preferredSuffix();
    return QUrl(u"media."_s + (suffix.isEmpty() ? u"bin"_s : suffix));
}

} // namespace

MediaPlayback::MediaPlayback(QObject *parent)
    : QObject(parent)
{
}

MediaPlayback::~MediaPlayback()
{
    // The player reads the device until it stops: stop it first.
    unload();
}

void MediaPlayback::setAccount(Client::Account *account)
{
    if (m_account == account)
        return;
    stop();
    disconnect(m_finishedConnection);
    m_account = account;
    if (m_account && m_account->media()) {
        m_finishedConnection = connect(m_account->media(), &Client::MediaTransfers::finished, this,
                                       &MediaPlayback::onTransferFinished);
    }
    m_oggOpus.clear();
    Q_EMIT accountChanged();
}

void MediaPlayback::setMessages(QAbstractItemModel *messages)
{
    if (m_messages == messages)
        return;
    stop();
    m_messages = messages;
    Q_EMIT messagesChanged();
}

Client::MessageListModel *MediaPlayback::model() const
{
    return qobject_cast<Client::MessageListModel *>(m_messages.data());
}

bool MediaPlayback::isPlaying() const
{
    return m_player && m_player->playbackState() == QMediaPlayer::PlayingState;
}

qint64 MediaPlayback::position() const
{
    return m_player && !m_current.isEmpty() ? m_player->position() : 0;
}

qint64 MediaPlayback::duration() const
{
    return m_player && !m_current.isEmpty() ? m_player->duration() : 0;
}

void MediaPlayback::setRate(qreal rate)
{
    rate = qBound(0.5, rate, 2.0);
    if (qFuzzyCompare(m_rate, rate))
        return;
    m_rate = rate;
    if (m_player)
        m_player->setPlaybackRate(m_rate);
    Q_EMIT rateChanged();
}

void MediaPlayback::cycleRate()
{
    setRate(m_rate < 1.25 ? 1.5 : m_rate < 1.75 ? 2.0 : 1.0);
}

void MediaPlayback::setVideoOutput(QObject *output)
{
    if (m_videoOutput == output)
        return;
    m_videoOutput = output;
    if (m_player)
        m_player->setVideoOutput(output);
    Q_EMIT videoOutputChanged();
}

void MediaPlayback::setProblem(const QString &problem)
{
    if (m_problem == problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged();
}

void MediaPlayback::clearProblem()
{
    setProblem({});
}

void MediaPlayback::ensurePlayer()
{
    if (m_player)
        return;
    m_player = new QMediaPlayer(this);
    m_audio = new QAudioOutput(m_player);
    m_player->setAudioOutput(m_audio);
    m_player->setPlaybackRate(m_rate);
    if (m_videoOutput)
        m_player->setVideoOutput(m_videoOutput);
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, &MediaPlayback::playingChanged);
    connect(m_player, &QMediaPlayer::positionChanged, this, &MediaPlayback::positionChanged);
    connect(m_player, &QMediaPlayer::durationChanged, this, &MediaPlayback::durationChanged);
    connect(m_player, &QMediaPlayer::mediaStatusChanged, this, &MediaPlayback::onMediaStatus);
    connect(m_player, &QMediaPlayer::errorOccurred, this,
            [this](QMediaPlayer::Error, const QString &message) {
                setProblem(tr("This cannot be played: %1").arg(message));
            });
}

void MediaPlayback::unload()
{
    if (m_player) {
        m_player->stop();
        m_player->setSource(QUrl());
    }
    m_device.reset();
    m_startAt = -1;
}

void MediaPlayback::load(const QString &blobId)
{
    unload();
    const bool changed = m_current != blobId;
    m_current.clear();
    const Client::MessageListModel *messages = model();
    const auto a = messages ? messages->attachment(blobId) : std::nullopt;
    Client::MediaTransfers *media = m_account ? m_account->media() : nullptr;
    if (a && media)
        m_device = media->open(*a);
    if (!m_device) {
        setProblem(tr("This attachment cannot be read: it may be damaged."));
        if (changed)
            Q_EMIT currentChanged();
        return;
    }
    ensurePlayer();
    m_current = blobId;
    m_player->setSourceDevice(m_device.get(), nameHint(*a));
    Q_EMIT currentChanged();
    Q_EMIT positionChanged();
    Q_EMIT durationChanged();
}

void MediaPlayback::play(const QString &blobId)
{
    if (blobId.isEmpty())
        return;
    Client::MediaTransfers *media = m_account ? m_account->media() : nullptr;
    if (!media)
        return;
    if (!media->isAvailable(blobId)) {
        // Not here yet: download it, then play (onTransferFinished).
        m_waitingFor = blobId;
        media->download(blobId);
        return;
    }
    m_waitingFor.clear();
    if (blobId != m_current || !m_device)
        load(blobId);
    if (m_current != blobId)
        return;
    m_player->play();
}

void MediaPlayback::pause()
{
    if (m_player)
        m_player->pause();
}

void MediaPlayback::toggle(const QString &blobId)
{
    if (blobId == m_current && isPlaying())
        pause();
    else
        play(blobId);
}

void MediaPlayback::stop()
{
    m_waitingFor.clear();
    const bool had = !m_current.isEmpty();
    unload();
    m_current.clear();
    if (had) {
        Q_EMIT currentChanged();
        Q_EMIT positionChanged();
        Q_EMIT durationChanged();
    }
}

void MediaPlayback::seek(const QString &blobId, qint64 ms)
{
    ms = qMax<qint64>(0, ms);
    if (blobId == m_current && m_player) {
        // Paused stays paused, as in every player: GStreamer prerolls the frame at the new
        // position, so the paused picture follows the slider. Only a stopped one (at its end,
        // or never started) plays from there.
        const bool stopped = m_player->playbackState() == QMediaPlayer::StoppedState;
        m_player->setPosition(ms);
        if (stopped)
            m_player->play();
        return;
    }
    play(blobId);
    if (m_current == blobId)
        m_startAt = ms; // applied once the media is loaded (GStreamer ignores it before)
}

void MediaPlayback::onMediaStatus()
{
    const QMediaPlayer::MediaStatus status = m_player->mediaStatus();
    if ((status == QMediaPlayer::LoadedMedia || status == QMediaPlayer::BufferedMedia)
        && m_startAt >= 0) {
        m_player->setPosition(m_startAt);
        m_startAt = -1;
    }
    if (status == QMediaPlayer::InvalidMedia)
        setProblem(tr("This cannot be played."));
    if (status != QMediaPlayer::EndOfMedia)
        return;
    const QString done = m_current;
    Q_EMIT ended(done);
    const Client::MessageListModel *messages = model();
    const auto a = messages ? messages->attachment(done) : std::nullopt;
    if (!a || a->kind != Body::AttachmentKind::Voice)
        return; // audio and video stay at their end, ready to play again
    // Switching sources inside the player's own signal is not safe: on the next turn.
    QMetaObject::invokeMethod(
        this,
        [this, done] {
            if (m_current != done)
                return;
            const QString next = nextVoiceNote(done);
            if (!next.isEmpty())
                play(next);
            else
                stop(); // back to the start, as Telegram shows a note that was heard
        },
        Qt::QueuedConnection);
}

void MediaPlayback::onTransferFinished(const QString &id)
{
    m_oggOpus.remove(id);
    if (!m_waitingFor.isEmpty() && id == m_waitingFor)
        play(id);
}

QString MediaPlayback::nextVoiceNote(const QString &blobId) const
{
    const Client::MessageListModel *messages = model();
    if (!messages)
        return {};
    bool seen = false;
    for (int row = 0; row < messages->rowCount(); ++row) {
        const QVariantList list =
            messages->data(messages->index(row, 0), Client::MessageListModel::AttachmentsRole)
                .toList();
        for (const QVariant &entry : list) {
            const QVariantMap map = entry.toMap();
            QString id = map.value(u"blobId"_s).toString();
            if (id.isEmpty())
                continue;
            if (seen && map.value(u"kind"_s).toString() == u"voice"_s)
                return id;
            if (id == blobId)
                seen = true;
        }
    }
    return {};
}

QVariantList MediaPlayback::waveform(const QString &blobId) const
{
    const Client::MessageListModel *messages = model();
    const auto a = messages ? messages->attachment(blobId) : std::nullopt;
    QVariantList peaks;
    if (!a)
        return peaks;
    for (const char peak : a->waveform)
        peaks.append(int(quint8(peak)));
    return peaks;
}

bool MediaPlayback::looksLikeOggOpus(QIODevice *device)
{
    // The first Ogg page holds exactly the OpusHead packet (RFC 7845 §3): a 27-byte page header,
    // a one-entry segment table, then "OpusHead".
    const QByteArray head = device ? device->read(36) : QByteArray();
    return head.size() == 36 && head.startsWith("OggS") && head.mid(28, 8) == "OpusHead";
}

bool MediaPlayback::isOggOpus(const QString &blobId)
{
    if (const auto it = m_oggOpus.constFind(blobId); it != m_oggOpus.cend())
        return *it;
    Client::MediaTransfers *media = m_account ? m_account->media() : nullptr;
    const Client::MessageListModel *messages = model();
    if (!media || !messages || !media->isAvailable(blobId))
        return true;
    const auto a = messages->attachment(blobId);
    if (!a)
        return true;
    const std::unique_ptr<QIODevice> device = media->open(*a);
    const bool ok = looksLikeOggOpus(device.get());
    m_oggOpus.insert(blobId, ok);
    return ok;
}

} // namespace App
