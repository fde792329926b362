// What the real messengerd does with secrets and revoked sign-ins: a full session (register,
// login, a wrong password, resume, send, password change, an administrator's password reset)
// with every category at debug leaves no token and no password in its output; and
// `messengerd user reset-password` ends the user's live connections at once.

#include "common/Daemon.h"
#include "common/TestClient.h"
#include "common/TestServer.h"

#include "protocol/Requests.h"

#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {
constexpr int Timeout = 30'000;
}

class TestSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void resetPasswordEndsLiveConnections();
    void resetPasswordWithoutServer();
    void noSecretInTheLog();

private:
    std::unique_ptr<TestServer> m_fixture;
    std::unique_ptr<Daemon> m_daemon;
};

void TestSecrets::init()
{
    m_fixture = std::make_unique<TestServer>();
    QVERIFY2(m_fixture->setUp(), qPrintable(m_fixture->errorString()));
    m_fixture->stop();
    m_daemon = std::make_unique<Daemon>(QStringLiteral(MESSENGERD_PATH), m_fixture.get());
}

void TestSecrets::cleanup()
{
    m_daemon.reset();
    m_fixture.reset();
}

void TestSecrets::resetPasswordEndsLiveConnections()
{
    QVERIFY(m_daemon->start());
    TestClient alice, aliceLaptop, bob;
    QVERIFY(alice.connectTo(m_daemon->url()) && aliceLaptop.connectTo(m_daemon->url())
            && bob.connectTo(m_daemon->url()));
    QVERIFY(alice.registerUser(u"alice"_s) && bob.registerUser(u"bob"_s));
    QVERIFY(aliceLaptop.login(u"alice"_s));

    QByteArray output;
    QCOMPARE(m_daemon->runCommand({u"user"_s, u"reset-password"_s, u"alice"_s}, "a new password\n",
                                  &output),
             0);
    QVERIFY2(output.contains("2 live connection(s) closed"), output.constData());
    // Both of alice's connections are told and closed; bob's is not touched.
    for (TestClient *device : {&alice, &aliceLaptop}) {
        QVERIFY(device->waitEvent(Protocol::Event::SignedOut));
        QVERIFY(device->waitDisconnected(Timeout));
    }
    VERIFY_OK(bob.request(Protocol::Request::Ping));

    // Their tokens are gone; the new password works.
    TestClient again;
    QVERIFY(again.connectTo(m_daemon->url()));
    COMPARE_ERROR(again.request(Protocol::Request::Resume,
                                {{u"protocol"_s, Protocol::Version}, {u"token"_s, alice.token()}}),
                  Protocol::ErrorCode::InvalidToken);
    QVERIFY(again.login(u"alice"_s, u"a new password"_s));
}

void TestSecrets::resetPasswordWithoutServer()
{
    QVERIFY(m_daemon->start());
    {
        TestClient alice;
        QVERIFY(alice.connectTo(m_daemon->url()));
        QVERIFY(alice.registerUser(u"alice"_s));
    }
    QVERIFY(m_daemon->signal(SIGTERM));
    QVERIFY(m_daemon->waitFinished(Timeout));
    // No server on the data folder: nothing to end, and no error.
    QByteArray output;
    QCOMPARE(m_daemon->runCommand({u"user"_s, u"reset-password"_s, u"alice"_s}, "a new password\n",
                                  &output),
             0);
    QVERIFY(!output.contains("live connection"));
}

void TestSecrets::noSecretInTheLog()
{
    QProcessEnvironment environment;
    environment.insert(u"QT_LOGGING_RULES"_s, u"messengerd.*=true"_s);
    QVERIFY(m_daemon->start({u"--log-level"_s, u"debug"_s}, environment));
    const QString firstPassword = u"first-Secret-7781"_s;
    const QString wrongPassword = u"wrong-Secret-1290"_s;
    const QString changedPassword = u"changed-Secret-4410"_s;
    const QString resetPassword = u"reset-Secret-9925"_s;
    QStringList secrets {firstPassword, wrongPassword, changedPassword, resetPassword};

    TestClient alice, laptop, wrong, resumed, bob;
    for (TestClient *client : {&alice, &laptop, &wrong, &resumed, &bob})
        QVERIFY(client->connectTo(m_daemon->url()));
    QVERIFY(alice.registerUser(u"alice"_s, firstPassword));
    QVERIFY(bob.registerUser(u"bob"_s));
    QVERIFY(laptop.login(u"alice"_s, firstPassword));
    COMPARE_ERROR(wrong.request(Protocol::Request::Login,
                                {{u"protocol"_s, Protocol::Version},
                                 {u"username"_s, u"alice"_s},
                                 {u"password"_s, wrongPassword}}),
                  Protocol::ErrorCode::InvalidCredentials);
    QVERIFY(resumed.resume(laptop.token()));
    secrets << alice.token() << laptop.token() << bob.token() << TestClient::DefaultPassword;
    const qint64 direct = alice.openDirect(bob.userId());
    QVERIFY(direct);
    QVERIFY(alice.sendText(direct, u"hello bob"_s) > 0);
    VERIFY_OK(
        alice.request(Protocol::Request::ChangePassword,
                      {{u"oldPassword"_s, firstPassword}, {u"newPassword"_s, changedPassword}}));
    QByteArray output;
    QCOMPARE(m_daemon->runCommand({u"user"_s, u"reset-password"_s, u"alice"_s},
                                  resetPassword.toUtf8() + '\n', &output),
             0);
    TestClient afterReset;
    QVERIFY(afterReset.connectTo(m_daemon->url()));
    QVERIFY(afterReset.login(u"alice"_s, resetPassword));
    secrets << afterReset.token();
    QVERIFY(m_daemon->signal(SIGTERM));
    QVERIFY(m_daemon->waitFinished(Timeout));

    const QByteArray log = m_daemon->output();
    // The categories were on: the log is not empty, so the search means something.
    QVERIFY2(log.contains("messengerd.session") || log.contains("messengerd.accounts")
                 || log.contains("messengerd.server"),
             log.constData());
    for (const QString &secret : std::as_const(secrets)) {
        QVERIFY(!secret.isEmpty());
        QVERIFY2(!log.contains(secret.toUtf8()), qPrintable(u"in the log: "_s + secret));
        // Half a token would be as bad as the whole (tokens are long; passwords are not cut).
        if (secret.size() >= 32)
            QVERIFY2(!log.contains(secret.left(secret.size() / 2).toUtf8()),
                     qPrintable(u"half in the log: "_s + secret));
    }
}

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
