// Accounts and devices: registration policies, login, resume, logout, passwords, devices, users.

#include "TestClient.h"
#include "TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <memory>

using namespace Server;

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

class TestAccounts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void welcomeDescribesServer();
    void registerWithOpenPolicy();
    void registerWithInvitePolicy();
    void registerWithClosedPolicy();
    void usernameTaken();
    void usernameInvalid_data();
    void usernameInvalid();
    void usernameIsCaseInsensitive();
    void loginCreatesNewDevice();
    void loginWrongPassword();
    void resumeWithToken();
    void requestsBeforeSignIn();
    void signInOnlyOnce();
    void unsupportedVersion();
    void logoutClosesConnectionAndToken();
    void changePassword();
    void devicesList();
    void revokeOtherDevice();
    void rehashOnParameterChange();
    void updateProfile();
    void searchUsers();
    void getUsers();

private:
    std::unique_ptr<TestServer> m_server;
};

void TestAccounts::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestAccounts::cleanup()
{
    m_server.reset();
}

void TestAccounts::welcomeDescribesServer()
{
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const QCborMap welcome = client->welcome().body;
    QCOMPARE(welcome.value(u"protocol"_s).toInteger(), Protocol::Version);
    QVERIFY(welcome.value(u"server"_s).isString());
    QCOMPARE(welcome.value(u"registration"_s).toString(), u"open"_s);
    const QCborMap limits = welcome.value(u"limits"_s).toMap();
    QCOMPARE(limits.value(u"maxFrameBytes"_s).toInteger(), Protocol::Limits::MaxFrameBytes);
    QCOMPARE(limits.value(u"maxContentBytes"_s).toInteger(), Protocol::Limits::MaxContentBytes);
    QCOMPARE(limits.value(u"maxGroupMembers"_s).toInteger(), Protocol::Limits::MaxGroupMembers);
    QCOMPARE(limits.value(u"typingTimeoutMs"_s).toInteger(), m_server->config().typingTimeoutMs);
    // Rich messages: the values docs/protocol.md names (the edit window is the clients' own).
    QCOMPARE(limits.value(u"maxHideSeqs"_s).toInteger(), 100);
    QCOMPARE(limits.value(u"deleteWindowMs"_s).toInteger(), 172'800'000);
    QCOMPARE(limits.value(u"minDisappearSeconds"_s).toInteger(), 30);
    QCOMPARE(limits.value(u"maxDisappearSeconds"_s).toInteger(), 31'536'000);
    QVERIFY(!limits.contains(u"editWindowMs"_s));

    // A server whose tests lowered the shortest timer says so.
    m_server->config().minDisappearSeconds = 1;
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    TestClient *later = m_server->newClient();
    QVERIFY(later);
    QCOMPARE(later->welcome()
                 .body.value(u"limits"_s)
                 .toMap()
                 .value(u"minDisappearSeconds"_s)
                 .toInteger(),
             1);
}

void TestAccounts::registerWithOpenPolicy()
{
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const auto response = client->request(Request::Register,
                                          {{u"username"_s, u"alice"_s},
                                           {u"displayName"_s, u"Alice A."_s},
                                           {u"password"_s, TestClient::DefaultPassword},
                                           {u"deviceName"_s, u"laptop"_s},
                                           {u"protocol"_s, 1}});
    VERIFY_OK(response);
    const QCborMap user = response.body.value(u"user"_s).toMap();
    QVERIFY(user.value(u"id"_s).toInteger() > 0);
    QCOMPARE(user.value(u"username"_s).toString(), u"alice"_s);
    QCOMPARE(user.value(u"displayName"_s).toString(), u"Alice A."_s);
    QVERIFY(response.body.value(u"deviceId"_s).toInteger() > 0);
    QVERIFY(!response.body.value(u"token"_s).toString().isEmpty());

    // Signed in: requests that need an account now work on this connection.
    VERIFY_OK(client->request(Request::ListConversations));
}

