// ConversationController: what the user does with messages (issue 12, rich messages) — replies,
// edits, reactions, deletes, forwards, mentions, the disappearing-messages timer.
#include "ConversationController.h"

#include "account/Account.h"
#include "api/MessageApi.h"
#include "connection/Request.h"
#include "models/MessageListModel.h"
#include "store/LocalStore.h"
#include "sync/Outbox.h"
#include "text/Markup.h"
#include "text/RichText.h"

#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>

#include <algorithm>

using namespace Client;
namespace Body = Protocol::Body;

namespace App {

using namespace Qt::StringLiterals;

namespace {
constexpr int ExcerptLength = 100;
constexpr int MaxCandidates = 8;

QString excerptOf(const QString &text)
{
    QString line = text.simplified();
    if (line.size() > ExcerptLength)
        line = line.left(ExcerptLength - 1) + u'…';
    return line;
}
} // namespace

std::optional<Body::MessageBody>
ConversationController::bodyOf(const Protocol::MessageRecord &record)
{
    if (!record.erased.isEmpty() || record.hidden)
        return std::nullopt;
    if (record.contentType == Body::ContentType) {
        Body::DecodedBody decoded = Body::decode(record.content);
        if (!decoded.ok() || decoded.body.kind != Body::Kind::Text)
            return std::nullopt;
        return decoded.body;
    }
    if (record.contentType.startsWith(u"text/plain"_s))
        return Body::text(QString::fromUtf8(record.content));
    return std::nullopt;
}

QVariant ConversationController::messageValue(int row, const QByteArray &roleName) const
{
    if (row < 0 || row >= m_messages->rowCount())
        return {};
    const int role = m_messages->roleNames().key(roleName, -1);
    return role < 0 ? QVariant() : m_messages->data(m_messages->index(row), role);
}

double ConversationController::disappearSeconds() const
{
    if (!m_account)
        return 0;
    const auto conversation = m_account->store()->conversation(m_conversationId);
    return conversation ? double(conversation->disappearSeconds) : 0;
}

bool ConversationController::canSetTimer() const
{
    if (!m_account || !isActive())
        return false;
    if (!isGroup())
        return true;
    const qint64 self = m_account->store()->selfId();
    const QList<Protocol::MemberInfo> members = m_account->store()->members(m_conversationId);
    return std::any_of(members.cbegin(), members.cend(), [self](const Protocol::MemberInfo &m) {
        return m.user.id == self
            && (m.role == Protocol::Role::Owner || m.role == Protocol::Role::Admin);
    });
}

int ConversationController::unreadMentions() const
{
    if (!m_account)
        return 0;
    const auto summary = m_account->store()->summary(m_conversationId);
    return summary ? int(summary->unreadMentions) : 0;
}

void ConversationController::startReply(qint64 seq)
{
    const int row = m_messages->rowOfSeq(seq);
    if (row < 0 || messageValue(row, "deleted").toBool())
        return;
    cancelEdit();
    m_replySeq = seq;
    m_replySenderId =
        m_messages->data(m_messages->index(row), MessageListModel::SenderIdRole).toLongLong();
    m_replySenderName =
        m_messages->data(m_messages->index(row), MessageListModel::SenderNameRole).toString();
    QString text = messageValue(row, "previewText").toString(); // spoilers stay hidden
    if (text.isEmpty())
        text = m_messages->data(m_messages->index(row), MessageListModel::TextRole).toString();
    m_replyExcerpt = excerptOf(text);
    Q_EMIT replyChanged();
}

void ConversationController::cancelReply()
{
    if (m_replySeq == 0)
        return;
    m_replySeq = 0;
    m_replySenderId = 0;
    m_replySenderName.clear();
    m_replyExcerpt.clear();
    Q_EMIT replyChanged();
}

void ConversationController::startEdit(qint64 seq)
{
    const int row = m_messages->rowOfSeq(seq);
    if (row < 0 || !messageValue(row, "canEdit").toBool())
        return;
    cancelReply();
    const QString plainText = messageValue(row, "plainText").toString();
    if (!m_account) {
        beginEdit(seq, plainText, {});
        return;
    }
    // The body as stored (an edit applied), read on the store's thread: its styles come back as
    // markup and its mentions as the names the composer inserted, so an edit keeps them. The
    // composer is filled once, when that answer is in: filling it first with the plain text and
    // again with the markup would throw away what the person typed or selected in between.
    m_pendingEditSeq = seq;
    m_account->store()
        ->storedMessagesFrom(m_conversationId, seq, seq + 1)
        .then(this, [this, seq, plainText](const QList<StoredMessage> &stored) {
            if (m_pendingEditSeq != seq)
                return; // cancelled, or another message chosen meanwhile
            m_pendingEditSeq = 0;
            const std::optional<Body::MessageBody> body =
                stored.isEmpty() || stored.constFirst().record.seq != seq
                ? std::nullopt
                : bodyOf(stored.constFirst().record);
            if (!body) {
                beginEdit(seq, plainText, {});
                return;
            }
            QList<Body::Mention> mentions;
            const QString text = Markup::toComposerText(*body, &mentions);
            QList<std::pair<qint64, QString>> names;
            for (const Body::Mention &m : std::as_const(mentions)) {
                const QString shown = text.mid(m.range.start, m.range.length);
                const std::pair<qint64, QString> mention {m.userId, shown.mid(1)};
                if (shown.startsWith(u'@') && shown.size() > 1 && !names.contains(mention))
                    names.append(mention);
            }
            beginEdit(seq, text, names);
        });
}

void ConversationController::beginEdit(qint64 seq, const QString &text,
                                       const QList<std::pair<qint64, QString>> &mentions)
{
    m_editSeq = seq;
    m_editText = text;
    m_mentions = mentions;
    Q_EMIT editChanged();
}

void ConversationController::startEditLast()
{
    for (int row = m_messages->rowCount() - 1; row >= 0; --row) {
        const QModelIndex index = m_messages->index(row);
        if (m_messages->data(index, MessageListModel::IsOwnRole).toBool()
            && messageValue(row, "canEdit").toBool()) {
            startEdit(m_messages->data(index, MessageListModel::SeqRole).toLongLong());
            return;
        }
    }
}

void ConversationController::cancelEdit()
{
    m_pendingEditSeq = 0;
    if (m_editSeq == 0)
        return;
    m_editSeq = 0;
    m_editText.clear();
    Q_EMIT editChanged();
}

QList<Body::Mention> ConversationController::mentionsIn(const QString &text) const
{
    // Each name the composer inserted, where the text still says "@name" (the first such place
    // not already taken), in text order and never overlapping.
    QList<Body::Mention> mentions;
    for (const auto &[userId, name] : m_mentions) {
        const QString needle = u'@' + name;
        qsizetype from = 0;
        while ((from = text.indexOf(needle, from)) >= 0) {
            const Body::Range range {int(from), int(needle.size())};
            const bool taken =
                std::any_of(mentions.cbegin(), mentions.cend(), [&range](const Body::Mention &m) {
                    return range.start < m.range.start + m.range.length
                        && m.range.start < range.start + range.length;
                });
            if (!taken) {
                mentions.append({userId, range});
                break;
            }
            from += needle.size();
        }
    }
    std::sort(mentions.begin(), mentions.end(), [](const Body::Mention &a, const Body::Mention &b) {
        return a.range.start < b.range.start;
    });
    return mentions;
}

bool ConversationController::send(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (!m_account || trimmed.isEmpty())
        return false;
    if (m_editSeq > 0 && trimmed == m_editText) { // nothing changed: no edit to send
        cancelEdit();
        return true;
    }
    Body::MessageBody parsed = Markup::parse(trimmed, mentionsIn(trimmed));
    if (!Body::validate(parsed).code.isEmpty() || parsed.text.trimmed().isEmpty())
        parsed = Body::text(trimmed); // markers that make no valid body: the text as typed
    m_account->typingTracker()->userStopped(m_conversationId);
    if (m_editSeq > 0) {
        Body::MessageBody edit = Body::edit(m_editSeq, parsed.text);
        edit.styles = parsed.styles;
        edit.mentions = parsed.mentions;
        m_account->outbox()->sendBody(m_conversationId, edit, true, m_editSeq);
        m_mentions.clear();
        cancelEdit();
        return true;
    }
    if (m_replySeq > 0)
        parsed.replyTo = {m_replySeq, m_replySenderId};
    m_account->outbox()->sendBody(m_conversationId, parsed);
    m_mentions.clear();
    cancelReply();
    return true;
}

void ConversationController::react(qint64 seq, const QString &emoji)
{
    const int row = m_messages->rowOfSeq(seq);
    if (!m_account || row < 0 || messageValue(row, "deleted").toBool())
        return;
    const bool same = messageValue(row, "myReaction").toString() == emoji;
    m_account->outbox()->sendBody(m_conversationId, Body::reaction(seq, same ? QString() : emoji),
                                  true, seq);
}

void ConversationController::reportFailure(const Reply &reply)
{
    if (reply.isOk())
        return;
    Q_EMIT actionFailed(reply.message.isEmpty() ? tr("Not done: no connection to the server.")
                                                : reply.message);
}

void ConversationController::deleteForEveryone(qint64 seq)
{
    if (!m_account)
        return;
    MessageApi(m_account->connection(), m_account->store())
        .deleteForEveryone(m_conversationId, seq)
        .onFinished(this,
                    [this](const Reply &reply, const MessageChange &) { reportFailure(reply); });
}

void ConversationController::deleteForMe(qint64 seq)
{
    if (!m_account)
        return;
    MessageApi(m_account->connection(), m_account->store())
        .deleteForMe(m_conversationId, {seq})
        .onFinished(this, [this](const Reply &reply) { reportFailure(reply); });
}

void ConversationController::setDisappearing(qint64 seconds)
{
    if (!m_account || !canSetTimer())
        return;
    MessageApi(m_account->connection(), m_account->store())
        .setTimer(m_conversationId, seconds)
        .onFinished(this,
                    [this](const Reply &reply, const MessageChange &) { reportFailure(reply); });
}

void ConversationController::forward(const QList<qint64> &seqs,
                                     const QList<qint64> &conversationIds)
{
    if (!m_account || seqs.isEmpty() || conversationIds.isEmpty())
        return;
    QList<qint64> ordered = seqs;
    std::sort(ordered.begin(), ordered.end());
    // The bodies as stored (an edit applied), read on the store's thread.
    m_account->store()
        ->storedMessagesFrom(m_conversationId, ordered.constFirst(), ordered.constLast() + 1)
        .then(this, [this, ordered, conversationIds](const QList<StoredMessage> &stored) {
            for (qint64 to : conversationIds) {
                for (const StoredMessage &message : stored) {
                    if (!ordered.contains(message.record.seq))
                        continue;
                    std::optional<Body::MessageBody> found = bodyOf(message.record);
                    if (!found)
                        continue;
                    Body::MessageBody body = *found;
                    // Mentions and the quote belong to the chat it came from.
                    body.mentions.clear();
                    body.replyTo = {};
                    body.forwarded = true;
                    m_account->outbox()->sendBody(to, body);
                }
            }
        });
}

void ConversationController::copyText(qint64 seq)
{
    const int row = m_messages->rowOfSeq(seq);
    if (row < 0)
        return;
    QString text = messageValue(row, "previewText").toString(); // spoilers stay hidden
    if (text.isEmpty())
        text = m_messages->data(m_messages->index(row), MessageListModel::TextRole).toString();
    if (QClipboard *clipboard = QGuiApplication::clipboard())
        clipboard->setText(text);
}

void ConversationController::jumpTo(qint64 seq)
{
    m_messages->loadUntil(seq).then(this, [this](int row) {
        if (row >= 0)
            Q_EMIT flash(row);
    });
}

QVariantList ConversationController::mentionCandidates(const QString &prefix) const
{
    QVariantList candidates;
    if (!m_account)
        return candidates;
    const qint64 self = m_account->store()->selfId();
    const auto matches = [&prefix](const QString &text) {
        if (text.startsWith(prefix, Qt::CaseInsensitive))
            return true;
        const QStringList words = text.split(u' ', Qt::SkipEmptyParts);
        return std::any_of(words.cbegin(), words.cend(), [&prefix](const QString &word) {
            return word.startsWith(prefix, Qt::CaseInsensitive);
        });
    };
    for (const Protocol::MemberInfo &member : m_account->store()->members(m_conversationId)) {
        if (member.user.id == self)
            continue;
        const QString name =
            member.user.displayName.isEmpty() ? member.user.username : member.user.displayName;
        if (!matches(name) && !member.user.username.startsWith(prefix, Qt::CaseInsensitive))
            continue;
        candidates.append(QVariantMap {{u"userId"_s, double(member.user.id)},
                                       {u"name"_s, name},
                                       {u"username"_s, member.user.username}});
        if (candidates.size() == MaxCandidates)
            break;
    }
    return candidates;
}

void ConversationController::addMention(qint64 userId, const QString &name)
{
    const std::pair<qint64, QString> mention {userId, name};
    if (!m_mentions.contains(mention))
        m_mentions.append(mention);
}

qint64 ConversationController::nextMentionSeq(qint64 afterSeq) const
{
    for (int row = 0; row < m_messages->rowCount(); ++row) {
        const qint64 seq =
            m_messages->data(m_messages->index(row), MessageListModel::SeqRole).toLongLong();
        if (seq > afterSeq && messageValue(row, "mentionsMe").toBool())
            return seq;
    }
    return 0;
}

void ConversationController::requestEditHistory(qint64 seq)
{
    if (!m_account)
        return;
    m_account->store()
        ->editHistory(m_conversationId, seq)
        .then(this, [this, seq](const QList<EditInfo> &edits) {
            QVariantList versions;
            for (const EditInfo &edit : edits)
                versions.append(
                    QVariantMap {{u"text"_s, edit.text},
                                 {u"timestamp"_s, QDateTime::fromMSecsSinceEpoch(edit.timestamp)}});
            Q_EMIT editHistoryReady(seq, versions);
        });
}

void ConversationController::revealSpoilers(qint64 seq)
{
    if (!m_account)
        return;
    m_account->store()
        ->storedMessagesFrom(m_conversationId, seq, seq + 1)
        .then(this, [this, seq](const QList<StoredMessage> &stored) {
            for (const StoredMessage &message : stored) {
                if (message.record.seq != seq || !m_account)
                    continue;
                if (const auto body = bodyOf(message.record)) {
                    RichText::Options options;
                    options.revealSpoilers = true;
                    Q_EMIT spoilersRevealed(
                        seq, RichText::toStyledText(*body, m_account->store()->selfId(), options));
                }
            }
        });
}

} // namespace App
