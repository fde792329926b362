#pragma once

#include "BlobCipher.h"

#include <QIODevice>

#include <memory>
#include <optional>

namespace Media {

//! The plaintext of a blob, read-only and seekable, decrypted a chunk at a time from a ciphertext
//! device (a cache file), so that images and players read attachments without plaintext on disk
//! (QMediaPlayer::setSourceDevice plays it random-access, since isSequential() is false).
//!
//! open() reads and checks the header and the final chunk (so truncation shows at once);
//! size() is the plaintext size. A chunk whose tag fails
//! (or that is cut short) makes read() return -1 with errorString() "attachment is damaged". The
//! device checks every chunk it returns; the SHA-256 of the whole ciphertext is the caller's
//! check, done once when the blob arrived.
class DecryptingDevice : public QIODevice
{
    Q_OBJECT
public:
    //! cipher: the blob, open for reading and seekable (it is owned from now on).
    DecryptingDevice(std::unique_ptr<QIODevice> cipher, const QByteArray &key,
                     QObject *parent = nullptr);
    ~DecryptingDevice() override;

    //! Only QIODevice::ReadOnly; false with errorString() set when the header or size is wrong.
    bool open(OpenMode mode) override;
    void close() override;
    bool isSequential() const override { return false; }
    qint64 size() const override;
    bool seek(qint64 pos) override;

    //! The plaintext of a whole blob held in memory, or nullopt when any check fails.
    static std::optional<QByteArray> decryptAll(const QByteArray &key,
                                                const QByteArray &cipherBytes);

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 maxSize) override;

private:
    bool loadChunk(qint64 index);

    std::unique_ptr<QIODevice> m_cipher;
    QByteArray m_key;
    std::unique_ptr<BlobDecryptor> m_decryptor;
    qint64 m_position = 0;
    qint64 m_chunkIndex = -1; // the chunk in m_chunk, -1 for none
    QByteArray m_chunk;
};

} // namespace Media
