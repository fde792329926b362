#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace Bench {

//! Percentiles of a set of latencies, in milliseconds.
struct LatencySummary
{
    std::uint64_t count = 0;
    double p50 = 0;
    double p95 = 0;
    double p99 = 0;
    double max = 0;
    double mean = 0;
};

//! Keeps every sample (8 bytes each: a long run records a few million at most) so the
//! percentiles are exact rather than bucketed.
class LatencyRecorder
{
public:
    void add(std::int64_t nanoseconds) { m_samples.push_back(nanoseconds); }
    void clear() { m_samples.clear(); }
    std::size_t size() const { return m_samples.size(); }

    LatencySummary summary() const
    {
        LatencySummary s;
        s.count = m_samples.size();
        if (m_samples.empty())
            return s;
        std::vector<std::int64_t> sorted = m_samples;
        std::sort(sorted.begin(), sorted.end());
        const auto at = [&sorted](double q) {
            const auto index = std::size_t(std::lround(q * double(sorted.size() - 1)));
            return double(sorted[std::min(index, sorted.size() - 1)]) / 1e6;
        };
        s.p50 = at(0.50);
        s.p95 = at(0.95);
        s.p99 = at(0.99);
        s.max = double(sorted.back()) / 1e6;
        double total = 0;
        for (std::int64_t sample : sorted)
            total += double(sample);
        s.mean = total / double(sorted.size()) / 1e6;
        return s;
    }

private:
    std::vector<std::int64_t> m_samples;
};

} // namespace Bench
