#pragma once

#include "ServerConfig.h"

#include <QDeadlineTimer>
#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace Server {

//! A token bucket: take() spends one token if there is one; retryAfterMs() says when the next
//! one will be there. Cheap enough to keep several per connection.
class TokenBucket
{
public:
    TokenBucket() = default;
    explicit TokenBucket(RateLimit limit)
        : m_limit(limit)
        , m_tokens(limit.burst)
        , m_updated(nowMs())
    {
    }

    bool take(double cost = 1.0)
    {
        refill();
        if (m_tokens + 1e-9 < cost)
            return false;
        m_tokens -= cost;
        return true;
    }

    //! Whether take() would succeed, without spending anything.
    bool available(double cost = 1.0)
    {
        refill();
        return m_tokens + 1e-9 >= cost;
    }

    //! When `cost` tokens will be there.
    qint64 retryAfterMs(double cost = 1.0) const
    {
        const double missing = std::max(0.0, cost - m_tokens);
        if (m_limit.perSecond <= 0)
            return 3'600'000;
        return std::max<qint64>(1, qint64(std::ceil(missing / m_limit.perSecond * 1000.0)));
    }

    bool isFull()
    {
        refill();
        return m_tokens >= m_limit.burst;
    }

private:
    static qint64 nowMs() { return QDeadlineTimer::current().deadline(); }

    void refill()
    {
        const qint64 now = nowMs();
        m_tokens = std::min(m_limit.burst,
                            m_tokens + double(now - m_updated) / 1000.0 * m_limit.perSecond);
        m_updated = now;
    }

    RateLimit m_limit;
    double m_tokens = 0;
    qint64 m_updated = 0;
};

} // namespace Server
