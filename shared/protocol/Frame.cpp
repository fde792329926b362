#include "Frame.h"

#include <QCborStreamReader>
#include <QCborValue>
#include <QStringDecoder>

namespace Protocol {

namespace {

constexpr char Utf8ByteOrderMark[] = "\xEF\xBB\xBF";

// The item at the reader, with a text string decoded exactly: Qt's own decoding takes a U+FEFF
// that starts one for a byte-order mark and drops it.
QCborValue readExactly(QCborStreamReader &reader)
{
    if (!reader.isString())
        return QCborValue::fromCbor(reader);
    QByteArray utf8;
    QCborStreamReader::StringResult<qsizetype> chunk;
    do {
        const qsizetype size = reader.currentStringChunkSize();
        if (size < 0)
            return {};
        const qsizetype before = utf8.size();
        utf8.resize(before + size);
        chunk = reader.readStringChunk(utf8.data() + before, size);
        if (chunk.status == QCborStreamReader::Ok)
            utf8.truncate(before + chunk.data);
    } while (chunk.status == QCborStreamReader::Ok);
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless
                               | QStringDecoder::Flag::ConvertInitialBom);
    return QString(decoder.decode(utf8));
}

// Whether a text string at the top level of the frame's map (a key or a value) starts with the
// bytes of U+FEFF: only those are read differently by readExactly(). Byte strings (a 256 KiB
// blob chunk) are skipped, not scanned. Run on bytes QCborValue has already accepted.
bool hasTextStartingWithBom(const QByteArray &bytes)
{
    QCborStreamReader reader(bytes);
    if (!reader.isMap() || !reader.enterContainer())
        return false;
    const QByteArrayView bom(Utf8ByteOrderMark);
    while (reader.lastError() == QCborError::NoError && reader.hasNext()) {
        if (!reader.isString()) {
            reader.next();
            continue;
        }
        // A chunked text string counts as a match: the exact path is right for any frame, only
        // slower. A whole one ends where the next item starts.
        if (!reader.isLengthKnown())
            return true;
        const qsizetype size = reader.currentStringChunkSize();
        if (!reader.next())
            return false;
        const qsizetype start = qsizetype(reader.currentOffset()) - size;
        if (size >= bom.size() && start >= 0
            && QByteArrayView(bytes).sliced(start, bom.size()) == bom)
            return true;
    }
    return false;
}

// The frame's map again, its keys and top-level text values decoded exactly. Only called for the
// rare frame with a top-level text starting with U+FEFF, after QCborValue has checked it all.
QCborMap decodeMapExactly(const QByteArray &bytes)
{
    QCborMap map;
    QCborStreamReader reader(bytes);
    if (!reader.isMap() || !reader.enterContainer())
        return map;
    while (reader.lastError() == QCborError::NoError && reader.hasNext()) {
        const QCborValue key = readExactly(reader);
        map.insert(key, readExactly(reader));
    }
    return map;
}

} // namespace

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
    // A text field that starts with U+FEFF must reach validation as sent (which refuses it).
    if (hasTextStartingWithBom(bytes))
        result.frame.body = decodeMapExactly(bytes);
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
