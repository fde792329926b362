#include "DecryptingDevice.h"

#include <sodium.h>

#include <cstring>

namespace Media {

namespace {
const QString Damaged = QStringLiteral("attachment is damaged");
} // namespace

DecryptingDevice::DecryptingDevice(std::unique_ptr<QIODevice> cipher, const QByteArray &key,
                                   QObject *parent)
    : QIODevice(parent)
    , m_cipher(std::move(cipher))
    , m_key(key)
{
}

DecryptingDevice::~DecryptingDevice()
{
    if (!m_key.isEmpty())
        sodium_memzero(m_key.data(), size_t(m_key.size()));
    if (!m_chunk.isEmpty())
        sodium_memzero(m_chunk.data(), size_t(m_chunk.size()));
}

bool DecryptingDevice::open(OpenMode mode)
{
    if ((mode & (ReadWrite | Append | Truncate)) != ReadOnly) {
        setErrorString(QStringLiteral("an attachment opens read-only"));
        return false;
    }
    if (!m_cipher || !m_cipher->isReadable() || m_cipher->isSequential()) {
        setErrorString(QStringLiteral("the attachment's file is not open for reading"));
        return false;
    }
    QByteArray header;
    if (m_cipher->seek(0))
        header = m_cipher->read(HeaderBytes);
    m_decryptor = std::make_unique<BlobDecryptor>(m_key, header, m_cipher->size());
    if (!m_decryptor->isValid()) {
        m_decryptor.reset();
        setErrorString(Damaged);
        return false;
    }
    m_position = 0;
    m_chunkIndex = -1;
    m_chunk.clear();
    // The final chunk is checked now: a cut or extended blob is refused at once, and an empty
    // one (which no read would reach) still has its tag checked.
    if (!loadChunk(m_decryptor->chunkCount() - 1)) {
        m_decryptor.reset();
        setErrorString(Damaged);
        return false;
    }
    // Unbuffered: QIODevice's read-ahead buffer would only copy plaintext once more.
    return QIODevice::open(ReadOnly | Unbuffered);
}

void DecryptingDevice::close()
{
    QIODevice::close();
    m_decryptor.reset();
    if (!m_chunk.isEmpty())
        sodium_memzero(m_chunk.data(), size_t(m_chunk.size()));
    m_chunk.clear();
    m_chunkIndex = -1;
    m_position = 0;
}

qint64 DecryptingDevice::size() const
{
    return m_decryptor ? m_decryptor->plainSize() : 0;
}

bool DecryptingDevice::seek(qint64 pos)
{
    if (!m_decryptor || pos < 0 || pos > size())
        return false;
    if (!QIODevice::seek(pos))
        return false;
    m_position = pos;
    return true;
}

bool DecryptingDevice::loadChunk(qint64 index)
{
    if (index == m_chunkIndex)
        return true;
    const qint64 length = m_decryptor->chunkCipherLength(index);
    QByteArray cipherChunk;
    if (length >= 0 && m_cipher->seek(m_decryptor->chunkOffset(index)))
        cipherChunk = m_cipher->read(length);
    std::optional<QByteArray> plain = m_decryptor->decryptChunk(index, cipherChunk);
    if (!plain)
        return false;
    m_chunk = std::move(*plain);
    m_chunkIndex = index;
    return true;
}

qint64 DecryptingDevice::readData(char *data, qint64 maxSize)
{
    if (!m_decryptor)
        return -1;
    qint64 done = 0;
    while (done < maxSize && m_position < size()) {
        const qint64 index = m_position / PlainChunkBytes;
        if (!loadChunk(index)) {
            setErrorString(Damaged);
            return done > 0 ? done : -1;
        }
        const qint64 inChunk = m_position - index * PlainChunkBytes;
        const qint64 n = qMin(maxSize - done, qint64(m_chunk.size()) - inChunk);
        std::memcpy(data + done, m_chunk.constData() + inChunk, size_t(n));
        done += n;
        m_position += n;
    }
    return done;
}

qint64 DecryptingDevice::writeData(const char *, qint64)
{
    return -1;
}

std::optional<QByteArray> DecryptingDevice::decryptAll(const QByteArray &key,
                                                       const QByteArray &cipherBytes)
{
    const BlobDecryptor decryptor(
        key, QByteArrayView(cipherBytes).first(qMin<qsizetype>(HeaderBytes, cipherBytes.size())),
        cipherBytes.size());
    if (!decryptor.isValid())
        return std::nullopt;
    QByteArray plain;
    plain.reserve(decryptor.plainSize());
    for (qint64 i = 0; i < decryptor.chunkCount(); ++i) {
        const std::optional<QByteArray> chunk = decryptor.decryptChunk(
            i,
            QByteArrayView(cipherBytes)
                .sliced(decryptor.chunkOffset(i), decryptor.chunkCipherLength(i)));
        if (!chunk)
            return std::nullopt;
        plain.append(*chunk);
    }
    return plain;
}

} // namespace Media
