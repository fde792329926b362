#include "ClientTestSupport.h"

#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "protocol/MessageBody.h"
#include "store/LocalStore.h"
#include "text/DisplayText.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Client;
using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace {

constexpr qint64 Conversation = 10;
constexpr qint64 Alice = 1; // this store's user
constexpr qint64 Bob = 2;
constexpr qint64 Carol = 3;
constexpr qint64 Hour = 3'600'000;

Protocol::ProfileInfo profile(qint64 id, const QString &name)
{
    Protocol::ProfileInfo p;
    p.user = Protocol::UserInfo {id, name.toLower(), name, Protocol::PresenceState::Online, 0};
    return p;
}

Protocol::ConversationInfo group()
{
    Protocol::ConversationInfo c;
    c.id = Conversation;
    c.kind = Protocol::ConversationKind::Group;
    c.name = u"Team"_s;
    c.memberCount = 3;
    return c;
}

//! An entry carrying a message body, as the server would send it.
Protocol::MessageRecord bodyMessage(qint64 seq, qint64 senderId, const Body::MessageBody &body,
                                    qint64 timestamp)
{
    Protocol::MessageRecord m = textMessage(Conversation, seq, senderId, {}, timestamp);
    m.contentType = QString(Body::ContentType);
    m.content = Body::encode(body);
    m.silent = body.kind != Body::Kind::Text;
    m.refSeq = body.target;
    return m;
}

QVariant roleOf(const MessageListModel *model, qint64 seq, int role)
{
    const int row = model->rowOfSeq(seq);
    return row < 0 ? QVariant() : model->index(row).data(role);
}

//! "the butler did it", "did it" a spoiler.
Body::MessageBody spoiler()
{
    Body::MessageBody body = Body::text(u"the butler did it"_s);
    body.styles = {Body::StyleRange {Body::Style::Spoiler, {11, 6}}};
    return body;
}

//! A `deleted` event entry erasing `target`.
Protocol::MessageRecord deletedEvent(qint64 seq, qint64 actorId, qint64 target, qint64 timestamp)
{
    Protocol::MessageRecord m;
    m.conversationId = Conversation;
    m.seq = seq;
    m.senderId = actorId;
    m.timestamp = timestamp;
    m.event = Protocol::MembershipEvent {};
    m.event->action = u"deleted"_s;
    m.event->actorId = actorId;
    m.event->targetSeq = target;
    return m;
}

QStringList hitTexts(LocalStore *store, const QString &query)
{
    QStringList texts;
    for (const SearchHit &hit : awaited(store->search(query)))
        texts.append(hit.text);
    return texts;
}

} // namespace

