#pragma once

#include "Protocol.h"

#include <QByteArray>
#include <QCborMap>
#include <QString>

namespace Protocol {

//! One decoded frame: a request, a response or an event. Its fields sit beside "t" and "id"
//! in one flat CBOR map; body holds that whole map.
struct Frame
{
    QString type;
    qint64 id = 0; //!< request id (requests and responses); 0 for events
    QCborMap body;

    bool isOk() const { return type == Reply::Ok; }
    bool isError() const { return type == Reply::Error; }
    ErrorCode errorCode() const;
    QString errorMessage() const;
};

//! The outcome of decoding bytes off the wire: a frame, or why there is none.
struct DecodeResult
{
    Frame frame;
    ErrorCode error = ErrorCode::None;
    QString message;

    bool ok() const { return error == ErrorCode::None; }
};

//! Decodes one binary WebSocket message. Rejects anything that is not exactly one CBOR map
//! with a text "t" and, when present, a non-negative integer "id".
DecodeResult decodeFrame(const QByteArray &bytes);

QByteArray encodeRequest(QLatin1StringView type, qint64 id, QCborMap body = {});
QByteArray encodeOk(qint64 id, QCborMap body = {});
QByteArray encodeError(qint64 id, ErrorCode code, const QString &message, const QString &field = {},
                       qint64 retryAfterMs = -1);
QByteArray encodeEvent(QLatin1StringView type, QCborMap body = {});

} // namespace Protocol
