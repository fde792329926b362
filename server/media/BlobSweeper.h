#pragma once

#include <QObject>
#include <QTimer>

namespace Server {

class BlobService;
class Store;

//! Removes what no one will ask for again: once at start-up, then every intervalMs. Uploads not
//! finished `unusedMs` after they started; complete blobs no message references that were
//! referenced once (every such message was deleted or expired) or were finished `unusedMs` ago;
//! the links of erased messages; files without a row (the server stopped between a row's
//! removal and its file's); with a retention (`retentionMs` > 0), every complete blob finished
//! longer ago than that, referenced or not, unless it is a current avatar. Rows go first, files
//! after the commit, so a crash leaves an orphan file (removed by the next sweep), never a row
//! pointing at nothing.
class BlobSweeper : public QObject
{
    Q_OBJECT
public:
    static constexpr int BatchSize = 500;

    BlobSweeper(Store *store, BlobService *service, int intervalMs, qint64 unusedMs,
                qint64 retentionMs, QObject *parent = nullptr);
    void start();

Q_SIGNALS:
    //! A whole sweep ended (rows and files), with how many blobs and orphan files it removed.
    void swept(int blobs, int orphanFiles);

private:
    void sweep();
    void sweepFiles();
    void updateTotals(); //!< the stored-blob gauges of Metrics

    Store *m_store;
    BlobService *m_service;
    qint64 m_unusedMs;
    qint64 m_retentionMs; //!< 0: blobs are kept while referenced
    QTimer m_timer;
    bool m_running = false;
    int m_removed = 0;
};

} // namespace Server
