#include "AppIcon.h"

namespace App {

using namespace Qt::StringLiterals;

namespace {
// The PNGs the executable bundles (qml/desktop/CMakeLists.txt), rendered from the SVG. PNGs, not
// the SVG: Qt draws an SVG icon only with its SVG plugin, which the app does not need otherwise.
constexpr int BundledSizes[] = {16, 22, 24, 32, 48, 64, 128, 256, 512};
} // namespace

QIcon bundledAppIcon()
{
    // The files load when a size is first drawn, so this is cheap to make.
    QIcon icon;
    for (int size : BundledSizes)
        icon.addFile(u":/icons/%1x%1/apps/%2.png"_s.arg(size).arg(QLatin1String(AppId)),
                     QSize(size, size));
    return icon;
}

QIcon appIcon()
{
    return QIcon::fromTheme(QLatin1String(AppId), bundledAppIcon());
}

} // namespace App