void TestAccounts::registerWithInvitePolicy()
{
    m_server->config().registration = Protocol::RegistrationPolicy::Invite;
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));

    TestClient *client = m_server->newClient();
    QVERIFY(client);
    QCOMPARE(client->welcome().body.value(u"registration"_s).toString(), u"invite"_s);

    const auto registration = [](const QString &name, const QString &invite) {
        QCborMap fields {{u"username"_s, name},
                         {u"displayName"_s, name},
                         {u"password"_s, TestClient::DefaultPassword},
                         {u"protocol"_s, 1}};
        if (!invite.isEmpty())
            fields.insert(u"invite"_s, invite);
        return fields;
    };

    COMPARE_ERROR(client->request(Request::Register, registration(u"alice"_s, {})),
                  ErrorCode::InviteRequired);
    COMPARE_ERROR(client->request(Request::Register, registration(u"alice"_s, u"no-such-invite"_s)),
                  ErrorCode::InviteInvalid);

    const QString invite = m_server->createInvite(1, 3'600'000);
    QVERIFY2(!invite.isEmpty(), qPrintable(m_server->errorString()));
    VERIFY_OK(client->request(Request::Register, registration(u"alice"_s, invite)));

    // The invite was good for one registration only.
    TestClient *second = m_server->newClient();
    QVERIFY(second);
    COMPARE_ERROR(second->request(Request::Register, registration(u"bob"_s, invite)),
                  ErrorCode::InviteInvalid);

    // An invite with two uses admits two.
    const QString twice = m_server->createInvite(2, 3'600'000);
    QVERIFY2(!twice.isEmpty(), qPrintable(m_server->errorString()));
    VERIFY_OK(second->request(Request::Register, registration(u"bob"_s, twice)));
    TestClient *third = m_server->newClient();
    QVERIFY(third);
    VERIFY_OK(third->request(Request::Register, registration(u"carol"_s, twice)));
}

void TestAccounts::registerWithClosedPolicy()
{
    m_server->config().registration = Protocol::RegistrationPolicy::Closed;
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));

    TestClient *client = m_server->newClient();
    QVERIFY(client);
    QCOMPARE(client->welcome().body.value(u"registration"_s).toString(), u"closed"_s);
    COMPARE_ERROR(client->request(Request::Register,
                                  {{u"username"_s, u"alice"_s},
                                   {u"displayName"_s, u"Alice"_s},
                                   {u"password"_s, TestClient::DefaultPassword},
                                   {u"protocol"_s, 1}}),
                  ErrorCode::RegistrationClosed);
    // Still closed with an invite in hand: the policy, not the invite, decides.
    const QString invite = m_server->createInvite(1, 3'600'000);
    QVERIFY2(!invite.isEmpty(), qPrintable(m_server->errorString()));
    COMPARE_ERROR(client->request(Request::Register,
                                  {{u"username"_s, u"alice"_s},
                                   {u"displayName"_s, u"Alice"_s},
                                   {u"password"_s, TestClient::DefaultPassword},
                                   {u"invite"_s, invite},
                                   {u"protocol"_s, 1}}),
                  ErrorCode::RegistrationClosed);
}

void TestAccounts::usernameTaken()
{
    QVERIFY(m_server->newUser(u"alice"_s));
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    COMPARE_ERROR(client->request(Request::Register,
                                  {{u"username"_s, u"alice"_s},
                                   {u"displayName"_s, u"Another Alice"_s},
                                   {u"password"_s, TestClient::DefaultPassword},
                                   {u"protocol"_s, 1}}),
                  ErrorCode::UsernameTaken);
    // The connection is still usable for a free name.
    QVERIFY(client->registerUser(u"alice2"_s));
}

void TestAccounts::usernameInvalid_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<Protocol::ErrorCode>("code");
    QTest::newRow("too short") << u"ab"_s << ErrorCode::InvalidField;
    QTest::newRow("space") << u"has space"_s << ErrorCode::InvalidField;
    QTest::newRow("leading underscore") << u"_alice"_s << ErrorCode::InvalidField;
    QTest::newRow("leading dot") << u".alice"_s << ErrorCode::InvalidField;
    QTest::newRow("non-ascii") << u"al\u00e9x"_s << ErrorCode::InvalidField;
    QTest::newRow("slash") << u"al/ex"_s << ErrorCode::InvalidField;
    QTest::newRow("over the limit") << QString(33, u'a') << ErrorCode::TooLarge;
}

