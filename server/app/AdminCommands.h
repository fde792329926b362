#pragma once

#include "core/ServerConfig.h"

#include <QStringList>

class QCommandLineParser;

namespace Server {

//! messengerd's admin subcommands: `user add`, `user list`, `user reset-password`,
//! `invite create`. They work on the database directly, also while the server runs.
namespace AdminCommands {

void addOptions(QCommandLineParser &parser);
//! Runs the subcommand named by the positional arguments; returns the process exit code.
int run(const QStringList &arguments, const QCommandLineParser &parser, const ServerConfig &config);

} // namespace AdminCommands

} // namespace Server
