#include "VoiceNotes.h"

#include "media/MediaTransfers.h"
#include "media/VoiceRecorder.h"
#include "models/MessageListModel.h"
#include "protocol/MessageBody.h"

using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace App {

VoiceNotes::VoiceNotes(QObject *parent)
    : QObject(parent)
    , m_recorder(new Client::VoiceRecorder(this))
{
    connect(m_recorder, &Client::VoiceRecorder::recordingChanged, this,
            &VoiceNotes::recordingChanged);
    connect(m_recorder, &Client::VoiceRecorder::levelChanged, this, &VoiceNotes::levelChanged);
    connect(m_recorder, &Client::VoiceRecorder::elapsedMsChanged, this,
            &VoiceNotes::elapsedMsChanged);
    connect(m_recorder, &Client::VoiceRecorder::finished, this, &VoiceNotes::onFinished);
    connect(m_recorder, &Client::VoiceRecorder::failed, this, &VoiceNotes::setProblem);
}

VoiceNotes::~VoiceNotes()
{
    m_recorder->cancel();
}

void VoiceNotes::setAccount(Client::Account *account)
{
    if (m_account == account)
        return;
    m_recorder->cancel();
    m_account = account;
    Q_EMIT accountChanged();
}

void VoiceNotes::setMessages(QAbstractItemModel *messages)
{
    if (m_messages == messages)
        return;
    // A note belongs to the chat it was started in: switching chats drops it.
    m_recorder->cancel();
    m_messages = messages;
    Q_EMIT messagesChanged();
}

bool VoiceNotes::isRecording() const
{
    return m_recorder->isRecording();
}

qreal VoiceNotes::level() const
{
    return m_recorder->level();
}

qint64 VoiceNotes::elapsedMs() const
{
    return m_recorder->elapsedMs();
}

void VoiceNotes::setProblem(const QString &problem)
{
    if (m_problem == problem)
        return;
    m_problem = problem;
    Q_EMIT problemChanged();
}

void VoiceNotes::clearProblem()
{
    setProblem({});
}

void VoiceNotes::start()
{
    if (m_recorder->isRecording())
        return;
    setProblem({});
    m_recorder->start();
}

void VoiceNotes::send()
{
    m_recorder->stop();
}

void VoiceNotes::cancel()
{
    m_recorder->cancel();
}

void VoiceNotes::onFinished(const QByteArray &ogg, qint64 durationMs, const QByteArray &waveform)
{
    auto *messages = qobject_cast<Client::MessageListModel *>(m_messages.data());
    Client::MediaTransfers *media = m_account ? m_account->media() : nullptr;
    if (!messages || !media) {
        setProblem(tr("The voice note could not be sent: no chat is open."));
        return;
    }
    Client::OutgoingAttachment file;
    file.bytes = ogg;
    file.meta.kind = Body::AttachmentKind::Voice;
    file.meta.mime = u"audio/ogg"_s;
    file.meta.durationMs = durationMs;
    file.meta.waveform = waveform;
    const Client::OutboxEntry entry =
        media->sendAttachments(messages->conversationId(), Body::text(QString()), {file});
    if (entry.clientId.isEmpty()) {
        setProblem(tr("The voice note could not be queued."));
        return;
    }
    Q_EMIT sent(entry.clientId);
}

} // namespace App
