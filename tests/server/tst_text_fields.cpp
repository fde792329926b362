// Text the server accepts is kept exactly or refused, on both databases: a table of awkward code
// points goes into every text field a request carries. Each one is either stored and read back
// unchanged (compared as UTF-8 bytes), or refused with invalid_field naming the field; never
// `internal` or `unavailable`. A message whose clientId was accepted answers its retries with the
// same seq.

#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QDebug>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

namespace {

QString fromUcs4(std::initializer_list<char32_t> codePoints)
{
    QString text;
    // Not QString::fromUcs4: its UTF-32 decoder takes a leading U+FEFF for a byte-order mark.
    for (char32_t c : codePoints) {
        if (QChar::requiresSurrogates(c)) {
            text += QChar(QChar::highSurrogate(c));
            text += QChar(QChar::lowSurrogate(c));
        } else {
            text += QChar(char16_t(c));
        }
    }
    return text;
}

//! Outcome of one request with an awkward text: accepted, or refused as invalid_field.
enum class Outcome { Accepted, Refused };

} // namespace

Q_DECLARE_METATYPE(Outcome)

class TestTextFields : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void clientId_data() { codePoints(); }
    void clientId();
    void contentType_data() { codePoints(); }
    void contentType();
    void displayName_data() { codePoints(); }
    void displayName();
    void groupName_data() { codePoints(); }
    void groupName();
    void deviceName_data() { codePoints(); }
    void deviceName();
    void searchPrefix_data() { codePoints(); }
    void searchPrefix();
    void username_data() { codePoints(); }
    void username();
    void tokenAndInvite_data() { codePoints(); }
    void tokenAndInvite();
    void passwordTakesAnyText();
    void lengthLimitCountsUtf16();

private:
    //! The table: a code point (or a short sequence) and whether the server must refuse it.
    static void codePoints();
    //! A new user with a unique name, signed in.
    TestClient *newUser();
    //! The text placed where trimming cannot touch it, and (for fields kept as sent) leading.
    static QStringList placements(const QString &awkward, bool leadingToo);
    //! ok with Accepted, or invalid_field naming `field` with Refused.
    static bool checkOutcome(const Protocol::Frame &response, Outcome expected,
                             const QString &field);

    std::unique_ptr<TestServer> m_server;
    TestClient *m_alice = nullptr;
    TestClient *m_bob = nullptr;
    qint64 m_conversation = 0;
    int m_nextUser = 0;
    int m_nextClientId = 0;
};

void TestTextFields::codePoints()
{
    QTest::addColumn<QString>("awkward");
    QTest::addColumn<Outcome>("outcome");
    const auto row = [](const char *name, const QString &text, Outcome outcome) {
        QTest::newRow(name) << text << outcome;
    };
    row("U+0000", fromUcs4({0x0000}), Outcome::Refused);
    row("U+0001", fromUcs4({0x0001}), Outcome::Accepted);
    row("U+007F", fromUcs4({0x007F}), Outcome::Accepted);
    row("U+00A0", fromUcs4({0x00A0}), Outcome::Accepted);
    row("U+200B", fromUcs4({0x200B}), Outcome::Accepted);
    row("U+FEFF", fromUcs4({0xFEFF}), Outcome::Refused);
    row("U+FFFD", fromUcs4({0xFFFD}), Outcome::Accepted);
    row("U+FFFE", fromUcs4({0xFFFE}), Outcome::Refused);
    row("U+FFFF", fromUcs4({0xFFFF}), Outcome::Refused);
    row("U+FDD0", fromUcs4({0xFDD0}), Outcome::Accepted);
    row("U+1FFFE", fromUcs4({0x1FFFE}), Outcome::Accepted);
    row("U+10FFFF", fromUcs4({0x10FFFF}), Outcome::Accepted);
    row("combining marks", fromUcs4({'e', 0x0301, 0x0323}), Outcome::Accepted);
    row("RTL override", fromUcs4({0x202E, 'a', 'b', 0x202C}), Outcome::Accepted);
    row("emoji ZWJ", fromUcs4({0x1F469, 0x200D, 0x1F4BB}), Outcome::Accepted);
    row("U+0000 after emoji", fromUcs4({0x1F600, 0x0000}), Outcome::Refused);
}

void TestTextFields::initTestCase()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    m_alice = m_server->newUser(u"alice"_s);
    m_bob = m_server->newUser(u"bob"_s);
    QVERIFY(m_alice && m_bob);
    m_conversation = m_alice->openDirect(m_bob->userId());
    QVERIFY(m_conversation > 0);
}

