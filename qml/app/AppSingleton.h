#pragma once

#include "AppController.h"

#include <QQmlEngine>

namespace App {

//! The App singleton (AppController) for an object that QML made: the one that exists, or the
//! one the object's engine makes now. An object declared in Main.qml may be constructed before
//! any binding asked the engine for App, so AppController::instance() alone can still be null.
inline AppController *appSingleton(const QObject *object)
{
    if (AppController *app = AppController::instance())
        return app;
    QQmlEngine *engine = qmlEngine(object);
    const int type = qmlTypeId("Messenger.App", 1, 0, "App");
    return engine && type >= 0 ? engine->singletonInstance<AppController *>(type) : nullptr;
}

} // namespace App
