#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace Server {

//! Reads the head of one HTTP/1.x request (request line and header fields, RFC 9112) from bytes
//! that arrive in pieces, for the admin listener. Strict where sloppiness would be ambiguous:
//! one space between the parts of the request line, a target in origin form (/path?query), header
//! names of token characters, no obsolete line folding, no control characters, a Host header for
//! HTTP/1.1, one consistent Content-Length. A bare LF ends a line as CRLF does (RFC 9112 2.2).
//!
//! The head is capped (maxHeadBytes): more bytes without its end are an error (431), so memory
//! stays bounded whatever a peer sends.
class HttpRequestParser
{
public:
    enum class State { Incomplete, Complete, Error };

    struct Request
    {
        QByteArray method;
        QByteArray target; //!< as sent: path and query
        QByteArray path; //!< the target up to '?'
        QByteArray version; //!< "HTTP/1.1" or "HTTP/1.0"
        QList<std::pair<QByteArray, QByteArray>> headers; //!< names lower-cased, values trimmed
        qint64 contentLength = 0;
        bool chunked = false; //!< a Transfer-Encoding was given
        //! The request announces a body (GET requests to the admin listener must not).
        bool hasBody() const { return contentLength > 0 || chunked; }
        QByteArray header(QByteArrayView lowerCaseName) const;
    };

    static constexpr qsizetype DefaultMaxHeadBytes = 8 * 1024;

    explicit HttpRequestParser(qsizetype maxHeadBytes = DefaultMaxHeadBytes);

    //! Takes more bytes. Once Complete or Error, further bytes are ignored.
    State feed(QByteArrayView bytes);
    State state() const { return m_state; }
    const Request &request() const { return m_request; }
    //! The HTTP status that answers the error: 400, 431 or 505.
    int errorStatus() const { return m_errorStatus; }
    //! A short, fixed reason for the error (never a copy of the peer's bytes).
    const char *errorReason() const { return m_errorReason; }

private:
    State fail(int status, const char *reason);
    State parseHead(QByteArrayView head);
    bool parseRequestLine(QByteArrayView line);
    bool parseHeader(QByteArrayView line);

    qsizetype m_maxHeadBytes;
    QByteArray m_buffer;
    qsizetype m_searchFrom = 0; //!< where the search for the head's end goes on
    State m_state = State::Incomplete;
    int m_errorStatus = 0;
    const char *m_errorReason = "";
    Request m_request;
};

} // namespace Server
