#include "AppLogging.h"

namespace App {

Q_LOGGING_CATEGORY(lcApp, "messenger.app")

} // namespace App
