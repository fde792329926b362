#include "Resources.h"

#include "ClientLoop.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

namespace Bench {

namespace {
std::int64_t clockNs(clockid_t clock)
{
    timespec ts {};
    clock_gettime(clock, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}
} // namespace

std::int64_t threadCpuNs()
{
    return clockNs(CLOCK_THREAD_CPUTIME_ID);
}

std::int64_t processCpuNs()
{
    return clockNs(CLOCK_PROCESS_CPUTIME_ID);
}

std::int64_t processCpuNs(pid_t pid)
{
    std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(file, line))
        return -1;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const std::size_t close = line.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(line.substr(close + 2));
    std::string field;
    std::int64_t utime = 0;
    std::int64_t stime = 0;
    for (int i = 3; fields >> field; ++i) {
        if (i == 14)
            utime = std::stoll(field);
        else if (i == 15) {
            stime = std::stoll(field);
            break;
        }
    }
    const long ticks = sysconf(_SC_CLK_TCK);
    return (utime + stime) * (1'000'000'000 / ticks);
}

std::int64_t rssKib(pid_t pid)
{
    std::ifstream file(pid == 0 ? std::string("/proc/self/status")
                                : "/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(file, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoll(line.substr(6));
    }
    return -1;
}

std::int64_t raiseFileLimit(std::int64_t wanted)
{
    rlimit limit {};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (std::int64_t(limit.rlim_cur) >= wanted)
        return std::int64_t(limit.rlim_cur);
    rlimit raised = limit;
    raised.rlim_cur = rlim_t(wanted);
    if (std::int64_t(raised.rlim_max) < wanted)
        raised.rlim_max = rlim_t(wanted); // works as root (CAP_SYS_RESOURCE), up to fs.nr_open
    if (setrlimit(RLIMIT_NOFILE, &raised) != 0) {
        raised.rlim_max = limit.rlim_max;
        raised.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &raised);
    }
    getrlimit(RLIMIT_NOFILE, &limit);
    return std::int64_t(limit.rlim_cur);
}

int cpuCount()
{
    return int(sysconf(_SC_NPROCESSORS_ONLN));
}

std::int64_t listenOverflows()
{
    // Two "TcpExt:" lines: the field names, then their values.
    std::ifstream file("/proc/net/netstat");
    std::string names;
    std::string values;
    while (std::getline(file, names)) {
        if (names.rfind("TcpExt:", 0) != 0)
            continue;
        if (!std::getline(file, values))
            return -1;
        std::istringstream n(names);
        std::istringstream v(values);
        std::string name;
        std::string value;
        while (n >> name && v >> value) {
            if (name == "ListenOverflows")
                return std::stoll(value);
        }
        return -1;
    }
    return -1;
}

MachineCpu MachineCpu::now()
{
    MachineCpu cpu;
    std::ifstream file("/proc/stat");
    std::string label;
    file >> label;
    if (label != "cpu")
        return cpu;
    // user nice system idle iowait irq softirq steal
    std::int64_t value = 0;
    for (int i = 0; i < 8 && file >> value; ++i) {
        cpu.total += value;
        if (i != 3 && i != 4)
            cpu.busy += value;
    }
    return cpu;
}

CpuWindow::CpuWindow(pid_t serverPid)
    : m_serverPid(serverPid)
    , m_startWall(nowNs())
    , m_startClient(threadCpuNs())
    , m_startServer(serverPid ? processCpuNs(serverPid) : processCpuNs())
    , m_startMachine(MachineCpu::now())
{
}

void CpuWindow::finish()
{
    const std::int64_t wall = nowNs() - m_startWall;
    const std::int64_t client = threadCpuNs() - m_startClient;
    std::int64_t server =
        (m_serverPid ? processCpuNs(m_serverPid) : processCpuNs()) - m_startServer;
    if (!m_serverPid)
        server -= client;
    const MachineCpu machine = MachineCpu::now();
    m_seconds = double(wall) / 1e9;
    if (wall > 0) {
        m_clientCores = double(client) / double(wall);
        m_serverCores = double(server) / double(wall);
    }
    const std::int64_t total = machine.total - m_startMachine.total;
    if (total > 0)
        m_machineBusy = double(machine.busy - m_startMachine.busy) / double(total);
}

} // namespace Bench
