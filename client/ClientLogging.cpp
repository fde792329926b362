#include "ClientLogging.h"

namespace Client {

Q_LOGGING_CATEGORY(lcClientConnection, "messenger.client.connection", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientStore, "messenger.client.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientSync, "messenger.client.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientActivity, "messenger.client.activity", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientModels, "messenger.client.models", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientAccount, "messenger.client.account", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientMedia, "messenger.client.media", QtInfoMsg)

} // namespace Client
