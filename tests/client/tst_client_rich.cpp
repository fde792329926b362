#include "ClientTestSupport.h"

#include "TestClient.h"
#include "TestServer.h"
#include "api/MessageApi.h"
#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "protocol/MessageBody.h"
#include "protocol/Requests.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace {
constexpr int Timeout = 15'000;

QVariant roleOf(const MessageListModel *model, qint64 seq, int role)
{
    const int row = model->rowOfSeq(seq);
    return row < 0 ? QVariant() : model->index(row).data(role);
}

//! The chips of a message as "emoji×count" strings, in order.
QStringList chips(const MessageListModel *model, qint64 seq)
{
    QStringList list;
    for (const QVariant &chip : roleOf(model, seq, MessageListModel::ReactionsRole).toList()) {
        const QVariantMap map = chip.toMap();
        list.append(
            u"%1x%2"_s.arg(map.value(u"emoji"_s).toString()).arg(map.value(u"count"_s).toInt()));
    }
    list.sort(); // in order of first use, which the server decides when two react at once
    return list;
}

QStringList hitTexts(Account *account, const QString &query)
{
    QStringList texts;
    for (const SearchHit &hit : awaited(account->store()->search(query)))
        texts.append(hit.text);
    return texts;
}

//! The seq the newest stored entry of the conversation has on this account.
qint64 newestSeq(Account *account, qint64 conversationId)
{
    const auto info = account->store()->conversation(conversationId);
    return info ? info->lastSeq : 0;
}
} // namespace

