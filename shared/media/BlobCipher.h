#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QCryptographicHash>

#include <optional>

//! The encrypted attachment blob (docs/protocol.md, "Attachments"): a 24-byte header — magic
//! "MSGB", version 1, log2 of the chunk size (16), two zero bytes, a 16-byte random nonce prefix —
//! then the plaintext in chunks of 64 KiB, each sealed with XChaCha20-Poly1305 (IETF). A chunk's
//! nonce is the prefix, its index (7 bytes, big-endian) and a final flag (1 on the last chunk,
//! else 0); the associated data is the header. This is the STREAM construction (as age uses it):
//! the index stops reordering, the flag stops truncation, and unlike crypto_secretstream any
//! chunk can be decrypted on its own, so a player can seek.
namespace Media {

inline constexpr int KeyBytes = 32;
inline constexpr int HeaderBytes = 24;
inline constexpr int PlainChunkBytes = 65536;
inline constexpr int TagBytes = 16;
inline constexpr int CipherChunkBytes = PlainChunkBytes + TagBytes;
inline constexpr int Sha256Bytes = 32;
inline constexpr int NoncePrefixBytes = 16;
inline constexpr int Version = 1;
inline constexpr int ChunkSizeLog2 = 16;

//! The ciphertext size of a plaintext of plainSize bytes: the header, one tag per chunk, the
//! plaintext. An empty plaintext is one empty final chunk.
qint64 cipherSizeFor(qint64 plainSize);
//! The plaintext size a blob of cipherSize bytes holds, or -1 when no plaintext gives that size.
qint64 plainSizeFor(qint64 cipherSize);
//! A fresh random blob key (KeyBytes bytes).
QByteArray newBlobKey();
//! sodium_init(), once per process; false when libsodium cannot work (then nothing here does).
bool ensureSodium();

//! Encrypts a stream of plaintext into a blob. update() returns what can be written so far (the
//! header first, then whole chunks that are known not to be the last); finish() the rest.
class BlobEncryptor
{
public:
    //! A fresh random nonce prefix. key must be KeyBytes long.
    explicit BlobEncryptor(const QByteArray &key);
    //! A given prefix (NoncePrefixBytes): for test vectors only — never reuse a key and a prefix.
    BlobEncryptor(const QByteArray &key, const QByteArray &noncePrefix);
    ~BlobEncryptor();
    BlobEncryptor(const BlobEncryptor &) = delete;
    BlobEncryptor &operator=(const BlobEncryptor &) = delete;

    QByteArray header() const;
    QByteArray update(QByteArrayView plain);
    QByteArray finish();
    //! SHA-256 of all the ciphertext emitted; valid after finish().
    QByteArray sha256() const;
    qint64 cipherBytes() const { return m_cipherBytes; }

private:
    void emitChunk(QByteArray &out, QByteArrayView plain, bool last);

    QByteArray m_key;
    QByteArray m_header;
    QByteArray m_pending; // plaintext not yet sealed: it may hold the last chunk
    qint64 m_index = 0;
    qint64 m_cipherBytes = 0;
    bool m_headerSent = false;
    bool m_finished = false;
    QCryptographicHash m_hash {QCryptographicHash::Sha256};
    QByteArray m_digest;
};

//! Decrypts any chunk of a blob whose header and total size are known.
class BlobDecryptor
{
public:
    BlobDecryptor(const QByteArray &key, QByteArrayView header, qint64 cipherSize);
    ~BlobDecryptor();
    BlobDecryptor(const BlobDecryptor &) = delete;
    BlobDecryptor &operator=(const BlobDecryptor &) = delete;

    //! The key has the right length, the header's magic, version, chunk size and reserved bytes
    //! are right, and cipherSize is a size some plaintext gives.
    bool isValid() const { return m_valid; }
    qint64 plainSize() const { return m_plainSize; }
    qint64 chunkCount() const { return m_chunkCount; }
    //! Where chunk index starts in the blob, and how long its ciphertext is.
    qint64 chunkOffset(qint64 index) const;
    qint64 chunkCipherLength(qint64 index) const;
    //! The plaintext of chunk index from its exact ciphertext; nullopt when the tag fails, the
    //! index is out of range or the length is wrong for that index (the final flag is implied by
    //! the index, so a truncated or extended blob fails on its last chunk).
    std::optional<QByteArray> decryptChunk(qint64 index, QByteArrayView cipherChunk) const;

private:
    QByteArray m_key;
    QByteArray m_header;
    qint64 m_plainSize = -1;
    qint64 m_chunkCount = 0;
    bool m_valid = false;
};

} // namespace Media
