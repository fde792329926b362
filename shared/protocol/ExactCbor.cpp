#include "ExactCbor.h"

#include <QCborArray>
#include <QCborMap>
#include <QStringDecoder>

namespace Protocol::ExactCbor {

namespace {

using L = QLatin1StringView;

// A text string as sent: Qt's own decoding takes a U+FEFF that starts one for a byte-order mark
// and drops it, which would move every range after it.
QCborValue readTextExactly(QCborStreamReader &reader)
{
    QByteArray utf8;
    QCborStreamReader::StringResult<qsizetype> chunk;
    do {
        const qsizetype size = reader.currentStringChunkSize();
        if (size < 0)
            return QCborValue(QCborValue::Invalid);
        const qsizetype before = utf8.size();
        utf8.resize(before + size);
        chunk = reader.readStringChunk(utf8.data() + before, size);
        if (chunk.status == QCborStreamReader::Ok)
            utf8.truncate(before + chunk.data);
    } while (chunk.status == QCborStreamReader::Ok);
    if (chunk.status == QCborStreamReader::Error)
        return QCborValue(QCborValue::Invalid);
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringDecoder::Flag::Stateless
                               | QStringDecoder::Flag::ConvertInitialBom);
    return QString(decoder.decode(utf8));
}

QCborValue readAt(QCborStreamReader &reader, int depth, int maxNesting, Problem &problem)
{
    QCborValue invalid(QCborValue::Invalid); // returned by value: not const, so it can move
    if (reader.isString()) {
        QCborValue text = readTextExactly(reader);
        if (text.isInvalid())
            problem = {L("not_cbor"), QStringLiteral("invalid CBOR text string")};
        return text;
    }
    if (!reader.isArray() && !reader.isMap())
        return QCborValue::fromCbor(reader);
    if (depth >= maxNesting) {
        problem = {L("limit"),
                   QStringLiteral("the CBOR nests deeper than %1 levels").arg(maxNesting)};
        return invalid;
    }
    const bool isMap = reader.isMap();
    if (!reader.enterContainer()) {
        problem = {L("not_cbor"), QStringLiteral("invalid CBOR container")};
        return invalid;
    }
    QCborArray array;
    QCborMap map;
    while (reader.lastError() == QCborError::NoError && reader.hasNext()) {
        const QCborValue first = readAt(reader, depth + 1, maxNesting, problem);
        if (first.isInvalid())
            return invalid;
        if (!isMap) {
            array.append(first);
            continue;
        }
        const QCborValue second = readAt(reader, depth + 1, maxNesting, problem);
        if (second.isInvalid())
            return invalid;
        if (map.contains(first)) {
            const QString name = first.isString() ? first.toString().left(40) : QString();
            problem = {L("field"), QStringLiteral("a map holds the key \"%1\" twice").arg(name)};
            return invalid;
        }
        map.insert(first, second);
    }
    if (reader.lastError() != QCborError::NoError || !reader.leaveContainer()) {
        problem = {L("not_cbor"), QStringLiteral("invalid CBOR container")};
        return invalid;
    }
    return isMap ? QCborValue(map) : QCborValue(array);
}

} // namespace

QCborValue read(QCborStreamReader &reader, int maxNesting, Problem &problem)
{
    return readAt(reader, 0, maxNesting, problem);
}

} // namespace Protocol::ExactCbor
