// The admin listener: Prometheus /metrics scraped over real HTTP before and after a real load
// (the counters move by what the load did, the text parses as the exposition format), /healthz
// and /readyz (readiness follows PostgreSQL going away and coming back, and draining), and bad
// requests answered with their status while the server keeps serving.

#include "TestClient.h"
#include "TestServer.h"

#include "core/ConfigLoader.h"

#include "protocol/Requests.h"

#include <QCommandLineParser>

#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <optional>
#include <unistd.h>

using namespace Server;

using namespace Qt::StringLiterals;
using Protocol::ErrorCode;
namespace Request = Protocol::Request;

namespace {

struct HttpAnswer
{
    int status = 0;
    QByteArray head;
    QByteArray body;
};

//! Sends raw bytes to the admin listener and reads the answer until the server closes.
//! Spins the event loop (the server lives on this thread); nullopt when nothing came back.
std::optional<HttpAnswer> exchange(quint16 port, const QByteArray &request)
{
    QTcpSocket socket;
    QSignalSpy connected(&socket, &QTcpSocket::connected);
    QSignalSpy closed(&socket, &QTcpSocket::disconnected);
    QByteArray data;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { data += socket.readAll(); });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!connected.wait(5000))
        return std::nullopt;
    socket.write(request);
    if (closed.isEmpty() && !closed.wait(10'000))
        return std::nullopt;
    data += socket.readAll();
    const qsizetype end = data.indexOf("\r\n\r\n");
    if (end < 0 || !data.startsWith("HTTP/1.1 "))
        return std::nullopt;
    HttpAnswer answer;
    answer.head = data.first(end);
    answer.body = data.sliced(end + 4);
    answer.status = data.mid(9, 3).toInt();
    return answer;
}

std::optional<HttpAnswer> get(quint16 port, const QByteArray &path)
{
    return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
}

//! The status of a GET, or -1 when no answer came.
int statusOf(quint16 port, const QByteArray &path)
{
    const auto answer = get(port, path);
    return answer ? answer->status : -1;
}

//! One scrape, parsed: sample values by "name{labels}" as written, and each family's type.
struct Scrape
{
    QHash<QString, double> samples;
    QHash<QString, QString> types;
    QString error; //!< the first line that is not the exposition format

    double value(const QString &key) const { return samples.value(key, 0.0); }
};

Scrape parseExposition(const QByteArray &text)
{
    // name{label="value",…} value — the labels group is optional.
    static const QString name = u"[a-zA-Z_:][a-zA-Z0-9_:]*"_s;
    static const QString label = u"[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\""_s;
    static const QRegularExpression sampleLine(
        u"^(%1)(\\{(%2(?:,%2)*)\\})? (\\S+)$"_s.arg(name, label));
    static const QRegularExpression typeLine(
        u"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$"_s);
    static const QRegularExpression helpLine(u"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*$"_s);
    Scrape scrape;
    if (!text.endsWith('\n'))
        scrape.error = u"the text does not end with a newline"_s;
    for (const QByteArray &raw : text.split('\n')) {
        const QString line = QString::fromUtf8(raw);
        if (line.isEmpty())
            continue;
        if (const auto match = typeLine.match(line); match.hasMatch()) {
            if (scrape.types.contains(match.captured(1)) && scrape.error.isEmpty())
                scrape.error = u"TYPE given twice: "_s + line;
            scrape.types.insert(match.captured(1), match.captured(2));
            continue;
        }
        if (helpLine.match(line).hasMatch())
            continue;
        const auto match = sampleLine.match(line);
        bool number = false;
        const QString valueText = match.captured(4);
        double value = valueText.toDouble(&number);
        if (valueText == u"+Inf"_s || valueText == u"-Inf"_s || valueText == u"NaN"_s)
            number = true;
        if (!match.hasMatch() || !number) {
            if (scrape.error.isEmpty())
                scrape.error = u"not a sample line: "_s + line;
            continue;
        }
        // A sample belongs to the family its name names, or for histograms the name without
        // _bucket, _sum or _count; its TYPE must come first.
        QString family = match.captured(1);
        if (!scrape.types.contains(family)) {
            static const QRegularExpression suffix(u"_(bucket|sum|count)$"_s);
            family.remove(suffix);
        }
        if (!scrape.types.contains(family) && scrape.error.isEmpty())
            scrape.error = u"a sample without a TYPE before it: "_s + line;
        scrape.samples.insert(match.captured(1) + match.captured(2), value);
    }
    return scrape;
}

QCborMap typing(qint64 conversationId, bool active)
{
    return {{u"conversationId"_s, conversationId}, {u"active"_s, active}};
}

bool runPgCtl(const QString &action)
{
    return QProcess::execute(u"pg_ctlcluster"_s, {u"15"_s, u"main"_s, action}) == 0;
}

} // namespace

class TestMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void countersMoveUnderLoad();
    void rateLimitedIsCounted();
    void deletedAndExpiredAreCounted();
    void healthAndReadiness();
    void readinessFollowsPostgres();
    void notReadyWhileDraining();
    void badRequests();
    void connectionCap();
    void adminListenerOff();
    void adminListenOption_data();
    void adminListenOption();

private:
    Scrape scrape();

    std::unique_ptr<TestServer> m_server;
    bool m_postgresStopped = false;
};

void TestMetrics::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->setUp(), qPrintable(m_server->errorString()));
    QVERIFY(m_server->server()->adminPort() != 0);
}

void TestMetrics::cleanup()
{
    // PostgreSQL comes back even when the test failed halfway.
    if (m_postgresStopped && runPgCtl(u"start"_s))
        m_postgresStopped = false;
    m_server.reset();
}

Scrape TestMetrics::scrape()
{
    const auto answer = get(m_server->server()->adminPort(), "/metrics");
    if (!answer || answer->status != 200)
        return Scrape {{}, {}, u"the scrape failed"_s};
    if (!answer->head.contains("Content-Type: text/plain; version=0.0.4"))
        return Scrape {{}, {}, u"the content type is not the text format 0.0.4"_s};
    return parseExposition(answer->body);
}

