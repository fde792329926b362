#pragma once

#include <QList>
#include <QProcessEnvironment>
#include <QString>

class QCommandLineParser;

namespace Server {

//! `messengerd config check [--config FILE]`, like `prosodyctl check` or `nginx -t`: finds every
//! problem of a configuration, not only the first, and names the key (and line) of each.
namespace ConfigCheck {

struct Problem
{
    QString key; //!< the option, as written in the file; empty for the file itself
    int line = 0; //!< 1-based line in the file; 0 when the problem is not on one line
    QString message;
};

//! Checks the configuration that `parser` (with --config, if given) and `environment` make:
//! unknown keys and bad values in the file, TLS files readable and the key matching the
//! certificate, the data folder writable, PostgreSQL reachable with the given credentials.
QList<Problem> check(const QCommandLineParser &parser, const QProcessEnvironment &environment);

//! Prints each problem ("FILE:LINE: key: message") or "configuration OK"; the exit code: 0 when
//! fine, 1 otherwise.
int run(const QCommandLineParser &parser, const QProcessEnvironment &environment);

} // namespace ConfigCheck

} // namespace Server
