// The local store answering from its own thread: writes and reads keep the order they were asked
// in, closing writes what is queued, a newer search cancels (and interrupts) the one running, and
// the models stay consistent under QAbstractItemModelTester while answers arrive.

#include "ClientTestSupport.h"

#include "models/ConversationListModel.h"
#include "models/MessageListModel.h"
#include "models/MessageSearchModel.h"
#include "store/LocalStore.h"
#include "store/SearchIndex.h"
#include "store/StoreDatabase.h"
#include "store/StoreThread.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Client;

using namespace Qt::StringLiterals;

namespace {

Protocol::ConversationInfo direct(qint64 id, qint64 peerId, const QString &peerName)
{
    Protocol::ConversationInfo c;
    c.id = id;
    c.kind = Protocol::ConversationKind::Direct;
    c.memberCount = 2;
    c.peer = Protocol::UserInfo {peerId, peerName.toLower(), peerName,
                                 Protocol::PresenceState::Offline, 0};
    return c;
}

QList<Protocol::MessageRecord> range(qint64 conversationId, qint64 from, qint64 to,
                                     const QString &text = u"message %1"_s)
{
    QList<Protocol::MessageRecord> list;
    for (qint64 seq = from; seq <= to; ++seq)
        list.append(textMessage(conversationId, seq, seq % 3 ? 2 : 1, text.arg(seq),
                                1'800'000'000'000 + seq * 1000));
    return list;
}

QList<qint64> seqsOf(const QAbstractItemModel &model)
{
    QList<qint64> seqs;
    for (int row = 0; row < model.rowCount(); ++row)
        seqs.append(model.index(row, 0).data(MessageListModel::SeqRole).toLongLong());
    return seqs;
}

} // namespace

