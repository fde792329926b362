#include "AvatarImages.h"

#include "AvatarImageProvider.h"

namespace App {

AvatarImages::AvatarImages(QObject *parent)
    : QObject(parent)
{
}

void AvatarImages::classBegin()
{
    AvatarImageProvider::installOn(qmlEngine(this));
}

} // namespace App
