#pragma once

#include <QLoggingCategory>

namespace App {

Q_DECLARE_LOGGING_CATEGORY(lcApp)

} // namespace App