void TestAccounts::usernameInvalid()
{
    QFETCH(QString, username);
    QFETCH(Protocol::ErrorCode, code);
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const auto response = client->request(Request::Register,
                                          {{u"username"_s, username},
                                           {u"displayName"_s, u"Someone"_s},
                                           {u"password"_s, TestClient::DefaultPassword},
                                           {u"protocol"_s, 1}});
    COMPARE_ERROR(response, code);
    QCOMPARE(response.body.value(u"field"_s).toString(), u"username"_s);
}

void TestAccounts::usernameIsCaseInsensitive()
{
    // docs/protocol.md: the server lower-cases the username it is given.
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const auto account = client->registerUser(u"Alice"_s);
    QVERIFY(account);
    QCOMPARE(client->username(), u"alice"_s);

    TestClient *again = m_server->newClient();
    QVERIFY(again);
    COMPARE_ERROR(again->request(Request::Register,
                                 {{u"username"_s, u"alice"_s},
                                  {u"displayName"_s, u"Alice"_s},
                                  {u"password"_s, TestClient::DefaultPassword},
                                  {u"protocol"_s, 1}}),
                  ErrorCode::UsernameTaken);
    const auto login = again->login(u"ALICE"_s);
    QVERIFY(login);
    QCOMPARE(login.userId, account.userId);
}

void TestAccounts::loginCreatesNewDevice()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    QVERIFY(alice);
    TestClient *second = m_server->newClient();
    QVERIFY(second);
    const auto account = second->login(u"alice"_s, TestClient::DefaultPassword, u"phone"_s);
    QVERIFY(account);
    QCOMPARE(account.userId, alice->userId());
    QVERIFY(account.deviceId != alice->deviceId());
    QVERIFY(account.token != alice->token());
    VERIFY_OK(second->request(Request::ListConversations));
}

void TestAccounts::loginWrongPassword()
{
    QVERIFY(m_server->newUser(u"alice"_s));
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    COMPARE_ERROR(client->request(Request::Login,
                                  {{u"username"_s, u"alice"_s},
                                   {u"password"_s, u"wrong password"_s},
                                   {u"protocol"_s, 1}}),
                  ErrorCode::InvalidCredentials);
    // An unknown user reads exactly the same: no hint which usernames exist.
    COMPARE_ERROR(client->request(Request::Login,
                                  {{u"username"_s, u"nobody"_s},
                                   {u"password"_s, u"wrong password"_s},
                                   {u"protocol"_s, 1}}),
                  ErrorCode::InvalidCredentials);
    COMPARE_ERROR(client->request(Request::ListConversations), ErrorCode::NotAuthenticated);
    QVERIFY(client->login(u"alice"_s));
}

void TestAccounts::resumeWithToken()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    QVERIFY(alice);
    const TestClient::Account original = alice->account();
    alice->close();

    TestClient *again = m_server->newClient();
    QVERIFY(again);
    const auto resumed = again->resume(original.token);
    QVERIFY(resumed);
    QCOMPARE(resumed.userId, original.userId);
    QCOMPARE(resumed.deviceId, original.deviceId);
    VERIFY_OK(again->request(Request::ListConversations));

    TestClient *stranger = m_server->newClient();
    QVERIFY(stranger);
    COMPARE_ERROR(
        stranger->request(Request::Resume, {{u"token"_s, u"not-a-token"_s}, {u"protocol"_s, 1}}),
        ErrorCode::InvalidToken);
}

void TestAccounts::requestsBeforeSignIn()
{
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const auto pong = client->request(Request::Ping);
    VERIFY_OK(pong);
    QVERIFY(pong.body.value(u"time"_s).toInteger() > 0);
    COMPARE_ERROR(client->request(Request::ListConversations), ErrorCode::NotAuthenticated);
    COMPARE_ERROR(client->request(Request::ListDevices), ErrorCode::NotAuthenticated);
    COMPARE_ERROR(client->request(Request::SearchUsers, {{u"prefix"_s, u"a"_s}}),
                  ErrorCode::NotAuthenticated);
    COMPARE_ERROR(client->request(Request::Logout), ErrorCode::NotAuthenticated);
}

