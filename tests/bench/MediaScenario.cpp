#include "MediaChat.h"
#include "MediaDisk.h"
#include "MediaTransfer.h"
#include "Population.h"
#include "Resources.h"
#include "Scenario.h"

#include <QJsonArray>

#include <arpa/inet.h>

#include <algorithm>
#include <memory>
#include <optional>

namespace Bench {

namespace {

const QString Name = QStringLiteral("media");

//! Runs transfers side by side on one loop until all are done, one fails, or a connection drops.
template<typename Transfer>
bool runTransfers(ClientLoop &loop, std::vector<std::unique_ptr<Transfer>> &transfers,
                  std::int64_t bytes, QString *error)
{
    bool dropped = false;
    loop.onClosed = [&dropped](Connection &) { dropped = true; };
    for (auto &transfer : transfers)
        transfer->start();
    // Generous: a stall shows as an error rather than a hang, slowness as a low figure.
    const double timeout = 120 + double(bytes) / 1e6;
    const auto allDone = [&] {
        return std::all_of(transfers.begin(), transfers.end(),
                           [](const auto &t) { return t->finished(); });
    };
    const bool done = loop.runUntil(
        [&] {
            if (dropped)
                return true;
            for (const auto &t : transfers)
                if (t->finished() && !t->timing().ok)
                    return true;
            return allDone();
        },
        timeout);
    loop.onClosed = nullptr;
    for (const auto &t : transfers) {
        if (t->finished() && !t->timing().ok) {
            *error = t->timing().error;
            return false;
        }
    }
    if (dropped || !done || !allDone()) {
        *error = dropped ? QStringLiteral("a transfer connection closed during the transfer")
                         : QStringLiteral("the transfers took longer than %1 s").arg(timeout);
        return false;
    }
    return true;
}

//! Bytes over the span from the first start to the last end, in MB/s (10^6 bytes).
template<typename Transfer>
double aggregateMBps(const std::vector<std::unique_ptr<Transfer>> &transfers)
{
    std::int64_t first = INT64_MAX;
    std::int64_t last = 0;
    std::int64_t bytes = 0;
    for (const auto &t : transfers) {
        first = std::min(first, t->timing().startNs);
        last = std::max(last, t->timing().endNs);
        bytes += t->timing().bytes;
    }
    return last > first ? double(bytes) / (double(last - first) / 1e9) / 1e6 : 0;
}

QJsonObject timingJson(const TransferTiming &t)
{
    return {{QStringLiteral("bytes"), double(t.bytes)},
            {QStringLiteral("seconds"), t.seconds()},
            {QStringLiteral("last_chunk_ms"), double(t.lastChunkNs) / 1e6},
            {QStringLiteral("mb_per_s"), t.mbPerSecond()}};
}

Figure ratioFigure(const QString &key, const QString &label, double value, double disk)
{
    const double ratio = disk > 0 ? value / disk : 0;
    return {Name,
            key,
            label,
            ratio,
            QStringLiteral("x"),
            Figure::Kind::Other,
            disk > 0 ? QStringLiteral(">= 0.5") : QString(),
            disk > 0 ? std::optional<bool>(ratio >= 0.5) : std::nullopt};
}

void addMBps(Report &report, const QString &key, const QString &label, double value)
{
    report.add({Name, key, label, value, QStringLiteral("MB/s"), Figure::Kind::Other, {}, {}});
}

//! One user's transfers: the large upload then its download, as the tests and the app do.
class MediaRun
{
public:
    MediaRun(ClientLoop &loop, Report &report, std::vector<Connection *> transfer)
        : m_loop(loop)
        , m_report(report)
        , m_transfer(std::move(transfer))
    {
    }

    //! Uploads payload on connection i; the upload (for its blob id and timing) or null.
    std::unique_ptr<BlobUpload> upload(std::size_t i, const MediaPayload &payload)
    {
        std::vector<std::unique_ptr<BlobUpload>> one;
        one.push_back(std::make_unique<BlobUpload>(
            m_transfer[i], payload, "bench-" + std::to_string(m_nextClientId++), nullptr));
        QString error;
        if (!runTransfers(m_loop, one, std::int64_t(payload.bytes.size()), &error)) {
            m_loop.close(m_transfer[i]); // drops the answers still due to the upload
            m_report.addError(Name, QStringLiteral("upload: ") + error);
            return nullptr;
        }
        return std::move(one.front());
    }

    //! Downloads a blob on connection i; checks the bytes when verify is set.
    std::unique_ptr<BlobDownload> download(std::size_t i, const std::string &blobId,
                                           const MediaPayload &payload, bool verify)
    {
        std::vector<std::unique_ptr<BlobDownload>> one;
        one.push_back(std::make_unique<BlobDownload>(m_transfer[i], blobId,
                                                     std::int64_t(payload.bytes.size()), nullptr));
        QString error;
        if (!runTransfers(m_loop, one, std::int64_t(payload.bytes.size()), &error)
            || (verify && !one.front()->verify(payload, &error))) {
            m_loop.close(m_transfer[i]);
            m_report.addError(Name, QStringLiteral("download: ") + error);
            return nullptr;
        }
        return std::move(one.front());
    }

