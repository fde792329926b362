#pragma once

#include <QByteArray>
#include <QList>

namespace Server {

//! The bytes a connection still has to write, in order: small frames gathered into one buffer,
//! big ones (a 256 KiB blob chunk) kept by reference to the sender's own QByteArray instead of
//! copied, all handed to the socket with one sendmsg() per round. Empty, it holds no memory.
class SendQueue
{
public:
    //! Frames at least this big are queued by reference (when the caller has them in a
    //! QByteArray); smaller ones are copied into the gathering buffer.
    static constexpr qsizetype ShareBytes = 16 * 1024;

    enum class Written { All, Blocked, Failed };

    bool isEmpty() const { return m_bytes == 0; }
    //! Bytes not written yet.
    qint64 size() const { return m_bytes; }

    //! Copies bytes to the end of the queue.
    void append(const char *data, qsizetype size);
    //! Queues bytes[skip, size) by reference: no copy (QByteArray's implicit sharing keeps them
    //! as they are). A skip other than 0 only on an empty queue (the rest of a partial write).
    void append(const QByteArray &bytes, qsizetype skip = 0);
    //! Puts bytes before everything queued (nothing of the queue may have been written yet).
    void prepend(const QByteArray &bytes);
    //! Writes as much as the non-blocking socket takes. All: the queue is empty (and freed);
    //! Blocked: the socket is full; Failed: the socket failed (errno says why).
    Written writeTo(int fd);
    void clear();

private:
    QList<QByteArray> m_segments;
    qsizetype m_first = 0; //!< segments before this one were written
    qsizetype m_offset = 0; //!< bytes of segment m_first already written
    qint64 m_bytes = 0;
    bool m_lastGathers = false; //!< the last segment is our own buffer, small frames go there
};

} // namespace Server
