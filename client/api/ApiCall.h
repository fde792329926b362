#pragma once

#include "connection/Request.h"

#include <QObject>

#include <utility>

namespace Client {

//! One typed call in flight (GroupApi, ProfileApi, DeviceApi): the Request job of the request it
//! sent, and how an ok answer reads as a Result. The Request still finishes exactly once and
//! deletes itself; onFinished() hands over the Reply (for its error) with the typed result.
//!
//! A small value: copy it freely. It does not own the Request.
template<typename Result>
class ApiCall
{
public:
    //! Reads the result out of an ok answer's body.
    using Reader = Result (*)(const QCborMap &body);

    ApiCall(Request *request, Reader read)
        : m_request(request)
        , m_read(read)
    {
    }

    //! The job itself (finished(const Reply &)), for whoever needs only the Reply.
    Request *request() const { return m_request; }

    //! Calls done(const Reply &, const Result &) once the answer is in, unless context is gone
    //! by then. The result is read from an ok answer; it is a default Result after an error.
    template<typename Done>
    void onFinished(const QObject *context, Done done) const
    {
        QObject::connect(m_request, &Request::finished, context,
                         [read = m_read, done = std::move(done)](const Reply &reply) {
                             done(reply, reply.isOk() ? read(reply.body) : Result {});
                         });
    }

private:
    Request *m_request;
    Reader m_read;
};

//! A call whose answer says ok or why not, and nothing else.
template<>
class ApiCall<void>
{
public:
    explicit ApiCall(Request *request)
        : m_request(request)
    {
    }

    Request *request() const { return m_request; }

    //! Calls done(const Reply &) once the answer is in, unless context is gone by then.
    template<typename Done>
    void onFinished(const QObject *context, Done done) const
    {
        QObject::connect(m_request, &Request::finished, context, std::move(done));
    }

private:
    Request *m_request;
};

} // namespace Client
