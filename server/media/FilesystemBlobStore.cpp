#include "FilesystemBlobStore.h"

#include "protocol/Protocol.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <openssl/evp.h>

namespace Server {

namespace {

//! Written bytes are handed to the disk every this many bytes while an upload runs, so the final
//! fdatasync has little left and does not hold the disk for a whole blob's worth of writes (which
//! stalled the database's commits on the same disk: +38 ms send p99 during uploads).
constexpr qint64 WriteBehindBytes = 4 << 20;

//! A running SHA-256 with OpenSSL's EVP (SHA-NI where the CPU has it): Qt 6.4's
//! QCryptographicHash ran at a tenth of the speed and was 65 % of messengerd's CPU during uploads.
class Sha256
{
public:
    Sha256()
        : m_context(EVP_MD_CTX_new())
    {
        if (!m_context || EVP_DigestInit_ex(m_context, EVP_sha256(), nullptr) != 1)
            qFatal("OpenSSL's SHA-256 is not available");
    }
    ~Sha256() { EVP_MD_CTX_free(m_context); }
    Sha256(const Sha256 &) = delete;
    Sha256 &operator=(const Sha256 &) = delete;

    void add(QByteArrayView data)
    {
        if (EVP_DigestUpdate(m_context, data.data(), size_t(data.size())) != 1)
            qFatal("SHA-256 update failed");
    }
    //! The digest so far; the running hash goes on (it is computed on a copy).
    QByteArray result() const
    {
        EVP_MD_CTX *copy = EVP_MD_CTX_new();
        QByteArray digest(EVP_MAX_MD_SIZE, Qt::Uninitialized);
        unsigned int size = 0;
        if (!copy || EVP_MD_CTX_copy_ex(copy, m_context) != 1
            || EVP_DigestFinal_ex(copy, reinterpret_cast<unsigned char *>(digest.data()), &size)
                != 1)
            qFatal("SHA-256 final failed");
        EVP_MD_CTX_free(copy);
        digest.truncate(int(size));
        return digest;
    }

private:
    EVP_MD_CTX *m_context;
};

QString systemError(const QString &what)
{
    return QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(std::strerror(errno)));
}

bool syncFolder(const QString &path, QString *error)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *error = systemError(QStringLiteral("cannot open the folder %1").arg(path));
        return false;
    }
    const bool ok = ::fsync(fd) == 0;
    if (!ok)
        *error = systemError(QStringLiteral("cannot sync the folder %1").arg(path));
    ::close(fd);
    return ok;
}

class FileUpload : public BlobStore::Upload
{
public:
    FileUpload(int fd, qint64 received, std::unique_ptr<Sha256> hash, QString partial,
               QString finished, QString folder)
        : m_fd(fd)
        , m_received(received)
        , m_handedToDisk(received)
        , m_hash(std::move(hash))
        , m_partial(std::move(partial))
        , m_finished(std::move(finished))
        , m_folder(std::move(folder))
    {
    }
    ~FileUpload() override
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }

    qint64 received() const override { return m_received; }

    bool append(QByteArrayView data, QString *error) override
    {
        qint64 done = 0;
        while (done < data.size()) {
            const ssize_t n = ::pwrite(m_fd, data.data() + done, size_t(data.size() - done),
                                       off_t(m_received + done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                *error = systemError(QStringLiteral("cannot write %1").arg(m_partial));
                return false;
            }
            done += n;
        }
        m_hash->add(data);
        m_received += data.size();
        writeBehind();
        return true;
    }

    QByteArray sha256() const override
    {
        // Asked once, after the last chunk: nothing is added to the running hash afterwards.
        return m_hash->result();
    }

    // Starts the writeback of what was written since the last time, without waiting for it
    // (PostgreSQL's backend_flush_after does the same). Only a hint: a failure here is seen by
    // the final fdatasync.
    void writeBehind()
    {
        if (m_received - m_handedToDisk < WriteBehindBytes)
            return;
        ::sync_file_range(m_fd, off_t(m_handedToDisk), off_t(m_received - m_handedToDisk),
                          SYNC_FILE_RANGE_WRITE);
        m_handedToDisk = m_received;
    }

    bool finish(QString *error) override
    {
        if (::fdatasync(m_fd) != 0) {
            *error = systemError(QStringLiteral("cannot sync %1").arg(m_partial));
            return false;
        }
        ::close(m_fd);
        m_fd = -1;
        if (!QDir().mkpath(m_folder)) {
            *error = QStringLiteral("cannot create the folder %1").arg(m_folder);
            return false;
        }
        if (::rename(QFile::encodeName(m_partial).constData(),
                     QFile::encodeName(m_finished).constData())
            != 0) {
            *error = systemError(QStringLiteral("cannot rename %1").arg(m_partial));
            return false;
        }
        return syncFolder(m_folder, error);
    }

private:
    int m_fd;
    qint64 m_received;
    qint64 m_handedToDisk; //!< bytes whose writeback has been started
    std::unique_ptr<Sha256> m_hash;
    QString m_partial;
    QString m_finished;
    QString m_folder;
};

} // namespace