void TestMetrics::countersMoveUnderLoad()
{
    const Scrape before = scrape();
    QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
    QCOMPARE(before.types.value(u"messengerd_messages_committed_total"_s), u"counter"_s);
    QCOMPARE(before.types.value(u"messengerd_send_commit_seconds"_s), u"histogram"_s);
    QCOMPARE(before.value(u"messengerd_connections"_s), 0.0);

    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    TestClient *bobPhone = m_server->newDevice(bob);
    QVERIFY(bobPhone);
    TestClient *stranger = m_server->newClient();
    QVERIFY(stranger);
    QVERIFY(!stranger->login(u"alice"_s, u"wrong password"_s));
    COMPARE_ERROR(stranger->request(Request::Send, {}), ErrorCode::NotAuthenticated);
    COMPARE_ERROR(stranger->request(u"no.such.request"_s, {}), ErrorCode::UnknownType);

    const qint64 conversation = alice->openDirect(bob->userId());
    QVERIFY(conversation > 0);
    constexpr int Messages = 5;
    for (int i = 0; i < Messages; ++i)
        QVERIFY(alice->sendText(conversation, u"hello %1"_s.arg(i)) > 0);
    for (TestClient *device : {bob, bobPhone}) {
        for (int i = 0; i < Messages; ++i)
            QVERIFY(device->waitEvent(u"message"_s));
    }
    VERIFY_OK(alice->request(Request::Typing, typing(conversation, true)));
    VERIFY_OK(alice->request(Request::Typing, typing(conversation, false)));
    for (TestClient *device : {bob, bobPhone}) {
        QVERIFY(device->waitEvent(u"typing"_s));
        QVERIFY(device->waitEvent(u"typing"_s));
    }

    const Scrape after = scrape();
    QVERIFY2(after.error.isEmpty(), qPrintable(after.error));
    const auto delta = [&](const QString &key) { return after.value(key) - before.value(key); };

    // Connections and sessions: four clients, three signed in, as two users.
    QCOMPARE(delta(u"messengerd_connections_accepted_total"_s), 4.0);
    QCOMPARE(after.value(u"messengerd_connections"_s), 4.0);
    QCOMPARE(after.value(u"messengerd_authenticated_sessions"_s), 3.0);
    QCOMPARE(after.value(u"messengerd_online_users"_s), 2.0);
    // Accounts.
    QCOMPARE(delta(u"messengerd_registrations_total"_s), 2.0);
    QCOMPARE(delta(u"messengerd_sign_ins_total{method=\"register\",result=\"ok\"}"_s), 2.0);
    QCOMPARE(delta(u"messengerd_sign_ins_total{method=\"login\",result=\"ok\"}"_s), 1.0);
    QCOMPARE(delta(u"messengerd_sign_ins_total{method=\"login\",result=\"failed\"}"_s), 1.0);
    // Messages: each one to bob's two devices, none back to alice's only (sending) connection.
    QCOMPARE(delta(u"messengerd_messages_committed_total"_s), double(Messages));
    QCOMPARE(delta(u"messengerd_deliveries_total"_s), 2.0 * Messages);
    QCOMPARE(delta(u"messengerd_send_commit_seconds_count"_s), double(Messages));
    QCOMPARE(delta(u"messengerd_send_commit_seconds_bucket{le=\"+Inf\"}"_s), double(Messages));
    QVERIFY(delta(u"messengerd_send_commit_seconds_sum"_s) > 0);
    QCOMPARE(delta(u"messengerd_requests_total{type=\"message.send\",result=\"ok\"}"_s),
             double(Messages));
    // Typing on and off, each to bob's two devices; presence went out when they met.
    QCOMPARE(delta(u"messengerd_typing_fanout_total"_s), 4.0);
    QVERIFY(delta(u"messengerd_presence_fanout_total"_s) > 0);
    // Errors, by code and by request.
    QCOMPARE(delta(u"messengerd_errors_total{code=\"invalid_credentials\"}"_s), 1.0);
    QCOMPARE(delta(u"messengerd_errors_total{code=\"not_authenticated\"}"_s), 1.0);
    QCOMPARE(delta(u"messengerd_errors_total{code=\"unknown_type\"}"_s), 1.0);
    QCOMPARE(
        delta(u"messengerd_requests_total{type=\"message.send\",result=\"not_authenticated\"}"_s),
        1.0);
    QCOMPARE(delta(u"messengerd_requests_total{type=\"unknown\",result=\"unknown_type\"}"_s), 1.0);
    // The store: writes (registrations, messages) and reads (sign-in lookups) were timed.
    QVERIFY(delta(u"messengerd_db_job_duration_seconds_count{kind=\"write\"}"_s) > 0);
    QVERIFY(delta(u"messengerd_db_job_duration_seconds_count{kind=\"read\"}"_s) > 0);
    QVERIFY(delta(u"messengerd_db_write_batch_size_count"_s) > 0);
    QVERIFY(after.samples.contains(u"messengerd_store_queue_depth{thread=\"writer\"}"_s));
    QVERIFY(after.samples.contains(u"messengerd_store_queue_depth{thread=\"reader-1\"}"_s));
    // The process.
    QVERIFY(after.value(u"messengerd_process_resident_memory_bytes"_s) > 0);
    QVERIFY(after.value(u"messengerd_process_open_fds"_s) > 0);
    const double started = after.value(u"messengerd_process_start_time_seconds"_s);
    QVERIFY(started > 1.6e9 && started <= double(QDateTime::currentSecsSinceEpoch()) + 1);
    QCOMPARE(after.value(u"messengerd_build_info{version=\"" MESSENGER_VERSION "\"}"_s), 1.0);

    // A client leaving is counted as closed by its peer once the server has seen it go.
    stranger->close();
    QTRY_COMPARE(scrape().value(u"messengerd_connections_closed_total{reason=\"peer\"}"_s)
                     - before.value(u"messengerd_connections_closed_total{reason=\"peer\"}"_s),
                 1.0);
    QCOMPARE(scrape().value(u"messengerd_connections"_s), 3.0);
}