void TestTextFields::cleanupTestCase()
{
    m_alice = m_bob = nullptr;
    m_server.reset();
}

TestClient *TestTextFields::newUser()
{
    return m_server->newUser(u"user%1"_s.arg(++m_nextUser));
}

QStringList TestTextFields::placements(const QString &awkward, bool leadingToo)
{
    QStringList texts {u"x"_s + awkward + u"y"_s};
    if (leadingToo)
        texts << awkward + u"y"_s << awkward;
    return texts;
}

bool TestTextFields::checkOutcome(const Protocol::Frame &response, Outcome expected,
                                  const QString &field)
{
    if (expected == Outcome::Accepted) {
        if (!response.isOk()) {
            qWarning().noquote() << "expected ok, got" << TestClient::describe(response);
            return false;
        }
        return true;
    }
    if (response.errorCode() != ErrorCode::InvalidField
        || response.body.value(u"field"_s).toString() != field) {
        qWarning().noquote() << "expected invalid_field" << field << "got"
                             << TestClient::describe(response);
        return false;
    }
    return true;
}

void TestTextFields::clientId()
{
    QFETCH(QString, awkward);
    QFETCH(Outcome, outcome);
    for (const QString &text : placements(awkward, true)) {
        const QString clientId = text + QString::number(++m_nextClientId);
        const QCborMap send {{u"conversationId"_s, m_conversation},
                             {u"clientId"_s, clientId},
                             {u"contentType"_s, u"text/plain"_s},
                             {u"content"_s, QByteArray("hello")}};
        const auto first = m_alice->request(Request::Send, send);
        QVERIFY(checkOutcome(first, outcome, u"clientId"_s));
        if (outcome == Outcome::Refused)
            continue;
        const qint64 seq = first.body.value(u"seq"_s).toInteger();
        QVERIFY(seq > 0);

        // The idempotent-retry rule: every retry answers the first seq, nothing new is stored.
        for (int retry = 0; retry < 2; ++retry) {
            const auto again = m_alice->request(Request::Send, send);
            VERIFY_OK(again);
            QCOMPARE(again.body.value(u"seq"_s).toInteger(), seq);
        }
        const auto history = m_bob->request(
            Request::History,
            {{u"conversationId"_s, m_conversation}, {u"after"_s, seq - 1}, {u"limit"_s, 5}});
        VERIFY_OK(history);
        const QCborArray messages = history.body.value(u"messages"_s).toArray();
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0).toMap().value(u"clientId"_s).toString().toUtf8(),
                 clientId.toUtf8());
    }
}

void TestTextFields::contentType()
{
    QFETCH(QString, awkward);
    QFETCH(Outcome, outcome);
    for (const QString &contentType : placements(awkward, true)) {
        const auto sent = m_alice->request(Request::Send,
                                           {{u"conversationId"_s, m_conversation},
                                            {u"clientId"_s, u"type-%1"_s.arg(++m_nextClientId)},
                                            {u"contentType"_s, contentType},
                                            {u"content"_s, QByteArray("hello")}});
        QVERIFY(checkOutcome(sent, outcome, u"contentType"_s));
        if (outcome == Outcome::Refused)
            continue;
        const qint64 seq = sent.body.value(u"seq"_s).toInteger();
        const auto history = m_bob->request(
            Request::History,
            {{u"conversationId"_s, m_conversation}, {u"after"_s, seq - 1}, {u"limit"_s, 1}});
        VERIFY_OK(history);
        const QCborArray messages = history.body.value(u"messages"_s).toArray();
        QCOMPARE(messages.size(), 1);
        QCOMPARE(messages.at(0).toMap().value(u"contentType"_s).toString().toUtf8(),
                 contentType.toUtf8());
    }
}

void TestTextFields::displayName()
{
    QFETCH(QString, awkward);
    QFETCH(Outcome, outcome);
    TestClient *user = newUser();
    QVERIFY(user);
    // Display names lose white space at either end (documented); inside they are kept.
    for (const QString &name : placements(awkward, false)) {
        const auto updated = user->request(Request::UpdateProfile, {{u"displayName"_s, name}});
        QVERIFY(checkOutcome(updated, outcome, u"displayName"_s));
        if (outcome == Outcome::Refused)
            continue;
        const auto got =
            m_bob->request(Request::GetUsers, {{u"userIds"_s, Cbor::ids({user->userId()})}});
        VERIFY_OK(got);
        const QCborArray users = got.body.value(u"users"_s).toArray();
        QCOMPARE(users.size(), 1);
        QCOMPARE(users.at(0).toMap().value(u"displayName"_s).toString().toUtf8(), name.toUtf8());
    }
}

