#pragma once

#include <QString>
#include <QStringList>

namespace Client {

//! The account's media cache: a folder of ciphertext only, named by ids — `<localId>.blob` for
//! an upload being prepared, `<blobId>.blob` for a complete, verified blob (sent or received),
//! `<blobId>.part` for a download in progress. Never a name taken from the file itself; never
//! plaintext (that is written only where the user saves an attachment).
class MediaCache
{
public:
    explicit MediaCache(const QString &dir);

    QString dir() const { return m_dir; }
    QString blobPath(const QString &blobId) const;
    QString partPath(const QString &blobId) const;
    QString uploadPath(const QString &localId) const;

    //! Bytes held in the folder.
    qint64 bytes() const;
    //! Removes every file of the folder except `keep` (the pending uploads' and the running
    //! downloads' files).
    void clear(const QStringList &keep) const;

private:
    QString m_dir;
};

} // namespace Client
