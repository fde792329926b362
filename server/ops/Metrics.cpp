#include "Metrics.h"

#include "ProcessStats.h"
#include "PrometheusWriter.h"

#include "storage/Store.h"

#include "protocol/Requests.h"

namespace Server {

using Protocol::ErrorCode;

namespace {
constexpr double MicrosToSeconds = 1e-6;

QByteArray latin1(QLatin1StringView text)
{
    return QByteArray(text.data(), text.size());
}
} // namespace

QLatin1StringView Metrics::closeReasonName(CloseReason reason)
{
    switch (reason) {
    case CloseReason::Peer:
        return QLatin1StringView("peer");
    case CloseReason::Idle:
        return QLatin1StringView("idle");
    case CloseReason::SignInTimeout:
        return QLatin1StringView("sign_in_timeout");
    case CloseReason::HandshakeTimeout:
        return QLatin1StringView("handshake_timeout");
    case CloseReason::CloseTimeout:
        return QLatin1StringView("close_timeout");
    case CloseReason::ProtocolError:
        return QLatin1StringView("protocol_error");
    case CloseReason::SlowConsumer:
        return QLatin1StringView("slow_consumer");
    case CloseReason::Server:
    case CloseReason::Count:
        break;
    }
    return QLatin1StringView("server");
}

Metrics::Metrics()
    : m_requestTypes(Protocol::allRequests().size())
    , m_requests((m_requestTypes + 1) * ErrorCodes, 0)
{
    m_registerIndex = specIndex(Protocol::findRequest(QString(Protocol::Request::Register)));
    m_loginIndex = specIndex(Protocol::findRequest(QString(Protocol::Request::Login)));
    m_resumeIndex = specIndex(Protocol::findRequest(QString(Protocol::Request::Resume)));
}

int Metrics::codeIndex(ErrorCode code)
{
    const int index = int(code);
    return index >= 0 && index < ErrorCodes ? index : int(ErrorCode::Internal);
}

int Metrics::specIndex(const Protocol::RequestSpec *spec) const
{
    const auto all = Protocol::allRequests();
    if (!spec || spec < all.data() || spec >= all.data() + all.size())
        return int(m_requestTypes); // the row of frames that named no known request
    return int(spec - all.data());
}

void Metrics::connectionClosed(CloseReason reason)
{
    const auto index = std::size_t(reason);
    ++m_closed[index < m_closed.size() ? index : std::size_t(CloseReason::Server)];
}

void Metrics::requestAnswered(const Protocol::RequestSpec *spec, ErrorCode code)
{
    ++m_requests[std::size_t(specIndex(spec)) * ErrorCodes + std::size_t(codeIndex(code))];
}

void Metrics::errorSent(ErrorCode code)
{
    ++m_errors[std::size_t(codeIndex(code))];
    if (code == ErrorCode::RateLimited)
        ++m_rateLimited;
}

void Metrics::messageCommitted(quint64 micros)
{
    ++m_messagesCommitted;
    m_sendCommit.observe(micros);
}

QByteArray Metrics::exposition(const Gauges &gauges) const
{
    PrometheusWriter out;
    using W = PrometheusWriter;

    out.family("messengerd_build_info", "gauge", "Always 1; the version is its label.");
    out.sample("messengerd_build_info", W::label("version", MESSENGER_VERSION), quint64(1));

    // Connections and sessions.
    out.family("messengerd_connections", "gauge",
               "Client connections open now (signed in or not, any transport).");
    out.sample("messengerd_connections", quint64(gauges.connections));
    out.family("messengerd_connections_accepted_total", "counter", "Client connections accepted.");
    out.sample("messengerd_connections_accepted_total", m_accepted);
    out.family("messengerd_connections_rejected_total", "counter",
               "Client connections refused at once because --max-connections were open.");
    out.sample("messengerd_connections_rejected_total", m_rejected);
    out.family("messengerd_connections_closed_total", "counter",
               "Client connections that ended, by reason.");
    for (std::size_t i = 0; i < m_closed.size(); ++i)
        out.sample("messengerd_connections_closed_total",
                   W::label("reason", latin1(closeReasonName(CloseReason(i)))), m_closed[i]);
    out.family("messengerd_authenticated_sessions", "gauge",
               "Connections signed in to an account now.");
    out.sample("messengerd_authenticated_sessions", quint64(gauges.authenticatedSessions));
    out.family("messengerd_online_users", "gauge",
               "Users with at least one signed-in connection now.");
    out.sample("messengerd_online_users", quint64(gauges.onlineUsers));
    out.family("messengerd_draining", "gauge", "1 while the server drains before it stops.");
    out.sample("messengerd_draining", quint64(gauges.draining ? 1 : 0));

    // Accounts.
    out.family("messengerd_sign_ins_total", "counter",
               "Sign-in requests answered, by method (register, login, resume) and result (ok, "
               "failed).");
    const std::pair<int, const char *> methods[] = {
        {m_registerIndex, "register"}, {m_loginIndex, "login"}, {m_resumeIndex, "resume"}};
    for (const auto &[index, method] : methods) {
        quint64 ok = 0, failed = 0;
        for (int code = 0; code < ErrorCodes; ++code) {
            const quint64 n = m_requests[std::size_t(index) * ErrorCodes + std::size_t(code)];
            (code == int(ErrorCode::None) ? ok : failed) += n;
        }
        const QByteArray method_ = W::label("method", method);
        out.sample("messengerd_sign_ins_total", method_ + ',' + W::label("result", "ok"), ok);
        out.sample("messengerd_sign_ins_total", method_ + ',' + W::label("result", "failed"),
                   failed);
    }
    out.family("messengerd_registrations_total", "counter", "Accounts registered.");
    out.sample("messengerd_registrations_total",
               m_requests[std::size_t(m_registerIndex) * ErrorCodes]);

    // Messages.
    out.family("messengerd_messages_committed_total", "counter",
               "New messages stored (retries of a stored message not counted).");
    out.sample("messengerd_messages_committed_total", m_messagesCommitted);
    out.family("messengerd_deliveries_total", "counter",
               "Message events pushed to recipients' connections (one per device online).");
    out.sample("messengerd_deliveries_total", m_deliveries);
    out.family("messengerd_send_commit_seconds", "histogram",
               "From a message.send arriving to its message being committed.");
    out.histogram("messengerd_send_commit_seconds", {}, m_sendCommit.snapshot(), MicrosToSeconds);
    out.family("messengerd_typing_fanout_total", "counter", "Typing events pushed to connections.");
    out.sample("messengerd_typing_fanout_total", m_typingFanout);
    out.family("messengerd_presence_fanout_total", "counter",
               "Presence events pushed to connections.");
    out.sample("messengerd_presence_fanout_total", m_presenceFanout);
    out.family("messengerd_messages_expired_total", "counter",
               "Entries whose content the expiry sweeper erased (disappearing messages).");
    out.sample("messengerd_messages_expired_total", m_expiredErased);
    out.family("messengerd_messages_deleted_total", "counter",
               "Messages deleted for everyone (message.delete; repeats not counted).");
    out.sample("messengerd_messages_deleted_total", m_messagesDeleted);
    out.family("messengerd_blob_uploads_total", "counter", "Media uploads completed.");
    out.sample("messengerd_blob_uploads_total", m_blobUploads);
    out.family("messengerd_blob_received_bytes_total", "counter",
               "Media bytes written by blob.put (repeats not counted).");
    out.sample("messengerd_blob_received_bytes_total", m_blobBytesIn);
    out.family("messengerd_blob_sent_bytes_total", "counter", "Media bytes read by blob.get.");
    out.sample("messengerd_blob_sent_bytes_total", m_blobBytesOut);
    out.family("messengerd_blobs_swept_total", "counter",
               "Blobs the sweeper removed (abandoned, unreferenced, or of erased messages).");
    out.sample("messengerd_blobs_swept_total", m_blobsSwept);
    out.family("messengerd_blobs_stored", "gauge", "Complete media blobs on disk.");
    out.sample("messengerd_blobs_stored", quint64(std::max<qint64>(0, m_blobsStored)));
    out.family("messengerd_blob_stored_bytes", "gauge", "Bytes of the complete media blobs.");
    out.sample("messengerd_blob_stored_bytes", quint64(std::max<qint64>(0, m_blobStoredBytes)));

    // Requests and errors.
    out.family("messengerd_requests_total", "counter",
               "Requests answered, by type and result (ok or the error code). type=\"unknown\" "
               "counts frames that could not be read or named no request.");
    const auto all = Protocol::allRequests();
    for (std::size_t type = 0; type <= m_requestTypes; ++type) {
        const QByteArray typeLabel =
            W::label("type", type < m_requestTypes ? latin1(all[type].type) : "unknown");
        for (int code = 0; code < ErrorCodes; ++code) {
            const quint64 n = m_requests[type * ErrorCodes + std::size_t(code)];
            if (n == 0 && (code != int(ErrorCode::None) || type == m_requestTypes))
                continue; // every ok row is written; error rows once they happened
            const QByteArray result = code == int(ErrorCode::None)
                ? QByteArrayLiteral("ok")
                : latin1(Protocol::errorCodeName(ErrorCode(code)));
            out.sample("messengerd_requests_total", typeLabel + ',' + W::label("result", result),
                       n);
        }
    }
    out.family("messengerd_errors_total", "counter",
               "Error frames sent to clients, by error code.");
    for (int code = 1; code < ErrorCodes; ++code)
        out.sample("messengerd_errors_total",
                   W::label("code", latin1(Protocol::errorCodeName(ErrorCode(code)))),
                   m_errors[std::size_t(code)]);
    out.family("messengerd_rate_limited_total", "counter",
               "Requests refused by a rate limit (any of them).");
    out.sample("messengerd_rate_limited_total", m_rateLimited);
    out.family("messengerd_slow_consumer_disconnects_total", "counter",
               "Connections dropped because they did not read what was queued for them.");
    out.sample("messengerd_slow_consumer_disconnects_total",
               m_closed[std::size_t(CloseReason::SlowConsumer)]);

    // The store.
    if (gauges.store) {
        const Store &store = *gauges.store;
        out.family("messengerd_store_queue_depth", "gauge",
                   "Database jobs queued or running, per database thread.");
        out.sample("messengerd_store_queue_depth", W::label("thread", "writer"),
                   quint64(store.writerQueueDepth()));
        const QList<int> readers = store.readerQueueDepths();
        for (qsizetype i = 0; i < readers.size(); ++i)
            out.sample("messengerd_store_queue_depth",
                       W::label("thread", "reader-" + QByteArray::number(i + 1)),
                       quint64(readers.at(i)));
        out.family("messengerd_db_job_duration_seconds", "histogram",
                   "Time on a database thread: one read job (kind=read) or one write "
                   "transaction holding a group of jobs (kind=write).");
        out.histogram("messengerd_db_job_duration_seconds", W::label("kind", "read"),
                      store.stats().readMicros.snapshot(), MicrosToSeconds);
        out.histogram("messengerd_db_job_duration_seconds", W::label("kind", "write"),
                      store.stats().writeMicros.snapshot(), MicrosToSeconds);
        out.family("messengerd_db_write_batch_size", "histogram",
                   "Jobs committed together in one write transaction (group commit).");
        out.histogram("messengerd_db_write_batch_size", {}, store.stats().batchSize.snapshot(),
                      1.0);
    }

    // The process.
    const ProcessStats process = ProcessStats::read();
    if (process.residentBytes >= 0) {
        out.family("messengerd_process_resident_memory_bytes", "gauge",
                   "Resident memory (RSS) of the process.");
        out.sample("messengerd_process_resident_memory_bytes", quint64(process.residentBytes));
        out.family("messengerd_process_virtual_memory_bytes", "gauge",
                   "Virtual memory size of the process.");
        out.sample("messengerd_process_virtual_memory_bytes", quint64(process.virtualBytes));
    }
    if (process.openFds >= 0) {
        out.family("messengerd_process_open_fds", "gauge", "Open file descriptors.");
        out.sample("messengerd_process_open_fds", quint64(process.openFds));
    }
    if (process.maxFds >= 0) {
        out.family("messengerd_process_max_fds", "gauge",
                   "The limit of open file descriptors (RLIMIT_NOFILE).");
        out.sample("messengerd_process_max_fds", quint64(process.maxFds));
    }
    if (process.cpuSeconds >= 0) {
        out.family("messengerd_process_cpu_seconds_total", "counter",
                   "CPU time (user and system) used by the process.");
        out.sample("messengerd_process_cpu_seconds_total", {}, process.cpuSeconds);
    }
    out.family("messengerd_process_start_time_seconds", "gauge",
               "When the process started, in seconds since the Unix epoch.");
    out.sample("messengerd_process_start_time_seconds", {}, process.startTimeSeconds);
    return out.take();
}

} // namespace Server
