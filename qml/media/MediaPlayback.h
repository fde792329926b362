#pragma once

#include "account/Account.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QVariantList>

#include <memory>

QT_BEGIN_NAMESPACE
class QAudioOutput;
class QIODevice;
class QMediaPlayer;
QT_END_NAMESPACE

namespace Client {
class MessageListModel;
} // namespace Client

namespace App {

//! The one player of an open conversation: voice notes, audio files and videos (media.md §8).
//!
//! Plays through QMediaPlayer::setSourceDevice over MediaTransfers::open() — a DecryptingDevice,
//! so no plaintext ever reaches the disk. The player and its QAudioOutput are made on the first
//! play (Nheko measured ~500 ms for the audio device lookup). Only one thing plays at a time;
//! when a voice note ends, the next voice note of the chat plays (Telegram's habit). Nothing
//! plays unless play() is called: there is no autoplay, least of all with sound.
class MediaPlayback : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    //! The conversation's MessageListModel (ConversationController.messages).
    Q_PROPERTY(QAbstractItemModel *messages READ messages WRITE setMessages NOTIFY messagesChanged)
    //! The attachment loaded in the player ("" when none).
    Q_PROPERTY(QString currentBlobId READ currentBlobId NOTIFY currentChanged)
    Q_PROPERTY(bool playing READ isPlaying NOTIFY playingChanged)
    //! Milliseconds, of the current attachment.
    Q_PROPERTY(qint64 position READ position NOTIFY positionChanged)
    Q_PROPERTY(qint64 duration READ duration NOTIFY durationChanged)
    //! 1, 1.5 or 2 (voice notes and audio); kept across notes, as Telegram does.
    Q_PROPERTY(qreal rate READ rate WRITE setRate NOTIFY rateChanged)
    //! Where video frames go: the VideoOutput of the delegate or viewer that plays.
    Q_PROPERTY(QObject *videoOutput READ videoOutput WRITE setVideoOutput NOTIFY videoOutputChanged)
    //! The last thing to tell the user ("" when none).
    Q_PROPERTY(QString problem READ problem NOTIFY problemChanged)
public:
    explicit MediaPlayback(QObject *parent = nullptr);
    ~MediaPlayback() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);
    QAbstractItemModel *messages() const { return m_messages; }
    void setMessages(QAbstractItemModel *messages);
    QString currentBlobId() const { return m_current; }
    bool isPlaying() const;
    qint64 position() const;
    qint64 duration() const;
    qreal rate() const { return m_rate; }
    void setRate(qreal rate);
    QObject *videoOutput() const { return m_videoOutput; }
    void setVideoOutput(QObject *output);
    QString problem() const { return m_problem; }

    //! Plays `blobId` from where it stopped (from the start when another was loaded); downloads
    //! it first when it is not in the cache, then plays.
    Q_INVOKABLE void play(const QString &blobId);
    Q_INVOKABLE void pause();
    //! Play or pause, as the delegate's button.
    Q_INVOKABLE void toggle(const QString &blobId);
    Q_INVOKABLE void stop();
    //! Moves to `ms` of `blobId`, starting it when another one plays or none, or when it is
    //! stopped; a paused one stays paused there.
    Q_INVOKABLE void seek(const QString &blobId, qint64 ms);
    //! 1× → 1.5× → 2× → 1×.
    Q_INVOKABLE void cycleRate();
    //! The voice note's peaks (0–255 each) from its descriptor; [] when it has none.
    Q_INVOKABLE QVariantList waveform(const QString &blobId) const;
    //! False when the downloaded bytes are not Ogg/Opus (such a "voice note" is shown as a
    //! file, media.md §10.5); true while it is not downloaded yet.
    Q_INVOKABLE bool isOggOpus(const QString &blobId);
    Q_INVOKABLE void clearProblem();

    //! "Ogg" page with an "OpusHead" packet first: the one format voice notes may have.
    static bool looksLikeOggOpus(QIODevice *device);

Q_SIGNALS:
    void accountChanged();
    void messagesChanged();
    void currentChanged();
    void playingChanged();
    void positionChanged();
    void durationChanged();
    void rateChanged();
    void videoOutputChanged();
    void problemChanged();
    //! `blobId` played to its end.
    void ended(const QString &blobId);

private:
    Client::MessageListModel *model() const;
    void ensurePlayer();
    void load(const QString &blobId);
    void unload();
    void onMediaStatus();
    void onTransferFinished(const QString &id);
    //! The next voice note after `blobId` in the chat (oldest first), or "".
    QString nextVoiceNote(const QString &blobId) const;
    void setProblem(const QString &problem);

    QPointer<Client::Account> m_account;
    QPointer<QAbstractItemModel> m_messages;
    QPointer<QObject> m_videoOutput;
    QMediaPlayer *m_player = nullptr;
    QAudioOutput *m_audio = nullptr;
    std::unique_ptr<QIODevice> m_device;
    QString m_current;
    QString m_waitingFor; //!< downloading, to play when it arrives
    qint64 m_startAt = -1;
    qreal m_rate = 1.0;
    QString m_problem;
    QHash<QString, bool> m_oggOpus;
    QMetaObject::Connection m_finishedConnection;
};

} // namespace App
