#pragma once

#include <QRandomGenerator>

namespace Client {

//! Reconnect delays: exponential growth from a base to a cap, with "full jitter" (a random
//! delay between half and all of the current step), so that many clients cut off by the same
//! server restart do not all come back in the same instant.
class Backoff
{
public:
    struct Settings
    {
        int baseMs = 1000; //!< the first delay's upper bound
        int maxMs = 30'000; //!< no delay is longer
        double factor = 2.0;
    };

    Backoff();
    explicit Backoff(Settings settings);

    //! The delay before the next attempt; every call grows the next one until the cap.
    int nextDelayMs();
    //! After a successful connection: the next failure starts from the base again.
    void reset();
    int attempts() const { return m_attempts; }
    const Settings &settings() const { return m_settings; }

    //! Seeds the jitter, for tests that want repeatable delays.
    void seed(quint32 value) { m_random.seed(value); }

private:
    Settings m_settings;
    int m_attempts = 0;
    QRandomGenerator m_random;
};

} // namespace Client
