#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace Server {

//! Where the bytes of blobs (encrypted attachments) live: behind this interface so that object
//! storage can come later. Every call blocks: BlobIo threads only, never the socket thread. The
//! database keeps the blob rows; this keeps only bytes, named by the server's blob ids (never by
//! anything a client chose).
class BlobStore
{
public:
    //! One unfinished upload, open for writing. Its calls never overlap (BlobService runs one
    //! chunk of a blob at a time); it may move between threads.
    class Upload
    {
    public:
        virtual ~Upload() = default;
        //! Bytes received so far (the partial file's real size).
        virtual qint64 received() const = 0;
        //! Writes data at offset == received(), feeding the running SHA-256.
        virtual bool append(QByteArrayView data, QString *error) = 0;
        //! SHA-256 of everything received (the running hash; the upload stays usable).
        virtual QByteArray sha256() const = 0;
        //! Makes the bytes durable and the blob readable: fdatasync, rename into place, fsync of
        //! the folder. The upload is closed afterwards.
        virtual bool finish(QString *error) = 0;
    };

    virtual ~BlobStore() = default;

    //! Creates what the store needs (folders). False with a reason.
    virtual bool open(QString *error) = 0;
    //! Opens the unfinished upload of id, creating it empty when there is none; after a restart
    //! the running hash is rebuilt from the bytes already there. nullptr with a reason.
    virtual std::unique_ptr<Upload> openUpload(const QString &id, QString *error) = 0;
    //! Bytes of the unfinished upload of id; -1 when there is none.
    virtual qint64 partialSize(const QString &id) const = 0;
    //! Whether the finished blob id is there (renamed into place).
    virtual bool isFinished(const QString &id) const = 0;
    //! Reads up to length bytes of a finished blob from offset; nullopt with a reason.
    virtual std::optional<QByteArray> read(const QString &id, qint64 offset, qint64 length,
                                           QString *error) const = 0;
    //! read() into the caller's buffer (a blob.get answer frame): the bytes read, fewer than
    //! length only at the blob's end; -1 with a reason.
    virtual qint64 readInto(const QString &id, qint64 offset, char *buffer, qint64 length,
                            QString *error) const = 0;
    //! Removes the unfinished upload and the finished blob of id, whichever exists.
    virtual void remove(const QString &id) = 0;
    //! Bytes free for blobs (for the disk reserve); -1 when unknown.
    virtual qint64 freeBytes() const = 0;
    //! Ids of every finished blob and every unfinished upload (for the sweeper).
    virtual QStringList allIds() const = 0;
};

} // namespace Server
