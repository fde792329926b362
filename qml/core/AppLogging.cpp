#include "AppLogging.h"

namespace App {

Q_LOGGING_CATEGORY(lcShell, "messenger.app.shell")
Q_LOGGING_CATEGORY(lcOnboarding, "messenger.app.onboarding")
Q_LOGGING_CATEGORY(lcChats, "messenger.app.chats")
Q_LOGGING_CATEGORY(lcGroups, "messenger.app.groups")
Q_LOGGING_CATEGORY(lcSettings, "messenger.app.settings")
Q_LOGGING_CATEGORY(lcDesktop, "messenger.app.desktop")

} // namespace App
