#include "SendQueue.h"

#include <cerrno>
#include <sys/socket.h>
#include <sys/uio.h>

namespace Server {

namespace {
//! Segments handed to one sendmsg(): a burst of chunks and the frames between them.
constexpr int MaxSegmentsPerWrite = 32;
} // namespace

void SendQueue::append(const char *data, qsizetype size)
{
    if (size <= 0)
        return;
    if (m_lastGathers) {
        m_segments.last().append(data, size);
    } else {
        m_segments.append(QByteArray(data, size));
        m_lastGathers = true;
    }
    m_bytes += size;
}

void SendQueue::append(const QByteArray &bytes, qsizetype skip)
{
    if (bytes.size() - skip < ShareBytes) {
        append(bytes.constData() + skip, bytes.size() - skip);
        return;
    }
    Q_ASSERT(skip == 0 || m_bytes == 0);
    if (m_bytes == 0) {
        clear(); // drops written segments, so the new one is the first
        m_offset = skip;
    }
    m_segments.append(bytes);
    m_lastGathers = false;
    m_bytes += bytes.size() - skip;
}

void SendQueue::prepend(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    Q_ASSERT(m_first == 0 && m_offset == 0);
    m_segments.prepend(bytes);
    if (m_segments.size() == 1)
        m_lastGathers = false;
    m_bytes += bytes.size();
}

SendQueue::Written SendQueue::writeTo(int fd)
{
    while (m_bytes > 0) {
        iovec parts[MaxSegmentsPerWrite];
        int count = 0;
        for (qsizetype i = m_first; i < m_segments.size() && count < MaxSegmentsPerWrite; ++i) {
            const QByteArray &segment = m_segments.at(i);
            const qsizetype skip = i == m_first ? m_offset : 0;
            parts[count++] = {const_cast<char *>(segment.constData()) + skip,
                              size_t(segment.size() - skip)};
        }
        msghdr message {};
        message.msg_iov = parts;
        message.msg_iovlen = size_t(count);
        const ssize_t sent = ::sendmsg(fd, &message, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return Written::Failed;
            if (m_first >= MaxSegmentsPerWrite) { // a queue that never empties stays short
                m_segments.remove(0, m_first);
                m_first = 0;
            }
            return Written::Blocked;
        }
        m_bytes -= sent;
        qsizetype left = sent;
        while (left > 0) {
            const qsizetype rest = m_segments.at(m_first).size() - m_offset;
            if (left < rest) {
                m_offset += left;
                break;
            }
            left -= rest;
            m_segments[m_first] = QByteArray(); // a written chunk goes back to its owner now
            ++m_first;
            m_offset = 0;
        }
    }
    clear();
    return Written::All;
}

void SendQueue::clear()
{
    m_segments = QList<QByteArray>();
    m_first = 0;
    m_offset = 0;
    m_bytes = 0;
    m_lastGathers = false;
}

} // namespace Server
