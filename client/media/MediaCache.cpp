#include "MediaCache.h"

#include <QDir>
#include <QFileInfo>

namespace Client {

using namespace Qt::StringLiterals;

MediaCache::MediaCache(const QString &dir)
    : m_dir(dir)
{
}

QString MediaCache::blobPath(const QString &blobId) const
{
    return QDir(m_dir).filePath(blobId + u".blob"_s);
}

QString MediaCache::partPath(const QString &blobId) const
{
    return QDir(m_dir).filePath(blobId + u".part"_s);
}

QString MediaCache::uploadPath(const QString &localId) const
{
    return QDir(m_dir).filePath(localId + u".blob"_s);
}

qint64 MediaCache::bytes() const
{
    qint64 total = 0;
    const QFileInfoList files = QDir(m_dir).entryInfoList(QDir::Files | QDir::Hidden);
    for (const QFileInfo &file : files)
        total += file.size();
    return total;
}

void MediaCache::clear(const QStringList &keep) const
{
    QStringList kept;
    for (const QString &path : keep)
        kept.append(QFileInfo(path).absoluteFilePath());
    const QFileInfoList files = QDir(m_dir).entryInfoList(QDir::Files | QDir::Hidden);
    for (const QFileInfo &file : files) {
        if (!kept.contains(file.absoluteFilePath()))
            QFile::remove(file.absoluteFilePath());
    }
}

} // namespace Client