//! Rich messages between real clients through the real server: reactions, edits, replies,
//! deletes for everyone and for me, silent entries.
class TestClientRich : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startPair(); }

    void cleanup() { stopPair(); }

    void reactionsAcrossTwoUsers()
    {
        QSignalSpy notified(m_alice.get(), &Account::notification);
        const qint64 seq = say(m_alice.get(), u"hello"_s);
        QVERIFY(seq > 0);
        std::unique_ptr<MessageListModel> alice(
            m_alice->createMessageModel(m_conversation, nullptr));
        std::unique_ptr<MessageListModel> bob(m_bob->createMessageModel(m_conversation, nullptr));
        testModel(alice.get());
        testModel(bob.get());
        QTRY_VERIFY_WITH_TIMEOUT(bob->rowOfSeq(seq) >= 0, Timeout);

        m_bob->sendBody(m_conversation, Body::reaction(seq, u"👍"_s));
        m_alice->sendBody(m_conversation, Body::reaction(seq, u"❤"_s));
        QStringList both {u"👍x1"_s, u"❤x1"_s};
        both.sort();
        QTRY_COMPARE_WITH_TIMEOUT(chips(alice.get(), seq), both, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(chips(bob.get(), seq), both, Timeout);
        QCOMPARE(roleOf(alice.get(), seq, MessageListModel::MyReactionRole).toString(), u"❤"_s);
        QCOMPARE(roleOf(bob.get(), seq, MessageListModel::MyReactionRole).toString(), u"👍"_s);
        // Bob's reaction to Alice's own message notifies her.
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, Timeout);
        QCOMPARE(notified.first().first().value<Notification>().preview,
                 u"reacted 👍 to \u201chello\u201d"_s);

        // One reaction per person: Bob's new one replaces his old one.
        m_bob->sendBody(m_conversation, Body::reaction(seq, u"❤"_s));
        QTRY_COMPARE_WITH_TIMEOUT(chips(alice.get(), seq), QStringList {u"❤x2"_s}, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(chips(bob.get(), seq), QStringList {u"❤x2"_s}, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 2, Timeout); // a new reaction: told again
        QCOMPARE(notified.last().first().value<Notification>().preview,
                 u"reacted ❤ to \u201chello\u201d"_s);
        // And an empty one removes it.
        m_bob->sendBody(m_conversation, Body::reaction(seq, QString()));
        QTRY_COMPARE_WITH_TIMEOUT(chips(alice.get(), seq), QStringList {u"❤x1"_s}, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(chips(bob.get(), seq), QStringList {u"❤x1"_s}, Timeout);
        QVERIFY(roleOf(alice.get(), seq, MessageListModel::ReactionsRole)
                    .toList()
                    .first()
                    .toMap()
                    .value(u"mine"_s)
                    .toBool());
        QCOMPARE(roleOf(bob.get(), seq, MessageListModel::MyReactionRole).toString(), QString());

        // Silent: no rows, no unread, not the preview.
        QCOMPARE(alice->rowCount(), 1);
        QCOMPARE(bob->rowCount(), 1);
        QCOMPARE(m_alice->store()->conversation(m_conversation)->unread, 0);
        QCOMPARE(m_bob->store()->conversation(m_conversation)->unread, 1); // "hello" only
        QCOMPARE(m_bob->conversationModel()->index(0).data(ConversationListModel::LastMessageRole),
                 QVariant(u"hello"_s));
        QCOMPARE(notified.size(), 2); // a removal is not news
    }

    void editsOnlyFromTheSender()
    {
        const qint64 seq = say(m_alice.get(), u"draft wording"_s);
        std::unique_ptr<MessageListModel> bob(m_bob->createMessageModel(m_conversation, nullptr));
        testModel(bob.get());
        QTRY_VERIFY_WITH_TIMEOUT(bob->rowOfSeq(seq) >= 0, Timeout);
        const qint64 unread = m_bob->store()->conversation(m_conversation)->unread;

        m_alice->sendBody(m_conversation, Body::edit(seq, u"final wording"_s));
        QTRY_COMPARE_WITH_TIMEOUT(roleOf(bob.get(), seq, MessageListModel::TextRole).toString(),
                                  u"final wording"_s, Timeout);
        QVERIFY(roleOf(bob.get(), seq, MessageListModel::EditedRole).toBool());
        QCOMPARE(bob->rowCount(), 1);
        QCOMPARE(m_bob->store()->conversation(m_conversation)->unread, unread);
        QCOMPARE(hitTexts(m_bob.get(), u"final"_s), QStringList {u"final wording"_s});
        QVERIFY(hitTexts(m_bob.get(), u"draft"_s).isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(
            m_bob->conversationModel()->index(0).data(ConversationListModel::LastMessageRole),
            QVariant(u"final wording"_s), Timeout);

        // Bob's client sends an "edit" of Alice's message: every client ignores it.
        m_bob->sendBody(m_conversation, Body::edit(seq, u"bob was here"_s));
        const qint64 marker = say(m_bob.get(), u"marker"_s);
        std::unique_ptr<MessageListModel> alice(
            m_alice->createMessageModel(m_conversation, nullptr));
        QTRY_VERIFY_WITH_TIMEOUT(alice->rowOfSeq(marker) >= 0, Timeout);
        QCOMPARE(roleOf(alice.get(), seq, MessageListModel::TextRole).toString(),
                 u"final wording"_s);
        QCOMPARE(roleOf(bob.get(), seq, MessageListModel::TextRole).toString(), u"final wording"_s);
        QVERIFY(hitTexts(m_alice.get(), u"bob was"_s).isEmpty());
        QCOMPARE(alice->editHistory(seq).size(), 2);
        QVERIFY(roleOf(alice.get(), seq, MessageListModel::CanEditRole).toBool());
        QVERIFY(!roleOf(bob.get(), seq, MessageListModel::CanEditRole).toBool());
    }

    void replyToAnOriginalNotLoadedYet()
    {
        // Bob's other device writes an original, more than sync's first window of entries
        // (50) after it, and a reply to the original.
        TestClient *bobDevice = m_server->newClient();
        QVERIFY(bobDevice && bobDevice->resume(m_fixture->vault.token(m_bob->key())));
        const qint64 original = bobDevice->sendText(m_conversation, u"the original"_s);
        QVERIFY(original > 0);
        for (int i = 0; i < 55; ++i)
            QVERIFY(bobDevice->sendText(m_conversation, u"filler %1"_s.arg(i)) > 0);
        Body::MessageBody reply = Body::text(u"replying"_s);
        reply.replyTo = {original, m_bob->store()->selfId()};
        const Protocol::Frame sent =
            bobDevice->request(Protocol::Request::Send,
                               {{"conversationId"_L1, m_conversation},
                                {"clientId"_L1, u"reply-1"_s},
                                {"contentType"_L1, QString(Body::ContentType)},
                                {"content"_L1, Body::encode(reply)}});
        const qint64 replySeq = sent.body.value("seq"_L1).toInteger();
        QVERIFY(replySeq > original);

        // A new device of Alice starts with the newest entries only.
        auto second = secondDevice(u"alice"_s);
        QVERIFY(second);
        std::unique_ptr<MessageListModel> model(
            second->createMessageModel(m_conversation, nullptr));
        testModel(model.get());
        QTRY_VERIFY_WITH_TIMEOUT(model->rowOfSeq(replySeq) >= 0, Timeout);
        QCOMPARE(model->rowOfSeq(original), -1);
        QCOMPARE(roleOf(model.get(), replySeq, MessageListModel::ReplyStateRole).toString(),
                 u"missing"_s);
        QCOMPARE(roleOf(model.get(), replySeq, MessageListModel::ReplySenderNameRole).toString(),
                 u"Bob"_s);
        // Older history, page by page, until the original is in.
        QVERIFY(QTest::qWaitFor(
            [&model, original] {
                if (model->canFetchMore())
                    model->fetchMore();
                return model->rowOfSeq(original) >= 0;
            },
            Timeout));
        QTRY_COMPARE_WITH_TIMEOUT(
            roleOf(model.get(), replySeq, MessageListModel::ReplyStateRole).toString(), u"ok"_s,
            Timeout);
        QCOMPARE(roleOf(model.get(), replySeq, MessageListModel::ReplyExcerptRole).toString(),
                 u"the original"_s);
    }

    void deleteForEveryoneErasesEverywhere()
    {
        const qint64 seq = say(m_alice.get(), u"secret plans"_s);
        std::unique_ptr<MessageListModel> bob(m_bob->createMessageModel(m_conversation, nullptr));
        testModel(bob.get());
        QTRY_VERIFY_WITH_TIMEOUT(bob->rowOfSeq(seq) >= 0, Timeout);
        QCOMPARE(hitTexts(m_bob.get(), u"secret"_s), QStringList {u"secret plans"_s});
        QVERIFY(!roleOf(bob.get(), seq, MessageListModel::CanDeleteForEveryoneRole).toBool());

        bool ok = false;
        m_alice->messageApi()
            .deleteForEveryone(m_conversation, seq)
            .onFinished(m_alice.get(), [&ok](const Reply &reply, const MessageChange &change) {
                ok = reply.isOk() && change.seq > 0;
            });
        QTRY_VERIFY_WITH_TIMEOUT(ok, Timeout);
        QTRY_VERIFY_WITH_TIMEOUT(roleOf(bob.get(), seq, MessageListModel::DeletedRole).toBool(),
                                 Timeout);
        QCOMPARE(roleOf(bob.get(), seq, MessageListModel::TextRole).toString(), QString());
        QCOMPARE(bob->rowCount(), 1); // the tombstone stays a row; its event is none
        QVERIFY(hitTexts(m_bob.get(), u"secret"_s).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(hitTexts(m_alice.get(), u"secret"_s).isEmpty(), Timeout);
        QCOMPARE(
            m_alice->conversationModel()->index(0).data(ConversationListModel::LastMessageRole),
            QVariant(u"This message was deleted"_s));
    }

    void deleteForMeReachesTheOtherDevice()
    {
        const qint64 first = say(m_alice.get(), u"first"_s);
        const qint64 second = say(m_alice.get(), u"second"_s);
        auto bob2 = secondDevice(u"bob"_s);
        QVERIFY(bob2);
        std::unique_ptr<MessageListModel> other(bob2->createMessageModel(m_conversation, nullptr));
        std::unique_ptr<MessageListModel> mine(m_bob->createMessageModel(m_conversation, nullptr));
        testModel(other.get());
        testModel(mine.get());
        QTRY_COMPARE_WITH_TIMEOUT(other->rowCount(), 2, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(mine->rowCount(), 2, Timeout);

        // Live: the other device gets the `hidden` event.
        m_bob->messageApi().deleteForMe(m_conversation, {first});
        QTRY_COMPARE_WITH_TIMEOUT(mine->rowOfSeq(first), -1, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(other->rowOfSeq(first), -1, Timeout);

        // Offline: it learns at the next sync (hiddenAfter).
        bob2->disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(bob2->state(), Connection::State::Offline, Timeout);
        bool hidden = false;
        m_bob->messageApi()
            .deleteForMe(m_conversation, {second})
            .onFinished(m_bob.get(), [&hidden](const Reply &reply) { hidden = reply.isOk(); });
        QTRY_VERIFY_WITH_TIMEOUT(hidden, Timeout);
        QCOMPARE(other->rowOfSeq(second), 0); // still there
        bob2->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(other->rowCount(), 0, Timeout);
        QVERIFY(hitTexts(bob2.get(), u"second"_s).isEmpty());
        // Alice still has both.
        std::unique_ptr<MessageListModel> alice(
            m_alice->createMessageModel(m_conversation, nullptr));
        QTRY_COMPARE_WITH_TIMEOUT(alice->rowCount(), 2, Timeout);
    }

    void timerAndMentions()
    {
        bool set = false;
        m_bob->messageApi()
            .setTimer(m_conversation, 300)
            .onFinished(m_bob.get(),
                        [&set](const Reply &reply, const MessageChange &) { set = reply.isOk(); });
        QTRY_VERIFY_WITH_TIMEOUT(set, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_alice->store()->conversation(m_conversation)->disappearSeconds,
                                  300, Timeout);
        const qint64 seq = say(m_alice.get(), u"soon gone"_s);
        std::unique_ptr<MessageListModel> bob(m_bob->createMessageModel(m_conversation, nullptr));
        QTRY_VERIFY_WITH_TIMEOUT(bob->rowOfSeq(seq) >= 0, Timeout);
        QVERIFY(roleOf(bob.get(), seq, MessageListModel::ExpiresAtRole).toDateTime().isValid());

        // Muted, Bob hears only a mention of himself.
        QSignalSpy notified(m_bob.get(), &Account::notification);
        m_bob->setConversationFlags(m_conversation, true, std::nullopt, std::nullopt);
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store()->conversation(m_conversation)->muted, Timeout);
        say(m_alice.get(), u"not for you"_s);
        Body::MessageBody mention = Body::text(u"@Bob look"_s);
        mention.mentions = {Body::Mention {m_bob->store()->selfId(), {0, 4}}};
        m_alice->sendBody(m_conversation, mention);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, Timeout);
        QCOMPARE(notified.first().first().value<Notification>().preview, u"@Bob look"_s);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_bob->conversationModel()->index(0).data(ConversationListModel::UnreadMentionsRole),
            QVariant(1), Timeout);
    }

    void spoilersStayHiddenInNotifications()
    {
        QSignalSpy notified(m_bob.get(), &Account::notification);
        Body::MessageBody body = Body::text(u"the butler did it"_s);
        body.styles = {Body::StyleRange {Body::Style::Spoiler, {11, 6}}};
        m_alice->sendBody(m_conversation, body);
        const QString masked = u"the butler \u2592\u2592\u2592\u2592\u2592\u2592"_s;
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, Timeout);
        QCOMPARE(notified.first().first().value<Notification>().preview, masked);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_bob->conversationModel()->index(0).data(ConversationListModel::LastMessageRole),
            QVariant(masked), Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_alice->conversationModel()->index(0).data(ConversationListModel::LastMessageRole),
            QVariant(masked), Timeout);
    }

    void disappearingWhileOffline()
    {
        stopPair();
        startPair([](TestServer &server) {
            server.config().minDisappearSeconds = 1; // only tests may go below 30 s
        });
        if (QTest::currentTestFailed())
            return;
        QString answer;
        m_alice->messageApi()
            .setTimer(m_conversation, 3) // seconds: time enough to see it arrive
            .onFinished(m_alice.get(), [&answer](const Reply &reply, const MessageChange &) {
                answer = reply.isOk() ? u"ok"_s : reply.describe();
            });
        QTRY_COMPARE_WITH_TIMEOUT(answer, u"ok"_s, Timeout);
        std::unique_ptr<MessageListModel> bob(m_bob->createMessageModel(m_conversation, nullptr));
        testModel(bob.get());
        const qint64 seq = say(m_alice.get(), u"self destructing note"_s);
        QVERIFY(seq > 0);
        QTRY_VERIFY_WITH_TIMEOUT(bob->rowOfSeq(seq) >= 0, Timeout);
        // Bob goes offline: his client removes it at its expiry all the same.
        m_bob->disconnectFromServer();
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->state(), Connection::State::Offline, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(bob->rowOfSeq(seq), -1, Timeout);
        QVERIFY(hitTexts(m_bob.get(), u"destructing"_s).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(hitTexts(m_alice.get(), u"destructing"_s).isEmpty(), Timeout);
    }

private:
    //! Sends a text and waits until the server has it; its seq.
    qint64 say(Account *account, const QString &text)
    {
        account->sendMessage(m_conversation, text);
        if (!outboxDrained(account))
            return 0;
        return newestSeq(account, m_conversation);
    }

    //! Another device of an existing user, signed in with the password and online.
    std::unique_ptr<Account> secondDevice(const QString &username)
    {
        auto account = std::make_unique<Account>(
            m_server->url(), username, m_fixture->storePath(username + u"-2"_s), &m_fixture->vault,
            &m_fixture->trustStore, fastSettings());
        if (!awaited(account->openStore()))
            return nullptr;
        account->signIn(u"correct horse battery"_s);
        if (!QTest::qWaitFor([&account] { return account->state() == Connection::State::Online; },
                             Timeout))
            return nullptr;
        return account;
    }
};

QTEST_GUILESS_MAIN(TestClientRich)
#include "tst_client_rich.moc"
