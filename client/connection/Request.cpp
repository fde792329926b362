#include "Request.h"

namespace Client {

QString Reply::describe() const
{
    switch (origin) {
    case Origin::NotConnected:
        return QStringLiteral("not connected");
    case Origin::ConnectionLost:
        return QStringLiteral("connection lost before the answer");
    case Origin::TimedOut:
        return QStringLiteral("no answer in time");
    case Origin::Server:
        break;
    }
    if (isOk())
        return QStringLiteral("ok");
    return QString(Protocol::errorCodeName(error)) + QStringLiteral(": ") + message;
}

Request::Request(QLatin1StringView type, qint64 id, QObject *parent)
    : QObject(parent)
    , m_type(type)
    , m_id(id)
{
}

void Request::finish(const Reply &reply)
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished(reply);
    deleteLater();
}

} // namespace Client
