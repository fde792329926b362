#pragma once

#include <QtGlobal>

namespace Server {

//! The process's own resource use, read from /proc/self at each scrape (Linux only; a value
//! that cannot be read is -1 and is left out of the metrics).
struct ProcessStats
{
    qint64 residentBytes = -1;
    qint64 virtualBytes = -1;
    qint64 openFds = -1;
    qint64 maxFds = -1;
    double cpuSeconds = -1;
    double startTimeSeconds = -1; //!< since the Unix epoch

    static ProcessStats read();
};

} // namespace Server
