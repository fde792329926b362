#include "PhotoFile.h"

#include "media/ImagePrep.h"

#include <QCoreApplication>
#include <QFile>
#include <QtConcurrent/QtConcurrentRun>

namespace App::PhotoFile {

Loaded loadNow(const QUrl &file)
{
    const QString path = file.isLocalFile() ? file.toLocalFile() : file.toString();
    QFile in(path);
    if (path.isEmpty() || !in.open(QIODevice::ReadOnly)) {
        return {{},
                QCoreApplication::translate("PhotoFile", "The file cannot be read: %1")
                    .arg(in.errorString())};
    }
    QString why;
    QImage image = Client::ImagePrep::decode(&in, MaxLongSide, &why);
    if (image.isNull()) {
        return {{},
                QCoreApplication::translate("PhotoFile", "This file cannot be used as a photo: %1")
                    .arg(why)};
    }
    return {std::move(image), {}};
}

QFuture<Loaded> load(const QUrl &file)
{
    return QtConcurrent::run(loadNow, file);
}

} // namespace App::PhotoFile
