// ConversationController's rich-message actions (issue 12) as the conversation view drives them,
// against the real server with Bob scripted on the client core: reactions toggling, a reply and
// an edit of the last own message, markup and mentions becoming a body, delete for everyone and
// for me, the disappearing-messages timer and forwarding.
#include "AppTestSupport.h"

#include "ClientTestSupport.h"
#include "ConversationController.h"
#include "TestServer.h"
#include "account/Account.h"
#include "models/MessageListModel.h"
#include "store/LocalStore.h"
#include "sync/Outbox.h"
#include "text/Markup.h"

#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace App;
namespace Body = Protocol::Body;

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 15'000;

QVariant roleOf(QAbstractItemModel *model, qint64 seq, int role)
{
    auto *messages = qobject_cast<MessageListModel *>(model);
    const int row = messages->rowOfSeq(seq);
    return row < 0 ? QVariant() : messages->data(messages->index(row), role);
}

//! Bob's stored copy of the message whose (current) text is `text`.
std::optional<StoredMessage> stored(Account *account, qint64 conversationId, const QString &text)
{
    for (const StoredMessage &message :
         awaited(account->store()->storedMessages(conversationId, 0, 50))) {
        const auto &record = message.record;
        const QString shown = record.contentType == Body::ContentType
            ? Body::decode(record.content).body.text
            : QString::fromUtf8(record.content);
        if (shown == text)
            return message;
    }
    return std::nullopt;
}
} // namespace

class TestAppRichMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
        m_app = std::make_unique<SignedInApp>();
        QVERIFY(m_app->signUp(m_server->url(), u"alice"_s, u"Alice"_s));
        m_fixture = std::make_unique<ClientFixture>();
        m_bob = m_fixture->account(m_server->url(), u"bob"_s);
        QVERIFY(registerOnline(m_bob.get(), u"Bob"_s));
        m_conversation = m_app->directChatWith(m_bob.get());
        QVERIFY(m_conversation);
        m_controller = std::make_unique<ConversationController>(m_app->account(), m_conversation);
        QTRY_VERIFY(m_controller->isLoaded());
    }

    void cleanup()
    {
        m_controller.reset();
        m_bob.reset();
        m_fixture.reset();
        m_app.reset();
        m_server.reset();
    }

    void reactionsToggle()
    {
        const qint64 seq = bobSays(u"Pizza?"_s);
        m_controller->react(seq, u"👍"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            roleOf(m_controller->messages(), seq, MessageListModel::MyReactionRole).toString(),
            u"👍"_s, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(
            stored(m_bob.get(), m_conversation, u"Pizza?"_s)->reactions.size(), 1, Timeout);
        // Another emoji replaces it; the same one again removes it.
        m_controller->react(seq, u"😂"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            roleOf(m_controller->messages(), seq, MessageListModel::MyReactionRole).toString(),
            u"😂"_s, Timeout);
        m_controller->react(seq, u"😂"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            roleOf(m_controller->messages(), seq, MessageListModel::MyReactionRole).toString(),
            QString(), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(
            stored(m_bob.get(), m_conversation, u"Pizza?"_s)->reactions.size(), 0, Timeout);
    }

    // The reply bar quotes outside the bubble: a spoiler stays hidden there.
    void replyQuoteHidesSpoilers()
    {
        m_bob->outbox()->sendBody(m_conversation, Markup::parse(u"the code is ||4711||"_s));
        const qint64 seq = awaitRow(u"the code is 4711"_s, false);
        QVERIFY(seq > 0);
        m_controller->startReply(seq);
        QVERIFY(!m_controller->replyExcerpt().contains(u"4711"_s));
        QVERIFY(m_controller->replyExcerpt().startsWith(u"the code is "_s));
    }

    void replyThenEditTheLastMessage()
    {
        const qint64 seq = bobSays(u"Meeting at 3?"_s);
        QSignalSpy replyChanged(m_controller.get(), &ConversationController::replyChanged);
        m_controller->startReply(seq);
        QCOMPARE(replyChanged.size(), 1);
        QCOMPARE(qint64(m_controller->replySeqValue()), seq);
        QCOMPARE(m_controller->replySenderName(), u"Bob"_s);
        QCOMPARE(m_controller->replyExcerpt(), u"Meeting at 3?"_s);
        QVERIFY(m_controller->send(u"  Yes  "_s));
        QCOMPARE(m_controller->replySeqValue(), 0.0); // sent: the reply is done
        QTRY_VERIFY_WITH_TIMEOUT(stored(m_bob.get(), m_conversation, u"Yes"_s), Timeout);
        QCOMPARE(stored(m_bob.get(), m_conversation, u"Yes"_s)->replySeq, seq);

        // Up arrow: the last own message, once the server has it (pending ones cannot be edited).
        QTRY_VERIFY_WITH_TIMEOUT((m_controller->startEditLast(), m_controller->editSeqValue() > 0),
                                 Timeout);
        QCOMPARE(m_controller->editText(), u"Yes"_s);
        QVERIFY(m_controller->send(u"Yes, at 3"_s));
        QCOMPARE(m_controller->editSeqValue(), 0.0);
        QTRY_VERIFY_WITH_TIMEOUT(stored(m_bob.get(), m_conversation, u"Yes, at 3"_s), Timeout);
        QVERIFY(stored(m_bob.get(), m_conversation, u"Yes, at 3"_s)->editedAt > 0);
        // Cancelling clears it; Bob's message is not Alice's to edit.
        m_controller->startEdit(seq);
        QCOMPARE(m_controller->editSeqValue(), 0.0);
    }

    void markupAndMentionsBecomeTheBody()
    {
        // Mentions are for groups: Bob makes one with Alice.
        const qint64 group = groupWithBob(u"Plans"_s);
        ConversationController controller(m_app->account(), group);
        QTRY_COMPARE_WITH_TIMEOUT(controller.mentionCandidates(u"bo"_s).size(), 1, Timeout);
        const QVariantMap bob = controller.mentionCandidates(u"bo"_s).constFirst().toMap();
        QCOMPARE(bob.value(u"username"_s).toString(), u"bob"_s);
        QCOMPARE(bob.value(u"name"_s).toString(), u"Bob"_s);
        QVERIFY(controller.mentionCandidates(u"zz"_s).isEmpty());
        QVERIFY(controller.mentionCandidates(u"al"_s).isEmpty()); // never oneself
        controller.addMention(qint64(bob.value(u"userId"_s).toDouble()), u"Bob"_s);
        QVERIFY(controller.send(u"@Bob look *here*"_s));
        QTRY_VERIFY_WITH_TIMEOUT(stored(m_bob.get(), group, u"@Bob look here"_s), Timeout);
        const StoredMessage message = *stored(m_bob.get(), group, u"@Bob look here"_s);
        QVERIFY(message.mentionsMe);
        const Body::MessageBody body = Body::decode(message.record.content).body;
        QCOMPARE(body.mentions.size(), 1);
        QCOMPARE(body.mentions.constFirst().range, (Body::Range {0, 4}));
        QCOMPARE(body.styles.size(), 1);
        QCOMPARE(body.styles.constFirst().style, Body::Style::Bold);
        // A member, not an admin: no timer for Alice in Bob's group.
        QVERIFY(!controller.canSetTimer());

        // Bob mentions Alice: the jump button's next mention is that message.
        Body::MessageBody mention = Body::text(u"@Alice see this"_s);
        mention.mentions.append(Body::Mention {m_app->account()->store()->selfId(), {0, 6}});
        m_bob->outbox()->sendBody(group, mention);
        QTRY_VERIFY_WITH_TIMEOUT(controller.nextMentionSeq(0) > 0, Timeout);
        const qint64 mentionSeq = controller.nextMentionSeq(0);
        QCOMPARE(
            controller.messages()
                ->index(
                    qobject_cast<MessageListModel *>(controller.messages())->rowOfSeq(mentionSeq),
                    0)
                .data(MessageListModel::TextRole)
                .toString(),
            u"@Alice see this"_s);
        QCOMPARE(controller.nextMentionSeq(mentionSeq), 0);
        QTRY_VERIFY_WITH_TIMEOUT(controller.unreadMentions() >= 1, Timeout);
    }

    void editKeepsStylesAndMentions()
    {
        const qint64 group = groupWithBob(u"Edits"_s);
        ConversationController controller(m_app->account(), group);
        QTRY_COMPARE_WITH_TIMEOUT(controller.mentionCandidates(u"bo"_s).size(), 1, Timeout);
        const qint64 bobId = qint64(controller.mentionCandidates(u"bo"_s)
                                        .constFirst()
                                        .toMap()
                                        .value(u"userId"_s)
                                        .toDouble());
        controller.addMention(bobId, u"Bob"_s);
        QVERIFY(controller.send(u"@Bob the *big* plan"_s));
        QTRY_VERIFY_WITH_TIMEOUT(stored(m_bob.get(), group, u"@Bob the big plan"_s), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT((controller.startEditLast(), controller.editSeqValue() > 0),
                                 Timeout);
        // The markup and the mention come back once the store has answered.
        QTRY_COMPARE_WITH_TIMEOUT(controller.editText(), u"@Bob the *big* plan"_s, Timeout);
        QString edited = controller.editText();
        edited.replace(u"plan"_s, u"idea"_s);
        QVERIFY(controller.send(edited));
        QTRY_VERIFY_WITH_TIMEOUT(stored(m_bob.get(), group, u"@Bob the big idea"_s), Timeout);
        const StoredMessage message = *stored(m_bob.get(), group, u"@Bob the big idea"_s);
        const Body::MessageBody body = Body::decode(message.record.content).body;
        QCOMPARE(body.styles,
                 (QList<Body::StyleRange> {Body::StyleRange {Body::Style::Bold, {9, 3}}}));
        QCOMPARE(body.mentions, (QList<Body::Mention> {Body::Mention {bobId, {0, 4}}}));
    }

    void deleteForEveryoneAndForMe()
    {
        QVERIFY(m_controller->send(u"oops"_s));
        const qint64 own = awaitOwn(u"oops"_s);
        m_controller->deleteForEveryone(own);
        QTRY_VERIFY_WITH_TIMEOUT(
            roleOf(m_controller->messages(), own, MessageListModel::DeletedRole).toBool(), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(!stored(m_bob.get(), m_conversation, u"oops"_s), Timeout);

        const qint64 theirs = bobSays(u"only for you"_s);
        m_controller->deleteForMe(theirs);
        QTRY_VERIFY_WITH_TIMEOUT(
            qobject_cast<MessageListModel *>(m_controller->messages())->rowOfSeq(theirs) < 0
                || roleOf(m_controller->messages(), theirs, MessageListModel::PlainTextRole)
                       .toString()
                       .isEmpty(),
            Timeout);
        QVERIFY(stored(m_bob.get(), m_conversation, u"only for you"_s)); // Bob keeps his
    }

    void disappearingTimer()
    {
        QVERIFY(m_controller->canSetTimer());
        QCOMPARE(m_controller->disappearSeconds(), 0.0);
        m_controller->setDisappearing(300);
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->disappearSeconds(), 300.0, Timeout);
        m_controller->setDisappearing(0);
        QTRY_COMPARE_WITH_TIMEOUT(m_controller->disappearSeconds(), 0.0, Timeout);
    }

    void forwardToAnotherChat()
    {
        const qint64 seq = bobSays(u"Forward me"_s);
        const qint64 group = groupWithBob(u"Elsewhere"_s); // somewhere else to forward to
        m_controller->forward({seq}, {group});
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->conversationIds().contains(group), Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(stored(m_bob.get(), group, u"Forward me"_s), Timeout);
        QVERIFY(stored(m_bob.get(), group, u"Forward me"_s)->forwarded);
    }

private:
    //! Bob makes a group with Alice; its id once Alice has it.
    qint64 groupWithBob(const QString &name)
    {
        m_bob->createGroup(name, {m_app->account()->store()->selfId()});
        qint64 group = 0;
        const bool arrived = QTest::qWaitFor(
            [&] {
                for (qint64 id : m_app->account()->store()->conversationIds())
                    group = id != m_conversation ? id : group;
                return group > 0;
            },
            Timeout);
        return arrived ? group : 0;
    }

    //! Bob sends `text`; its seq once Alice's model shows it.
    qint64 bobSays(const QString &text)
    {
        m_bob->sendMessage(m_conversation, text);
        return awaitRow(text, false);
    }
    qint64 awaitOwn(const QString &text) { return awaitRow(text, true); }
    qint64 awaitRow(const QString &text, bool own)
    {
        QAbstractItemModel *model = m_controller->messages();
        qint64 seq = 0;
        const auto find = [&] {
            for (int row = 0; row < model->rowCount(); ++row) {
                const QModelIndex index = model->index(row, 0);
                if (index.data(MessageListModel::TextRole).toString() == text
                    && index.data(MessageListModel::IsOwnRole).toBool() == own)
                    seq = index.data(MessageListModel::SeqRole).toLongLong();
            }
            return seq > 0;
        };
        if (!QTest::qWaitFor(find, Timeout))
            qWarning() << "never shown:" << text;
        return seq;
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<SignedInApp> m_app;
    std::unique_ptr<ClientFixture> m_fixture;
    std::unique_ptr<Account> m_bob;
    qint64 m_conversation = 0;
    std::unique_ptr<ConversationController> m_controller;
};

QTEST_MAIN(TestAppRichMessages)
#include "tst_app_rich_messages.moc"
