#include "ClientTestSupport.h"

#include "TestServer.h"
#include "models/MessageListModel.h"
#include "store/LocalStore.h"

#include <QDateTime>

using namespace Client;

using namespace Qt::StringLiterals;

AccountSettings fastSettings()
{
    AccountSettings settings;
    settings.connection.heartbeatIntervalMs = 5000;
    settings.connection.requestTimeoutMs = 10'000;
    settings.connection.backoff = Backoff::Settings {20, 200, 2.0};
    settings.connection.deviceName = u"test"_s;
    settings.sync.refreshDelayMs = 10;
    settings.typing.repeatIntervalMs = 60'000;
    settings.typing.idleTimeoutMs = 200;
    settings.outboxRetryDelayMs = 50;
    settings.messagePageSize = 20;
    return settings;
}

Protocol::MessageRecord textMessage(qint64 conversationId, qint64 seq, qint64 senderId,
                                    const QString &text, qint64 timestamp)
{
    Protocol::MessageRecord m;
    m.conversationId = conversationId;
    m.seq = seq;
    m.senderId = senderId;
    m.timestamp = timestamp > 0 ? timestamp : QDateTime::currentMSecsSinceEpoch();
    m.clientId = u"c-%1-%2"_s.arg(conversationId).arg(seq);
    m.contentType = u"text/plain"_s;
    m.content = text.toUtf8();
    return m;
}

ClientFixture::ClientFixture()
    : trustStore(QString())
{
}

QString ClientFixture::storePath(const QString &username) const
{
    return m_dir.filePath(username + u".sqlite"_s);
}

std::unique_ptr<Account> ClientFixture::account(const QUrl &server, const QString &username,
                                                const AccountSettings &settings)
{
    auto account = std::make_unique<Account>(server, username, storePath(username), &vault,
                                             &trustStore, settings);
    if (!awaited(account->openStore()))
        qWarning() << "cannot open the store:" << account->store()->errorString();
    return account;
}

bool outboxDrained(Account *account)
{
    return awaited(account->store()->idle())
        && QTest::qWaitFor([account] { return account->store()->outbox().isEmpty(); }, 15'000);
}

bool awaited(QFuture<void> future)
{
    return QTest::qWaitFor([&future] { return future.isFinished(); }, 10'000)
        && !future.isCanceled();
}

bool registerOnline(Account *account, const QString &displayName)
{
    account->registerUser(displayName, u"correct horse battery"_s);
    return QTest::qWaitFor([account] { return account->state() == Connection::State::Online; },
                           10'000);
}

QAbstractItemModelTester *testModel(QAbstractItemModel *model)
{
    return new QAbstractItemModelTester(
        model, QAbstractItemModelTester::FailureReportingMode::QtTest, model);
}

QStringList rowTexts(const QAbstractItemModel *model)
{
    QStringList texts;
    for (int row = 0; row < model->rowCount(); ++row)
        texts.append(model->index(row, 0).data(MessageListModel::TextRole).toString());
    return texts;
}

qint64 ClientFixture::directPair(const QUrl &server, std::unique_ptr<Account> *alice,
                                 std::unique_ptr<Account> *bob)
{
    *alice = account(server, QStringLiteral("alice"));
    *bob = account(server, QStringLiteral("bob"));
    if (!registerOnline(alice->get(), QStringLiteral("Alice"))
        || !registerOnline(bob->get(), QStringLiteral("Bob")))
        return 0;
    (*alice)->openDirect((*bob)->store()->selfId());
    const auto opened = [&] {
        const QList<qint64> mine = (*alice)->store()->conversationIds();
        return mine.size() == 1 && (*bob)->store()->conversationIds() == mine;
    };
    if (!QTest::qWaitFor(opened, 15'000))
        return 0;
    return (*alice)->store()->conversationIds().first();
}

TwoAccountSuite::TwoAccountSuite() = default;

TwoAccountSuite::~TwoAccountSuite() = default;

void TwoAccountSuite::startPair(const std::function<void(TestServer &)> &configure)
{
    m_server = std::make_unique<TestServer>();
    if (configure)
        configure(*m_server);
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    m_fixture = std::make_unique<ClientFixture>();
    m_conversation = m_fixture->directPair(m_server->url(), &m_alice, &m_bob);
    QVERIFY2(m_conversation > 0, "alice and bob did not get online with their direct chat");
}

void TwoAccountSuite::stopPair()
{
    m_alice.reset();
    m_bob.reset();
    m_fixture.reset();
    m_server.reset();
    m_conversation = 0;
}
