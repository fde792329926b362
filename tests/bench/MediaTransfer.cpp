#include "MediaTransfer.h"

#include <QCryptographicHash>

#include <cstring>
#include <random>

namespace Bench {

QString describeError(const Frame &frame)
{
    const std::string_view code = frame.errorCode();
    const std::string_view message = frame.body["message"].toText();
    return QStringLiteral("%1: %2").arg(
        QString::fromUtf8(code.data(), qsizetype(code.size())),
        QString::fromUtf8(message.data(), qsizetype(message.size())));
}

MediaPayload MediaPayload::random(std::int64_t size, std::uint64_t seed)
{
    MediaPayload payload;
    payload.bytes.resize(std::size_t(size));
    std::mt19937_64 generator(seed);
    std::size_t i = 0;
    for (; i + 8 <= payload.bytes.size(); i += 8) {
        const std::uint64_t value = generator();
        std::memcpy(payload.bytes.data() + i, &value, 8);
    }
    for (; i < payload.bytes.size(); ++i)
        payload.bytes[i] = char(generator());
    payload.sha256 = QCryptographicHash::hash(
        QByteArrayView(payload.bytes.data(), qsizetype(payload.bytes.size())),
        QCryptographicHash::Sha256);
    return payload;
}

BlobUpload::BlobUpload(Connection *connection, const MediaPayload &payload, std::string clientId,
                       std::function<void(const TransferTiming &)> done)
    : m_connection(connection)
    , m_payload(payload)
    , m_clientId(std::move(clientId))
    , m_done(std::move(done))
{
    m_timing.bytes = std::int64_t(payload.bytes.size());
}

void BlobUpload::start()
{
    m_timing.startNs = nowNs();
    const auto size = std::int64_t(m_payload.bytes.size());
    m_connection->request(
        "blob.create", 3,
        [&](Cbor::Writer &w) {
            w.field("size", size);
            w.text("sha256");
            w.bytes(std::string_view(m_payload.sha256.constData(), 32));
            w.field("clientId", m_clientId);
        },
        [this](Connection &, const Frame &reply) {
            if (!reply.isOk()) {
                finish(false, QStringLiteral("blob.create failed: ") + describeError(reply));
                return;
            }
            m_blobId = std::string(reply.body["blobId"].toText());
            m_next = reply.body["offset"].toInteger();
            if (reply.body["chunkBytes"].toInteger() != MediaChunkBytes) {
                finish(false, QStringLiteral("the server's chunkBytes is not 262144"));
                return;
            }
            pump();
        });
}

void BlobUpload::pump()
{
    const auto size = std::int64_t(m_payload.bytes.size());
    while (!m_finished && m_inFlight < MediaChunksInFlight && m_next < size) {
        const std::int64_t offset = m_next;
        const std::int64_t length = std::min<std::int64_t>(MediaChunkBytes, size - offset);
        m_next += length;
        ++m_inFlight;
        if (m_next == size)
            m_lastSentNs = nowNs();
        m_connection->request(
            "blob.put", 3,
            [&](Cbor::Writer &w) {
                w.field("blobId", m_blobId);
                w.field("offset", offset);
                w.text("data");
                w.bytes(std::string_view(m_payload.bytes)
                            .substr(std::size_t(offset), std::size_t(length)));
            },
            [this](Connection &, const Frame &reply) {
                --m_inFlight;
                if (m_finished)
                    return;
                if (!reply.isOk()) {
                    finish(false, QStringLiteral("blob.put failed: ") + describeError(reply));
                    return;
                }
                if (reply.body["complete"].toBool()) {
                    finish(true, {});
                    return;
                }
                pump();
            });
    }
}

void BlobUpload::finish(bool ok, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timing.ok = ok;
    m_timing.error = error;
    m_timing.endNs = nowNs();
    if (m_lastSentNs != 0)
        m_timing.lastChunkNs = m_timing.endNs - m_lastSentNs;
    if (m_done)
        m_done(m_timing);
}

BlobDownload::BlobDownload(Connection *connection, std::string blobId, std::int64_t size,
                           std::function<void(const TransferTiming &)> done)
    : m_connection(connection)
    , m_blobId(std::move(blobId))
    , m_done(std::move(done))
{
    m_timing.bytes = size;
}

void BlobDownload::start()
{
    m_data.assign(std::size_t(m_timing.bytes), '\0');
    m_timing.startNs = nowNs();
    if (m_timing.bytes == 0)
        finish(true, {});
    else
        pump();
}

void BlobDownload::pump()
{
    while (!m_finished && m_inFlight < MediaChunksInFlight && m_next < m_timing.bytes) {
        const std::int64_t offset = m_next;
        const std::int64_t length =
            std::min<std::int64_t>(MediaChunkBytes, m_timing.bytes - offset);
        m_next += length;
        ++m_inFlight;
        m_connection->request(
            "blob.get", 3,
            [&](Cbor::Writer &w) {
                w.field("blobId", m_blobId);
                w.field("offset", offset);
                w.field("length", length);
            },
            [this, offset, length](Connection &, const Frame &reply) {
                --m_inFlight;
                if (m_finished)
                    return;
                if (!reply.isOk()) {
                    finish(false, QStringLiteral("blob.get failed: ") + describeError(reply));
                    return;
                }
                const std::string_view data = reply.body["data"].toBytes();
                if (std::int64_t(data.size()) != length) {
                    finish(false,
                           QStringLiteral("blob.get at %1 answered %2 bytes instead of %3")
                               .arg(offset)
                               .arg(data.size())
                               .arg(length));
                    return;
                }
                std::memcpy(m_data.data() + offset, data.data(), data.size());
                m_received += length;
                if (m_received == m_timing.bytes)
                    finish(true, {});
                else
                    pump();
            });
    }
}

void BlobDownload::finish(bool ok, const QString &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_timing.ok = ok;
    m_timing.error = error;
    m_timing.endNs = nowNs();
    if (m_done)
        m_done(m_timing);
}

bool BlobDownload::verify(const MediaPayload &payload, QString *error) const
{
    if (m_data.size() != payload.bytes.size() || m_data != payload.bytes) {
        *error = QStringLiteral("the downloaded bytes differ from the uploaded ones");
        return false;
    }
    const QByteArray sha = QCryptographicHash::hash(
        QByteArrayView(m_data.data(), qsizetype(m_data.size())), QCryptographicHash::Sha256);
    if (sha != payload.sha256) {
        *error = QStringLiteral("the downloaded bytes' SHA-256 differs");
        return false;
    }
    return true;
}

bool openTransferConnections(ClientLoop &loop, const std::vector<BenchUser> &users,
                             std::vector<Connection *> *connections, QString *error)
{
    connections->clear();
    std::size_t resumed = 0;
    QString failure;
    loop.onOpen = [&](Connection &c) {
        c.request(
            "resume", 3,
            [&](Cbor::Writer &w) {
                w.field("token", users[std::size_t(c.tag)].token);
                w.field("protocol", 1);
                w.text("transfer");
                w.boolean(true);
            },
            [&](Connection &conn, const Frame &reply) {
                conn.authenticated = reply.isOk();
                if (reply.isOk())
                    ++resumed;
                else if (failure.isEmpty())
                    failure = QStringLiteral("transfer resume failed: ") + describeError(reply);
            });
    };
    loop.onClosed = [&](Connection &c) {
        if (!c.authenticated && failure.isEmpty())
            failure = QStringLiteral("a transfer connection closed before its resume finished");
    };
    for (std::size_t i = 0; i < users.size(); ++i) {
        Connection *c = loop.create(std::int64_t(i));
        connections->push_back(c);
        loop.open(c);
    }
    const bool done =
        loop.runUntil([&] { return resumed == users.size() || !failure.isEmpty(); }, 60);
    loop.onOpen = nullptr;
    loop.onClosed = nullptr;
    if (!failure.isEmpty() || !done) {
        *error = failure.isEmpty() ? QStringLiteral("transfer connections timed out") : failure;
        return false;
    }
    return true;
}

} // namespace Bench
