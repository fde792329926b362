#include "Traffic.h"

#include "Scenario.h"

#include <charconv>

namespace Bench {

Traffic::Traffic(ClientLoop &loop, int payloadBytes)
    : m_loop(loop)
    , m_payloadBytes(payloadBytes)
{
    m_loop.onFrame = [this](Connection &c, const Frame &frame) { onFrame(c, frame); };
}

Traffic::~Traffic()
{
    m_loop.onFrame = nullptr;
}

std::uint32_t Traffic::send(Connection *c, std::int64_t conversationId, std::uint32_t tag)
{
    const std::int64_t now = nowNs();
    const std::uint32_t index = m_nextIndex++;
    fillContent(&m_content, m_payloadBytes, now, index, tag);
    char clientId[24] = {'m'};
    const auto end = std::to_chars(clientId + 1, clientId + sizeof clientId, m_nextClientId++).ptr;
    const std::int64_t id = c->request("message.send", 4, [&](Cbor::Writer &w) {
        w.field("conversationId", conversationId);
        w.field("clientId", std::string_view(clientId, std::size_t(end - clientId)));
        w.field("contentType", "text/plain");
        w.text("content");
        w.bytes(m_content);
    });
    if (m_pending.size() <= c->index())
        m_pending.resize(m_loop.connectionCount());
    m_pending[c->index()].emplace(id, now);
    ++m_sent;
    ++m_inFlight;
    return index;
}

void Traffic::forget(Connection *c)
{
    if (c->index() < m_pending.size()) {
        m_inFlight -= m_pending[c->index()].size();
        m_pending[c->index()].clear();
    }
}

std::uint64_t Traffic::errorCount() const
{
    std::uint64_t total = 0;
    for (const auto &[code, count] : m_errors)
        total += count;
    return total;
}

QJsonObject Traffic::errorsJson() const
{
    QJsonObject o;
    for (const auto &[code, count] : m_errors)
        o.insert(QString::fromStdString(code), double(count));
    return o;
}

void Traffic::onFrame(Connection &c, const Frame &frame)
{
    if (frame.id != 0 && (frame.isOk() || frame.isError()) && c.index() < m_pending.size()) {
        auto &pending = m_pending[c.index()];
        const auto it = pending.find(frame.id);
        if (it != pending.end()) {
            const std::int64_t sentNs = it->second;
            pending.erase(it);
            --m_inFlight;
            if (frame.isError())
                ++m_errors[std::string(frame.errorCode())];
            if (onAck)
                onAck(c, sentNs, frame);
            return;
        }
    }
    if (frame.type == "message") {
        std::int64_t sentNs = 0;
        std::uint32_t index = 0;
        std::uint32_t tag = 0;
        if (readContent(frame.body["message"]["content"].toBytes(), &sentNs, &index, &tag)) {
            if (onDelivered)
                onDelivered(c, frame, sentNs, index, tag);
            return;
        }
    }
    if (onOtherFrame)
        onOtherFrame(c, frame);
}

} // namespace Bench
