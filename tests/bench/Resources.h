#pragma once

#include <cstdint>
#include <sys/types.h>

namespace Bench {

//! CPU time of the calling thread, in nanoseconds.
std::int64_t threadCpuNs();
//! CPU time of this whole process, in nanoseconds.
std::int64_t processCpuNs();
//! CPU time (user + system) of another process from /proc/<pid>/stat; -1 if unreadable.
std::int64_t processCpuNs(pid_t pid);
//! Resident set size in KiB from /proc/<pid>/status (VmRSS); 0 means this process.
std::int64_t rssKib(pid_t pid = 0);
//! Raises the open-file limit (soft and, as root, hard) to at least wanted; returns the result.
std::int64_t raiseFileLimit(std::int64_t wanted);
int cpuCount();
//! The kernel's count of connections dropped because a listen backlog was full
//! (TcpExt ListenOverflows in /proc/net/netstat); -1 if unreadable.
std::int64_t listenOverflows();

//! Busy and total jiffies of the whole machine (/proc/stat), to tell how loaded the box was.
struct MachineCpu
{
    std::int64_t busy = 0;
    std::int64_t total = 0;
    static MachineCpu now();
};

//! CPU use over one measured window: the client thread, the server, and the machine.
class CpuWindow
{
public:
    //! serverPid: a spawned server, or 0 when the server runs inside this process (its CPU is
    //! then the process's minus the client thread's).
    explicit CpuWindow(pid_t serverPid);
    void finish();

    double seconds() const { return m_seconds; }
    double clientCores() const { return m_clientCores; } //!< 1.0 = one core busy all the time
    double serverCores() const { return m_serverCores; }
    double machineBusy() const { return m_machineBusy; } //!< 0..1 of all cores

private:
    pid_t m_serverPid;
    std::int64_t m_startWall;
    std::int64_t m_startClient;
    std::int64_t m_startServer;
    MachineCpu m_startMachine;
    double m_seconds = 0;
    double m_clientCores = 0;
    double m_serverCores = 0;
    double m_machineBusy = 0;
};

} // namespace Bench
