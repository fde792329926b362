#include "HttpRequestParser.h"

namespace Server {

namespace {

// RFC 9110 5.6.2: tchar.
bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (char c : text) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// A field value: visible characters, spaces and tabs, and obs-text (bytes ≥ 0x80).
bool isFieldValue(QByteArrayView text)
{
    for (char c : text) {
        const auto byte = quint8(c);
        if ((byte < 0x20 && byte != '\t') || byte == 0x7f)
            return false;
    }
    return true;
}

// origin-form: "/" followed by visible ASCII (no spaces, no controls, no fragment).
bool isOriginForm(QByteArrayView target)
{
    if (target.isEmpty() || target.front() != '/')
        return false;
    for (char c : target) {
        const auto byte = quint8(c);
        if (byte <= 0x20 || byte >= 0x7f || c == '#')
            return false;
    }
    return true;
}

QByteArrayView trimmed(QByteArrayView text)
{
    while (!text.isEmpty() && (text.front() == ' ' || text.front() == '\t'))
        text = text.sliced(1);
    while (!text.isEmpty() && (text.back() == ' ' || text.back() == '\t'))
        text.chop(1);
    return text;
}

} // namespace

QByteArray HttpRequestParser::Request::header(QByteArrayView lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

HttpRequestParser::HttpRequestParser(qsizetype maxHeadBytes)
    : m_maxHeadBytes(maxHeadBytes)
{
}

HttpRequestParser::State HttpRequestParser::fail(int status, const char *reason)
{
    m_state = State::Error;
    m_errorStatus = status;
    m_errorReason = reason;
    m_buffer = QByteArray();
    return m_state;
}

HttpRequestParser::State HttpRequestParser::feed(QByteArrayView bytes)
{
    if (m_state != State::Incomplete)
        return m_state;
    // RFC 9112 2.2: empty lines before the request line are ignored. Skipped before they are
    // stored, so the result never depends on how the bytes were split.
    if (m_buffer.isEmpty()) {
        while (!bytes.isEmpty() && (bytes.front() == '\r' || bytes.front() == '\n'))
            bytes = bytes.sliced(1);
    }
    // Never hold more than the cap plus the few bytes that may end the head.
    const qsizetype room = m_maxHeadBytes + 4 - m_buffer.size();
    m_buffer.append(bytes.first(std::min(bytes.size(), std::max<qsizetype>(room, 0))));

    // The head ends at the first empty line: "\n\n" or "\n\r\n".
    // The search goes on where the last one stopped: a peer sending a byte at a time costs
    // linear time, not quadratic.
    qsizetype end = -1;
    qsizetype next = 0;
    for (qsizetype i = m_searchFrom; i + 1 < m_buffer.size(); ++i) {
        if (m_buffer.at(i) != '\n')
            continue;
        if (m_buffer.at(i + 1) == '\n') {
            end = i;
            next = i + 2;
            break;
        }
        if (m_buffer.at(i + 1) == '\r' && i + 2 < m_buffer.size() && m_buffer.at(i + 2) == '\n') {
            end = i;
            next = i + 3;
            break;
        }
    }
    if (end < 0) {
        // The last two bytes may start "\n\r\n" once more arrive.
        m_searchFrom = std::max<qsizetype>(0, m_buffer.size() - 2);
        if (m_buffer.size() > m_maxHeadBytes)
            return fail(431, "the request head is too large");
        return m_state;
    }
    if (next > m_maxHeadBytes)
        return fail(431, "the request head is too large");
    const QByteArray head = m_buffer.first(end);
    m_buffer = QByteArray();
    return parseHead(head);
}

HttpRequestParser::State HttpRequestParser::parseHead(QByteArrayView head)
{
    bool first = true;
    while (!head.isEmpty() || first) {
        const qsizetype newline = head.indexOf('\n');
        QByteArrayView line = newline < 0 ? head : head.first(newline);
        head = newline < 0 ? QByteArrayView() : head.sliced(newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (first) {
            first = false;
            if (!parseRequestLine(line))
                return m_state;
            continue;
        }
        if (!parseHeader(line))
            return m_state;
    }
    if (m_request.version == "HTTP/1.1" && m_request.header("host").isEmpty())
        return fail(400, "HTTP/1.1 needs a Host header");
    m_state = State::Complete;
    return m_state;
}

bool HttpRequestParser::parseRequestLine(QByteArrayView line)
{
    const qsizetype firstSpace = line.indexOf(' ');
    const qsizetype lastSpace = line.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace == firstSpace) {
        fail(400, "the request line is malformed");
        return false;
    }
    const QByteArrayView method = line.first(firstSpace);
    const QByteArrayView target = line.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = line.sliced(lastSpace + 1);
    if (!isToken(method) || !isOriginForm(target)) {
        fail(400, "the request line is malformed");
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        const bool http = version.startsWith("HTTP/") && version.size() == 8 && version.at(5) >= '0'
            && version.at(5) <= '9' && version.at(6) == '.' && version.at(7) >= '0'
            && version.at(7) <= '9';
        fail(http ? 505 : 400,
             http ? "only HTTP/1.0 and HTTP/1.1 are spoken here" : "the request line is malformed");
        return false;
    }
    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();
    const qsizetype query = target.indexOf('?');
    m_request.path = (query < 0 ? target : target.first(query)).toByteArray();
    m_request.version = version.toByteArray();
    return true;
}

bool HttpRequestParser::parseHeader(QByteArrayView line)
{
    if (line.startsWith(' ') || line.startsWith('\t')) {
        fail(400, "obsolete line folding is not accepted");
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) {
        fail(400, "a header field is malformed");
        return false;
    }
    const QByteArrayView value = trimmed(line.sliced(colon + 1));
    if (!isFieldValue(value)) {
        fail(400, "a header value holds control characters");
        return false;
    }
    const QByteArray name = line.first(colon).toByteArray().toLower();
    if (name == "content-length") {
        bool ok = value.size() <= 18;
        for (char c : value)
            ok = ok && c >= '0' && c <= '9';
        const qint64 length = ok && !value.isEmpty() ? value.toByteArray().toLongLong(&ok) : -1;
        if (!ok || length < 0) {
            fail(400, "Content-Length is not a number");
            return false;
        }
        if (!m_request.header("content-length").isEmpty() && length != m_request.contentLength) {
            fail(400, "Content-Length is given twice with different values");
            return false;
        }
        m_request.contentLength = length;
    } else if (name == "transfer-encoding") {
        m_request.chunked = true;
    } else if (name == "host" && !m_request.header("host").isEmpty()) {
        fail(400, "Host is given twice");
        return false;
    }
    m_request.headers.append({name, value.toByteArray()});
    return true;
}

} // namespace Server
