// message.hide (delete for me): per user, told to the user's other online devices as a `hidden`
// event, marked in that user's history and sync (content empty), and listed by sync after
// `hiddenAfter` so a device that was offline learns of hides of old entries.

#include "RichMessages.h"
#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace RichMessages;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

class TestHide : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void otherDevicesHearAndHistoryMarks();
    void syncListsHidesAfterTheCursor();
    void hideRules();

private:
    static QCborMap hideFields(qint64 conversationId, const QList<qint64> &seqs)
    {
        return {{u"conversationId"_s, conversationId}, {u"seqs"_s, Cbor::ids(seqs)}};
    }

    std::unique_ptr<TestServer> m_server;
};

void TestHide::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestHide::cleanup()
{
    m_server.reset();
}

void TestHide::otherDevicesHearAndHistoryMarks()
{
    TestClient *phone = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(phone && bob);
    TestClient *laptop = m_server->newDevice(phone, u"laptop"_s);
    QVERIFY(laptop);
    const qint64 chat = phone->openDirect(bob->userId());
    const qint64 first = bob->sendText(chat, u"first"_s);
    const qint64 second = bob->sendText(chat, u"second"_s);
    QVERIFY(first && second);

    VERIFY_OK(phone->request(Request::HideMessages, hideFields(chat, {first})));
    const auto event = laptop->waitEvent(Protocol::Event::Hidden);
    QVERIFY(event);
    QCOMPARE(event->body.value(u"conversationId"_s).toInteger(), chat);
    QCOMPARE(Cbor::integers(event->body.value(u"seqs"_s).toArray()), QList<qint64> {first});
    // Not the device that asked, and nobody else.
    QVERIFY(phone->flush() && bob->flush());
    QVERIFY(phone->events(Protocol::Event::Hidden).isEmpty());
    QVERIFY(bob->events(Protocol::Event::Hidden).isEmpty());

    for (TestClient *device : {phone, laptop}) {
        const QCborArray history = historyOf(device, chat);
        QCOMPARE(entryOf(history, first).value(u"hidden"_s).toBool(), true);
        QCOMPARE(entryOf(history, first).value(u"content"_s).toByteArray(), QByteArray());
        QVERIFY(!entryOf(history, second).contains(u"hidden"_s));
        QCOMPARE(entryOf(history, second).value(u"content"_s).toByteArray(), QByteArray("second"));
    }
    const Protocol::Frame sync = laptop->request(Request::Sync, {});
    VERIFY_OK(sync);
    QCOMPARE(entryOf(sync.body.value(u"messages"_s).toArray(), first).value(u"hidden"_s).toBool(),
             true);
    // Bob still sees his message: hiding is for the one who hid.
    const QCborMap bobs = entryOf(historyOf(bob, chat), first);
    QVERIFY(!bobs.contains(u"hidden"_s));
    QCOMPARE(bobs.value(u"content"_s).toByteArray(), QByteArray("first"));
}

void TestHide::syncListsHidesAfterTheCursor()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 first = bob->sendText(chat, u"first"_s);
    const qint64 second = bob->sendText(chat, u"second"_s);
    QVERIFY(first && second);

    // A device with nothing yet: no list without hiddenAfter, only where to start.
    Protocol::Frame sync = alice->request(Request::Sync, {});
    VERIFY_OK(sync);
    QVERIFY(!sync.body.contains(u"hidden"_s));
    QCOMPARE(sync.body.value(u"hiddenCursor"_s).toInteger(), 0);

    VERIFY_OK(alice->request(Request::HideMessages, hideFields(chat, {first})));
    sync = alice->request(Request::Sync, {{u"hiddenAfter"_s, 0}});
    VERIFY_OK(sync);
    QCOMPARE(sync.body.value(u"hidden"_s).toArray(), (QCborArray {QCborArray {chat, first}}));
    const qint64 cursor = sync.body.value(u"hiddenCursor"_s).toInteger();
    QVERIFY(cursor > 0);

    // Hiding again adds nothing; a new hide comes after the cursor.
    VERIFY_OK(alice->request(Request::HideMessages, hideFields(chat, {first, second})));
    sync = alice->request(Request::Sync, {{u"hiddenAfter"_s, cursor}});
    VERIFY_OK(sync);
    QCOMPARE(sync.body.value(u"hidden"_s).toArray(), (QCborArray {QCborArray {chat, second}}));
    const qint64 next = sync.body.value(u"hiddenCursor"_s).toInteger();
    QVERIFY(next > cursor);
    sync = alice->request(Request::Sync, {{u"hiddenAfter"_s, next}});
    VERIFY_OK(sync);
    QVERIFY(sync.body.value(u"hidden"_s).toArray().isEmpty());
    QCOMPARE(sync.body.value(u"hiddenCursor"_s).toInteger(), next);
    // Without hiddenAfter the cursor is the newest.
    QCOMPARE(alice->request(Request::Sync, {}).body.value(u"hiddenCursor"_s).toInteger(), next);
    // Bob's own hides are his: none.
    QCOMPARE(bob->request(Request::Sync, {{u"hiddenAfter"_s, 0}})
                 .body.value(u"hidden"_s)
                 .toArray()
                 .size(),
             0);
}

void TestHide::hideRules()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *carol = m_server->newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    const qint64 chat = alice->openDirect(bob->userId());
    const qint64 seq = bob->sendText(chat, u"text"_s);
    QVERIFY(seq);

    COMPARE_ERROR(carol->request(Request::HideMessages, hideFields(chat, {seq})),
                  ErrorCode::NotMember);
    const Protocol::Frame beyond =
        alice->request(Request::HideMessages, hideFields(chat, {seq + 1}));
    COMPARE_ERROR(beyond, ErrorCode::NotFound);
    QCOMPARE(beyond.body.value(u"field"_s).toString(), u"seqs"_s);
    COMPARE_ERROR(alice->request(Request::HideMessages, hideFields(chat, {})),
                  ErrorCode::InvalidField);
    QList<qint64> tooMany;
    for (int i = 0; i <= Protocol::Limits::MaxHideSeqs; ++i)
        tooMany.append(seq);
    COMPARE_ERROR(alice->request(Request::HideMessages, hideFields(chat, tooMany)),
                  ErrorCode::InvalidField);
    // Nothing was hidden by the refused requests.
    QVERIFY(!entryOf(historyOf(alice, chat), seq).contains(u"hidden"_s));
}

QTEST_GUILESS_MAIN(TestHide)
#include "tst_hide.moc"
