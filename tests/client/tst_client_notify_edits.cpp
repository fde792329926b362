#include "ClientTestSupport.h"

#include "TestClient.h"
#include "TestServer.h"
#include "activity/Notifier.h"
#include "api/MessageApi.h"
#include "protocol/MessageBody.h"
#include "store/LocalStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace Server;
using namespace Client;
using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace {
constexpr int Timeout = 15'000;
} // namespace

//! A notification follows its message: the sender's edit updates it, a delete withdraws it.
class TestClientNotifyEdits : public QObject, protected TwoAccountSuite
{
    Q_OBJECT
private Q_SLOTS:
    void init() { startPair(); }

    void cleanup() { stopPair(); }

    void editUpdatesAndDeleteWithdraws()
    {
        Notifier *notifier = m_alice->notifier();
        QSignalSpy notified(notifier, &Notifier::notify);
        QSignalSpy updated(notifier, &Notifier::updated);
        QSignalSpy withdrawn(notifier, &Notifier::withdrawn);

        const qint64 seq = say(m_bob.get(), u"see you at 5"_s);
        QVERIFY(seq > 0);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, Timeout);
        QCOMPARE(notified.first().first().value<Notification>().seq, seq);
        QCOMPARE(notified.first().first().value<Notification>().preview, u"see you at 5"_s);

        // Bob edits it: the notification is told the new text, not notified again.
        m_bob->sendBody(m_conversation, Body::edit(seq, u"see you at 6"_s));
        QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 1, Timeout);
        const Notification edited = updated.first().first().value<Notification>();
        QCOMPARE(edited.conversationId, m_conversation);
        QCOMPARE(edited.seq, seq);
        QCOMPARE(edited.senderId, m_bob->store()->selfId());
        QCOMPARE(edited.preview, u"see you at 6"_s);
        QCOMPARE(notified.size(), 1);

        // An "edit" of Bob's message by anyone else is ignored by the store: nothing changes.
        m_alice->sendBody(m_conversation, Body::edit(seq, u"alice was here"_s));
        QVERIFY(outboxDrained(m_alice.get()));
        QVERIFY(awaited(m_alice->store()->idle()));
        QCOMPARE(updated.size(), 1);
        QCOMPARE(withdrawn.size(), 0);

        // Bob deletes it for everyone: withdrawn.
        bool ok = false;
        m_bob->messageApi()
            .deleteForEveryone(m_conversation, seq)
            .onFinished(m_bob.get(), [&ok](const Reply &reply, const MessageChange &change) {
                ok = reply.isOk() && change.seq > 0;
            });
        QTRY_VERIFY_WITH_TIMEOUT(ok, Timeout);
        QTRY_COMPARE_WITH_TIMEOUT(withdrawn.size(), 1, Timeout);
        QCOMPARE(withdrawn.first().first().toLongLong(), m_conversation);
        QCOMPARE(updated.size(), 1);
        QCOMPARE(notified.size(), 1);
    }

    void editOfAnOlderMessageDoesNotUpdate()
    {
        Notifier *notifier = m_alice->notifier();
        QSignalSpy notified(notifier, &Notifier::notify);
        QSignalSpy updated(notifier, &Notifier::updated);
        QSignalSpy withdrawn(notifier, &Notifier::withdrawn);

        const qint64 first = say(m_bob.get(), u"first"_s);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, Timeout);
        const qint64 second = say(m_bob.get(), u"second"_s);
        QVERIFY(second > first);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 2, Timeout);

        // The shown notification is about "second": an edit of "first" does not touch it.
        m_bob->sendBody(m_conversation, Body::edit(first, u"first, edited"_s));
        m_bob->sendBody(m_conversation, Body::edit(second, u"second, edited"_s));
        QTRY_COMPARE_WITH_TIMEOUT(updated.size(), 1, Timeout);
        QCOMPARE(updated.first().first().value<Notification>().seq, second);
        QCOMPARE(updated.first().first().value<Notification>().preview, u"second, edited"_s);
        QCOMPARE(withdrawn.size(), 0);
    }

private:
    //! Sends a text and waits until the server has it; its seq.
    qint64 say(Account *account, const QString &text)
    {
        account->sendMessage(m_conversation, text);
        if (!outboxDrained(account))
            return 0;
        const auto info = account->store()->conversation(m_conversation);
        return info ? info->lastSeq : 0;
    }
};

QTEST_GUILESS_MAIN(TestClientNotifyEdits)
#include "tst_client_notify_edits.moc"
