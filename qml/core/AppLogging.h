#pragma once

#include <QLoggingCategory>

namespace App {

// One category per module of the app, so each can be switched on alone with
// QT_LOGGING_RULES="messenger.app.settings.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcShell)
Q_DECLARE_LOGGING_CATEGORY(lcOnboarding)
Q_DECLARE_LOGGING_CATEGORY(lcChats)
Q_DECLARE_LOGGING_CATEGORY(lcGroups)
Q_DECLARE_LOGGING_CATEGORY(lcSettings)
Q_DECLARE_LOGGING_CATEGORY(lcDesktop)

} // namespace App
