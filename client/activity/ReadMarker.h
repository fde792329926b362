#pragma once

#include <QHash>
#include <QList>
#include <QObject>

class Connection;
class LocalStore;

//! Turns "these messages are on screen" into read cursors.
//!
//! The conversation's read cursor moves to the newest visible entry in the local store at once
//! (the unread count clears), and — when the user sends read receipts — `receipt.read` tells the
//! server, now or after the next reconnect. With read receipts turned off the server is not
//! told at all: nobody can learn from it what this user has read.
class ReadMarker : public QObject
{
    Q_OBJECT
public:
    ReadMarker(Connection *connection, LocalStore *store, QObject *parent = nullptr);

    //! The app reports the seqs of the entries it shows of a conversation.
    void setVisibleMessages(qint64 conversationId, const QList<qint64> &seqs);
    void markReadUpTo(qint64 conversationId, qint64 seq);

private:
    void sendRead(qint64 conversationId, qint64 seq);
    void flush();

    Connection *m_connection;
    LocalStore *m_store;
    QHash<qint64, qint64> m_unsent; //!< reads the server has not confirmed yet
};