void TestAccounts::signInOnlyOnce()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    QVERIFY(alice);
    COMPARE_ERROR(alice->request(Request::Register,
                                 {{u"username"_s, u"alice2"_s},
                                  {u"displayName"_s, u"Alice"_s},
                                  {u"password"_s, TestClient::DefaultPassword},
                                  {u"protocol"_s, 1}}),
                  ErrorCode::AlreadyAuthenticated);
    COMPARE_ERROR(alice->request(Request::Login,
                                 {{u"username"_s, u"alice"_s},
                                  {u"password"_s, TestClient::DefaultPassword},
                                  {u"protocol"_s, 1}}),
                  ErrorCode::AlreadyAuthenticated);
    COMPARE_ERROR(
        alice->request(Request::Resume, {{u"token"_s, alice->token()}, {u"protocol"_s, 1}}),
        ErrorCode::AlreadyAuthenticated);
    // Nothing was created by the refused attempts.
    const auto devices = alice->request(Request::ListDevices);
    VERIFY_OK(devices);
    QCOMPARE(devices.body.value(u"devices"_s).toArray().size(), 1);
    TestClient *probe = m_server->newClient();
    QVERIFY(probe);
    COMPARE_ERROR(probe->request(Request::Login,
                                 {{u"username"_s, u"alice2"_s},
                                  {u"password"_s, TestClient::DefaultPassword},
                                  {u"protocol"_s, 1}}),
                  ErrorCode::InvalidCredentials);
}

void TestAccounts::unsupportedVersion()
{
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    const auto response = client->request(Request::Register,
                                          {{u"username"_s, u"alice"_s},
                                           {u"displayName"_s, u"Alice"_s},
                                           {u"password"_s, TestClient::DefaultPassword},
                                           {u"protocol"_s, 2}});
    COMPARE_ERROR(response, ErrorCode::UnsupportedVersion);
    QCOMPARE(response.body.value(u"field"_s).toString(), u"protocol"_s);
    // Nothing registered: the same name is still free.
    QVERIFY(client->registerUser(u"alice"_s));
}

void TestAccounts::logoutClosesConnectionAndToken()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    QVERIFY(alice);
    const QString token = alice->token();
    VERIFY_OK(alice->request(Request::Logout));
    QVERIFY(alice->waitDisconnected());

    TestClient *again = m_server->newClient();
    QVERIFY(again);
    COMPARE_ERROR(again->request(Request::Resume, {{u"token"_s, token}, {u"protocol"_s, 1}}),
                  ErrorCode::InvalidToken);
    QVERIFY(again->login(u"alice"_s));
}

void TestAccounts::changePassword()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    QVERIFY(alice);
    const QString newPassword = u"a much better password"_s;
    COMPARE_ERROR(alice->request(
                      Request::ChangePassword,
                      {{u"oldPassword"_s, u"not the password"_s}, {u"newPassword"_s, newPassword}}),
                  ErrorCode::InvalidCredentials);
    const auto tooShort = alice->request(
        Request::ChangePassword,
        {{u"oldPassword"_s, TestClient::DefaultPassword}, {u"newPassword"_s, u"short"_s}});
    COMPARE_ERROR(tooShort, ErrorCode::InvalidField);
    QCOMPARE(tooShort.body.value(u"field"_s).toString(), u"newPassword"_s);

    VERIFY_OK(alice->request(
        Request::ChangePassword,
        {{u"oldPassword"_s, TestClient::DefaultPassword}, {u"newPassword"_s, newPassword}}));

    TestClient *client = m_server->newClient();
    QVERIFY(client);
    COMPARE_ERROR(client->request(Request::Login,
                                  {{u"username"_s, u"alice"_s},
                                   {u"password"_s, TestClient::DefaultPassword},
                                   {u"protocol"_s, 1}}),
                  ErrorCode::InvalidCredentials);
    QVERIFY(client->login(u"alice"_s, newPassword));
}

