// messengerd's admin subcommands, run as the real executable on the fixture's database (SQLite
// file or PostgreSQL), and their effect seen through a server on that same database.

#include "common/TestClient.h"
#include "common/TestServer.h"

#include "protocol/Requests.h"

#include <QProcess>
#include <QTest>

using namespace Server;

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;

class TestAdmin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void userAddThenLogin();
    void userAddRefusesBadInput();
    void userList();
    void resetPasswordSignsOutDevices();
    void inviteCreateAllowsOneRegistration();
    void unknownCommandShowsUsage();

private:
    struct Run
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    Run admin(const QStringList &command, const QByteArray &input = {});

    std::unique_ptr<TestServer> m_server;
};

void TestAdmin::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
}

void TestAdmin::cleanup()
{
    m_server.reset();
}

TestAdmin::Run TestAdmin::admin(const QStringList &command, const QByteArray &input)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QStringList arguments = m_server->daemonArguments(&environment)
        + QStringList {u"--password-ops"_s, u"1"_s, u"--password-mem-kib"_s, u"8"_s} + command;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(MESSENGERD_PATH), arguments);
    Run run;
    if (!process.waitForStarted(10'000))
        return run;
    process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(30'000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

void TestAdmin::userAddThenLogin()
{
    const Run run = admin({u"user"_s, u"add"_s, u"Bob"_s, u"--display-name"_s, u"Bob Builder"_s},
                          "can we fix it\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QVERIFY2(run.out.contains(u"created user bob"_s), qPrintable(run.out));

    TestClient *bob = m_server->newClient();
    QVERIFY(bob);
    const auto account = bob->login(u"bob"_s, u"can we fix it"_s);
    QVERIFY(account);
    const auto users =
        bob->request(Protocol::Request::GetUsers, {{u"userIds"_s, Cbor::ids({account.userId})}});
    VERIFY_OK(users);
    QCOMPARE(
        users.body.value(u"users"_s).toArray().first().toMap().value(u"displayName"_s).toString(),
        u"Bob Builder"_s);
}

void TestAdmin::userAddRefusesBadInput()
{
    Run run = admin({u"user"_s, u"add"_s, u"carol"_s}, "short\n");
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"at least 8"_s), qPrintable(run.err));

    run = admin({u"user"_s, u"add"_s, u"_carol"_s}, "long enough password\n");
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"username"_s), qPrintable(run.err));

    QCOMPARE(admin({u"user"_s, u"add"_s, u"carol"_s}, "long enough password\n").exitCode, 0);
    run = admin({u"user"_s, u"add"_s, u"carol"_s}, "another password\n");
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(u"taken"_s), qPrintable(run.err));
}

void TestAdmin::userList()
{
    QVERIFY(m_server->newUser(u"alice"_s));
    QCOMPARE(admin({u"user"_s, u"add"_s, u"dave"_s}, "long enough password\n").exitCode, 0);
    const Run run = admin({u"user"_s, u"list"_s});
    QCOMPARE(run.exitCode, 0);
    QVERIFY2(run.out.contains(u"alice"_s) && run.out.contains(u"dave"_s), qPrintable(run.out));
    QVERIFY2(run.out.contains(u"2 users"_s), qPrintable(run.out));
}

void TestAdmin::resetPasswordSignsOutDevices()
{
    TestClient *alice = m_server->newUser(u"alice"_s);
    QVERIFY(alice);
    const QString token = alice->token();

    const Run run = admin({u"user"_s, u"reset-password"_s, u"alice"_s}, "brand new password\n");
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    TestClient *again = m_server->newClient();
    QVERIFY(again);
    const auto resumed = again->request(Protocol::Request::Resume,
                                        {{u"token"_s, token}, {u"protocol"_s, Protocol::Version}});
    COMPARE_ERROR(resumed, ErrorCode::InvalidToken);
    const auto old = again->request(Protocol::Request::Login,
                                    {{u"username"_s, u"alice"_s},
                                     {u"password"_s, TestClient::DefaultPassword},
                                     {u"protocol"_s, Protocol::Version}});
    COMPARE_ERROR(old, ErrorCode::InvalidCredentials);
    QVERIFY(again->login(u"alice"_s, u"brand new password"_s));

    QCOMPARE(admin({u"user"_s, u"reset-password"_s, u"nobody"_s}, "brand new password\n").exitCode,
             1);
}

void TestAdmin::inviteCreateAllowsOneRegistration()
{
    const Run run =
        admin({u"invite"_s, u"create"_s, u"--uses"_s, u"1"_s, u"--expires-days"_s, u"2"_s});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QString invite = run.out.trimmed();
    QVERIFY(invite.size() >= 40);

    m_server->stop();
    m_server->config().registration = Protocol::RegistrationPolicy::Invite;
    QVERIFY(m_server->start());
    TestClient *first = m_server->newClient();
    QVERIFY(first && first->registerUser(u"erin"_s, TestClient::DefaultPassword, invite));
    TestClient *second = m_server->newClient();
    QVERIFY(second);
    const auto refused = second->request(Protocol::Request::Register,
                                         {{u"username"_s, u"frank"_s},
                                          {u"displayName"_s, u"Frank"_s},
                                          {u"password"_s, TestClient::DefaultPassword},
                                          {u"invite"_s, invite},
                                          {u"protocol"_s, Protocol::Version}});
    COMPARE_ERROR(refused, ErrorCode::InviteInvalid);
}

void TestAdmin::unknownCommandShowsUsage()
{
    const Run run = admin({u"user"_s, u"explode"_s});
    QCOMPARE(run.exitCode, 2);
    QVERIFY2(run.err.contains(u"usage:"_s), qPrintable(run.err));
}

QTEST_GUILESS_MAIN(TestAdmin)
#include "tst_admin.moc"