FilesystemBlobStore::FilesystemBlobStore(QString root)
    : m_root(std::move(root))
{
}

bool FilesystemBlobStore::open(QString *error)
{
    if (!QDir().mkpath(m_root + QStringLiteral("/partial"))) {
        *error = QStringLiteral("cannot create the blob folder %1").arg(m_root);
        return false;
    }
    QFile::setPermissions(m_root,
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return true;
}

QString FilesystemBlobStore::partialPath(const QString &id) const
{
    return m_root + QStringLiteral("/partial/") + id;
}

QString FilesystemBlobStore::finishedFolder(const QString &id) const
{
    return m_root + QLatin1Char('/') + id.left(2) + QLatin1Char('/') + id.mid(2, 2);
}

QString FilesystemBlobStore::finishedPath(const QString &id) const
{
    return finishedFolder(id) + QLatin1Char('/') + id;
}

std::unique_ptr<BlobStore::Upload> FilesystemBlobStore::openUpload(const QString &id,
                                                                   QString *error)
{
    if (!Protocol::isValidBlobId(id)) { // paths are built from server ids only; never trust
        *error = QStringLiteral("not a blob id");
        return nullptr;
    }
    const QString path = partialPath(id);
    const QByteArray name = QFile::encodeName(path);
    int fd = ::open(name.constData(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        fd = ::open(name.constData(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        *error = systemError(QStringLiteral("cannot open %1").arg(path));
        return nullptr;
    }
    struct stat info = {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        *error = systemError(QStringLiteral("cannot use %1").arg(path));
        ::close(fd);
        return nullptr;
    }
    // After a restart the offset is what the file really holds; the hash is rebuilt from it.
    auto hash = std::make_unique<Sha256>();
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    qint64 offset = 0;
    while (offset < info.st_size) {
        const ssize_t n = ::pread(fd, buffer.data(), size_t(buffer.size()), off_t(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *error = systemError(QStringLiteral("cannot read %1").arg(path));
            ::close(fd);
            return nullptr;
        }
        hash->add(QByteArrayView(buffer.constData(), n));
        offset += n;
    }
    return std::make_unique<FileUpload>(fd, qint64(info.st_size), std::move(hash), path,
                                        finishedPath(id), finishedFolder(id));
}

qint64 FilesystemBlobStore::partialSize(const QString &id) const
{
    struct stat info = {};
    if (!Protocol::isValidBlobId(id)
        || ::lstat(QFile::encodeName(partialPath(id)).constData(), &info) != 0
        || !S_ISREG(info.st_mode))
        return -1;
    return qint64(info.st_size);
}

bool FilesystemBlobStore::isFinished(const QString &id) const
{
    struct stat info = {};
    return Protocol::isValidBlobId(id)
        && ::lstat(QFile::encodeName(finishedPath(id)).constData(), &info) == 0
        && S_ISREG(info.st_mode);
}

std::optional<QByteArray> FilesystemBlobStore::read(const QString &id, qint64 offset, qint64 length,
                                                    QString *error) const
{
    QByteArray data(length, Qt::Uninitialized);
    const qint64 done = readInto(id, offset, data.data(), length, error);
    if (done < 0)
        return std::nullopt;
    data.truncate(done);
    return data;
}

qint64 FilesystemBlobStore::readInto(const QString &id, qint64 offset, char *buffer, qint64 length,
                                     QString *error) const
{
    if (!Protocol::isValidBlobId(id)) {
        *error = QStringLiteral("not a blob id");
        return -1;
    }
    const QString path = finishedPath(id);
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *error = systemError(QStringLiteral("cannot open %1").arg(path));
        return -1;
    }
    qint64 done = 0;
    while (done < length) {
        const ssize_t n = ::pread(fd, buffer + done, size_t(length - done), off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = systemError(QStringLiteral("cannot read %1").arg(path));
            ::close(fd);
            return -1;
        }
        if (n == 0)
            break; // the end of the blob
        done += n;
    }
    ::close(fd);
    return done;
}

void FilesystemBlobStore::remove(const QString &id)
{
    if (!Protocol::isValidBlobId(id))
        return;
    ::unlink(QFile::encodeName(partialPath(id)).constData());
    ::unlink(QFile::encodeName(finishedPath(id)).constData());
}

qint64 FilesystemBlobStore::freeBytes() const
{
    struct statvfs info = {};
    if (::statvfs(QFile::encodeName(m_root).constData(), &info) != 0)
        return -1;
    return qint64(info.f_bavail) * qint64(info.f_frsize);
}

QStringList FilesystemBlobStore::allIds() const
{
    QStringList ids;
    QDirIterator it(m_root, QDir::Files | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QString name = it.fileName();
        if (Protocol::isValidBlobId(name))
            ids.append(name);
    }
    return ids;
}

} // namespace Server
