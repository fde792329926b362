#pragma once

#include <QIcon>

namespace App {

//! The app's id: the name of its .desktop file, AppStream component and icon (reverse DNS, lower
//! case, as AppStream asks). resources/ spells it the same way.
inline constexpr char AppId[] = "im.selfhosted.messenger";

//! The app's icon as bundled in the executable (resources/icons/hicolor, every PNG size): the
//! same whether or not the app is installed, for drawing on (the tray's badge).
QIcon bundledAppIcon();

//! The icon for the window: the installed theme's (hicolor, or a theme that restyles it) when
//! there is one, the bundled one otherwise (a build run from build/).
QIcon appIcon();

} // namespace App
