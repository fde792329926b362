#include "Scenario.h"

#include "Ceilings.h"

#include <QDir>

#include <arpa/inet.h>

#include <cstring>

namespace Bench {

namespace {

//! Source addresses for the client sockets: one per 25,000 connections (each address pair
//! has ~28k ephemeral ports), or what --source-addresses says.
std::vector<in_addr> sourceAddresses(const BenchOptions &options, int expectedConnections)
{
    int count = options.sourceAddresses;
    if (count == 0 && expectedConnections > 25'000)
        count = (expectedConnections + 24'999) / 25'000;
    std::vector<in_addr> addresses;
    for (int i = 0; i < count; ++i) {
        in_addr address {};
        address.s_addr = htonl((127u << 24) | std::uint32_t(2 + i));
        addresses.push_back(address);
    }
    return addresses;
}

} // namespace

ScenarioRig::ScenarioRig(ScenarioContext &context, QString name)
    : m_context(context)
    , m_name(std::move(name))
{
}

ScenarioRig::~ScenarioRig()
{
    stop();
}

bool ScenarioRig::start(bool preferSpawn, int expectedConnections, QString *error)
{
    const BenchOptions &options = m_context.options;
    switch (options.serverMode) {
    case BenchOptions::ServerMode::Spawn:
        m_spawn = true;
        break;
    case BenchOptions::ServerMode::InProcess:
        m_spawn = false;
        break;
    case BenchOptions::ServerMode::Auto:
        m_spawn = preferSpawn;
        break;
    }
    m_dataDir = m_context.workDir + QLatin1Char('/') + m_name;
    QDir(m_dataDir).removeRecursively();
    if (!QDir().mkpath(m_dataDir)) {
        *error = QStringLiteral("cannot create %1").arg(m_dataDir);
        return false;
    }
    if (options.database == BenchOptions::Database::Postgres
        && !Ceilings::resetPostgres(options, error))
        return false;
    m_maxConnections = expectedConnections + 1000;
    m_server = std::make_unique<ServerUnderTest>(options, m_dataDir, m_spawn, m_maxConnections);
    if (!m_server->start(error))
        return false;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_server->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    m_loop = std::make_unique<ClientLoop>(address, sourceAddresses(options, expectedConnections));
    return true;
}

bool ScenarioRig::restartServer(QString *error)
{
    m_server->stop();
    if (!m_server->exitProblem().isEmpty())
        m_context.report.addError(m_name, m_server->exitProblem());
    if (!m_server->start(error))
        return false;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_server->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Connections remember the port through the loop: rebuild it (no connection is open now).
    std::vector<in_addr> sources = sourceAddresses(m_context.options, m_maxConnections - 1000);
    m_loop = std::make_unique<ClientLoop>(address, std::move(sources));
    return true;
}

void ScenarioRig::stop()
{
    if (m_server) {
        // The server goes first, with the connections still open, as in a real restart.
        m_server->stop();
        m_lastStopSeconds = m_server->stopSeconds();
        if (!m_server->exitProblem().isEmpty())
            m_context.report.addError(m_name, m_server->exitProblem());
    }
    m_server.reset();
    if (m_loop)
        m_loop->closeAll();
    m_loop.reset();
}

void fillContent(std::string *content, int size, std::int64_t sentNs, std::uint32_t index,
                 std::uint32_t tag)
{
    content->assign(std::size_t(std::max(size, 16)), 'x');
    std::memcpy(content->data(), &sentNs, 8);
    std::memcpy(content->data() + 8, &index, 4);
    std::memcpy(content->data() + 12, &tag, 4);
}

bool readContent(std::string_view content, std::int64_t *sentNs, std::uint32_t *index,
                 std::uint32_t *tag)
{
    if (content.size() < 16)
        return false;
    std::memcpy(sentNs, content.data(), 8);
    std::memcpy(index, content.data() + 8, 4);
    std::memcpy(tag, content.data() + 12, 4);
    return true;
}

} // namespace Bench
