#include "AppLogging.h"

Q_LOGGING_CATEGORY(lcApp, "messenger.app")
