#include "Router.h"

#include "Session.h"

namespace Server {

void Router::add(QLatin1StringView type, const Handler &handler)
{
    m_handlers.insert(QString(type), handler);
}

bool Router::dispatch(const QString &type, const Request &request) const
{
    const auto it = m_handlers.constFind(type);
    if (it == m_handlers.constEnd())
        return false;
    (*it)(request);
    return true;
}

} // namespace Server
