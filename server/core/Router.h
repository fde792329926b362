#pragma once

#include <QHash>
#include <QLatin1StringView>
#include <QString>

#include <functional>

namespace Server {

class Request;
class Session;

//! Maps request types to the services' handlers. Services register in their constructors; the
//! Session has already validated a request against its spec before it gets here.
class Router
{
public:
    using Handler = std::function<void(const Request &)>;

    void add(QLatin1StringView type, const Handler &handler);
    //! False when no handler is registered for type.
    bool dispatch(const QString &type, const Request &request) const;

private:
    QHash<QString, Handler> m_handlers;
};

} // namespace Server
