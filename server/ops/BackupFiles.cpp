#include "BackupFiles.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

namespace Server::Ops::BackupFiles {

namespace {

constexpr qint64 ChunkSize = 1 << 20;

[[noreturn]] void failIo(const QString &what, const QString &path, const QString &reason)
{
    throw BackupError(BackupExit::Failed,
                      QStringLiteral("cannot %1 %2: %3").arg(what, path, reason));
}

} // namespace

BackupFile digest(const QString &path, const QString &manifestPath)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        failIo(QStringLiteral("read"), path, file.errorString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        failIo(QStringLiteral("read"), path, file.errorString());
    return {manifestPath, file.size(), hash.result().toHex()};
}

BackupFile copy(const QString &from, const QString &to, const QString &manifestPath,
                const BackupFile *expected)
{
    QFile source(from);
    if (!source.open(QIODevice::ReadOnly))
        failIo(QStringLiteral("read"), from, source.errorString());
    const qint64 sizeBefore = source.size();
    if (!QDir().mkpath(QFileInfo(to).absolutePath()))
        failIo(QStringLiteral("create the folder of"), to, QStringLiteral("mkdir failed"));
    QSaveFile target(to);
    if (!target.open(QIODevice::WriteOnly))
        failIo(QStringLiteral("write"), to, target.errorString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 copied = 0;
    QByteArray buffer;
    while (!(buffer = source.read(ChunkSize)).isEmpty()) {
        hash.addData(buffer);
        if (target.write(buffer) != buffer.size())
            failIo(QStringLiteral("write"), to, target.errorString());
        copied += buffer.size();
    }
    if (source.error() != QFileDevice::NoError)
        failIo(QStringLiteral("read"), from, source.errorString());
    const qint64 sizeAfter = QFileInfo(from).size();
    if (copied != sizeBefore || sizeAfter != sizeBefore)
        throw BackupError(BackupExit::Failed,
                          QStringLiteral("%1 changed while it was copied (%2 bytes, then %3; "
                                         "%4 copied)")
                              .arg(from)
                              .arg(sizeBefore)
                              .arg(sizeAfter)
                              .arg(copied));
    BackupFile result {manifestPath, copied, hash.result().toHex()};
    if (expected && (expected->size != result.size || expected->sha256 != result.sha256))
        throw BackupError(
            BackupExit::DigestMismatch,
            QStringLiteral("%1 does not match the manifest (size or SHA-256)").arg(manifestPath));
    if (!target.flush() || ::fsync(target.handle()) != 0)
        failIo(QStringLiteral("flush"), to, target.errorString());
    if (!target.commit())
        failIo(QStringLiteral("write"), to, target.errorString());
    return result;
}

QStringList filesUnder(const QString &folder)
{
    QStringList files;
    const QDir root(folder);
    QDirIterator it(folder,
                    QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info = it.nextFileInfo();
        if (info.isSymLink())
            throw BackupError(BackupExit::Failed,
                              QStringLiteral("%1 is a symbolic link; the blob folder holds only "
                                             "files")
                                  .arg(info.filePath()));
        if (info.isFile())
            files.append(root.relativeFilePath(info.filePath()));
        else if (!info.isDir())
            throw BackupError(BackupExit::Failed,
                              QStringLiteral("%1 is not a regular file").arg(info.filePath()));
    }
    std::sort(files.begin(), files.end());
    return files;
}

void syncFolder(const QString &folder)
{
    const int fd =
        ::open(QFile::encodeName(folder).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace Server::Ops::BackupFiles