//! The local store's rules for rich messages, fed records directly (no server): they can carry
//! any sender and timestamp, which is how edits outside the window are made here.
class TestClientRichStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"rich-%1.sqlite"_s.arg(++m_counter));
        m_store = std::make_unique<LocalStore>();
        QVERIFY2(awaited(m_store->open(m_path)), qPrintable(m_store->errorString()));
        QVERIFY(awaited(m_store->setProfile(profile(Alice, u"Alice"_s))));
        QVERIFY(awaited(m_store->upsertUsers(
            {Protocol::UserInfo {Bob, u"bob"_s, u"Bob"_s, Protocol::PresenceState::Online, 0},
             Protocol::UserInfo {Carol, u"carol"_s, u"Carol"_s, Protocol::PresenceState::Online,
                                 0}})));
        QVERIFY(awaited(m_store->upsertConversations({group()})));
        m_now = QDateTime::currentMSecsSinceEpoch();
    }
    void cleanup() { m_store.reset(); }

    void editsFollowTheRules()
    {
        MessageListModel model(m_store.get(), nullptr, Conversation);
        testModel(&model);
        QTRY_VERIFY(model.isLoaded());
        const qint64 sent = m_now - 2 * Hour;
        awaited(
            m_store->addMessages({textMessage(Conversation, 1, Bob, u"original words"_s, sent)}));
        QTRY_COMPARE(model.rowCount(), 1);

        // Carol cannot edit Bob's message.
        awaited(m_store->addMessages(
            {bodyMessage(2, Carol, Body::edit(1, u"carol was here"_s), sent + Hour)}));
        // Bob's own edit, within 24 h, applies: text, search index, edited mark, history.
        awaited(m_store->addMessages(
            {bodyMessage(3, Bob, Body::edit(1, u"better words"_s), sent + Hour)}));
        QTRY_COMPARE(roleOf(&model, 1, MessageListModel::PlainTextRole).toString(),
                     u"better words"_s);
        QCOMPARE(model.rowCount(), 1); // edits are not rows
        QVERIFY(roleOf(&model, 1, MessageListModel::EditedRole).toBool());
        QCOMPARE(hitTexts(m_store.get(), u"better"_s), QStringList {u"better words"_s});
        QVERIFY(hitTexts(m_store.get(), u"original"_s).isEmpty());
        QVERIFY(hitTexts(m_store.get(), u"carol was"_s).isEmpty());
        const QVariantList history = model.editHistory(1);
        QCOMPARE(history.size(), 2);
        QCOMPARE(history.at(0).toMap().value(u"text"_s).toString(), u"original words"_s);
        QCOMPARE(history.at(1).toMap().value(u"text"_s).toString(), u"better words"_s);

        // An edit dated 25 h after the original is ignored.
        awaited(m_store->addMessages(
            {bodyMessage(4, Bob, Body::edit(1, u"too late"_s), sent + 25 * Hour)}));
        QVERIFY(awaited(m_store->idle()));
        QCOMPARE(roleOf(&model, 1, MessageListModel::PlainTextRole).toString(), u"better words"_s);
        QVERIFY(hitTexts(m_store.get(), u"too late"_s).isEmpty());

        // The list's preview shows the edited text.
        ConversationListModel list(m_store.get(), nullptr);
        QCOMPARE(list.index(0).data(ConversationListModel::LastMessageRole).toString(),
                 u"better words"_s);
    }

    void editAndReactionBeforeTheirTarget()
    {
        const qint64 sent = m_now - Hour;
        // History arrives newest first: the edit and reaction before the message they act on.
        awaited(
            m_store->addMessages({bodyMessage(5, Bob, Body::edit(4, u"fixed typo"_s), sent + 1000),
                                  bodyMessage(6, Carol, Body::reaction(4, u"🎉"_s), sent + 2000)}));
        MessageListModel model(m_store.get(), nullptr, Conversation);
        testModel(&model);
        QTRY_VERIFY(model.isLoaded());
        QCOMPARE(model.rowCount(), 0);
        awaited(m_store->addMessages({textMessage(Conversation, 4, Bob, u"fixd tpyo"_s, sent)}));
        QTRY_COMPARE(roleOf(&model, 4, MessageListModel::PlainTextRole).toString(),
                     u"fixed typo"_s);
        const QVariantList reactions = roleOf(&model, 4, MessageListModel::ReactionsRole).toList();
        QCOMPARE(reactions.size(), 1);
        QCOMPARE(reactions.first().toMap().value(u"emoji"_s).toString(), u"🎉"_s);
        QCOMPARE(reactions.first().toMap().value(u"names"_s).toStringList(),
                 QStringList {u"Carol"_s});
    }

    void reactionsLatestSeqWins()
    {
        MessageListModel model(m_store.get(), nullptr, Conversation);
        testModel(&model);
        QTRY_VERIFY(model.isLoaded());
        awaited(m_store->addMessages({textMessage(Conversation, 1, Alice, u"lunch?"_s, m_now)}));
        // Out of order: Bob's newer reaction (seq 4) before his older one (seq 2).
        awaited(m_store->addMessages({bodyMessage(4, Bob, Body::reaction(1, u"👍"_s), m_now),
                                      bodyMessage(3, Alice, Body::reaction(1, u"👍"_s), m_now)}));
        awaited(m_store->addMessages({bodyMessage(2, Bob, Body::reaction(1, u"😢"_s), m_now)}));
        QTRY_COMPARE(roleOf(&model, 1, MessageListModel::ReactionsRole).toList().size(), 1);
        QVariantMap chip =
            roleOf(&model, 1, MessageListModel::ReactionsRole).toList().first().toMap();
        QCOMPARE(chip.value(u"emoji"_s).toString(), u"👍"_s);
        QCOMPARE(chip.value(u"count"_s).toInt(), 2);
        QVERIFY(chip.value(u"mine"_s).toBool());
        QCOMPARE(roleOf(&model, 1, MessageListModel::MyReactionRole).toString(), u"👍"_s);
        // Removing (an empty emoji) takes only Alice's away.
        awaited(m_store->addMessages({bodyMessage(5, Alice, Body::reaction(1, QString()), m_now)}));
        QTRY_COMPARE(roleOf(&model, 1, MessageListModel::MyReactionRole).toString(), QString());
        chip = roleOf(&model, 1, MessageListModel::ReactionsRole).toList().first().toMap();
        QCOMPARE(chip.value(u"count"_s).toInt(), 1);
        QVERIFY(!chip.value(u"mine"_s).toBool());
        // Reactions are neither rows, nor unread, nor the preview.
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(m_store->conversation(Conversation)->unread, 0);
        QCOMPARE(m_store->conversation(Conversation)->lastMessage->seq, 1);
    }

    void replyToAnUnloadedOriginal()
    {
        MessageListModel model(m_store.get(), nullptr, Conversation);
        testModel(&model);
        QTRY_VERIFY(model.isLoaded());
        Body::MessageBody reply = Body::text(u"yes, that one"_s);
        reply.replyTo = {7, Bob};
        awaited(m_store->addMessages({bodyMessage(9, Alice, reply, m_now)}));
        QTRY_COMPARE(roleOf(&model, 9, MessageListModel::ReplyStateRole).toString(), u"missing"_s);
        QCOMPARE(roleOf(&model, 9, MessageListModel::ReplySeqRole).toLongLong(), 7);
        QCOMPARE(roleOf(&model, 9, MessageListModel::ReplySenderNameRole).toString(), u"Bob"_s);
        // Older history brings the original.
        awaited(m_store->addMessages({textMessage(Conversation, 7, Bob, u"which one?"_s, m_now)}));
        QTRY_COMPARE(roleOf(&model, 9, MessageListModel::ReplyStateRole).toString(), u"ok"_s);
        QCOMPARE(roleOf(&model, 9, MessageListModel::ReplyExcerptRole).toString(), u"which one?"_s);
        // Deleted for everyone: the quote says so.
        Protocol::MessageRecord deleted;
        deleted.conversationId = Conversation;
        deleted.seq = 10;
        deleted.senderId = Bob;
        deleted.timestamp = m_now;
        deleted.event = Protocol::MembershipEvent {};
        deleted.event->action = u"deleted"_s;
        deleted.event->actorId = Bob;
        deleted.event->targetSeq = 7;
        awaited(m_store->addMessages({deleted}));
        QTRY_COMPARE(roleOf(&model, 9, MessageListModel::ReplyStateRole).toString(), u"deleted"_s);
    }

    void mentionsAreCountedUntilRead()
    {
        Body::MessageBody mention = Body::text(u"@Alice look"_s);
        mention.mentions = {Body::Mention {Alice, {0, 6}}};
        awaited(m_store->addMessages({bodyMessage(1, Bob, mention, m_now),
                                      textMessage(Conversation, 2, Carol, u"hi"_s, m_now)}));
        QCOMPARE(m_store->summary(Conversation)->unreadMentions, 1);
        ConversationListModel list(m_store.get(), nullptr);
        QCOMPARE(list.index(0).data(ConversationListModel::UnreadMentionsRole).toInt(), 1);
        MessageListModel model(m_store.get(), nullptr, Conversation);
        QTRY_VERIFY(model.isLoaded());
        QVERIFY(roleOf(&model, 1, MessageListModel::MentionsMeRole).toBool());
        QVERIFY(!roleOf(&model, 2, MessageListModel::MentionsMeRole).toBool());
        QVERIFY(awaited(m_store->markRead(Conversation, 2)));
        QCOMPARE(m_store->summary(Conversation)->unreadMentions, 0);
        QTRY_COMPARE(list.index(0).data(ConversationListModel::UnreadMentionsRole).toInt(), 0);
    }

    void disappearingMessagesExpireOffline()
    {
        MessageListModel model(m_store.get(), nullptr, Conversation);
        testModel(&model);
        QTRY_VERIFY(model.isLoaded());
        Protocol::MessageRecord timer;
        timer.conversationId = Conversation;
        timer.seq = 1;
        timer.senderId = Bob;
        timer.timestamp = m_now;
        timer.event = Protocol::MembershipEvent {};
        timer.event->action = u"timer"_s;
        timer.event->actorId = Bob;
        timer.event->seconds = 300;
        // No connection at all: only the store's own timer removes them.
        Protocol::MessageRecord soon = textMessage(Conversation, 2, Bob, u"self destruct"_s, m_now);
        soon.expiresAt = QDateTime::currentMSecsSinceEpoch() + 300;
        Protocol::MessageRecord later =
            textMessage(Conversation, 3, Bob, u"stays a while"_s, m_now);
        later.expiresAt = QDateTime::currentMSecsSinceEpoch() + 24 * Hour;
        awaited(m_store->addMessages({timer, soon, later}));
        QCOMPARE(m_store->conversation(Conversation)->disappearSeconds, 300);
        QTRY_COMPARE(model.rowCount(), 3);
        QVERIFY(roleOf(&model, 2, MessageListModel::ExpiresAtRole).toDateTime().isValid());
        QCOMPARE(hitTexts(m_store.get(), u"destruct"_s), QStringList {u"self destruct"_s});
        QTRY_COMPARE(model.rowCount(), 2); // the timer event and the later one
        QCOMPARE(model.rowOfSeq(2), -1);
        QVERIFY(hitTexts(m_store.get(), u"destruct"_s).isEmpty());
        QCOMPARE(hitTexts(m_store.get(), u"a while"_s), QStringList {u"stays a while"_s});
    }

    void expiredWhileClosedIsGoneAtStart()
    {
        Protocol::MessageRecord gone = textMessage(Conversation, 1, Bob, u"ephemeral"_s, m_now);
        gone.expiresAt = m_now - 1000; // expired before this device stored it (clock skew)
        Protocol::MessageRecord soon = textMessage(Conversation, 2, Bob, u"fleeting"_s, m_now);
        soon.expiresAt = QDateTime::currentMSecsSinceEpoch() + 24 * Hour;
        awaited(m_store->addMessages({gone, soon}));
        m_store->close();
        m_store = std::make_unique<LocalStore>();
        QVERIFY(awaited(m_store->open(m_path)));
        QVERIFY(hitTexts(m_store.get(), u"ephemeral"_s).isEmpty());
        QCOMPARE(hitTexts(m_store.get(), u"fleeting"_s), QStringList {u"fleeting"_s});
        QCOMPARE(awaited(m_store->storedMessages(Conversation, 0, 10)).size(), 1);
    }

    void silentOutboxEntriesAreNoPreview()
    {
        awaited(m_store->addMessages({textMessage(Conversation, 1, Bob, u"hello"_s, m_now)}));
        const OutboxEntry reaction =
            m_store->addToOutbox(Conversation, QString(Body::ContentType),
                                 Body::encode(Body::reaction(1, u"👍"_s)), true, 1);
        QVERIFY(awaited(m_store->idle()));
        const auto entry = m_store->outboxEntry(reaction.clientId);
        QVERIFY(entry);
        QVERIFY(entry->silent);
        QCOMPARE(entry->refSeq, 1);
        QVERIFY(!m_store->summary(Conversation)->newestPending);
    }

    void spoilersHiddenOutsideTheBubble()
    {
        const QString masked = u"the butler \u2592\u2592\u2592\u2592\u2592\u2592"_s;
        const Protocol::MessageRecord secret = bodyMessage(1, Bob, spoiler(), m_now);
        awaited(m_store->addMessages({secret}));
        // The chat list's preview and a notification's text (both DisplayText::preview).
        ConversationListModel list(m_store.get(), nullptr);
        QCOMPARE(list.index(0).data(ConversationListModel::LastMessageRole).toString(), masked);
        QCOMPARE(DisplayText::preview(secret, {}), masked);
        // The bubble still has it all (the app reveals it on click).
        MessageListModel model(m_store.get(), nullptr, Conversation);
        testModel(&model);
        QTRY_VERIFY(model.isLoaded());
        QCOMPARE(roleOf(&model, 1, MessageListModel::PlainTextRole).toString(),
                 u"the butler did it"_s);
        QVERIFY(
            !roleOf(&model, 1, MessageListModel::RichTextRole).toString().contains(u"did it"_s));
        QCOMPARE(roleOf(&model, 1, MessageListModel::PreviewTextRole).toString(), masked);
        // A search finds the hidden words, and its hit hides them too.
        QCOMPARE(hitTexts(m_store.get(), u"did it"_s), QStringList {masked});
        QCOMPARE(hitTexts(m_store.get(), u"butler"_s), QStringList {masked});

        // A reply's quote.
        Body::MessageBody reply = Body::text(u"no way"_s);
        reply.replyTo = {1, Bob};
        awaited(m_store->addMessages({bodyMessage(2, Alice, reply, m_now)}));
        QTRY_COMPARE(roleOf(&model, 2, MessageListModel::ReplyStateRole).toString(), u"ok"_s);
        QCOMPARE(roleOf(&model, 2, MessageListModel::ReplyExcerptRole).toString(), masked);

        // An edit's new spoiler counts, and the old text's does not linger.
        Body::MessageBody edit = Body::edit(1, u"it was the gardener"_s);
        edit.styles = {Body::StyleRange {Body::Style::Spoiler, {11, 8}}};
        awaited(m_store->addMessages({bodyMessage(3, Bob, edit, m_now + 1000)}));
        const QString editedMask = u"it was the \u2592\u2592\u2592\u2592\u2592\u2592\u2592\u2592"_s;
        QTRY_COMPARE(roleOf(&model, 2, MessageListModel::ReplyExcerptRole).toString(), editedMask);
        QCOMPARE(hitTexts(m_store.get(), u"gardener"_s), QStringList {editedMask});
    }

    void erasedMessagesAreNotUnread()
    {
        Body::MessageBody mention = Body::text(u"@Alice look"_s);
        mention.mentions = {Body::Mention {Alice, {0, 6}}};
        awaited(m_store->addMessages({textMessage(Conversation, 1, Bob, u"one"_s, m_now),
                                      bodyMessage(2, Bob, mention, m_now),
                                      textMessage(Conversation, 3, Carol, u"three"_s, m_now)}));
        ConversationListModel list(m_store.get(), nullptr);
        const auto unread = [this] { return m_store->conversation(Conversation)->unread; };
        const auto mentions = [this] { return m_store->summary(Conversation)->unreadMentions; };
        QCOMPARE(unread(), 3);
        QCOMPARE(mentions(), 1);

        // Deleted for everyone: neither unread nor a mention any more.
        awaited(m_store->addMessages({deletedEvent(4, Bob, 2, m_now)}));
        QCOMPARE(unread(), 2);
        QCOMPARE(mentions(), 0);
        QTRY_COMPARE(list.index(0).data(ConversationListModel::UnreadCountRole).toInt(), 2);
        QCOMPARE(list.index(0).data(ConversationListModel::UnreadMentionsRole).toInt(), 0);
        // Again (the record arriving erased later): no second decrement.
        Protocol::MessageRecord erasedAgain = textMessage(Conversation, 2, Bob, {}, m_now);
        erasedAgain.erased = u"deleted"_s;
        awaited(m_store->addMessages({erasedAgain, deletedEvent(4, Bob, 2, m_now)}));
        QCOMPARE(unread(), 2);

        // Hidden on another device of this user.
        awaited(m_store->hide(Conversation, {3}));
        QCOMPARE(unread(), 1);
        // Arriving already hidden, or deleted in the same page: never counted.
        Protocol::MessageRecord hidden = textMessage(Conversation, 5, Bob, {}, m_now);
        hidden.hidden = true;
        awaited(m_store->addMessages({hidden, textMessage(Conversation, 6, Bob, u"oops"_s, m_now),
                                      deletedEvent(7, Bob, 6, m_now)}));
        QCOMPARE(unread(), 1);

        // Expired locally.
        Protocol::MessageRecord soon = textMessage(Conversation, 8, Bob, u"fleeting"_s, m_now);
        soon.expiresAt = QDateTime::currentMSecsSinceEpoch() + 300;
        awaited(m_store->addMessages({soon}));
        QCOMPARE(unread(), 2);
        QTRY_COMPARE(unread(), 1);

        // Reading recounts without them: only "three" was after 1, and it is hidden.
        QVERIFY(awaited(m_store->markRead(Conversation, 1)));
        QCOMPARE(unread(), 0);
    }

    void canDeleteForEveryoneByRole()
    {
        awaited(m_store->addMessages(
            {textMessage(Conversation, 1, Bob, u"bob's old words"_s, m_now - 100 * Hour),
             textMessage(Conversation, 2, Alice, u"mine, recent"_s, m_now - Hour),
             textMessage(Conversation, 3, Alice, u"mine, too old"_s, m_now - 49 * Hour)}));
        const auto withRole = [this](Protocol::Role role) {
            Protocol::ConversationInfo c = group();
            c.role = role;
            c.lastSeq = 3;
            return awaited(m_store->upsertConversations({c}));
        };
        QVERIFY(withRole(Protocol::Role::Owner));
        MessageListModel model(m_store.get(), nullptr, Conversation);
        testModel(&model);
        QTRY_COMPARE(model.rowCount(), 3);
        const auto can = [&model](qint64 seq) {
            return roleOf(&model, seq, MessageListModel::CanDeleteForEveryoneRole).toBool();
        };
        // The owner: someone else's message at any age, their own only within 48 h.
        QVERIFY(can(1));
        QVERIFY(can(2));
        QVERIFY(!can(3));
        // A plain member: only their own, within 48 h.
        QVERIFY(withRole(Protocol::Role::Member));
        QTRY_VERIFY(!can(1));
        QVERIFY(can(2));
        QVERIFY(!can(3));
        // An admin, like the owner.
        QVERIFY(withRole(Protocol::Role::Admin));
        QTRY_VERIFY(can(1));
        QVERIFY(can(2));
        QVERIFY(!can(3));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_counter = 0;
    std::unique_ptr<LocalStore> m_store;
    qint64 m_now = 0;
};

QTEST_GUILESS_MAIN(TestClientRichStore)
#include "tst_client_rich_store.moc"
