// Quick Test runner for Messenger.Components: the module is linked in statically, so its
// resources are at qrc:/qt/qml and its plugin is imported here.
#include "AvatarImageProvider.h"

#include <QBuffer>
#include <QImage>
#include <QQmlEngine>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest/quicktest.h>

Q_IMPORT_QML_PLUGIN(Messenger_ComponentsPlugin)
Q_IMPORT_QML_PLUGIN(Messenger_MediaPlugin)

class Setup : public QObject
{
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        // image://avatar (tst_avatar.qml) with two scripted blobs instead of an account's: "a…a"
        // is a red 64×48 PNG, "b…b" bytes that are no image; any other id is unknown.
        App::AvatarImageProvider::installOn(engine);
        App::AvatarImageProvider::removeSource(this);
        App::AvatarImageProvider::addSource(this, [](const QString &blobId) {
            QByteArray bytes;
            if (blobId == QString(26, u'a')) {
                QImage red(64, 48, QImage::Format_RGB32);
                red.fill(Qt::red);
                QBuffer png(&bytes);
                png.open(QIODevice::WriteOnly);
                red.save(&png, "PNG");
            } else if (blobId == QString(26, u'b')) {
                bytes = QByteArrayLiteral("\x89PNG\r\n\x1a\n not really");
            } else {
                return std::unique_ptr<QIODevice>();
            }
            auto device = std::make_unique<QBuffer>();
            device->setData(bytes);
            device->open(QIODevice::ReadOnly);
            return std::unique_ptr<QIODevice>(std::move(device));
        });
    }
};

QUICK_TEST_MAIN_WITH_SETUP(qml_components, Setup)

#include "tst_qml_components.moc"