void TestMetrics::rateLimitedIsCounted()
{
    m_server->config().typing = RateLimit {1, 1};
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 conversation = alice->openDirect(bob->userId());
    QVERIFY(conversation > 0);
    const Scrape before = scrape();
    VERIFY_OK(alice->request(Request::Typing, typing(conversation, true)));
    COMPARE_ERROR(alice->request(Request::Typing, typing(conversation, true)),
                  ErrorCode::RateLimited);
    const Scrape after = scrape();
    QCOMPARE(after.value(u"messengerd_rate_limited_total"_s)
                 - before.value(u"messengerd_rate_limited_total"_s),
             1.0);
    QCOMPARE(after.value(u"messengerd_requests_total{type=\"typing\",result=\"rate_limited\"}"_s),
             1.0);
}

void TestMetrics::deletedAndExpiredAreCounted()
{
    // Timers of a second (only tests go below 30 s), swept often.
    m_server->config().minDisappearSeconds = 1;
    m_server->config().expirySweepIntervalMs = 50;
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    TestClient *alice = m_server->newUser(u"alice"_s);
    TestClient *bob = m_server->newUser(u"bob"_s);
    QVERIFY(alice && bob);
    const qint64 chat = alice->openDirect(bob->userId());
    QVERIFY(chat > 0);
    const Scrape before = scrape();
    QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
    QCOMPARE(before.types.value(u"messengerd_messages_deleted_total"_s), u"counter"_s);
    QCOMPARE(before.types.value(u"messengerd_messages_expired_total"_s), u"counter"_s);
    const auto delta = [&before](const Scrape &after, const QString &key) {
        return after.value(key) - before.value(key);
    };

    // One message deleted for everyone; deleting it again (idempotent) and failing deletes are
    // not counted.
    const qint64 gone = alice->sendText(chat, u"gone"_s);
    QVERIFY(gone > 0);
    const QCborMap target {{u"conversationId"_s, chat}, {u"seq"_s, gone}};
    const Protocol::Frame deleted = alice->request(Request::DeleteMessage, target);
    VERIFY_OK(deleted);
    VERIFY_OK(alice->request(Request::DeleteMessage, target));
    COMPARE_ERROR(bob->request(Request::DeleteMessage, target), ErrorCode::Forbidden);
    COMPARE_ERROR(alice->request(Request::DeleteMessage,
                                 {{u"conversationId"_s, chat},
                                  {u"seq"_s, deleted.body.value(u"seq"_s).toInteger()}}),
                  ErrorCode::NotFound);
    const Scrape afterDelete = scrape();
    QCOMPARE(delta(afterDelete, u"messengerd_messages_deleted_total"_s), 1.0);
    QCOMPARE(delta(afterDelete, u"messengerd_messages_expired_total"_s), 0.0);

    // Three messages under a one-second timer: the sweeper erases each once. The deleted one and
    // the event entries have no expiresAt and are not counted.
    VERIFY_OK(alice->request(Request::SetTimer, {{u"conversationId"_s, chat}, {u"seconds"_s, 1}}));
    constexpr int Fleeting = 3;
    for (int i = 0; i < Fleeting; ++i)
        QVERIFY(alice->sendText(chat, u"fleeting %1"_s.arg(i)) > 0);
    QTRY_COMPARE_WITH_TIMEOUT(delta(scrape(), u"messengerd_messages_expired_total"_s),
                              double(Fleeting), 20'000);
    QCOMPARE(delta(scrape(), u"messengerd_messages_deleted_total"_s), 1.0);
}

void TestMetrics::healthAndReadiness()
{
    const quint16 port = m_server->server()->adminPort();
    const auto live = get(port, "/healthz");
    QVERIFY(live);
    QCOMPARE(live->status, 200);
    QCOMPARE(live->body, QByteArray("ok\n"));
    const auto ready = get(port, "/readyz");
    QVERIFY(ready);
    QCOMPARE(ready->status, 200);
    QVERIFY2(ready->body.contains("database: ok\n") && ready->body.contains("listener: ok\n")
                 && ready->body.contains("drain: ok\n"),
             ready->body.constData());
}

void TestMetrics::readinessFollowsPostgres()
{
    if (m_server->backend() != TestServer::Backend::Postgres)
        QSKIP("needs PostgreSQL: the SQLite file cannot go away like a database server");
    if (::geteuid() != 0)
        QSKIP("stopping the PostgreSQL cluster (pg_ctlcluster) needs root, as in CI");
    const quint16 port = m_server->server()->adminPort();
    QCOMPARE(statusOf(port, "/readyz"), 200);

    m_postgresStopped = true;
    QVERIFY(runPgCtl(u"stop"_s));
    // Readiness fails with the check that failed; liveness does not.
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(port, "/readyz"), 503, 20'000);
    const auto down = get(port, "/readyz");
    QVERIFY(down);
    QVERIFY2(down->body.contains("database: FAILED") && down->body.contains("listener: ok"),
             down->body.constData());
    QCOMPARE(statusOf(port, "/healthz"), 200);

    QVERIFY(runPgCtl(u"start"_s));
    m_postgresStopped = false;
    QTRY_COMPARE_WITH_TIMEOUT(statusOf(port, "/readyz"), 200, 30'000);
    // And the server serves again.
    TestClient *alice = m_server->newUser(u"alice"_s);
    QVERIFY(alice);
}

void TestMetrics::notReadyWhileDraining()
{
    const quint16 port = m_server->server()->adminPort();
    QCOMPARE(statusOf(port, "/readyz"), 200);
    QSignalSpy drained(m_server->server(), &MessengerServer::drained);
    m_server->server()->beginDrain();
    const auto draining = get(port, "/readyz");
    QVERIFY(draining);
    QCOMPARE(draining->status, 503);
    QVERIFY2(draining->body.contains("drain: FAILED"), draining->body.constData());
    QVERIFY2(draining->body.contains("listener: FAILED"), draining->body.constData());
    QCOMPARE(statusOf(port, "/healthz"), 200);
    QCOMPARE(scrape().value(u"messengerd_draining"_s), 1.0);
    QTRY_VERIFY(!drained.isEmpty());
}

void TestMetrics::badRequests()
{
    const quint16 port = m_server->server()->adminPort();
    struct Case
    {
        const char *name;
        QByteArray request;
        int status;
    };
    const Case cases[] = {
        {"oversized head",
         "GET /metrics HTTP/1.1\r\nHost: a\r\nX-Padding: " + QByteArray(9000, 'a') + "\r\n\r\n",
         431},
        {"POST", "POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", 405},
        {"HEAD", "HEAD /healthz HTTP/1.1\r\nHost: a\r\n\r\n", 405},
        {"unknown path", "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n", 404},
        {"garbage", QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\r\n\r\n", 13), 400},
        {"no Host", "GET /metrics HTTP/1.1\r\n\r\n", 400},
        {"a body", "GET /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody", 413},
        {"HTTP/2", "GET /metrics HTTP/2.0\r\nHost: a\r\n\r\n", 505},
    };
    for (const Case &c : cases) {
        const auto answer = exchange(port, c.request);
        QVERIFY2(answer, c.name);
        QVERIFY2(answer->status == c.status,
                 qPrintable(u"%1: %2, expected %3"_s.arg(QLatin1StringView(c.name))
                                .arg(answer->status)
                                .arg(c.status)));
        QVERIFY2(!answer->body.isEmpty(), c.name); // a short reason
    }
    const auto post = exchange(port, cases[1].request);
    QVERIFY(post && post->head.contains("Allow: GET"));

    // Still serving: the admin endpoints and the clients' listener.
    QCOMPARE(statusOf(port, "/healthz"), 200);
    QVERIFY(m_server->newUser(u"alice"_s));
}

void TestMetrics::connectionCap()
{
    const quint16 port = m_server->server()->adminPort();
    // Sixteen connections that say nothing hold every place.
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < 16; ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        QSignalSpy connected(socket.get(), &QTcpSocket::connected);
        socket->connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(connected.wait(5000));
        idle.push_back(std::move(socket));
    }
    const auto refused = get(port, "/healthz");
    QVERIFY(refused);
    QCOMPARE(refused->status, 503);
    idle.clear();
    QTRY_COMPARE(statusOf(port, "/healthz"), 200);
}

void TestMetrics::adminListenerOff()
{
    m_server->config().adminEnabled = false;
    QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
    QCOMPARE(m_server->server()->adminPort(), quint16(0));
    QVERIFY(m_server->newUser(u"alice"_s));
}

void TestMetrics::adminListenOption_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("environment"); //!< MESSENGERD_ADMIN_LISTEN, if not empty
    QTest::addColumn<bool>("valid");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("required");

    QTest::newRow("default") << QStringList {} << QString() << true << true << u"127.0.0.1"_s
                             << 9400 << false;
    QTest::newRow("off") << QStringList {u"--admin-listen"_s, u"off"_s} << QString() << true
                         << false << u"127.0.0.1"_s << 9400 << false;
    QTest::newRow("IPv4") << QStringList {u"--admin-listen"_s, u"10.0.0.5:9500"_s} << QString()
                          << true << true << u"10.0.0.5"_s << 9500 << true;
    QTest::newRow("IPv6") << QStringList {u"--admin-listen"_s, u"[::1]:0"_s} << QString() << true
                          << true << u"::1"_s << 0 << true;
    QTest::newRow("environment") << QStringList {} << u"127.0.0.1:9401"_s << true << true
                                 << u"127.0.0.1"_s << 9401 << true;
    QTest::newRow("command line wins")
        << QStringList {u"--admin-listen"_s, u"off"_s} << u"127.0.0.1:9401"_s << true << false
        << u"127.0.0.1"_s << 9400 << false;
    for (const char *bad :
         {"9400", "localhost:9400", "127.0.0.1:", "127.0.0.1:70000", "::1:9400", "127.0.0.1:94x0"})
        QTest::newRow(bad) << QStringList {u"--admin-listen"_s, QString::fromLatin1(bad)}
                           << QString() << false << true << QString() << 0 << false;
}

void TestMetrics::adminListenOption()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, environment);
    QFETCH(bool, valid);
    QCommandLineParser parser;
    ConfigLoader::addOptions(parser);
    QVERIFY(parser.parse(QStringList {u"messengerd"_s} + arguments));
    QProcessEnvironment variables;
    if (!environment.isEmpty())
        variables.insert(u"MESSENGERD_ADMIN_LISTEN"_s, environment);
    ServerConfig config;
    QString error;
    QCOMPARE(ConfigLoader::load(parser, variables, &config, &error), valid);
    if (!valid) {
        QVERIFY2(error.contains(u"--admin-listen"_s), qPrintable(error));
        return;
    }
    QTEST(config.adminEnabled, "enabled");
    QTEST(config.adminAddress.toString(), "address");
    QTEST(int(config.adminPort), "port");
    QTEST(config.adminRequired, "required");
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