void TestAccounts::devicesList()
{
    TestClient *laptop = m_server->newUser(u"alice"_s);
    QVERIFY(laptop);
    TestClient *phone = m_server->newDevice(laptop, u"phone"_s);
    QVERIFY(phone);

    const auto response = phone->request(Request::ListDevices);
    VERIFY_OK(response);
    const QCborArray devices = response.body.value(u"devices"_s).toArray();
    QCOMPARE(devices.size(), 2);
    bool sawLaptop = false;
    bool sawPhone = false;
    for (const QCborValue &value : devices) {
        const QCborMap device = value.toMap();
        QVERIFY(device.value(u"createdAt"_s).toInteger() > 0);
        QVERIFY(device.value(u"lastActive"_s).toInteger() > 0);
        const qint64 id = device.value(u"id"_s).toInteger();
        if (id == phone->deviceId()) {
            sawPhone = true;
            QCOMPARE(device.value(u"name"_s).toString(), u"phone"_s);
            QVERIFY(device.value(u"current"_s).toBool());
        } else if (id == laptop->deviceId()) {
            sawLaptop = true;
            QCOMPARE(device.value(u"name"_s).toString(), u"test device"_s);
            QVERIFY(!device.value(u"current"_s).toBool());
            QVERIFY(device.value(u"online"_s).toBool());
        }
    }
    QVERIFY(sawLaptop);
    QVERIFY(sawPhone);

    // Another user's devices never show up.
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(bob);
    const auto bobs = bob->request(Request::ListDevices);
    VERIFY_OK(bobs);
    QCOMPARE(bobs.body.value(u"devices"_s).toArray().size(), 1);
}

void TestAccounts::revokeOtherDevice()
{
    TestClient *laptop = m_server->newUser(u"alice"_s);
    QVERIFY(laptop);
    TestClient *phone = m_server->newDevice(laptop, u"phone"_s);
    QVERIFY(phone);
    const QString laptopToken = laptop->token();

    VERIFY_OK(phone->request(Request::RevokeDevice, {{u"deviceId"_s, laptop->deviceId()}}));
    QVERIFY(laptop->waitEvent(Protocol::Event::SignedOut));
    QVERIFY(laptop->waitDisconnected());

    TestClient *again = m_server->newClient();
    QVERIFY(again);
    COMPARE_ERROR(again->request(Request::Resume, {{u"token"_s, laptopToken}, {u"protocol"_s, 1}}),
                  ErrorCode::InvalidToken);

    // The revoking device goes on, and is the only one left.
    const auto response = phone->request(Request::ListDevices);
    VERIFY_OK(response);
    const QCborArray devices = response.body.value(u"devices"_s).toArray();
    QCOMPARE(devices.size(), 1);
    QCOMPARE(devices.at(0).toMap().value(u"id"_s).toInteger(), phone->deviceId());
}

void TestAccounts::rehashOnParameterChange()
{
    QVERIFY(m_server->newUser(u"alice"_s));
    const QString sql = u"SELECT password_hash FROM users WHERE username = ?"_s;
    const QString before = m_server->queryValue(sql, {u"alice"_s}).toString();
    QVERIFY2(before.startsWith(u"$argon2id$"_s), qPrintable(before + m_server->errorString()));

    m_server->config().passwordOpsLimit = 2;
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    TestClient *client = m_server->newClient();
    QVERIFY(client);
    QVERIFY(client->login(u"alice"_s));

    // The new hash may be written just after the login is answered.
    QTRY_VERIFY_WITH_TIMEOUT(m_server->queryValue(sql, {u"alice"_s}).toString() != before, 10'000);
    const QString after = m_server->queryValue(sql, {u"alice"_s}).toString();
    QVERIFY2(after.startsWith(u"$argon2id$"_s), qPrintable(after));
    QVERIFY2(after.contains(u"t=2"_s), qPrintable(after));

    TestClient *again = m_server->newClient();
    QVERIFY(again);
    QVERIFY(again->login(u"alice"_s));
    // An unchanged cost leaves the hash alone.
    QCOMPARE(m_server->queryValue(sql, {u"alice"_s}).toString(), after);
}

void TestAccounts::updateProfile()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    QVERIFY(alice->openDirect(bob->userId()));

    const auto response =
        alice->request(Request::UpdateProfile, {{u"displayName"_s, u"Alice Liddell"_s}});
    VERIFY_OK(response);
    const QCborMap user = response.body.value(u"user"_s).toMap();
    QCOMPARE(user.value(u"id"_s).toInteger(), alice->userId());
    QCOMPARE(user.value(u"displayName"_s).toString(), u"Alice Liddell"_s);

    // Contacts hear of it.
    const auto event = bob->waitEvent(Protocol::Event::User);
    QVERIFY(event);
    QCOMPARE(event->body.value(u"user"_s).toMap().value(u"id"_s).toInteger(), alice->userId());
    QCOMPARE(event->body.value(u"user"_s).toMap().value(u"displayName"_s).toString(),
             u"Alice Liddell"_s);

    const auto seen =
        bob->request(Request::GetUsers, {{u"userIds"_s, Cbor::ids({alice->userId()})}});
    VERIFY_OK(seen);
    const QCborArray users = seen.body.value(u"users"_s).toArray();
    QCOMPARE(users.size(), 1);
    QCOMPARE(users.at(0).toMap().value(u"displayName"_s).toString(), u"Alice Liddell"_s);
}

