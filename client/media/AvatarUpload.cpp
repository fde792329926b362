#include "AvatarUpload.h"

#include "ClientLogging.h"
#include "account/Account.h"
#include "api/ProfileApi.h"
#include "media/Avatars.h"
#include "media/BlobCipher.h"
#include "media/MediaTransfers.h"
#include "media/TransferClient.h"
#include "protocol/Requests.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImageWriter>
#include <QPainter>
#include <QPointer>
#include <QSaveFile>
#include <QTimer>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>

namespace Client {

using namespace Qt::StringLiterals;
namespace Body = Protocol::Body;

namespace AvatarUpload {

QByteArray encodeImage(const QImage &image)
{
    if (image.isNull())
        return {};
    const int side = std::min(image.width(), image.height());
    const QRect square((image.width() - side) / 2, (image.height() - side) / 2, side, side);
    // Painted into a fresh image: nothing the source carried (EXIF, XMP, comments, ICC profile,
    // text) goes along; transparent corners become white, as JPEG has no alpha.
    QImage out(Side, Side, QImage::Format_RGB32);
    out.fill(Qt::white);
    QImage pixels = image.copy(square);
    pixels.setDevicePixelRatio(1);
    {
        QPainter painter(&out);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(QRect(0, 0, Side, Side), pixels);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "jpeg");
    writer.setQuality(JpegQuality);
    if (!writer.write(out))
        return {};
    return bytes;
}

namespace {

//! What the worker made of the picture: the descriptor (no blob id yet) and the ciphertext.
struct Prepared
{
    Body::Attachment descriptor;
    QByteArray cipher;
};

Prepared prepare(const QImage &image)
{
    Prepared prepared;
    const QByteArray jpeg = encodeImage(image);
    if (jpeg.isEmpty())
        return prepared;
    Body::Attachment &d = prepared.descriptor;
    d.key = Media::newBlobKey();
    Media::BlobEncryptor encryptor(d.key);
    prepared.cipher = encryptor.update(jpeg);
    prepared.cipher += encryptor.finish();
    d.sha256 = encryptor.sha256();
    d.size = jpeg.size();
    d.cipherSize = prepared.cipher.size();
    d.kind = Body::AttachmentKind::Image;
    d.mime = u"image/jpeg"_s;
    d.width = Side;
    d.height = Side;
    return prepared;
}

Reply localError(Reply::Origin origin, Protocol::ErrorCode code, const QString &message,
                 const QString &field = {})
{
    Reply reply;
    reply.origin = origin;
    reply.error = code;
    reply.message = message;
    reply.field = field;
    return reply;
}

//! One picture on its way: encrypt, upload, cache, then the request that sets it (`apply`,
//! whose Request's answer finishes `result`). Deletes itself when done.
class Job : public QObject
{
public:
    using Apply = std::function<Request *(const Body::Attachment &)>;

    Job(Account *account, QLatin1StringView type, Apply apply)
        : QObject(account->avatars())
        , m_account(account)
        , m_transfer(account->media()->transferClient())
        , m_apply(std::move(apply))
        , m_result(new Request(type, 0, account->avatars()))
    {
        m_timeout.setSingleShot(true);
        m_timeout.setInterval(ConnectTimeoutMs);
        connect(&m_timeout, &QTimer::timeout, this, [this] {
            done(localError(Reply::Origin::TimedOut, Protocol::ErrorCode::None,
                            u"the transfer connection did not come up"_s));
        });
    }

    Request *result() const { return m_result; }

    void start(const QImage &image)
    {
        if (!m_account->connection()->isSignedIn()) {
            // Finished later, from the event loop, as every Request is.
            QTimer::singleShot(0, this, [this] {
                done(localError(Reply::Origin::NotConnected, Protocol::ErrorCode::None,
                                u"not connected"_s));
            });
            return;
        }
        QtConcurrent::run(&prepare, image).then(this, [this](const Prepared &prepared) {
            if (prepared.cipher.isEmpty())
                return done(localError(Reply::Origin::Server, Protocol::ErrorCode::InvalidField,
                                       u"the picture cannot be used"_s, u"image"_s));
            if (prepared.cipher.size() > Protocol::Limits::MaxAvatarBlobBytes)
                return done(localError(Reply::Origin::Server, Protocol::ErrorCode::TooLarge,
                                       u"the picture is too large"_s, u"image"_s));
            m_prepared = prepared;
            connect(m_transfer, &TransferClient::ready, this, &Job::create);
            connect(m_transfer, &TransferClient::lost, this, [this] {
                if (m_started)
                    done(localError(Reply::Origin::ConnectionLost, Protocol::ErrorCode::None,
                                    u"the transfer connection was lost"_s));
            });
            m_transfer->setBusy(this, true);
            if (m_transfer->isReady())
                create();
            else
                m_timeout.start();
        });
    }

private:
    void create()
    {
        if (m_started)
            return;
        m_started = true;
        m_timeout.stop();
        const QCborMap fields {{"size"_L1, m_prepared.descriptor.cipherSize},
                               {"sha256"_L1, m_prepared.descriptor.sha256},
                               {"clientId"_L1, QUuid::createUuid().toString(QUuid::WithoutBraces)}};
        connect(m_transfer->send(Protocol::Request::CreateBlob, fields), &Request::finished, this,
                [this](const Reply &reply) {
                    if (!reply.isOk())
                        return done(reply);
                    const QString blobId = reply.body.value("blobId"_L1).toString();
                    const qint64 offset = reply.body.value("offset"_L1).toInteger();
                    m_chunkBytes = std::clamp<qint64>(reply.body.value("chunkBytes"_L1).toInteger(),
                                                      1, Protocol::Limits::BlobChunkBytes);
                    if (!Protocol::isValidBlobId(blobId) || offset < 0
                        || offset > m_prepared.cipher.size())
                        return done(localError(Reply::Origin::Server, Protocol::ErrorCode::Internal,
                                               u"the server answered blob.create with nonsense"_s));
                    m_prepared.descriptor.blobId = blobId;
                    put(offset);
                });
    }

