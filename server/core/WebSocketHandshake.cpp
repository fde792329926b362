#include "WebSocketHandshake.h"

#include <QCryptographicHash>
#include <QList>

namespace Server {

namespace WebSocketHandshake {

namespace {

//! The value of a header in a request head, or an empty array. Names compare case-insensitively;
//! a header given twice is joined with ", " as RFC 9110 allows.
QByteArray headerValue(const QList<QByteArray> &lines, QByteArrayView name)
{
    QByteArray value;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!value.isEmpty())
            value += ", ";
        value += line.sliced(colon + 1).trimmed();
    }
    return value;
}

bool hasToken(const QByteArray &value, QByteArrayView token)
{
    for (const QByteArray &part : value.split(','))
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

Request refused(const QByteArray &status, const QByteArray &extraHeaders = {})
{
    Request request;
    request.outcome = Request::Outcome::Refused;
    request.status = status;
    request.extraHeaders = extraHeaders;
    return request;
}

} // namespace

Request parse(QByteArrayView in, qsizetype maxBytes)
{
    const qsizetype end = in.indexOf(QByteArrayView("\r\n\r\n"));
    if (end < 0) {
        if (in.size() > maxBytes)
            return refused("431 Request Header Fields Too Large");
        return {};
    }
    if (end > maxBytes)
        return refused("431 Request Header Fields Too Large");
    const QList<QByteArray> lines = in.first(end).toByteArray().split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine.at(0) != "GET"
        || !requestLine.at(2).startsWith("HTTP/1.1"))
        return refused("400 Bad Request");
    QList<QByteArray> trimmedLines;
    trimmedLines.reserve(lines.size());
    for (const QByteArray &line : lines)
        trimmedLines.append(line.trimmed());
    if (!hasToken(headerValue(trimmedLines, "Upgrade"), "websocket")
        || !hasToken(headerValue(trimmedLines, "Connection"), "upgrade"))
        return refused("400 Bad Request");
    if (headerValue(trimmedLines, "Sec-WebSocket-Version") != "13")
        return refused("426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n");
    QByteArray key = headerValue(trimmedLines, "Sec-WebSocket-Key");
    if (QByteArray::fromBase64(key).size() != 16)
        return refused("400 Bad Request");
    Request request;
    request.outcome = Request::Outcome::Accepted;
    request.headBytes = end + 4;
    request.key = std::move(key);
    return request;
}

QByteArray acceptKey(const QByteArray &clientKey)
{
    return QCryptographicHash::hash(clientKey + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                    QCryptographicHash::Sha1)
        .toBase64();
}

QByteArray switchingProtocols(const QByteArray &key, const QByteArray &serverName)
{
    return "HTTP/1.1 101 Switching Protocols\r\n"
           "Upgrade: websocket\r\n"
           "Connection: Upgrade\r\n"
           "Sec-WebSocket-Accept: "
        + acceptKey(key)
        + "\r\n"
          "Server: "
        + serverName + "\r\n\r\n";
}

QByteArray refusal(const QByteArray &status, const QByteArray &extraHeaders)
{
    return "HTTP/1.1 " + status + "\r\n" + extraHeaders
        + "Connection: close\r\nContent-Length: 0\r\n\r\n";
}

} // namespace WebSocketHandshake

} // namespace Server
