#pragma once

#include "ServerConfig.h"

#include <QProcessEnvironment>

class QCommandLineParser;

namespace Server {

//! Reads a ServerConfig from, in rising precedence: built-in defaults, an INI config file
//! (--config, keys named like the long options), MESSENGERD_* environment variables (the option
//! name upper-cased with '-' as '_', e.g. MESSENGERD_DB_HOST) and the command line.
namespace ConfigLoader {

void addOptions(QCommandLineParser &parser);
//! Every option's name, which is also its key in the config file.
QStringList optionNames();
//! False with a human-readable reason when a value is invalid.
bool load(const QCommandLineParser &parser, const QProcessEnvironment &environment,
          ServerConfig *config, QString *error);

} // namespace ConfigLoader

} // namespace Server
