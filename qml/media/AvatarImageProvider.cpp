#include "AvatarImageProvider.h"

#include "media/ImagePrep.h"
#include "protocol/Protocol.h"

#include <QIODevice>
#include <QList>
#include <QMutex>
#include <QPainter>
#include <QQmlEngine>
#include <QQuickTextureFactory>
#include <QRunnable>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace App {

namespace {

struct Source
{
    const void *owner = nullptr;
    AvatarImageProvider::Opener open;
};

QMutex sourcesMutex;
QList<Source> &sources()
{
    static QList<Source> list; // guarded by sourcesMutex
    return list;
}

std::unique_ptr<QIODevice> openBlob(const QString &blobId)
{
    const QMutexLocker lock(&sourcesMutex);
    for (const Source &source : std::as_const(sources())) {
        if (std::unique_ptr<QIODevice> device = source.open(blobId))
            return device;
    }
    return nullptr;
}

class Response : public QQuickImageResponse, public QRunnable
{
public:
    Response(const QString &id, QSize requested)
        : m_blobId(id.section(u'?', 0, 0))
        , m_side(std::max(requested.width(), requested.height()))
    {
        setAutoDelete(false);
        if (m_side <= 0)
            m_side = AvatarImageProvider::DefaultSide;
        m_side = std::min(m_side, AvatarImageProvider::MaxSide);
    }

    void run() override
    {
        m_image = picture();
        Q_EMIT finished();
    }

    QQuickTextureFactory *textureFactory() const override
    {
        return QQuickTextureFactory::textureFactoryForImage(m_image);
    }
    QString errorString() const override { return m_error; }

private:
    QImage picture()
    {
        if (!Protocol::isValidBlobId(m_blobId)) {
            m_error = u"not a blob id"_s;
            return {};
        }
        const std::unique_ptr<QIODevice> device = openBlob(m_blobId);
        if (!device) {
            m_error = u"the picture is not downloaded or is damaged"_s;
            return {};
        }
        const QImage decoded =
            Client::ImagePrep::decode(device.get(), AvatarImageProvider::MaxSide, &m_error);
        return AvatarImageProvider::circle(decoded, m_side);
    }

    QString m_blobId;
    int m_side;
    QImage m_image;
    QString m_error;
};

} // namespace

QQuickImageResponse *AvatarImageProvider::requestImageResponse(const QString &id,
                                                               const QSize &requestedSize)
{
    auto *response = new Response(id, requestedSize);
    QThreadPool::globalInstance()->start(response);
    return response;
}

void AvatarImageProvider::installOn(QQmlEngine *engine)
{
    if (engine && !engine->imageProvider(u"avatar"_s))
        engine->addImageProvider(u"avatar"_s, new AvatarImageProvider);
}

void AvatarImageProvider::addSource(const void *owner, Opener open)
{
    const QMutexLocker lock(&sourcesMutex);
    sources().append(Source {owner, std::move(open)});
}

void AvatarImageProvider::removeSource(const void *owner)
{
    const QMutexLocker lock(&sourcesMutex);
    sources().removeIf([owner](const Source &source) { return source.owner == owner; });
}

QImage AvatarImageProvider::circle(const QImage &picture, int side)
{
    if (picture.isNull() || side <= 0)
        return {};
    const int square = std::min(picture.width(), picture.height());
    const QImage cropped =
        picture
            .copy((picture.width() - square) / 2, (picture.height() - square) / 2, square, square)
            .scaled(side, side, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    QImage round(side, side, QImage::Format_ARGB32_Premultiplied);
    round.fill(Qt::transparent);
    QPainter painter(&round);
    painter.setRenderHint(QPainter::Antialiasing);
    // An antialiased disc, then the picture only where the disc is: a clip path would cut
    // the edge without antialiasing.
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::white);
    painter.drawEllipse(QRectF(0, 0, side, side));
    painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
    painter.drawImage(0, 0, cropped);
    painter.end();
    return round;
}

} // namespace App
