#pragma once

#include "protocol/Protocol.h"

#include <QCborMap>
#include <QObject>
#include <QString>

namespace Client {

//! The answer to one request: the server's ok body, or why there is none.
struct Reply
{
    //! Who decided the outcome: the server, or this client (the request never got an answer).
    enum class Origin { Server, NotConnected, ConnectionLost, TimedOut };

    Origin origin = Origin::Server;
    Protocol::ErrorCode error = Protocol::ErrorCode::None;
    QString message;
    QString field;
    qint64 retryAfterMs = 0;
    QCborMap body; //!< the whole response map (ok: the result fields)

    bool isOk() const { return origin == Origin::Server && error == Protocol::ErrorCode::None; }
    //! Worth sending again later with the same content: nothing was decided, or the server said
    //! so itself (storage down, rate limited).
    bool isRetryable() const
    {
        return origin != Origin::Server || error == Protocol::ErrorCode::Unavailable
            || error == Protocol::ErrorCode::RateLimited;
    }
    QString describe() const;
};

//! One request in flight, as a job: it finishes exactly once, with a Reply, and deletes itself
//! afterwards (like libQuotient's BaseJob). Connect to finished() right after Connection::send();
//! even a request refused at once finishes later, from the event loop.
class Request : public QObject
{
    Q_OBJECT
public:
    Request(QLatin1StringView type, qint64 id, QObject *parent);

    QLatin1StringView type() const { return m_type; }
    qint64 id() const { return m_id; }
    bool isFinished() const { return m_finished; }

    //! Called by Connection; emits finished() once and schedules deletion.
    void finish(const Reply &reply);

Q_SIGNALS:
    void finished(const Reply &reply);

private:
    QLatin1StringView m_type;
    qint64 m_id;
    bool m_finished = false;
};

} // namespace Client
