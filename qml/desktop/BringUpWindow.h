#pragma once

#include <QWindow>

namespace App {

//! Shows the window in front, un-minimised and focused: what a click on a notification or on
//! the tray icon does.
inline void bringUpWindow(QWindow *window)
{
    if (!window)
        return;
    if (window->windowStates() & Qt::WindowMinimized)
        window->setWindowStates(window->windowStates() & ~Qt::WindowMinimized);
    window->show();
    window->raise();
    window->requestActivate();
}

} // namespace App
