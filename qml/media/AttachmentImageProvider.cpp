#include "AttachmentImageProvider.h"

#include "media/ImagePrep.h"
#include "media/MediaTransfers.h"

#include <QBuffer>
#include <QHash>
#include <QMutex>
#include <QQmlEngine>
#include <QQuickTextureFactory>
#include <QRunnable>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace App {

namespace {

struct Known
{
    Client::MediaTransfers *transfers = nullptr;
    Protocol::Body::Attachment attachment;
};

QMutex registryMutex;
QHash<QString, Known> &registry()
{
    static QHash<QString, Known> known; // by blobId; guarded by registryMutex
    return known;
}

std::optional<Known> lookUp(const QString &blobId)
{
    const QMutexLocker lock(&registryMutex);
    const auto it = registry().constFind(blobId);
    if (it == registry().cend())
        return std::nullopt;
    return *it;
}

class Response : public QQuickImageResponse, public QRunnable
{
public:
    Response(AttachmentImageProvider::Source source, const QString &id, QSize requested)
        : m_source(source)
        , m_id(id.section(u'?', 0, 0))
        , m_requested(requested)
    {
        setAutoDelete(false);
    }

    void run() override
    {
        m_image = m_source == AttachmentImageProvider::Source::Thumbnail ? thumbnail() : blob();
        Q_EMIT finished();
    }

    QQuickTextureFactory *textureFactory() const override
    {
        return QQuickTextureFactory::textureFactoryForImage(m_image);
    }
    QString errorString() const override { return m_error; }

private:
    int longSide() const
    {
        const int requested = std::max(m_requested.width(), m_requested.height());
        return requested > 0 ? std::min(requested, AttachmentImageProvider::MaxLongSide)
                             : AttachmentImageProvider::MaxLongSide;
    }

    QImage thumbnail()
    {
        QByteArray bytes = QByteArray::fromBase64(m_id.toLatin1(), QByteArray::Base64UrlEncoding);
        if (bytes.isEmpty() || bytes.size() > Protocol::Body::Limits::MaxThumbnailBytes
            || !bytes.startsWith("\xff\xd8\xff")) {
            m_error = u"not a thumbnail"_s;
            return {};
        }
        QBuffer buffer(&bytes);
        buffer.open(QIODevice::ReadOnly);
        return Client::ImagePrep::decode(&buffer, Protocol::Body::Limits::MaxDimension, &m_error);
    }

    QImage blob()
    {
        const std::optional<Known> known = lookUp(m_id);
        if (!known || !known->transfers) {
            m_error = u"unknown attachment"_s;
            return {};
        }
        const std::unique_ptr<QIODevice> device = known->transfers->open(known->attachment);
        if (!device) {
            m_error = u"the attachment is not downloaded or is damaged"_s;
            return {};
        }
        return Client::ImagePrep::decode(device.get(), longSide(), &m_error);
    }

    AttachmentImageProvider::Source m_source;
    QString m_id;
    QSize m_requested;
    QImage m_image;
    QString m_error;
};

} // namespace

AttachmentImageProvider::AttachmentImageProvider(Source source)
    : m_source(source)
{
}

QQuickImageResponse *AttachmentImageProvider::requestImageResponse(const QString &id,
                                                                   const QSize &requestedSize)
{
    auto *response = new Response(m_source, id, requestedSize);
    QThreadPool::globalInstance()->start(response);
    return response;
}

void AttachmentImageProvider::installOn(QQmlEngine *engine)
{
    if (!engine)
        return;
    if (!engine->imageProvider(u"attachment"_s))
        engine->addImageProvider(u"attachment"_s, new AttachmentImageProvider(Source::Blob));
    if (!engine->imageProvider(u"attachment-thumb"_s))
        engine->addImageProvider(u"attachment-thumb"_s,
                                 new AttachmentImageProvider(Source::Thumbnail));
}

void AttachmentImageProvider::remember(Client::MediaTransfers *transfers,
                                       const Protocol::Body::Attachment &attachment)
{
    const QMutexLocker lock(&registryMutex);
    registry().insert(attachment.blobId, Known {transfers, attachment});
}

void AttachmentImageProvider::forget(Client::MediaTransfers *transfers)
{
    const QMutexLocker lock(&registryMutex);
    registry().removeIf([transfers](const auto &it) { return it.value().transfers == transfers; });
}

} // namespace App
