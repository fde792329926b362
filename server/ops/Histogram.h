#pragma once

#include <QList>
#include <QtGlobal>

#include <atomic>
#include <memory>
#include <span>

namespace Server {

//! Bucket bounds, in the unit a histogram observes (microseconds for durations, a count for sizes).
namespace HistogramBounds {
//! 100 µs … 10 s: database jobs and send→commit times.
inline constexpr quint64 DurationMicros[] = {100,     250,     500,       1'000,     2'500,
                                             5'000,   10'000,  25'000,    50'000,    100'000,
                                             250'000, 500'000, 1'000'000, 2'500'000, 10'000'000};
//! Jobs per writer transaction: 1 … 512 (the writer's cap).
inline constexpr quint64 BatchSize[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
} // namespace HistogramBounds

//! What a histogram held at one moment: cumulative bucket counts (the last one is +Inf).
struct HistogramSnapshot
{
    std::span<const quint64> bounds;
    QList<quint64> cumulative;
    quint64 sum = 0;
    quint64 count = 0;
};

//! A Prometheus histogram of whole numbers. `Counter` is quint64 for one thread (the socket
//! thread: a plain increment), std::atomic<quint64> where a database thread observes and the
//! socket thread reads (relaxed: each number on its own is exact, a scrape is not a transaction).
template<typename Counter>
class BasicHistogram
{
public:
    explicit BasicHistogram(std::span<const quint64> bounds)
        : m_bounds(bounds)
        , m_buckets(new Counter[bounds.size() + 1]())
    {
    }

    void observe(quint64 value)
    {
        std::size_t i = 0;
        while (i < m_bounds.size() && value > m_bounds[i])
            ++i;
        add(m_buckets[i], 1);
        add(m_sum, value);
    }

    HistogramSnapshot snapshot() const
    {
        HistogramSnapshot snapshot;
        snapshot.bounds = m_bounds;
        snapshot.cumulative.reserve(qsizetype(m_bounds.size()) + 1);
        quint64 total = 0;
        for (std::size_t i = 0; i <= m_bounds.size(); ++i) {
            total += load(m_buckets[i]);
            snapshot.cumulative.append(total);
        }
        snapshot.count = total;
        snapshot.sum = load(m_sum);
        return snapshot;
    }

private:
    static void add(quint64 &counter, quint64 n) { counter += n; }
    static void add(std::atomic<quint64> &counter, quint64 n)
    {
        counter.fetch_add(n, std::memory_order_relaxed);
    }
    static quint64 load(const quint64 &counter) { return counter; }
    static quint64 load(const std::atomic<quint64> &counter)
    {
        return counter.load(std::memory_order_relaxed);
    }

    std::span<const quint64> m_bounds;
    std::unique_ptr<Counter[]> m_buckets;
    Counter m_sum {};
};

using Histogram = BasicHistogram<quint64>;
using AtomicHistogram = BasicHistogram<std::atomic<quint64>>;

} // namespace Server
