#pragma once

#include <QLoggingCategory>

namespace Client {

// One category per module of the client core, so each can be switched on alone with
// QT_LOGGING_RULES="messenger.client.sync.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcClientConnection)
Q_DECLARE_LOGGING_CATEGORY(lcClientStore)
Q_DECLARE_LOGGING_CATEGORY(lcClientSync)
Q_DECLARE_LOGGING_CATEGORY(lcClientActivity)
Q_DECLARE_LOGGING_CATEGORY(lcClientModels)
Q_DECLARE_LOGGING_CATEGORY(lcClientAccount)
Q_DECLARE_LOGGING_CATEGORY(lcClientMedia)

} // namespace Client
