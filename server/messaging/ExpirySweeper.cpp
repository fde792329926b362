#include "ExpirySweeper.h"

#include "MessageActionQueries.h"

#include "ops/Metrics.h"
#include "storage/Store.h"

#include <QLoggingCategory>

namespace Server {

Q_LOGGING_CATEGORY(lcExpiry, "messengerd.messaging.expiry")

ExpirySweeper::ExpirySweeper(Store *store, Metrics *metrics, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_metrics(metrics)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ExpirySweeper::sweep);
}

void ExpirySweeper::start()
{
    m_timer.start();
    sweep();
}

void ExpirySweeper::sweep()
{
    if (m_running)
        return; // the previous batch is still queued or running
    m_running = true;
    m_store->write(
        this,
        [](Database &db) {
            return MessageActionQueries::sweepExpired(db, Database::now(), BatchSize);
        },
        [this](const Result<int> &result) {
            m_running = false;
            if (!result.ok()) {
                qCWarning(lcExpiry).noquote()
                    << "erasing expired messages failed, retried later:" << result.message;
                return;
            }
            if (*result > 0 && m_metrics)
                m_metrics->addExpiredErased(*result);
            if (*result > 0)
                qCInfo(lcExpiry) << "erased the content of" << *result << "expired messages";
            if (*result >= BatchSize)
                sweep();
        });
}

} // namespace Server
