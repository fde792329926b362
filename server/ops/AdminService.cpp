#include "AdminService.h"

#include "PrometheusWriter.h"

#include "core/Hub.h"
#include "core/ServerConfig.h"
#include "storage/Store.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QVariant>

#include <memory>

namespace Server {

Q_DECLARE_LOGGING_CATEGORY(lcAdmin)

namespace {
using Response = AdminHttpServer::Response;

//! One /readyz answer in the making: the checks known at once plus the database's, whichever
//! comes first of its answer and the timeout.
struct ReadyCheck
{
    QByteArray lines;
    bool ready = true;
    bool answered = false;

    void add(bool ok, const QByteArray &name, const QByteArray &detail)
    {
        ready = ready && ok;
        lines += name + (ok ? ": ok" : ": FAILED, ") + (ok ? QByteArray() : detail) + '\n';
    }
};
} // namespace

AdminService::AdminService(Sources sources, QObject *parent)
    : QObject(parent)
    , m_sources(std::move(sources))
    , m_http(AdminHttpServer::Limits {}, this)
{
    m_http.route("/metrics",
                 [this](const HttpRequestParser::Request &, const AdminHttpServer::Reply &reply) {
                     serveMetrics(reply);
                 });
    m_http.route("/healthz",
                 [](const HttpRequestParser::Request &, const AdminHttpServer::Reply &reply) {
                     reply(Response {200, QByteArrayLiteral("text/plain; charset=utf-8"), "ok\n"});
                 });
    m_http.route("/readyz",
                 [this](const HttpRequestParser::Request &, const AdminHttpServer::Reply &reply) {
                     serveReady(reply);
                 });
}

AdminService::~AdminService() = default;

bool AdminService::listen(const ServerConfig &config, QString *error)
{
    QString reason;
    if (m_http.listen(config.adminAddress, config.adminPort, &reason)) {
        QString host = config.adminAddress.toString();
        if (config.adminAddress.protocol() == QAbstractSocket::IPv6Protocol)
            host = QLatin1Char('[') + host + QLatin1Char(']');
        qCInfo(lcAdmin).noquote()
            << QStringLiteral("admin endpoints (/metrics, /healthz, /readyz) on http://%1:%2")
                   .arg(host)
                   .arg(m_http.port());
        return true;
    }
    if (error)
        *error = QStringLiteral("cannot listen for the admin endpoints on %1:%2: %3")
                     .arg(config.adminAddress.toString())
                     .arg(config.adminPort)
                     .arg(reason);
    return false;
}

void AdminService::serveMetrics(const AdminHttpServer::Reply &reply) const
{
    Metrics::Gauges gauges;
    gauges.connections = m_sources.connectionCount ? m_sources.connectionCount() : 0;
    if (m_sources.hub) {
        gauges.onlineUsers = m_sources.hub->onlineUserCount();
        gauges.authenticatedSessions = m_sources.hub->sessionCount();
    }
    gauges.draining = m_sources.draining && m_sources.draining();
    gauges.store = m_sources.store;
    reply(Response {200, PrometheusWriter::ContentType, m_sources.metrics->exposition(gauges)});
}

void AdminService::serveReady(const AdminHttpServer::Reply &reply)
{
    auto check = std::make_shared<ReadyCheck>();
    check->add(!m_sources.draining || !m_sources.draining(), "drain",
               "the server is draining before it stops");
    check->add(m_sources.clientListenerListening && m_sources.clientListenerListening(), "listener",
               "the client listener is not accepting connections");

    const auto finish = [check, reply](bool databaseOk, const QByteArray &detail) {
        if (check->answered)
            return;
        check->answered = true;
        check->add(databaseOk, "database", detail);
        reply(Response {check->ready ? 200 : 503, QByteArrayLiteral("text/plain; charset=utf-8"),
                        check->lines});
    };
    if (!m_sources.store) {
        finish(false, "the store is not running");
        return;
    }
    // The context of this check: deleted at the timeout, so a late answer is dropped.
    auto *context = new QObject(this);
    auto *timer = new QTimer(context);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, context, [finish, context] {
        finish(false, "no answer within " + QByteArray::number(ReadyTimeoutMs) + " ms");
        context->deleteLater();
    });
    timer->start(ReadyTimeoutMs);
    m_sources.store->read(
        context,
        [](Database &db) {
            QSqlQuery &q = db.prepare(QStringLiteral("SELECT 1"));
            db.exec(q);
            const bool answered = q.next() && q.value(0).toInt() == 1;
            q.finish();
            return answered;
        },
        [finish, context](const Result<bool> &result) {
            // Never the database's own message: it may name hosts and users.
            finish(result.ok() && *result,
                   result.error == Protocol::ErrorCode::Unavailable
                       ? QByteArrayLiteral("the database is unreachable")
                       : QByteArrayLiteral("the database did not answer the query"));
            context->deleteLater();
        });
}

} // namespace Server
