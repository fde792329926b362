#include "ServerHost.h"

#include "AppLogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QNetworkInterface>
#include <QRegularExpression>

namespace App {

using namespace Qt::StringLiterals;

ServerHost::ServerHost(QObject *parent)
    : QObject(parent)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    connect(&m_process, &QProcess::readyRead, this, &ServerHost::onOutput);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError) {
        if (!m_announced)
            Q_EMIT failed(tr("Could not start messengerd: %1").arg(m_process.errorString()));
    });
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) {
        if (!m_stopping)
            qCWarning(lcOnboarding) << "messengerd exited with" << code;
        if (!m_announced) {
            const QString output = QString::fromUtf8(m_output).trimmed();
            Q_EMIT failed(output.isEmpty() ? tr("messengerd stopped (exit code %1)").arg(code)
                                           : output);
        }
        m_announced = false;
        m_stopping = false;
    });
}

ServerHost::~ServerHost()
{
    stop();
}

QString ServerHost::executablePath()
{
    QString besideApp = QDir(QCoreApplication::applicationDirPath()).filePath(u"messengerd"_s);
    if (QFileInfo(besideApp).isExecutable())
        return besideApp;
#ifdef MESSENGERD_BUILD_PATH
    return QStringLiteral(MESSENGERD_BUILD_PATH);
#else
    return besideApp;
#endif
}

void ServerHost::start(const QString &dataDir, int port)
{
    if (isRunning())
        return;
    QDir().mkpath(dataDir);
    m_output.clear();
    m_announced = false;
    // Reachable from the network, so never in plain text.
    const QStringList arguments {u"--listen"_s,   u"0.0.0.0"_s, u"--port"_s, QString::number(port),
                                 u"--data-dir"_s, dataDir,      u"--tls"_s,  u"self-signed"_s};
    qCInfo(lcOnboarding) << "starting" << executablePath() << arguments;
    m_process.start(executablePath(), arguments);
}

void ServerHost::stop()
{
    if (!isRunning())
        return;
    m_announced = true; // a stop we asked for is no failure
    m_stopping = true;
    m_process.terminate();
    if (!m_process.waitForFinished(3000))
        m_process.kill();
}

void ServerHost::onOutput()
{
    m_output += m_process.readAll();
    if (m_announced)
        return;
    // "messengerd <version> listening on wss://host:port" … "certificate SHA-256: AB:CD:…"
    static const QRegularExpression listening(u"listening on (\\S+)"_s);
    static const QRegularExpression certificate(u"certificate SHA-256: ([0-9A-F:]{95})"_s);
    const QString output = QString::fromUtf8(m_output);
    const QRegularExpressionMatch match = listening.match(output);
    const QRegularExpressionMatch fingerprint = certificate.match(output);
    if (!match.hasMatch() || !fingerprint.hasMatch())
        return;
    m_announced = true;
    m_fingerprint = fingerprint.captured(1);
    QUrl url(match.captured(1));
    if (url.host() == u"0.0.0.0"_s)
        url.setHost(u"127.0.0.1"_s);
    m_url = url;
    Q_EMIT started(url);
}

QString ServerHost::addressForFriends() const
{
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback()
            && !address.isLinkLocal())
            return u"%1://%2:%3"_s.arg(m_url.scheme(), address.toString()).arg(m_url.port());
    }
    return m_url.toString();
}

} // namespace App