void TestAccounts::searchUsers()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    QVERIFY(alice);
    for (const QString &name : {u"alan"_s, u"albert"_s, u"bob"_s})
        QVERIFY(m_server->newUser(name));

    const auto response = alice->request(Request::SearchUsers, {{u"prefix"_s, u"al"_s}});
    VERIFY_OK(response);
    QStringList names;
    for (const QCborValue &value : response.body.value(u"users"_s).toArray()) {
        const QCborMap user = value.toMap();
        QVERIFY(user.value(u"id"_s).toInteger() > 0);
        QVERIFY(user.value(u"displayName"_s).isString());
        QVERIFY(user.value(u"presence"_s).isString());
        names.append(user.value(u"username"_s).toString());
    }
    names.sort();
    QCOMPARE(names, QStringList({u"alan"_s, u"albert"_s})); // never the caller

    const auto limited =
        alice->request(Request::SearchUsers, {{u"prefix"_s, u"al"_s}, {u"limit"_s, 1}});
    VERIFY_OK(limited);
    QCOMPARE(limited.body.value(u"users"_s).toArray().size(), 1);

    const auto none = alice->request(Request::SearchUsers, {{u"prefix"_s, u"zz"_s}});
    VERIFY_OK(none);
    QCOMPARE(none.body.value(u"users"_s).toArray().size(), 0);

    // A prefix, not a substring.
    const auto middle = alice->request(Request::SearchUsers, {{u"prefix"_s, u"ber"_s}});
    VERIFY_OK(middle);
    QCOMPARE(middle.body.value(u"users"_s).toArray().size(), 0);
}

void TestAccounts::getUsers()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    TestClient *carol = m_server->newUser(u"carol"_s);
    QVERIFY(alice && bob && carol);
    QVERIFY(alice->openDirect(bob->userId())); // bob is a contact, carol is not

    const auto response = alice->request(
        Request::GetUsers, {{u"userIds"_s, Cbor::ids({carol->userId(), bob->userId(), 999'999})}});
    VERIFY_OK(response);
    const QCborArray users = response.body.value(u"users"_s).toArray();
    // The users that exist, in id order.
    QCOMPARE(users.size(), 2);
    QCOMPARE(users.at(0).toMap().value(u"id"_s).toInteger(), bob->userId());
    QCOMPARE(users.at(0).toMap().value(u"username"_s).toString(), u"bob"_s);
    QCOMPARE(users.at(0).toMap().value(u"displayName"_s).toString(), u"Display bob"_s);
    QCOMPARE(users.at(0).toMap().value(u"presence"_s).toString(), u"online"_s);
    QCOMPARE(users.at(1).toMap().value(u"id"_s).toInteger(), carol->userId());
    QCOMPARE(users.at(1).toMap().value(u"username"_s).toString(), u"carol"_s);
    QVERIFY(users.at(1).toMap().value(u"presence"_s).isString());
}

QTEST_GUILESS_MAIN(TestAccounts)
#include "tst_accounts.moc"
