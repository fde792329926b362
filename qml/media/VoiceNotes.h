#pragma once

#include "account/Account.h"

#include <QAbstractItemModel>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>

namespace Client {
class MessageListModel;
class VoiceRecorder;
} // namespace Client

namespace App {

//! Voice notes from the composer (media.md §8): Client::VoiceRecorder (the microphone into Ogg
//! Opus, mono, in memory) while the recording bar shows the level and the time; send() ends the
//! note and queues it through MediaTransfers::sendAttachments as kind voice, audio/ogg, with its
//! duration and waveform; cancel() drops it. Nothing is written to disk unencrypted.
class VoiceNotes : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Client::Account *account READ account WRITE setAccount NOTIFY accountChanged)
    //! The conversation's MessageListModel (where the note goes).
    Q_PROPERTY(QAbstractItemModel *messages READ messages WRITE setMessages NOTIFY messagesChanged)
    Q_PROPERTY(bool recording READ isRecording NOTIFY recordingChanged)
    //! 0..1, the loudest of the last ~100 ms.
    Q_PROPERTY(qreal level READ level NOTIFY levelChanged)
    Q_PROPERTY(qint64 elapsedMs READ elapsedMs NOTIFY elapsedMsChanged)
    //! Why the last note could not be recorded or sent ("" when none).
    Q_PROPERTY(QString problem READ problem NOTIFY problemChanged)
public:
    explicit VoiceNotes(QObject *parent = nullptr);
    ~VoiceNotes() override;

    Client::Account *account() const { return m_account; }
    void setAccount(Client::Account *account);
    QAbstractItemModel *messages() const { return m_messages; }
    void setMessages(QAbstractItemModel *messages);
    bool isRecording() const;
    qreal level() const;
    qint64 elapsedMs() const;
    QString problem() const { return m_problem; }

    Q_INVOKABLE void start();
    //! Ends the note and sends it.
    Q_INVOKABLE void send();
    Q_INVOKABLE void cancel();
    Q_INVOKABLE void clearProblem();

Q_SIGNALS:
    void accountChanged();
    void messagesChanged();
    void recordingChanged();
    void levelChanged();
    void elapsedMsChanged();
    void problemChanged();
    //! The note is queued as the message `clientId`.
    void sent(const QString &clientId);

private:
    void onFinished(const QByteArray &ogg, qint64 durationMs, const QByteArray &waveform);
    void setProblem(const QString &problem);

    QPointer<Client::Account> m_account;
    QPointer<QAbstractItemModel> m_messages;
    Client::VoiceRecorder *m_recorder;
    QString m_problem;
};

} // namespace App