void TestTextFields::groupName()
{
    QFETCH(QString, awkward);
    QFETCH(Outcome, outcome);
    for (const QString &name : placements(awkward, false)) {
        const auto created = m_alice->request(Request::CreateGroup,
                                              {{u"name"_s, name}, {u"memberIds"_s, QCborArray()}});
        QVERIFY(checkOutcome(created, outcome, u"name"_s));
        if (outcome == Outcome::Refused)
            continue;
        const qint64 group = Cbor::conversationOf(created).value(u"id"_s).toInteger();
        QVERIFY(group > 0);
        const auto read = [this, group] {
            const auto got =
                m_alice->request(Request::GetConversation, {{u"conversationId"_s, group}});
            return Cbor::conversationOf(got).value(u"name"_s).toString().toUtf8();
        };
        QCOMPARE(read(), name.toUtf8());

        const QString renamed = name + name;
        VERIFY_OK(m_alice->request(Request::RenameGroup,
                                   {{u"conversationId"_s, group}, {u"name"_s, renamed}}));
        QCOMPARE(read(), renamed.toUtf8());
    }
    // Renaming to refused text is refused the same way.
    if (outcome == Outcome::Refused) {
        const qint64 group = m_alice->createGroup(u"plain"_s, {});
        QVERIFY(group > 0);
        QVERIFY(checkOutcome(
            m_alice->request(Request::RenameGroup,
                             {{u"conversationId"_s, group}, {u"name"_s, u"x"_s + awkward}}),
            outcome, u"name"_s));
    }
}

void TestTextFields::deviceName()
{
    QFETCH(QString, awkward);
    QFETCH(Outcome, outcome);
    for (const QString &name : placements(awkward, true)) {
        TestClient *device = m_server->newClient();
        QVERIFY(device);
        const auto login = device->request(Request::Login,
                                           {{u"username"_s, m_alice->username()},
                                            {u"password"_s, TestClient::DefaultPassword},
                                            {u"deviceName"_s, name},
                                            {u"protocol"_s, 1}});
        QVERIFY(checkOutcome(login, outcome, u"deviceName"_s));
        if (outcome == Outcome::Refused)
            continue;
        const qint64 deviceId = login.body.value(u"deviceId"_s).toInteger();
        const auto devices = device->request(Request::ListDevices);
        VERIFY_OK(devices);
        bool found = false;
        for (const QCborValue &entry : devices.body.value(u"devices"_s).toArray()) {
            if (entry.toMap().value(u"id"_s).toInteger() != deviceId)
                continue;
            found = true;
            QCOMPARE(entry.toMap().value(u"name"_s).toString().toUtf8(), name.toUtf8());
        }
        QVERIFY(found);
        device->close();
    }
}

void TestTextFields::searchPrefix()
{
    QFETCH(QString, awkward);
    QFETCH(Outcome, outcome);
    for (const QString &prefix : placements(awkward, true)) {
        const auto found = m_alice->request(Request::SearchUsers, {{u"prefix"_s, prefix}});
        QVERIFY(checkOutcome(found, outcome, u"prefix"_s));
        if (outcome == Outcome::Accepted) // no username holds such a character
            QCOMPARE(found.body.value(u"users"_s).toArray().size(), 0);
    }
}

void TestTextFields::username()
{
    QFETCH(QString, awkward);
    QFETCH(Outcome, outcome);
    Q_UNUSED(outcome); // usernames are plain ASCII: every row is refused
    for (const QString &name : placements(awkward, true)) {
        TestClient *client = m_server->newClient();
        QVERIFY(client);
        const auto registered = client->request(Request::Register,
                                                {{u"username"_s, name},
                                                 {u"displayName"_s, u"Someone"_s},
                                                 {u"password"_s, TestClient::DefaultPassword},
                                                 {u"protocol"_s, 1}});
        QVERIFY(checkOutcome(registered, Outcome::Refused, u"username"_s));
        // Login compares the name with the stored ones: refused, or simply not found.
        const auto login = client->request(Request::Login,
                                           {{u"username"_s, name},
                                            {u"password"_s, TestClient::DefaultPassword},
                                            {u"protocol"_s, 1}});
        if (login.errorCode() != ErrorCode::InvalidCredentials)
            QVERIFY(checkOutcome(login, Outcome::Refused, u"username"_s));
        client->close();
    }
}

