// MessageListModel, second part: what each row shows (data(), the roles) and how rich-message
// changes from the store (edits, reactions, deletes, hides, expiry) reach the rows.
#include "MessageListModel.h"

#include "protocol/MessageBody.h"
#include "store/LocalStore.h"
#include "text/DisplayText.h"
#include "text/RichText.h"

#include <QDateTime>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::MessageRecord;
namespace Body = Protocol::Body;

namespace {
constexpr qint64 EditWindowMs = 86'400'000; // 24 h (the store ignores later edits)
} // namespace

bool MessageListModel::isShown(const MessageRecord &record)
{
    if (record.silent || record.hidden || record.erased == Protocol::Erased::Expired)
        return false;
    if (record.isEvent())
        return record.event->action != u"deleted"_s; // the erased message shows it
    if (record.contentType == Body::ContentType) {
        const Body::DecodedBody decoded = Body::decode(record.content);
        return !decoded.ok() || decoded.body.kind == Body::Kind::Text;
    }
    return true;
}

void MessageListModel::fillRich(Item &item) const
{
    const MessageRecord &record = item.record;
    item.plainText.clear();
    item.richText.clear();
    item.emojiOnly = false;
    item.textMessage = false;
    item.attachments.clear();
    if (record.isEvent() || !record.erased.isEmpty() || record.hidden) {
        if (!record.isEvent())
            item.text.clear(); // deleted: the row stays, without its text
        return;
    }
    Body::MessageBody body;
    if (record.contentType == u"text/plain"_s) {
        body = Body::text(QString::fromUtf8(record.content));
    } else if (record.contentType == Body::ContentType) {
        const Body::DecodedBody decoded = Body::decode(record.content);
        if (!decoded.ok() || decoded.body.kind != Body::Kind::Text)
            return;
        body = decoded.body;
        // What the store works out from the body (a new entry's record comes without it).
        item.stored.forwarded = body.forwarded;
        item.stored.replySeq = body.replyTo.seq;
        item.stored.replySenderId = body.replyTo.senderId;
        item.stored.mentionsMe = record.senderId != m_selfId
            && std::any_of(body.mentions.cbegin(), body.mentions.cend(),
                           [this](const Body::Mention &m) { return m.userId == m_selfId; });
    } else {
        return;
    }
    item.textMessage = true;
    item.plainText = body.text;
    item.richText = RichText::toStyledText(body, m_selfId);
    item.emojiOnly = RichText::isEmojiOnly(body.text);
    item.attachments = Body::attachmentsOf(body);
}

QVariantList MessageListModel::reactionsOf(const Item &item) const
{
    QVariantList list;
    QList<QString> order;
    QHash<QString, QStringList> names;
    QHash<QString, bool> mine;
    for (const ReactionInfo &reaction : item.stored.reactions) {
        if (!names.contains(reaction.emoji))
            order.append(reaction.emoji);
        const QString name = userName(reaction.userId);
        names[reaction.emoji].append(name.isEmpty() ? u"Someone"_s : name);
        if (reaction.userId == m_selfId)
            mine[reaction.emoji] = true;
    }
    for (const QString &emoji : std::as_const(order)) {
        list.append(QVariantMap {{u"emoji"_s, emoji},
                                 {u"count"_s, int(names.value(emoji).size())},
                                 {u"mine"_s, mine.value(emoji)},
                                 {u"names"_s, names.value(emoji)}});
    }
    return list;
}

