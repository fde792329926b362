// blob.get: the chunk read on the BlobIo pool straight into its answer frame, so the socket
// thread only hands that frame to the connection (no copy of the chunk, no CBOR encoding of it
// there).

#include "BlobService.h"

#include "protocol/Frame.h"

#include <QLoggingCategory>

#include <cstring>

namespace Server {

Q_DECLARE_LOGGING_CATEGORY(lcMedia)

using Protocol::ErrorCode;

namespace {

//! A CBOR item head (RFC 8949 3.1): major type and argument, shortest form.
qsizetype writeHead(char *out, quint8 major, quint64 value)
{
    const auto type = quint8(major << 5);
    if (value < 24) {
        out[0] = char(type | value);
        return 1;
    }
    int bytes = 8;
    quint8 info = 27;
    if (value <= 0xff) {
        bytes = 1;
        info = 24;
    } else if (value <= 0xffff) {
        bytes = 2;
        info = 25;
    } else if (value <= 0xffffffffULL) {
        bytes = 4;
        info = 26;
    }
    out[0] = char(type | info);
    for (int i = 0; i < bytes; ++i)
        out[1 + i] = char(value >> (8 * (bytes - 1 - i)));
    return 1 + bytes;
}

qsizetype writeText(char *out, QLatin1StringView text)
{
    const qsizetype head = writeHead(out, 3, quint64(text.size()));
    std::memcpy(out + head, text.data(), size_t(text.size()));
    return head + text.size();
}

//! The answer {"t": "ok", "id": requestId, "data": <bytes>} up to the first byte of data.
qsizetype writeChunkAnswerHead(char *out, qint64 requestId, qint64 dataBytes)
{
    qsizetype at = writeHead(out, 5, 3); // a map of three pairs
    at += writeText(out + at, Protocol::Key::Type);
    at += writeText(out + at, Protocol::Reply::Ok);
    at += writeText(out + at, Protocol::Key::Id);
    at += writeHead(out + at, 0, quint64(requestId));
    at += writeText(out + at, QLatin1StringView("data"));
    at += writeHead(out + at, 2, quint64(dataBytes));
    return at;
}

struct ChunkAnswer
{
    QByteArray frame; //!< the whole answer; empty when the read failed
    qint64 bytes = 0;
    QString error;
};

} // namespace

void BlobService::readChunk(const Request &request, const BlobQueries::BlobRow &row, qint64 offset,
                            qint64 length)
{
    if (offset >= row.size) {
        chunkFail(request, ErrorCode::InvalidField,
                  QStringLiteral("\"offset\" must be below the blob's size, %1").arg(row.size),
                  QStringLiteral("offset"));
        return;
    }
    const qint64 count = std::min(length, row.size - offset);
    m_io.run(
        this,
        [blobs = m_blobs.get(), id = row.id, offset, count, requestId = request.id()] {
            ChunkAnswer answer;
            char head[64];
            const qsizetype headBytes = writeChunkAnswerHead(head, requestId, count);
            QByteArray frame(headBytes + count, Qt::Uninitialized);
            std::memcpy(frame.data(), head, size_t(headBytes));
            const qint64 got =
                blobs->readInto(id, offset, frame.data() + headBytes, count, &answer.error);
            if (got < 0)
                return answer;
            if (got < count) // the file ends early: answer what it has, encoded the slow way
                frame = Protocol::encodeOk(
                    requestId,
                    QCborMap {{QLatin1StringView("data"),
                               QByteArray(frame.constData() + headBytes, qsizetype(got))}});
            answer.frame = std::move(frame);
            answer.bytes = got;
            return answer;
        },
        [this, request](const ChunkAnswer &answer) {
            if (answer.frame.isEmpty()) {
                qCWarning(lcMedia).noquote() << answer.error;
                chunkFail(request, ErrorCode::Unavailable,
                          QStringLiteral("the media storage failed; try again later"));
                return;
            }
            m_context.metrics->addBlobBytesOut(answer.bytes);
            if (Session *session = request.session())
                --session->outstandingChunks();
            request.okEncoded(answer.frame);
        });
}

} // namespace Server