    std::string nextClientId() { return "bench-" + std::to_string(m_nextClientId++); }

private:
    ClientLoop &m_loop;
    Report &m_report;
    std::vector<Connection *> m_transfer;
    int m_nextClientId = 1;
};

QString blobPath(const QString &dataDir, const std::string &id)
{
    const QString blob = QString::fromStdString(id);
    return QStringLiteral("%1/blobs/%2/%3/%4").arg(dataDir, blob.left(2), blob.mid(2, 2), blob);
}

} // namespace

void runMediaScenario(ScenarioContext &context)
{
    const BenchOptions &o = context.options;
    Report &report = context.report;
    const std::int64_t largeBytes = std::int64_t(o.mediaMib) << 20;
    const std::int64_t userBytes = std::int64_t(o.mediaUserMib) << 20;
    const QString largeLabel = QStringLiteral("%1 MiB").arg(o.mediaMib);

    // 1. The disk alone, on the filesystem the blobs go to, before the server starts.
    const DiskRates disk = measureDisk(context.workDir + QStringLiteral("/media-disk-probe"),
                                       largeBytes, MediaChunkBytes);
    report.addDetail(Name, QStringLiteral("disk"), disk.json());
    if (!disk.measured)
        report.addError(Name, disk.error);
    addMBps(report, QStringLiteral("disk_write_mb_per_s"),
            QStringLiteral("disk: write %1 + fsync").arg(largeLabel), disk.writeMBps());
    addMBps(
        report, QStringLiteral("disk_read_mb_per_s"),
        QStringLiteral("disk: read %1 (%2)")
            .arg(largeLabel,
                 disk.readFromDisk() ? QStringLiteral("cache dropped") : QStringLiteral("cached")),
        disk.readMBps());
    report.addNote(Name, QStringLiteral("disk read: ") + disk.readCondition());

    ScenarioRig rig(context, Name);
    QString error;
    const int chatUsers = 2 * o.mediaChatPairs;
    if (!rig.start(true, 2 * chatUsers + o.mediaUsers + 10, &error)) {
        report.addError(Name, error);
        return;
    }
    ClientLoop &loop = rig.loop();
    const QString dataDir = context.workDir + QLatin1Char('/') + Name;
    std::vector<BenchUser> chatAccounts;
    std::vector<Connection *> chatConnections;
    std::vector<std::int64_t> conversations;
    std::vector<BenchUser> transferAccounts;
    std::vector<Connection *> transfer;
    if (!Population::registerUsers(loop, chatUsers, "mchat", 64, true, &chatAccounts,
                                   &chatConnections, &error)
        || !Population::openDirectPairs(loop, o.mediaChatPairs, chatConnections, chatAccounts,
                                        &conversations, &error)
        || !Population::registerUsers(loop, o.mediaUsers, "mxfer", 64, false, &transferAccounts,
                                      nullptr, &error)
        || !openTransferConnections(loop, transferAccounts, &transfer, &error)) {
        report.addError(Name, error);
        return;
    }
    for (Connection *c : chatConnections)
        loop.close(c); // the chat probe signs them in again on its own thread
    MediaRun run(loop, report, transfer);

    // 2. One large upload, then its download from the disk and from the page cache.
    const MediaPayload large = MediaPayload::random(largeBytes, 1);
    CpuWindow uploadCpu(rig.server().pid());
    const std::unique_ptr<BlobUpload> upload = run.upload(0, large);
    uploadCpu.finish();
    if (!upload)
        return;
    const double resident = dropFromPageCache(blobPath(dataDir, upload->blobId()));
    CpuWindow downloadCpu(rig.server().pid());
    const std::unique_ptr<BlobDownload> cold = run.download(0, upload->blobId(), large, false);
    downloadCpu.finish(); // before the check of the bytes, which is not part of the transfer
    if (!cold)
        return;
    if (!cold->verify(large, &error)) {
        report.addError(Name, QStringLiteral("download: ") + error);
        return;
    }
    const std::unique_ptr<BlobDownload> warm = run.download(0, upload->blobId(), large, true);
    if (!warm)
        return;
    const bool coldFromDisk = resident >= 0 && resident < 0.01;
    addMBps(report, QStringLiteral("upload_mb_per_s"),
            QStringLiteral("1 x %1 upload (to complete)").arg(largeLabel),
            upload->timing().mbPerSecond());
    report.add({Name,
                QStringLiteral("upload_last_chunk_ms"),
                QStringLiteral("upload: last chunk sent -> complete"),
                double(upload->timing().lastChunkNs) / 1e6,
                QStringLiteral("ms"),
                Figure::Kind::Other,
                {},
                {}});
    report.add(ratioFigure(QStringLiteral("upload_vs_disk_write"),
                           QStringLiteral("upload / disk write"), upload->timing().mbPerSecond(),
                           disk.writeMBps()));
    addMBps(report, QStringLiteral("download_mb_per_s"),
            QStringLiteral("1 x %1 download (%2)")
                .arg(largeLabel,
                     coldFromDisk ? QStringLiteral("cache dropped") : QStringLiteral("cached")),
            cold->timing().mbPerSecond());
    report.add(ratioFigure(QStringLiteral("download_vs_disk_read"),
                           QStringLiteral("download / disk read"), cold->timing().mbPerSecond(),
                           disk.readMBps()));
    addMBps(report, QStringLiteral("download_cached_mb_per_s"),
            QStringLiteral("1 x %1 download again (page cache)").arg(largeLabel),
            warm->timing().mbPerSecond());
    report.addCpu(Name, QStringLiteral("upload_"), QStringLiteral("upload: "), uploadCpu);
    report.addCpu(Name, QStringLiteral("download_"), QStringLiteral("download: "), downloadCpu);
    report.addDetail(Name, QStringLiteral("large"),
                     {{QStringLiteral("upload"), timingJson(upload->timing())},
                      {QStringLiteral("download"), timingJson(cold->timing())},
                      {QStringLiteral("download_resident_before"), resident},
                      {QStringLiteral("download_again"), timingJson(warm->timing())},
                      {QStringLiteral("upload_cpu"), Report::toJson(uploadCpu)},
                      {QStringLiteral("download_cpu"), Report::toJson(downloadCpu)}});

    // 3. Every transfer user at once: uploads side by side, then downloads side by side.
    {
        const MediaPayload shared = MediaPayload::random(userBytes, 2);
        std::vector<std::unique_ptr<BlobUpload>> uploads;
        uploads.reserve(transfer.size());
        for (Connection *c : transfer)
            uploads.push_back(std::make_unique<BlobUpload>(c, shared, run.nextClientId(), nullptr));
        if (!runTransfers(loop, uploads, userBytes * o.mediaUsers, &error)) {
            report.addError(Name, QStringLiteral("concurrent uploads: ") + error);
            return;
        }
        std::vector<std::unique_ptr<BlobDownload>> downloads;
        for (std::size_t i = 0; i < transfer.size(); ++i)
            downloads.push_back(std::make_unique<BlobDownload>(transfer[i], uploads[i]->blobId(),
                                                               userBytes, nullptr));
        if (!runTransfers(loop, downloads, userBytes * o.mediaUsers, &error)) {
            report.addError(Name, QStringLiteral("concurrent downloads: ") + error);
            return;
        }
        for (const auto &d : downloads) {
            if (!d->verify(shared, &error)) {
                report.addError(Name, QStringLiteral("concurrent downloads: ") + error);
                return;
            }
        }
        const QString label =
            QStringLiteral("%1 users x %2 MiB at once: ").arg(o.mediaUsers).arg(o.mediaUserMib);
        addMBps(report, QStringLiteral("concurrent_upload_mb_per_s"),
                label + QStringLiteral("uploads"), aggregateMBps(uploads));
        addMBps(report, QStringLiteral("concurrent_download_mb_per_s"),
                label + QStringLiteral("downloads"), aggregateMBps(downloads));
    }

    // 4. Chat latency on separate connections: alone, then while large transfers run.
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(rig.server().port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ChatProbe probe(address, chatAccounts, conversations, o.mediaChatRate, o.payloadBytes);
    if (!probe.start(&error)) {
        report.addError(Name, error);
        return;
    }
    loop.runFor(std::min(1.0, o.warmupSeconds)); // connections settle before measuring
    probe.setPhase(ChatProbe::Baseline);
    loop.runFor(o.durationSeconds);
    const std::int64_t busyStart = nowNs();
    std::int64_t busyBytes = 0;
    int cycles = 0;
    QJsonArray busyLastChunkMs;
    std::unique_ptr<BlobUpload> lastUpload;
    std::unique_ptr<BlobDownload> lastDownload;
    while (cycles == 0 || double(nowNs() - busyStart) / 1e9 < o.durationSeconds) {
        probe.setPhase(ChatProbe::Uploading);
        lastUpload = run.upload(0, large);
        probe.setPhase(ChatProbe::Downloading);
        // Checking the bytes (a memcmp and a SHA-256 of the whole blob) waits until the end.
        lastDownload = lastUpload ? run.download(0, lastUpload->blobId(), large, false) : nullptr;
        if (!lastDownload)
            break;
        busyBytes += 2 * largeBytes;
        busyLastChunkMs.push_back(double(lastUpload->timing().lastChunkNs) / 1e6);
        ++cycles;
    }
    const double busySeconds = double(nowNs() - busyStart) / 1e9;
    probe.setPhase(ChatProbe::Idle);
    loop.runFor(1); // deliveries of the last samples
    probe.stop();
    if (!lastDownload)
        return;
    if (!lastDownload->verify(large, &error)) {
        report.addError(Name, QStringLiteral("download during chat: ") + error);
        return;
    }

    const ChatProbe::Samples &idle = probe.samples(ChatProbe::Baseline);
    const ChatProbe::Samples &uploading = probe.samples(ChatProbe::Uploading);
    const ChatProbe::Samples &downloading = probe.samples(ChatProbe::Downloading);
    report.addLatency(Name, QStringLiteral("baseline_delivered"),
                      QStringLiteral("no transfer: send->delivered"), idle.delivered.summary());
    report.addLatency(Name, QStringLiteral("baseline_typing"),
                      QStringLiteral("no transfer: typing relay"), idle.typing.summary());
    const auto busyFigures = [&](const QString &key, const QString &label,
                                 const ChatProbe::Samples &busy) {
        report.addLatency(Name, key + QStringLiteral("_delivered"),
                          label + QStringLiteral(": send->delivered"), busy.delivered.summary());
        report.addLatency(Name, key + QStringLiteral("_typing"),
                          label + QStringLiteral(": typing relay"), busy.typing.summary());
    };
    const QString uploadingLabel = QStringLiteral("during %1 MiB uploads").arg(o.mediaMib);
    const QString downloadingLabel = QStringLiteral("during %1 MiB downloads").arg(o.mediaMib);
    busyFigures(QStringLiteral("uploading"), uploadingLabel, uploading);
    busyFigures(QStringLiteral("downloading"), downloadingLabel, downloading);
    const auto delta = [&](const QString &key, const QString &label, const LatencySummary &before,
                           const LatencySummary &after) {
        const double moved = after.p99 - before.p99;
        report.add({Name, key, label, moved, QStringLiteral("ms"), Figure::Kind::Other,
                    QStringLiteral("<= 5 ms"), before.count > 0 && after.count > 0 && moved <= 5});
    };
    delta(QStringLiteral("uploading_delivered_p99_moved_ms"),
          uploadingLabel + QStringLiteral(": send->delivered p99 moved"), idle.delivered.summary(),
          uploading.delivered.summary());
    delta(QStringLiteral("uploading_typing_p99_moved_ms"),
          uploadingLabel + QStringLiteral(": typing p99 moved"), idle.typing.summary(),
          uploading.typing.summary());
    delta(QStringLiteral("downloading_delivered_p99_moved_ms"),
          downloadingLabel + QStringLiteral(": send->delivered p99 moved"),
          idle.delivered.summary(), downloading.delivered.summary());
    delta(QStringLiteral("downloading_typing_p99_moved_ms"),
          downloadingLabel + QStringLiteral(": typing p99 moved"), idle.typing.summary(),
          downloading.typing.summary());
    addMBps(report, QStringLiteral("busy_transfer_mb_per_s"),
            QStringLiteral("transfers meanwhile (%1 up+down)").arg(cycles),
            busySeconds > 0 ? double(busyBytes) / busySeconds / 1e6 : 0);
    if (idle.errors + uploading.errors + downloading.errors > 0)
        report.addNote(Name,
                       QStringLiteral("chat errors: %1 baseline, %2 uploading, %3 downloading")
                           .arg(idle.errors)
                           .arg(uploading.errors)
                           .arg(downloading.errors));
    report.addDetail(Name, QStringLiteral("chat"),
                     {{QStringLiteral("pairs"), o.mediaChatPairs},
                      {QStringLiteral("messages_per_s"), o.mediaChatRate},
                      {QStringLiteral("typing_per_s_per_connection"), 1},
                      {QStringLiteral("baseline"), idle.json()},
                      {QStringLiteral("uploading"), uploading.json()},
                      {QStringLiteral("downloading"), downloading.json()},
                      {QStringLiteral("busy_seconds"), busySeconds},
                      {QStringLiteral("busy_cycles"), cycles},
                      {QStringLiteral("busy_upload_last_chunk_ms"), busyLastChunkMs}});
    report.addDetail(Name, QStringLiteral("setup"),
                     {{QStringLiteral("large_bytes"), double(largeBytes)},
                      {QStringLiteral("users"), o.mediaUsers},
                      {QStringLiteral("user_bytes"), double(userBytes)},
                      {QStringLiteral("chunk_bytes"), MediaChunkBytes},
                      {QStringLiteral("chunks_in_flight"), MediaChunksInFlight},
                      {QStringLiteral("server"), rig.server().describe()}});
}

} // namespace Bench
