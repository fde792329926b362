#include "Frame.h"

#include <QCborStreamReader>
#include <QCborValue>

namespace Protocol {

ErrorCode Frame::errorCode() const
{
    return isError() ? errorCodeFromName(body.value(Key::Code).toString()) : ErrorCode::None;
}

QString Frame::errorMessage() const
{
    return body.value(Key::Message).toString();
}

DecodeResult decodeFrame(const QByteArray &bytes)
{
    DecodeResult result;
    auto fail = [&result](ErrorCode code, const QString &message) {
        result.error = code;
        result.message = message;
        return result;
    };

    if (bytes.isEmpty())
        return fail(ErrorCode::MalformedFrame, QStringLiteral("empty frame"));

    QCborStreamReader reader(bytes);
    const QCborValue value = QCborValue::fromCbor(reader);
    if (reader.lastError() != QCborError::NoError)
        return fail(ErrorCode::MalformedFrame,
                    QStringLiteral("invalid CBOR: %1").arg(reader.lastError().toString()));
    if (reader.currentOffset() != bytes.size())
        return fail(ErrorCode::MalformedFrame, QStringLiteral("trailing bytes after the CBOR map"));
    if (!value.isMap())
        return fail(ErrorCode::MalformedFrame, QStringLiteral("a frame must be a CBOR map"));

    result.frame.body = value.toMap();
    const QCborValue type = result.frame.body.value(Key::Type);
    if (!type.isString() || type.toString().isEmpty())
        return fail(ErrorCode::MalformedFrame, QStringLiteral("the frame has no text field \"t\""));
    result.frame.type = type.toString();

    const QCborValue id = result.frame.body.value(Key::Id);
    if (!id.isUndefined()) {
        if (!id.isInteger() || id.toInteger() < 0)
            return fail(ErrorCode::MalformedFrame,
                        QStringLiteral("\"id\" must be a non-negative integer"));
        result.frame.id = id.toInteger();
    }
    return result;
}

QByteArray encodeRequest(QLatin1StringView type, qint64 id, QCborMap body)
{
    body.insert(Key::Type, type);
    body.insert(Key::Id, id);
    return body.toCborValue().toCbor();
}

QByteArray encodeOk(qint64 id, QCborMap body)
{
    body.insert(Key::Type, Reply::Ok);
    body.insert(Key::Id, id);
    return body.toCborValue().toCbor();
}

QByteArray encodeError(qint64 id, ErrorCode code, const QString &message, const QString &field,
                       qint64 retryAfterMs)
{
    QCborMap body;
    body.insert(Key::Type, Reply::Error);
    body.insert(Key::Id, id);
    body.insert(Key::Code, errorCodeName(code));
    body.insert(Key::Message, message);
    if (!field.isEmpty())
        body.insert(Key::Field, field);
    if (retryAfterMs >= 0)
        body.insert(Key::RetryAfter, retryAfterMs);
    return body.toCborValue().toCbor();
}

QByteArray encodeEvent(QLatin1StringView type, QCborMap body)
{
    body.insert(Key::Type, type);
    return body.toCborValue().toCbor();
}

} // namespace Protocol
