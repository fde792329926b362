#include "ClientTestSupport.h"

#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "models/MessageSearchModel.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Client;

using namespace Qt::StringLiterals;
using Protocol::ConversationInfo;

namespace {

Protocol::ProfileInfo profile(qint64 id, const QString &name)
{
    Protocol::ProfileInfo p;
    p.user = Protocol::UserInfo {id, name.toLower(), name, Protocol::PresenceState::Online, 0};
    return p;
}

ConversationInfo direct(qint64 id, qint64 peerId, const QString &peerName, qint64 lastSeq = 0)
{
    ConversationInfo c;
    c.id = id;
    c.kind = Protocol::ConversationKind::Direct;
    c.memberCount = 2;
    c.lastSeq = lastSeq;
    c.lastActivity = 1'700'000'000'000 + lastSeq;
    c.peer = Protocol::UserInfo {peerId, peerName.toLower(), peerName,
                                 Protocol::PresenceState::Offline, 0};
    return c;
}

} // namespace

class TestLocalStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_store = std::make_unique<LocalStore>();
        QVERIFY2(awaited(m_store->open(m_dir.filePath(u"store-%1.sqlite"_s.arg(++m_counter)))),
                 qPrintable(m_store->errorString()));
        QVERIFY(awaited(m_store->setProfile(profile(1, u"Alice"_s))));
        QVERIFY(awaited(m_store->upsertConversations({direct(10, 2, u"Bob"_s)})));
    }
    void cleanup() { m_store.reset(); }

    void deduplicatesBySeq()
    {
        QSignalSpy added(m_store.get(), &LocalStore::messagesAdded);
        QCOMPARE(awaited(m_store->addMessages(
                             {textMessage(10, 1, 2, u"one"_s), textMessage(10, 2, 2, u"two"_s)}))
                     .size(),
                 2);
        // The same entries again — a sync page overlapping the events — and one new one.
        const auto again = awaited(
            m_store->addMessages({textMessage(10, 2, 2, u"two"_s), textMessage(10, 1, 2, u"one"_s),
                                  textMessage(10, 3, 2, u"three"_s)}));
        QCOMPARE(again.size(), 1);
        QCOMPARE(again.first().seq, 3);
        QCOMPARE(awaited(m_store->messageCount(10)), 3);
        QCOMPARE(added.size(), 2);
        QCOMPARE(m_store->conversation(10)->unread, 3);
    }

    void cursorStopsAtGaps()
    {
        QCOMPARE(m_store->syncedSeq(10), -1);
        awaited(
            m_store->addMessages({textMessage(10, 1, 2, u"a"_s), textMessage(10, 2, 2, u"b"_s)}));
        QCOMPARE(m_store->syncedSeq(10), 2);
        awaited(m_store->addMessages({textMessage(10, 4, 2, u"d"_s)})); // 3 is missing
        QCOMPARE(m_store->syncedSeq(10), 2);
        awaited(m_store->addMessages({textMessage(10, 3, 2, u"c"_s)}));
        QCOMPARE(m_store->syncedSeq(10), 4);
        QCOMPARE(m_store->syncCursors(), (QList<QPair<qint64, qint64>> {{10, 4}}));
    }

    void persistsAcrossReopen()
    {
        awaited(m_store->addMessages({textMessage(10, 1, 2, u"kept"_s)}));
        m_store->addToOutbox(10, u"text/plain"_s, "pending"_ba);
        QVERIFY(awaited(m_store->idle()));
        const QString path = m_store->filePath();
        m_store = std::make_unique<LocalStore>();
        QVERIFY(awaited(m_store->open(path)));
        QCOMPARE(m_store->selfId(), 1);
        const auto stored = awaited(m_store->messages(10, 0, 10));
        QCOMPARE(stored.size(), 1);
        QCOMPARE(QString::fromUtf8(stored.first().content), u"kept"_s);
        QCOMPARE(m_store->outbox().size(), 1);
        QCOMPARE(m_store->conversation(10)->peer->displayName, u"Bob"_s);
    }

    void ownMessageFromServerClearsOutbox()
    {
        const OutboxEntry entry = m_store->addToOutbox(10, u"text/plain"_s, "hi"_ba);
        QSignalSpy removed(m_store.get(), &LocalStore::outboxEntryRemoved);
        Protocol::MessageRecord echoed = textMessage(10, 1, 1, u"hi"_s);
        echoed.clientId = entry.clientId;
        awaited(m_store->addMessages({echoed}));
        QCOMPARE(removed.size(), 1);
        QVERIFY(m_store->outbox().isEmpty());
        QCOMPARE(m_store->conversation(10)->unread, 0); // one's own message is never unread
    }

    void readCursorKeepsLocalKnowledge()
    {
        awaited(
            m_store->addMessages({textMessage(10, 1, 2, u"a"_s), textMessage(10, 2, 2, u"b"_s)}));
        QCOMPARE(m_store->conversation(10)->unread, 2);
        QVERIFY(awaited(m_store->markRead(10, 2)));
        QCOMPARE(m_store->conversation(10)->unread, 0);
        // The server, not told (read receipts off), still says 2 unread at read seq 0.
        ConversationInfo fromServer = direct(10, 2, u"Bob"_s, 2);
        fromServer.unread = 2;
        awaited(m_store->upsertConversations({fromServer}));
        QCOMPARE(m_store->conversation(10)->readSeq, 2);
        QCOMPARE(m_store->conversation(10)->unread, 0);
    }

    void unsentReceiptsRiseAndClearByWhatWasAcknowledged()
    {
        QSignalSpy owed(m_store.get(), &LocalStore::receiptOwed);
        m_store->oweReceipt(10, 0, 5);
        awaited(m_store->oweReceipt(10, 3, 4)); // delivered never moves back
        QCOMPARE(owed.size(), 2);
        UnsentReceipt receipt = m_store->unsentReceipt(10);
        QCOMPARE(receipt.readSeq, 3);
        QCOMPARE(receipt.deliveredSeq, 5);

        // Survives a restart.
        const QString path = m_store->filePath();
        m_store = std::make_unique<LocalStore>();
        QVERIFY(awaited(m_store->open(path)));
        QCOMPARE(m_store->unsentReceipts().size(), 1);

        // An answer for an older cursor keeps the newer one owed.
        awaited(m_store->receiptAcknowledged(10, 0, 4));
        receipt = m_store->unsentReceipt(10);
        QCOMPARE(receipt.readSeq, 3);
        QCOMPARE(receipt.deliveredSeq, 5);
        awaited(m_store->receiptAcknowledged(10, 3, 3));
        QCOMPARE(m_store->unsentReceipt(10).readSeq, 0);
        awaited(m_store->receiptAcknowledged(10, 0, 5));
        QVERIFY(m_store->unsentReceipts().isEmpty());
    }

    void searchFindsSubstringsInAnyScript_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QList<qint64>>("seqs");
        QTest::newRow("inside a word") << u"believ"_s << QList<qint64> {1};
        QTest::newRow("case folded") << u"UNBELIEVABLE"_s << QList<qint64> {1};
        QTest::newRow("CJK phrase") << u"公园散步"_s << QList<qint64> {2};
        QTest::newRow("Cyrillic, other case") << u"привет"_s << QList<qint64> {3};
        QTest::newRow("emoji name") << u"party_popper"_s << QList<qint64> {4};
        QTest::newRow("two characters") << u"公园"_s << QList<qint64> {2};
        QTest::newRow("one emoji") << u"🎉"_s << QList<qint64> {4};
        QTest::newRow("quotes are text") << u"\"quoted\""_s << QList<qint64> {5};
        QTest::newRow("no match") << u"xyzzy"_s << QList<qint64> {};
    }

    void searchFindsSubstringsInAnyScript()
    {
        QFETCH(QString, query);
        QFETCH(QList<qint64>, seqs);
        awaited(
            m_store->addMessages({textMessage(10, 1, 2, u"That is unbelievable!"_s, 1000),
                                  textMessage(10, 2, 1, u"我们今天去公园散步吧"_s, 2000),
                                  textMessage(10, 3, 2, u"Привет, мир"_s, 3000),
                                  textMessage(10, 4, 2, u"🎉 :party_popper: time"_s, 4000),
                                  textMessage(10, 5, 2, u"he said \"quoted\" things"_s, 5000)}));
        QList<qint64> found;
        for (const SearchHit &hit : awaited(m_store->search(query)))
            found.append(hit.seq);
        QCOMPARE(found, seqs);
    }

    void searchPerConversationAndModel()
    {
        m_store->upsertConversations({direct(11, 3, u"Carol"_s)});
        awaited(m_store->addMessages({textMessage(10, 1, 2, u"meeting at noon"_s, 1000),
                                      textMessage(11, 1, 3, u"the meeting moved"_s, 2000)}));
        QCOMPARE(awaited(m_store->search(u"meeting"_s)).size(), 2);
        const auto inCarol = awaited(m_store->search(u"meeting"_s, 11));
        QCOMPARE(inCarol.size(), 1);
        QCOMPARE(inCarol.first().conversationId, 11);

        MessageSearchModel model(m_store.get());
        testModel(&model);
        QSignalSpy finished(&model, &MessageSearchModel::finished);
        model.search(u"eeti"_s);
        QVERIFY(model.isSearching());
        QVERIFY(finished.wait());
        QVERIFY(!model.isSearching());
        QCOMPARE(model.rowCount(), 2);
        // Newest first, each with what the app needs to open it in context.
        QCOMPARE(model.index(0).data(MessageSearchModel::ConversationIdRole).toLongLong(), 11);
        QCOMPARE(model.index(0).data(MessageSearchModel::SeqRole).toLongLong(), 1);
        QCOMPARE(model.index(0).data(MessageSearchModel::ConversationNameRole).toString(),
                 u"Carol"_s);
        QCOMPARE(model.index(1).data(MessageSearchModel::SenderNameRole).toString(), u"Bob"_s);
        model.search(u"zz"_s);
        QVERIFY(finished.wait());
        QCOMPARE(model.rowCount(), 0);
    }

    void tenThousandMessagesOpenOffline()
    {
        // The store of a client that has been chatting for a while…
        QList<ConversationInfo> conversations;
        for (qint64 id = 20; id < 40; ++id)
            conversations.append(direct(id, id + 100, u"Peer %1"_s.arg(id), 1));
        awaited(m_store->upsertConversations(conversations));
        QList<Protocol::MessageRecord> messages;
        for (qint64 seq = 1; seq <= 10'000; ++seq)
            messages.append(textMessage(10, seq, seq % 2 ? 1 : 2, u"message number %1"_s.arg(seq),
                                        1'800'000'000'000 + seq * 1000));
        for (qint64 id = 20; id < 40; ++id)
            messages.append(
                textMessage(id, 1, id + 100, u"hello from %1"_s.arg(id), 1'700'000'000'000 + id));
        QCOMPARE(awaited(m_store->addMessages(messages)).size(), 10'020);
        const QString path = m_store->filePath();
        m_store.reset();

        // …started again with its server unreachable.
        MemoryTokenVault vault;
        vault.writeToken(u"alice@127.0.0.1:1"_s, u"token"_s, &vault, {});
        TrustStore trust;
        Account account(QUrl(u"ws://127.0.0.1:1"_s), u"alice"_s, path, &vault, &trust,
                        fastSettings());
        ConversationListModel *list = account.conversationModel();
        testModel(list);
        QCOMPARE(list->rowCount(), 0); // until the store's thread has read it
        QVERIFY(awaited(account.openStore()));
        account.connectToServer();
        QCOMPARE(list->rowCount(), 21);
        // The busiest conversation is the most recent one.
        QCOMPARE(list->index(0).data(ConversationListModel::IdRole).toLongLong(), 10);
        QCOMPARE(list->index(0).data(ConversationListModel::NameRole).toString(), u"Bob"_s);
        QCOMPARE(list->index(0).data(ConversationListModel::LastMessageRole).toString(),
                 u"message number 10000"_s);
        QCOMPARE(list->index(0).data(ConversationListModel::LastMessageSenderRole).toString(),
                 u"Bob"_s);

        std::unique_ptr<MessageListModel> messagesModel(account.createMessageModel(10, nullptr));
        QSignalSpy firstPage(messagesModel.get(), &MessageListModel::loadedChanged);
        QVERIFY(firstPage.wait());
        QVERIFY(messagesModel->isLoaded());
        const int page = fastSettings().messagePageSize;
        const int loaded = messagesModel->rowCount();
        QVERIFY(loaded >= page && loaded % page == 0);
        const int last = loaded - 1;
        QCOMPARE(messagesModel->index(last).data(MessageListModel::SeqRole).toLongLong(), 10'000);
        QCOMPARE(messagesModel->index(last).data(MessageListModel::TextRole).toString(),
                 u"message number 10000"_s);
        for (int row = 0; row < loaded; ++row)
            QCOMPARE(messagesModel->index(row).data(MessageListModel::SeqRole).toLongLong(),
                     10'000 - last + row);

        // Older pages come from the store, inserted above without disturbing the rows below.
        QSignalSpy resets(messagesModel.get(), &QAbstractItemModel::modelReset);
        QSignalSpy inserted(messagesModel.get(), &QAbstractItemModel::rowsInserted);
        QVERIFY(messagesModel->canFetchMore({}));
        messagesModel->fetchMore({});
        QVERIFY(messagesModel->isLoadingOlder());
        QTRY_COMPARE(messagesModel->rowCount(), loaded + page);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(messagesModel->index(page).data(MessageListModel::SeqRole).toLongLong(),
                 10'000 - last);

        // The tester fetches pages itself, so it joins only after the counting above.
        testModel(messagesModel.get());

        // Still not online: the server cannot be reached, and everything above came from disk.
        QVERIFY(account.state() != Connection::State::Online);
        QTRY_VERIFY_WITH_TIMEOUT(!account.lastError().isEmpty(), 10'000);
    }

private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    std::unique_ptr<LocalStore> m_store;
};

QTEST_GUILESS_MAIN(TestLocalStore)
#include "tst_client_store.moc"
