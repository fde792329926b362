#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace Server {

//! The HTTP side of a WebSocket's opening (RFC 6455 section 4.2) for WebSocketConnection: reads
//! the client's upgrade request and writes the server's answers. No I/O; every byte comes from
//! the network, so it has a fuzz target (tests/fuzz/fuzz_websocket_handshake.cpp).
namespace WebSocketHandshake {

struct Request
{
    enum class Outcome : quint8 {
        Incomplete, //!< the head's blank line has not arrived yet (and the limit is not passed)
        Accepted, //!< a valid upgrade: answer switchingProtocols(key)
        Refused //!< answer refusal(status, extraHeaders) and close
    };
    Outcome outcome = Outcome::Incomplete;
    qsizetype headBytes = 0; //!< Accepted: the request's bytes, blank line included
    QByteArray key; //!< Accepted: Sec-WebSocket-Key
    QByteArray status; //!< Refused: e.g. "400 Bad Request"
    QByteArray extraHeaders; //!< Refused: header lines (each ending in CRLF) for the answer
};

//! Reads the upgrade request at the start of `in` (bytes after it are frames, not read): a GET
//! over HTTP/1.1 with `Upgrade: websocket`, `Connection: upgrade`, `Sec-WebSocket-Version: 13`
//! and a Sec-WebSocket-Key of 16 bytes in base64. A head over `maxBytes` is refused 431.
Request parse(QByteArrayView in, qsizetype maxBytes);

//! The accept key of RFC 6455 4.2.2: base64(SHA-1(key + GUID)).
QByteArray acceptKey(const QByteArray &clientKey);

//! The 101 answer to an accepted request; `serverName` goes into its Server header.
QByteArray switchingProtocols(const QByteArray &key, const QByteArray &serverName);

//! The answer to a refused request (the connection closes after it).
QByteArray refusal(const QByteArray &status, const QByteArray &extraHeaders = {});

} // namespace WebSocketHandshake

} // namespace Server