QVariant MessageListModel::richData(const Item &item, int role) const
{
    const MessageRecord &record = item.record;
    const StoredMessage &stored = item.stored;
    const bool own = record.senderId == m_selfId;
    const bool deleted = record.erased == Protocol::Erased::Deleted;
    const qint64 age = QDateTime::currentMSecsSinceEpoch() - record.timestamp;
    switch (role) {
    case RichTextRole:
        return item.richText;
    case EmojiOnlyRole:
        return item.emojiOnly;
    case EditedRole:
        return stored.editedAt > 0;
    case DeletedRole:
        return deleted;
    case ForwardedRole:
        return stored.forwarded;
    case MentionsMeRole:
        return stored.mentionsMe;
    case ExpiresAtRole:
        return record.expiresAt > 0 ? QDateTime::fromMSecsSinceEpoch(record.expiresAt)
                                    : QDateTime();
    case ReplySeqRole:
        return stored.replySeq;
    case ReplySenderNameRole:
        return stored.replySeq > 0 ? userName(stored.replySenderId) : QString();
    case ReplyExcerptRole:
        return stored.replyExcerpt;
    case ReplyStateRole:
        if (stored.replySeq <= 0)
            return QString();
        return stored.replyState.isEmpty() ? u"missing"_s : stored.replyState;
    case ReactionsRole:
        return reactionsOf(item);
    case MyReactionRole:
        for (const ReactionInfo &reaction : stored.reactions) {
            if (reaction.userId == m_selfId)
                return reaction.emoji;
        }
        return QString();
    case CanEditRole:
        return own && !item.pending && item.textMessage && !deleted && age < EditWindowMs;
    case CanDeleteForEveryoneRole:
        if (item.pending || record.isEvent() || deleted)
            return false;
        // As the server decides: one's own within the window (whatever one's role), someone
        // else's only in a group one owns or administers.
        if (own)
            return age < Protocol::Limits::DeleteWindowMs;
        return m_group && (m_role == Protocol::Role::Owner || m_role == Protocol::Role::Admin);
    case PlainTextRole:
        return item.plainText;
    case PreviewTextRole:
        return DisplayText::preview(
            record, [this](qint64 id) { return userName(id); }, 200);
    case AttachmentsRole:
        return attachmentsData(item);
    default:
        return {};
    }
}

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return item.text;
    case SeqRole:
        return item.record.seq;
    case SenderIdRole:
        return item.record.senderId;
    case SenderNameRole:
        return item.senderName;
    case ContentTypeRole:
        return item.record.contentType;
    case TimestampRole:
        return QDateTime::fromMSecsSinceEpoch(item.time);
    case StatusRole:
        return QVariant::fromValue(status(item));
    case IsOwnRole:
        return item.record.senderId == m_selfId;
    case IsEventRole:
        return item.record.isEvent();
    case FirstOfDayRole:
        return firstOfDay(index.row());
    case DayRole:
        return QDateTime::fromMSecsSinceEpoch(item.time).date();
    case ClientIdRole:
        return item.record.clientId;
    case ErrorRole:
        return item.error;
    default:
        return richData(item, role);
    }
}

QHash<int, QByteArray> MessageListModel::roleNames() const
{
    return {{SeqRole, "seq"},
            {SenderIdRole, "senderId"},
            {SenderNameRole, "senderName"},
            {TextRole, "text"},
            {ContentTypeRole, "contentType"},
            {TimestampRole, "timestamp"},
            {StatusRole, "status"},
            {IsOwnRole, "isOwn"},
            {IsEventRole, "isEvent"},
            {FirstOfDayRole, "firstOfDay"},
            {DayRole, "day"},
            {ClientIdRole, "clientId"},
            {ErrorRole, "error"},
            {RichTextRole, "richText"},
            {EmojiOnlyRole, "emojiOnly"},
            {EditedRole, "edited"},
            {DeletedRole, "deleted"},
            {ForwardedRole, "forwarded"},
            {MentionsMeRole, "mentionsMe"},
            {ExpiresAtRole, "expiresAt"},
            {ReplySeqRole, "replySeq"},
            {ReplySenderNameRole, "replySenderName"},
            {ReplyExcerptRole, "replyExcerpt"},
            {ReplyStateRole, "replyState"},
            {ReactionsRole, "reactions"},
            {MyReactionRole, "myReaction"},
            {CanEditRole, "canEdit"},
            {CanDeleteForEveryoneRole, "canDeleteForEveryone"},
            {PlainTextRole, "plainText"},
            {PreviewTextRole, "previewText"},
            {AttachmentsRole, "attachments"}};
}

QVariantList MessageListModel::editHistory(qint64 seq) const
{
    const int row = rowOfSeq(seq);
    QVariantList list;
    if (row < 0)
        return list;
    for (const EditInfo &edit : m_items.at(row).stored.edits) {
        list.append(QVariantMap {{u"seq"_s, edit.seq},
                                 {u"text"_s, edit.text},
                                 {u"timestamp"_s, QDateTime::fromMSecsSinceEpoch(edit.timestamp)}});
    }
    return list;
}

void MessageListModel::onMessagesUpdated(qint64 conversationId,
                                         const QList<StoredMessage> &messages)
{
    if (conversationId != m_conversationId || !m_loaded)
        return;
    for (const StoredMessage &stored : messages) {
        const int row = rowOfSeq(stored.record.seq);
        if (row < 0)
            continue; // not shown here (older than the top row, or a new one not shown)
        if (!isShown(stored.record)) {
            removeItem(row); // hidden on another device, or expired
            continue;
        }
        m_items[row] = fromStored(stored);
        Q_EMIT dataChanged(index(row), index(row));
    }
}

} // namespace Client
