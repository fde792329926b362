#include "Backoff.h"

#include <algorithm>
#include <cmath>

namespace Client {

Backoff::Backoff()
    : Backoff(Settings {})
{
}

Backoff::Backoff(Settings settings)
    : m_settings(settings)
    , m_random(QRandomGenerator::securelySeeded())
{
    m_settings.baseMs = std::max(1, m_settings.baseMs);
    m_settings.maxMs = std::max(m_settings.baseMs, m_settings.maxMs);
    m_settings.factor = std::max(1.0, m_settings.factor);
}

int Backoff::nextDelayMs()
{
    // Computed in double so that many attempts cannot overflow before the cap applies.
    const double step = std::min(double(m_settings.maxMs),
                                 m_settings.baseMs * std::pow(m_settings.factor, m_attempts));
    ++m_attempts;
    const int upper = int(step);
    const int lower = std::max(1, upper / 2);
    return lower + int(m_random.bounded(quint32(upper - lower + 1)));
}

void Backoff::reset()
{
    m_attempts = 0;
}

} // namespace Client
