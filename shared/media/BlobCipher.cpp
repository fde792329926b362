#include "BlobCipher.h"

#include <sodium.h>

#include <cstring>

namespace Media {

namespace {

static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == KeyBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == TagBytes);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == NoncePrefixBytes + 8);
static_assert(HeaderBytes == 8 + NoncePrefixBytes);

constexpr char Magic[4] = {'M', 'S', 'G', 'B'};
// The chunk index travels in 7 bytes of the nonce.
constexpr qint64 MaxChunks = qint64(1) << 56;

QByteArray makeHeader(const QByteArray &noncePrefix)
{
    QByteArray header(HeaderBytes, '\0');
    std::memcpy(header.data(), Magic, sizeof Magic);
    header[4] = char(Version);
    header[5] = char(ChunkSizeLog2);
    // Bytes 6 and 7 are reserved (zero).
    std::memcpy(header.data() + 8, noncePrefix.constData(), NoncePrefixBytes);
    return header;
}

void makeNonce(unsigned char *nonce, const QByteArray &header, qint64 index, bool last)
{
    std::memcpy(nonce, header.constData() + 8, NoncePrefixBytes);
    for (int i = 0; i < 7; ++i)
        nonce[NoncePrefixBytes + i] = static_cast<unsigned char>(quint64(index) >> (8 * (6 - i)));
    nonce[NoncePrefixBytes + 7] = last ? 1 : 0;
}

qint64 chunksFor(qint64 plainSize)
{
    return plainSize <= 0 ? 1 : (plainSize + PlainChunkBytes - 1) / PlainChunkBytes;
}

void wipe(QByteArray &secret)
{
    if (!secret.isEmpty())
        sodium_memzero(secret.data(), size_t(secret.size()));
}

} // namespace

bool ensureSodium()
{
    // sodium_init() is itself thread-safe and idempotent; the static makes later calls free.
    static const bool ready = sodium_init() >= 0;
    return ready;
}

qint64 cipherSizeFor(qint64 plainSize)
{
    if (plainSize < 0)
        return -1;
    return HeaderBytes + chunksFor(plainSize) * TagBytes + plainSize;
}

qint64 plainSizeFor(qint64 cipherSize)
{
    if (cipherSize < HeaderBytes + TagBytes)
        return -1;
    const qint64 body = cipherSize - HeaderBytes;
    const qint64 full = body / CipherChunkBytes;
    const qint64 rest = body % CipherChunkBytes;
    qint64 plain = -1;
    if (rest == 0)
        plain = full * PlainChunkBytes; // the final chunk is a whole one
    else if (rest == TagBytes)
        plain = full == 0 ? 0 : -1; // an empty final chunk only for an empty file
    else if (rest > TagBytes)
        plain = full * PlainChunkBytes + rest - TagBytes;
    if (plain >= 0 && chunksFor(plain) > MaxChunks)
        return -1;
    return plain;
}

QByteArray newBlobKey()
{
    ensureSodium();
    QByteArray key(KeyBytes, '\0');
    randombytes_buf(key.data(), size_t(key.size()));
    return key;
}

// ---- BlobEncryptor ----------------------------------------------------------------------------

BlobEncryptor::BlobEncryptor(const QByteArray &key)
    : m_key(key)
{
    ensureSodium();
    QByteArray prefix(NoncePrefixBytes, '\0');
    randombytes_buf(prefix.data(), size_t(prefix.size()));
    m_header = makeHeader(prefix);
    Q_ASSERT(key.size() == KeyBytes);
}

BlobEncryptor::BlobEncryptor(const QByteArray &key, const QByteArray &noncePrefix)
    : m_key(key)
    , m_header(makeHeader(noncePrefix.leftJustified(NoncePrefixBytes, '\0', true)))
{
    ensureSodium();
    Q_ASSERT(key.size() == KeyBytes && noncePrefix.size() == NoncePrefixBytes);
}

BlobEncryptor::~BlobEncryptor()
{
    wipe(m_key);
    wipe(m_pending);
}

QByteArray BlobEncryptor::header() const
{
    return m_header;
}

