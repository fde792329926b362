#pragma once

#include "ClientLoop.h"
#include "Population.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace Bench {

//! The client's transfer pattern (client/media): 262,144-byte chunks, at most 4 requests in
//! flight on one transfer connection (the server's limit).
inline constexpr int MediaChunkBytes = 262'144;
inline constexpr int MediaChunksInFlight = 4;

//! Random bytes standing in for a blob's ciphertext (the server never decrypts), with the
//! SHA-256 the server checks at the last byte.
struct MediaPayload
{
    std::string bytes;
    QByteArray sha256;
    static MediaPayload random(std::int64_t size, std::uint64_t seed);
};

//! When one transfer started and ended, and whether it went through.
struct TransferTiming
{
    bool ok = false;
    QString error;
    std::int64_t bytes = 0;
    std::int64_t startNs = 0;
    std::int64_t endNs = 0;
    //! Uploads: from sending the last chunk to its answer, which waits for the server's
    //! fdatasync, rename, folder fsync and commit.
    std::int64_t lastChunkNs = 0;
    double seconds() const { return double(endNs - startNs) / 1e9; }
    double mbPerSecond() const { return endNs > startNs ? double(bytes) / seconds() / 1e6 : 0; }
};

//! blob.create then blob.put of every chunk, up to 4 unanswered. done follows once the
//! server answers complete (after its fdatasync, rename and commit) or on the first error.
class BlobUpload
{
public:
    BlobUpload(Connection *connection, const MediaPayload &payload, std::string clientId,
               std::function<void(const TransferTiming &)> done);
    void start();
    const std::string &blobId() const { return m_blobId; }
    const TransferTiming &timing() const { return m_timing; }
    bool finished() const { return m_finished; }

private:
    void pump();
    void finish(bool ok, const QString &error);

    Connection *m_connection;
    const MediaPayload &m_payload;
    std::string m_clientId;
    std::function<void(const TransferTiming &)> m_done;
    std::string m_blobId;
    std::int64_t m_next = 0; //!< offset of the next chunk to send
    int m_inFlight = 0;
    bool m_finished = false;
    std::int64_t m_lastSentNs = 0;
    TransferTiming m_timing;
};

//! blob.get of every chunk, up to 4 unanswered, into memory. done follows after the last byte
//! (the check of the bytes and their SHA-256 is verify(), outside the timing).
class BlobDownload
{
public:
    BlobDownload(Connection *connection, std::string blobId, std::int64_t size,
                 std::function<void(const TransferTiming &)> done);
    void start();
    const TransferTiming &timing() const { return m_timing; }
    bool finished() const { return m_finished; }
    //! True when the bytes received are the payload's and their SHA-256 matches; else why not.
    bool verify(const MediaPayload &payload, QString *error) const;

private:
    void pump();
    void finish(bool ok, const QString &error);

    Connection *m_connection;
    std::string m_blobId;
    std::string m_data;
    std::int64_t m_next = 0;
    std::int64_t m_received = 0;
    int m_inFlight = 0;
    bool m_finished = false;
    std::function<void(const TransferTiming &)> m_done;
    TransferTiming m_timing;
};

//! Opens one new connection per user and resumes it with "transfer": true. False with why.
bool openTransferConnections(ClientLoop &loop, const std::vector<BenchUser> &users,
                             std::vector<Connection *> *connections, QString *error);

//! "code: message" of an error answer.
QString describeError(const Frame &frame);

} // namespace Bench
