#pragma once

#include "protocol/Frame.h"
#include "protocol/Records.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Client {

class Connection;
class LocalStore;
class Request;

//! Keeps the local store in step with the server.
//!
//! After every sign-in it runs `sync` from the store's cursors, page by page, until the server has
//! nothing more, then tells the Connection it is online. While online it applies the server's
//! events to the store. Everything goes through LocalStore::addMessages, which ignores any
//! (conversationId, seq) it already has, so an entry that arrives both in a sync page and as an
//! event — or twice as an event — is stored and shown once. A gap in the seqs of the events
//! (something was missed) starts another sync.
//!
//! Each page is stored in one transaction on the store's thread, and the next one is asked for
//! when it is in. It also fetches the users it meets for the first time and refreshes a
//! conversation's record and members when its membership or receipts changed. (Delivery of what
//! arrived is owed by the store in the same transaction as the entries; ReceiptSender sends it.)
class SyncEngine : public QObject
{
    Q_OBJECT
public:
    struct Settings
    {
        int pageLimit = 500; //!< messages per sync page
        int refreshDelayMs = 200; //!< coalesces bursts of receipts into one conversation.get
    };

    SyncEngine(Connection *connection, LocalStore *store, QObject *parent = nullptr);
    SyncEngine(Connection *connection, LocalStore *store, Settings settings,
               QObject *parent = nullptr);

    bool isSyncing() const { return m_running; }
    //! Runs a sync pass now, or right after the one that is running.
    void syncNow();
    //! Applies one server event to the store (the Connection's events arrive here).
    void applyEvent(const Protocol::Frame &event);

    //! Fetches up to `limit` entries older than beforeSeq (0: the newest) into the store;
    //! historyLoaded() says when they are there.
    void fetchHistory(qint64 conversationId, qint64 beforeSeq, int limit);
    //! conversation.get: the record and the members, into the store.
    void refreshConversation(qint64 conversationId);

Q_SIGNALS:
    //! A sync pass finished: the store has everything the server had when it answered.
    void synced();
    //! A new entry arrived live (not from a sync page) and was stored.
    void messageArrived(const Protocol::MessageRecord &message);
    void typingReceived(qint64 conversationId, qint64 userId, bool active, int expiresInMs);
    //! fetchHistory() finished; `more` is false when the conversation's first entry is stored.
    void historyLoaded(qint64 conversationId, bool more, bool ok);

private:
    void requestPage();
    void onPage(const Protocol::Frame &page, bool more);
    void finishPass();
    void afterMessages(const QList<Protocol::MessageRecord> &messages);
    void fetchUsers(QList<qint64> ids);
    void scheduleRefresh(qint64 conversationId);

    Connection *m_connection;
    LocalStore *m_store;
    Settings m_settings;
    bool m_running = false;
    bool m_again = false;
    QSet<qint64> m_refreshPending;
    QTimer m_refreshTimer;
    QSet<qint64> m_usersRequested;
    QSet<qint64> m_historyInFlight;
};

} // namespace Client