    // One chunk at a time: an avatar is at most a few chunks.
    void put(qint64 offset)
    {
        if (offset >= m_prepared.cipher.size())
            return confirm(0);
        if (m_transfer->freeChunkSlots() <= 0) {
            m_waitForSlot =
                connect(m_transfer, &TransferClient::chunkSlotFree, this, [this, offset] {
                    disconnect(m_waitForSlot);
                    put(offset);
                });
            return;
        }
        const QByteArray data = m_prepared.cipher.mid(offset, m_chunkBytes);
        const QCborMap fields {
            {"blobId"_L1, m_prepared.descriptor.blobId}, {"offset"_L1, offset}, {"data"_L1, data}};
        connect(m_transfer->sendChunk(Protocol::Request::PutBlob, fields), &Request::finished, this,
                [this, next = offset + data.size()](const Reply &reply) {
                    if (!reply.isOk())
                        return done(reply);
                    if (reply.body.value("complete"_L1).toBool())
                        return uploaded();
                    put(std::max(next, qint64(reply.body.value("offset"_L1).toInteger())));
                });
    }

    // Every byte is there but the server did not say complete yet (it may still be writing).
    void confirm(int attempt)
    {
        connect(m_transfer->send(Protocol::Request::BlobStatus,
                                 {{"blobId"_L1, m_prepared.descriptor.blobId}}),
                &Request::finished, this, [this, attempt](const Reply &reply) {
                    if (!reply.isOk())
                        return done(reply);
                    if (reply.body.value("complete"_L1).toBool())
                        return uploaded();
                    if (attempt >= 20)
                        return done(localError(Reply::Origin::TimedOut, Protocol::ErrorCode::None,
                                               u"the server did not complete the upload"_s));
                    QTimer::singleShot(100 * (attempt + 1), this,
                                       [this, attempt] { confirm(attempt + 1); });
                });
    }

    void uploaded()
    {
        // The transfer connection may close now (it does when idle): that is no failure.
        disconnect(m_transfer, nullptr, this, nullptr);
        m_transfer->setBusy(this, false);
        // The own copy, so that this picture never downloads: ciphertext under its blob id.
        const QString path = m_account->media()->cache().blobPath(m_prepared.descriptor.blobId);
        QtConcurrent::run([path, cipher = m_prepared.cipher] {
            QDir().mkpath(QFileInfo(path).absolutePath());
            QSaveFile file(path);
            return file.open(QIODevice::WriteOnly) && file.write(cipher) == cipher.size()
                && file.commit();
        }).then(this, [this](bool cached) {
            if (!cached)
                qCWarning(lcClientMedia) << "cannot keep the new avatar in the media cache";
            Request *request = m_apply(m_prepared.descriptor);
            connect(request, &Request::finished, this, [this](const Reply &reply) { done(reply); });
        });
    }

    void done(const Reply &reply)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_timeout.stop();
        m_transfer->setBusy(this, false);
        if (!reply.isOk())
            qCInfo(lcClientMedia).noquote() << "setting an avatar failed:" << reply.describe();
        if (m_result)
            m_result->finish(reply);
        deleteLater();
    }

    Account *m_account;
    TransferClient *m_transfer;
    Apply m_apply;
    QPointer<Request> m_result;
    Prepared m_prepared;
    qint64 m_chunkBytes = Protocol::Limits::BlobChunkBytes;
    QTimer m_timeout;
    QMetaObject::Connection m_waitForSlot;
    bool m_started = false;
    bool m_finished = false;
};

Protocol::ProfileInfo profileOf(const QCborMap &body)
{
    return Protocol::ProfileInfo::fromCbor(body.value("user"_L1).toMap());
}

} // namespace

ApiCall<Protocol::ProfileInfo> setProfileAvatar(Account *account, const QImage &image)
{
    auto *job = new Job(account, Protocol::Request::UpdateProfile,
                        [account](const Body::Attachment &descriptor) {
                            return ProfileApi(account->connection(), account->store())
                                .setAvatar(descriptor)
                                .request();
                        });
    Request *result = job->result();
    job->start(image);
    return {result, &profileOf};
}

ApiCall<GroupChange> setGroupAvatar(Account *account, qint64 conversationId, const QImage &image)
{
    auto *job = new Job(
        account, Protocol::Request::SetGroupAvatar,
        [account, conversationId](const Body::Attachment &descriptor) {
            return GroupApi(account->connection()).setAvatar(conversationId, descriptor).request();
        });
    Request *result = job->result();
    job->start(image);
    return {result, &GroupChange::fromBody};
}

} // namespace AvatarUpload

} // namespace Client
