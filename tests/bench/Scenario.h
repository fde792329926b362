#pragma once

#include "BenchOptions.h"
#include "ClientLoop.h"
#include "Report.h"
#include "ServerUnderTest.h"

#include <QString>

#include <memory>

namespace Bench {

//! What every scenario is given.
struct ScenarioContext
{
    const BenchOptions &options;
    Report &report;
    QString workDir;
};

//! The server and client of one scenario, on a fresh database.
class ScenarioRig
{
public:
    ScenarioRig(ScenarioContext &context, QString name);
    ~ScenarioRig();

    //! Empties the database, starts a server (spawned or in-process as options and preference
    //! say) and a client loop toward it. False with a reason on failure.
    bool start(bool preferSpawn, int expectedConnections, QString *error);
    //! Stops and starts the server on the same database (the client loop stays).
    bool restartServer(QString *error);
    void stop();

    ServerUnderTest &server() { return *m_server; }
    ClientLoop &loop() { return *m_loop; }
    const QString &name() const { return m_name; }
    bool spawned() const { return m_spawn; }
    double lastStopSeconds() const { return m_lastStopSeconds; }

private:
    ScenarioContext &m_context;
    QString m_name;
    QString m_dataDir;
    bool m_spawn = false;
    int m_maxConnections = 0;
    double m_lastStopSeconds = 0;
    std::unique_ptr<ServerUnderTest> m_server;
    std::unique_ptr<ClientLoop> m_loop;
};

//! Writes a message body into content: the send time and an index, then padding to size.
void fillContent(std::string *content, int size, std::int64_t sentNs, std::uint32_t index,
                 std::uint32_t tag);
//! Reads back what fillContent wrote; false when the content is too short.
bool readContent(std::string_view content, std::int64_t *sentNs, std::uint32_t *index,
                 std::uint32_t *tag);

//! The scenarios; each adds its figures and details to context.report.
void runConnectionsScenario(ScenarioContext &context);
void runDirectScenario(ScenarioContext &context);
void runGroupScenario(ScenarioContext &context);
void runMixedScenario(ScenarioContext &context);
void runFreshScenario(ScenarioContext &context);
void runMediaScenario(ScenarioContext &context);

} // namespace Bench
