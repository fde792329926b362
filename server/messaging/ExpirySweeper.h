#pragma once

#include <QObject>
#include <QTimer>

namespace Server {

class Metrics;
class Store;

//! Erases the content of entries whose disappearing-messages time has come: once at start-up,
//! then every intervalMs, on the writer thread, in batches (a full batch is followed at once by
//! the next). Each batch is its own transaction and looks only at what is not erased yet, so a
//! restart in the middle simply resumes. No event: clients expire entries themselves by expiresAt.
//! Each erased entry is counted in Metrics (messengerd_messages_expired_total).
class ExpirySweeper : public QObject
{
    Q_OBJECT
public:
    static constexpr int BatchSize = 1000;

    ExpirySweeper(Store *store, Metrics *metrics, int intervalMs, QObject *parent = nullptr);
    //! Sweeps now, then on the interval.
    void start();

private:
    void sweep();

    Store *m_store;
    Metrics *m_metrics; //!< socket thread, where the sweep's results arrive
    QTimer m_timer;
    bool m_running = false;
};

} // namespace Server
