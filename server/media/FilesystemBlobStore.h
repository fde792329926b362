#pragma once

#include "BlobStore.h"

namespace Server {

//! Blobs as files under one folder: unfinished uploads in `partial/<id>`, finished blobs in
//! `ab/cd/<id>` (the first four characters of the id spread them over folders). Files are created
//! O_CREAT|O_EXCL|O_NOFOLLOW with mode 0600; names are blob ids only (checked again here).
class FilesystemBlobStore : public BlobStore
{
public:
    explicit FilesystemBlobStore(QString root);

    bool open(QString *error) override;
    std::unique_ptr<Upload> openUpload(const QString &id, QString *error) override;
    qint64 partialSize(const QString &id) const override;
    bool isFinished(const QString &id) const override;
    std::optional<QByteArray> read(const QString &id, qint64 offset, qint64 length,
                                   QString *error) const override;
    qint64 readInto(const QString &id, qint64 offset, char *buffer, qint64 length,
                    QString *error) const override;
    void remove(const QString &id) override;
    QStringList allIds() const override;
    qint64 freeBytes() const override;

    QString partialPath(const QString &id) const;
    QString finishedPath(const QString &id) const;
    QString finishedFolder(const QString &id) const;

private:
    QString m_root;
};

} // namespace Server
