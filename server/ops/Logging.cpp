#include "Logging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

namespace Server {

Q_LOGGING_CATEGORY(lcOps, "messengerd.ops")

namespace Logging {

namespace {
Format activeFormat = Format::Readable;

void writeLine(const QByteArray &line)
{
    // One fwrite per line: journald reads stderr as lines, and lines of two threads must not mix.
    std::fwrite(line.constData(), 1, std::size_t(line.size()), stderr);
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString formatted = qFormatLogMessage(type, context, message);
    if (activeFormat == Format::Readable) {
        writeLine(formatted.toLocal8Bit() + '\n');
    } else {
        const QByteArray prefix = '<' + QByteArray::number(syslogPriority(type)) + '>';
        QByteArray out;
        // Every line gets the prefix: a continuation line would otherwise be logged as info.
        for (const QStringView line : QStringView(formatted).split(QLatin1Char('\n')))
            out += prefix + line.toUtf8() + '\n';
        writeLine(out);
    }
    std::fflush(stderr);
    if (type == QtFatalMsg)
        std::abort();
}
} // namespace

bool formatFromName(QStringView name, Format *format)
{
    if (name == QLatin1String("readable"))
        *format = Format::Readable;
    else if (name == QLatin1String("journal"))
        *format = Format::Journal;
    else if (name.isEmpty() || name == QLatin1String("auto"))
        *format = detectFormat();
    else
        return false;
    return true;
}

Format detectFormat()
{
    // systemd sets JOURNAL_STREAM=<device>:<inode> of the stream it connected; a child whose
    // stderr was redirected elsewhere inherits the variable, hence the comparison.
    const QByteArray stream = qgetenv("JOURNAL_STREAM");
    const qsizetype colon = stream.indexOf(':');
    struct stat info
    {
    };
    if (colon <= 0 || ::fstat(STDERR_FILENO, &info) != 0)
        return Format::Readable;
    bool deviceOk = false, inodeOk = false;
    const qulonglong device = stream.left(colon).toULongLong(&deviceOk);
    const qulonglong inode = stream.mid(colon + 1).toULongLong(&inodeOk);
    return deviceOk && inodeOk && device == qulonglong(info.st_dev)
            && inode == qulonglong(info.st_ino)
        ? Format::Journal
        : Format::Readable;
}

bool levelFromName(QStringView name, QtMsgType *level)
{
    if (name == QLatin1String("debug"))
        *level = QtDebugMsg;
    else if (name == QLatin1String("info"))
        *level = QtInfoMsg;
    else if (name == QLatin1String("warning"))
        *level = QtWarningMsg;
    else if (name == QLatin1String("critical"))
        *level = QtCriticalMsg;
    else
        return false;
    return true;
}

QLatin1StringView levelName(QtMsgType level)
{
    switch (level) {
    case QtDebugMsg:
        return QLatin1StringView("debug");
    case QtInfoMsg:
        return QLatin1StringView("info");
    case QtWarningMsg:
        return QLatin1StringView("warning");
    case QtCriticalMsg:
    case QtFatalMsg:
        break;
    }
    return QLatin1StringView("critical");
}

int syslogPriority(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 7;
    case QtInfoMsg:
        return 6;
    case QtWarningMsg:
        return 4;
    case QtCriticalMsg:
        return 2;
    case QtFatalMsg:
        break;
    }
    return 0;
}

void install(Format format)
{
    activeFormat = format;
    qInstallMessageHandler(handler);
}

void setLevel(QtMsgType level)
{
    // Filter rules rather than a check in the handler: a disabled category never even formats
    // its message. QT_LOGGING_RULES is applied after these, so it can still switch debug on.
    // QtMsgType is not ordered by severity (QtInfoMsg comes last): compare priorities.
    const int threshold = syslogPriority(level);
    QStringList rules;
    if (syslogPriority(QtDebugMsg) > threshold)
        rules << QStringLiteral("*.debug=false");
    if (syslogPriority(QtInfoMsg) > threshold)
        rules << QStringLiteral("*.info=false");
    if (syslogPriority(QtWarningMsg) > threshold)
        rules << QStringLiteral("*.warning=false");
    QLoggingCategory::setFilterRules(rules.join(QLatin1Char('\n')));
}

} // namespace Logging

} // namespace Server