void TestTextFields::tokenAndInvite()
{
    QFETCH(QString, awkward);
    QFETCH(Outcome, outcome);
    // Both are looked up by their hash: a strange one is refused or simply unknown.
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const auto resumed =
        client->request(Request::Resume, {{u"token"_s, u"token"_s + awkward}, {u"protocol"_s, 1}});
    if (outcome == Outcome::Accepted)
        COMPARE_ERROR(resumed, ErrorCode::InvalidToken);
    else
        QVERIFY(checkOutcome(resumed, outcome, u"token"_s));

    const auto registered = client->request(Request::Register,
                                            {{u"username"_s, u"invited%1"_s.arg(++m_nextUser)},
                                             {u"displayName"_s, u"Invited"_s},
                                             {u"password"_s, TestClient::DefaultPassword},
                                             {u"invite"_s, u"invite"_s + awkward},
                                             {u"protocol"_s, 1}});
    if (outcome == Outcome::Refused)
        QVERIFY(checkOutcome(registered, outcome, u"invite"_s));
    else // registration is open: the invite is not looked at
        VERIFY_OK(registered);
    client->close();
}

void TestTextFields::passwordTakesAnyText()
{
    // Passwords are only hashed, never stored as text: any code point works, U+0000 included.
    const QString password = u"pass"_s + fromUcs4({0x0000, 0xFFFE, 0xFEFF, 0x1F600}) + u"word"_s;
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    QVERIFY(client->registerUser(u"secretive"_s, password));
    TestClient *again = m_server->newClient();
    QVERIFY(again);
    QVERIFY(again->login(u"secretive"_s, password));
    VERIFY_OK(again->request(
        Request::ChangePassword,
        {{u"oldPassword"_s, password}, {u"newPassword"_s, password + fromUcs4({0xFFFF})}}));
}

void TestTextFields::lengthLimitCountsUtf16()
{
    // A character outside the BMP counts two UTF-16 code units: it fits exactly at the limit.
    const QString emoji = fromUcs4({0x1F600});
    const QString fits = QString(Protocol::Limits::MaxClientIdLength - 2, u'a') + emoji;
    const QString over = QString(Protocol::Limits::MaxClientIdLength - 1, u'a') + emoji;
    QCOMPARE(fits.size(), qsizetype(Protocol::Limits::MaxClientIdLength));
    const auto send = [this](const QString &clientId) {
        return m_alice->request(Request::Send,
                                {{u"conversationId"_s, m_conversation},
                                 {u"clientId"_s, clientId},
                                 {u"contentType"_s, u"text/plain"_s},
                                 {u"content"_s, QByteArray("limit")}});
    };
    const auto accepted = send(fits);
    VERIFY_OK(accepted);
    const qint64 seq = accepted.body.value(u"seq"_s).toInteger();
    QCOMPARE(send(fits).body.value(u"seq"_s).toInteger(), seq);
    const auto history = m_bob->request(
        Request::History,
        {{u"conversationId"_s, m_conversation}, {u"after"_s, seq - 1}, {u"limit"_s, 1}});
    VERIFY_OK(history);
    QCOMPARE(history.body.value(u"messages"_s)
                 .toArray()
                 .at(0)
                 .toMap()
                 .value(u"clientId"_s)
                 .toString()
                 .toUtf8(),
             fits.toUtf8());
    const auto refused = send(over);
    COMPARE_ERROR(refused, ErrorCode::TooLarge);
    QCOMPARE(refused.body.value(u"field"_s).toString(), u"clientId"_s);

    const QString name = QString(Protocol::Limits::MaxDisplayNameLength - 2, u'n') + emoji;
    TestClient *user = newUser();
    QVERIFY(user);
    const auto updated = user->request(Request::UpdateProfile, {{u"displayName"_s, name}});
    VERIFY_OK(updated);
    QCOMPARE(updated.body.value(u"user"_s).toMap().value(u"displayName"_s).toString(), name);
    COMPARE_ERROR(user->request(Request::UpdateProfile, {{u"displayName"_s, name + u"n"_s}}),
                  ErrorCode::TooLarge);
}

QTEST_GUILESS_MAIN(TestTextFields)
#include "tst_text_fields.moc"