void BlobEncryptor::emitChunk(QByteArray &out, QByteArrayView plain, bool last)
{
    unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    makeNonce(nonce, m_header, m_index, last);
    const qsizetype at = out.size();
    out.resize(at + plain.size() + TagBytes);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(
        reinterpret_cast<unsigned char *>(out.data() + at), &written,
        reinterpret_cast<const unsigned char *>(plain.data()),
        static_cast<unsigned long long>(plain.size()),
        reinterpret_cast<const unsigned char *>(m_header.constData()), HeaderBytes, nullptr, nonce,
        reinterpret_cast<const unsigned char *>(m_key.constData()));
    Q_ASSERT(written == static_cast<unsigned long long>(plain.size() + TagBytes));
    ++m_index;
}

QByteArray BlobEncryptor::update(QByteArrayView plain)
{
    Q_ASSERT(!m_finished);
    QByteArray out;
    if (!m_headerSent) {
        out = m_header;
        m_headerSent = true;
    }
    m_pending.append(plain);
    // A whole chunk is sealed only once more plaintext follows it: until then it may be the last.
    qsizetype used = 0;
    while (m_pending.size() - used > PlainChunkBytes) {
        emitChunk(out, QByteArrayView(m_pending).sliced(used, PlainChunkBytes), false);
        used += PlainChunkBytes;
    }
    if (used > 0) {
        sodium_memzero(m_pending.data(), size_t(used));
        m_pending.remove(0, used);
    }
    m_hash.addData(out);
    m_cipherBytes += out.size();
    return out;
}

QByteArray BlobEncryptor::finish()
{
    Q_ASSERT(!m_finished);
    QByteArray out;
    if (!m_headerSent) {
        out = m_header;
        m_headerSent = true;
    }
    emitChunk(out, m_pending, true);
    wipe(m_pending);
    m_pending.clear();
    m_finished = true;
    m_hash.addData(out);
    m_cipherBytes += out.size();
    m_digest = m_hash.result();
    return out;
}

QByteArray BlobEncryptor::sha256() const
{
    return m_digest;
}

// ---- BlobDecryptor ----------------------------------------------------------------------------

BlobDecryptor::BlobDecryptor(const QByteArray &key, QByteArrayView header, qint64 cipherSize)
    : m_key(key)
    , m_header(header.toByteArray())
{
    ensureSodium();
    if (key.size() != KeyBytes || header.size() != HeaderBytes)
        return;
    if (std::memcmp(header.data(), Magic, sizeof Magic) != 0 || header.at(4) != char(Version)
        || header.at(5) != char(ChunkSizeLog2) || header.at(6) != 0 || header.at(7) != 0)
        return;
    m_plainSize = plainSizeFor(cipherSize);
    if (m_plainSize < 0)
        return;
    m_chunkCount = chunksFor(m_plainSize);
    m_valid = true;
}

BlobDecryptor::~BlobDecryptor()
{
    wipe(m_key);
}

qint64 BlobDecryptor::chunkOffset(qint64 index) const
{
    return HeaderBytes + index * CipherChunkBytes;
}

qint64 BlobDecryptor::chunkCipherLength(qint64 index) const
{
    if (!m_valid || index < 0 || index >= m_chunkCount)
        return -1;
    if (index < m_chunkCount - 1)
        return CipherChunkBytes;
    return m_plainSize - index * PlainChunkBytes + TagBytes;
}

std::optional<QByteArray> BlobDecryptor::decryptChunk(qint64 index,
                                                      QByteArrayView cipherChunk) const
{
    const qint64 length = chunkCipherLength(index);
    if (length < 0 || cipherChunk.size() != length)
        return std::nullopt;
    unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
    makeNonce(nonce, m_header, index, index == m_chunkCount - 1);
    QByteArray plain(length - TagBytes, Qt::Uninitialized);
    unsigned long long written = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(
            reinterpret_cast<unsigned char *>(plain.data()), &written, nullptr,
            reinterpret_cast<const unsigned char *>(cipherChunk.data()),
            static_cast<unsigned long long>(cipherChunk.size()),
            reinterpret_cast<const unsigned char *>(m_header.constData()), HeaderBytes, nonce,
            reinterpret_cast<const unsigned char *>(m_key.constData()))
        != 0)
        return std::nullopt;
    return plain;
}

} // namespace Media
