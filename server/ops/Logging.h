#pragma once

#include <QLoggingCategory>
#include <QString>

namespace Server {

//! Lifecycle, reload, systemd notification and the control socket.
Q_DECLARE_LOGGING_CATEGORY(lcOps)

//! How messengerd writes its log: every module has its category (messengerd.server,
//! .session, .database, .ops, …); the lines go to stderr, either readable (Qt's message pattern)
//! or for the journal, each line with a syslog priority prefix "<N>" that journald turns into
//! the entry's priority.
namespace Logging {

enum class Format { Readable, Journal };

//! "readable", "journal" or "auto" (journal when stderr is the journal: $JOURNAL_STREAM names
//! stderr's device and inode).
bool formatFromName(QStringView name, Format *format);
Format detectFormat();
//! "debug", "info", "warning", "critical".
bool levelFromName(QStringView name, QtMsgType *level);
QLatin1StringView levelName(QtMsgType level);

//! Installs the message handler.
void install(Format format);
//! Messages below this level are dropped (QT_LOGGING_RULES still wins, for debugging).
void setLevel(QtMsgType level);
//! The prefix a journal line gets: debug 7, info 6, warning 4, critical 2, fatal 0.
int syslogPriority(QtMsgType type);

} // namespace Logging

} // namespace Server