class TestStoreThread : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(u"store-%1.sqlite"_s.arg(++m_counter));
        m_store = std::make_unique<LocalStore>();
        QVERIFY(awaited(m_store->open(m_path)));
        Protocol::ProfileInfo profile;
        profile.user =
            Protocol::UserInfo {1, u"alice"_s, u"Alice"_s, Protocol::PresenceState::Online, 0};
        m_store->setProfile(profile);
        QVERIFY(awaited(m_store->upsertConversations({direct(10, 2, u"Bob"_s)})));
    }
    void cleanup() { m_store.reset(); }

    void jobsRunOnTheirOwnThreadInOrder()
    {
        StoreThread thread(u"test-store"_s);
        QList<int> ran;
        std::atomic<bool> elsewhere = true;
        for (int i = 0; i < 100; ++i) {
            thread.post([&ran, &elsewhere, &thread, i] {
                elsewhere = elsewhere && thread.isCurrentThread()
                    && QThread::currentThread() != QCoreApplication::instance()->thread();
                ran.append(i);
            });
        }
        thread.stop(); // runs everything queued first
        QVERIFY(elsewhere);
        QCOMPARE(ran.size(), 100);
        for (int i = 0; i < 100; ++i)
            QCOMPARE(ran.at(i), i);
        thread.post([&ran] { ran.append(-1); }); // after stop(): dropped, never run
        QCOMPARE(ran.size(), 100);
    }

    void writesAndReadsKeepTheOrderTheyWereAskedIn()
    {
        // Nothing is awaited between the calls: each read sees exactly the writes asked before it.
        QSignalSpy added(m_store.get(), &LocalStore::messagesAdded);
        QList<QFuture<int>> counts;
        QList<QFuture<QList<Protocol::MessageRecord>>> writes;
        for (qint64 seq = 1; seq <= 50; ++seq) {
            writes.append(m_store->addMessages({textMessage(10, seq, 2, u"m%1"_s.arg(seq))}));
            counts.append(m_store->messageCount(10));
        }
        QVERIFY(awaited(m_store->idle()));
        for (int i = 0; i < 50; ++i) {
            QVERIFY(counts.at(i).isFinished());
            QCOMPARE(counts.at(i).result(), i + 1);
            QCOMPARE(writes.at(i).result().size(), 1);
        }
        // Announced on this thread, in commit order, once each.
        QCOMPARE(added.size(), 50);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(added.at(i).at(1).value<QList<Protocol::MessageRecord>>().first().seq, i + 1);
        // Memory follows the commits: the cursor and the counts are read without the database.
        QCOMPARE(m_store->syncedSeq(10), 50);
        QCOMPARE(m_store->conversation(10)->unread, 50);
    }

    void aContinuationSeesTheStoreAsItsWriteLeftIt()
    {
        bool checked = false;
        m_store->addMessages(range(10, 1, 5))
            .then(this, [this, &checked](const QList<Protocol::MessageRecord> &added) {
                QCOMPARE(added.size(), 5);
                QCOMPARE(m_store->syncedSeq(10), 5);
                QCOMPARE(m_store->summary(10)->info.lastMessage->seq, 5);
                checked = true;
            });
        QCOMPARE(m_store->syncedSeq(10), -1); // not yet: the write is on the store's thread
        QTRY_VERIFY(checked);
    }

    void closingWritesEverythingQueued()
    {
        // Thousands of writes asked and never waited for, then the store goes (the app quits).
        for (qint64 seq = 1; seq <= 2000; ++seq)
            m_store->addMessages({textMessage(10, seq, 2, u"queued %1"_s.arg(seq))});
        const OutboxEntry entry = m_store->addToOutbox(10, u"text/plain"_s, "last words"_ba);
        m_store->oweReceipt(10, 0, 2000);
        m_store->setDraft(10, u"half a thought"_s);
        m_store.reset();

        m_store = std::make_unique<LocalStore>();
        QVERIFY(awaited(m_store->open(m_path)));
        QCOMPARE(awaited(m_store->messageCount(10)), 2000);
        QCOMPARE(m_store->syncedSeq(10), 2000);
        QCOMPARE(m_store->outbox().size(), 1);
        QCOMPARE(m_store->outbox().first().clientId, entry.clientId);
        QCOMPARE(m_store->unsentReceipt(10).deliveredSeq, 2000);
        QCOMPARE(m_store->draft(10), u"half a thought"_s);
    }

    void aSyncPageIsOneTransaction()
    {
        awaited(m_store->addMessages(range(10, 1, 3)));
        SyncPage page;
        Protocol::ConversationInfo bob = direct(10, 2, u"Bob"_s);
        bob.lastSeq = 6;
        page.conversations = {bob, direct(11, 3, u"Carol"_s)}; // 11 is new; 10 is still in
        page.messages = range(10, 3, 6) + range(11, 1, 2);
        QSignalSpy changed(m_store.get(), &LocalStore::conversationChanged);
        const auto added = awaited(m_store->storeSyncPage(page));
        QCOMPARE(added.size(), 5); // 10: 4, 5, 6 (3 was there); 11: 1, 2
        QCOMPARE(m_store->syncedSeq(10), 6);
        QCOMPARE(m_store->syncedSeq(11), 2);
        QVERIFY(m_store->summary(11)->active);

        // A page that no longer lists 11 (left): it stays, readable, inactive.
        page.conversations = {bob};
        page.messages.clear();
        awaited(m_store->storeSyncPage(page));
        QVERIFY(!m_store->summary(11)->active);
        QCOMPARE(m_store->syncCursors(), (QList<QPair<qint64, qint64>> {{10, 6}}));
        QVERIFY(changed.size() >= 3);
    }

    void theSearchConnectionIsInterruptedMidQuery()
    {
        awaited(m_store->addMessages(range(10, 1, 20'000, u"needle in haystack %1"_s)));
        StoreDatabase db;
        QString error;
        QVERIFY2(db.open(m_path, true, &error), qPrintable(error));

        // Asked while SQLite works: the first answer lets it go on, the second stops it. Two
        // letters found nowhere: a scan of every row (a common word stops at the first 100).
        int asked = 0;
        const auto stopSecondTime = [&asked] { return ++asked > 1; };
        QVERIFY(!SearchIndex::search(db.database(), u"zq"_s, 0, 100, stopSecondTime));
        QVERIFY2(asked >= 2, "the query was not asked while it ran");

        // Not interrupted, the same query answers, newest first.
        const auto hits = SearchIndex::search(db.database(), u"ne"_s, 0, 100, [] { return false; });
        QVERIFY(hits);
        QCOMPARE(hits->size(), 100);
        QCOMPARE(hits->first().seq, 20'000);
        // The search connection is read-only.
        QSqlQuery write(db.database());
        QVERIFY(!write.exec(u"DELETE FROM messages"_s));
    }

    void aNewerSearchCancelsTheOneRunning()
    {
        awaited(m_store->addMessages(range(10, 1, 20'000, u"word %1 and more"_s)));
        // A two-letter query scans every row; the next keystroke comes before it is done.
        QFuture<QList<SearchHit>> first = m_store->search(u"or"_s);
        QFuture<QList<SearchHit>> second = m_store->search(u"word 19999"_s);
        const QList<SearchHit> hits = awaited(second);
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits.first().seq, 19'999);
        QTRY_VERIFY(first.isFinished());
        QVERIFY(first.isCanceled());

        // The model shows only the newest query's rows, whatever order the answers come in.
        MessageSearchModel model(m_store.get());
        testModel(&model);
        QSignalSpy finished(&model, &MessageSearchModel::finished);
        model.search(u"or"_s);
        model.search(u"an"_s);
        model.search(u"word 42 and"_s);
        QVERIFY(finished.wait());
        QCOMPARE(finished.size(), 1);
        QCOMPARE(model.query(), u"word 42 and"_s);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(!model.isSearching());
    }

    void theMessageModelFollowsWritesWhileItsFirstPageLoads()
    {
        awaited(m_store->addMessages(range(10, 1, 100)));
        MessageListModel model(m_store.get(), nullptr, 10, 20);
        testModel(&model); // from the very start: every insertion is checked
        QVERIFY(!model.isLoaded());
        // Asked after the model asked for its page: they must show once, after the page.
        m_store->addMessages(range(10, 101, 105));
        const OutboxEntry pending = m_store->addToOutbox(10, u"text/plain"_s, "pending"_ba);
        QTRY_VERIFY(model.isLoaded());
        QTRY_COMPARE(model.rowCount(), 26); // 81..100 (the page), 101..105, the pending one
        QCOMPARE(model.index(25).data(MessageListModel::ClientIdRole).toString(), pending.clientId);

        // The server took it: the pending row becomes the stored entry, in place.
        Protocol::MessageRecord echoed = textMessage(10, 106, 1, u"pending"_s);
        echoed.clientId = pending.clientId;
        m_store->addMessages({echoed});
        QTRY_COMPARE(model.index(25).data(MessageListModel::SeqRole).toLongLong(), 106);
        QCOMPARE(model.rowCount(), 26);

        // Older pages from the store, then the first entry: nothing more to fetch.
        while (model.canFetchMore({})) {
            const int before = model.rowCount();
            model.fetchMore({});
            QTRY_VERIFY(model.rowCount() > before);
        }
        QList<qint64> expected;
        for (qint64 seq = 1; seq <= 106; ++seq)
            expected.append(seq);
        QCOMPARE(seqsOf(model), expected);
    }

    void loadUntilBringsAnOlderEntryIn()
    {
        awaited(m_store->addMessages(range(10, 1, 3000)));
        MessageListModel model(m_store.get(), nullptr, 10, 50);
        testModel(&model);
        // Asked before the first page is in: answered once it is.
        QFuture<int> row = model.loadUntil(700);
        QCOMPARE(awaited(row), 0);
        QCOMPARE(model.rowCount(), 3000 - 700 + 1);
        QCOMPARE(model.index(0).data(MessageListModel::SeqRole).toLongLong(), 700);
        QCOMPARE(awaited(model.loadUntil(2999)), 2299);
        QCOMPARE(awaited(model.loadUntil(5000)), -1); // not stored
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_counter = 0;
    std::unique_ptr<LocalStore> m_store;
};

QTEST_GUILESS_MAIN(TestStoreThread)
#include "tst_client_store_thread.moc"
