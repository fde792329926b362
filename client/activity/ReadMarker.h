#pragma once

#include <QList>
#include <QObject>

namespace Client {

class LocalStore;

//! Turns "these messages are on screen" into read cursors.
//!
//! The conversation's read cursor moves to the newest visible entry in the local store at once
//! (the unread count clears), and — when the user sends read receipts — the store records the
//! cursor as owed to the server, which ReceiptSender sends now or after the next reconnect, even
//! across a restart. With read receipts turned off the server is not told at all: nobody can
//! learn from it what this user has read.
class ReadMarker : public QObject
{
    Q_OBJECT
public:
    explicit ReadMarker(LocalStore *store, QObject *parent = nullptr);

    //! The app reports the seqs of the entries it shows of a conversation.
    void setVisibleMessages(qint64 conversationId, const QList<qint64> &seqs);
    void markReadUpTo(qint64 conversationId, qint64 seq);

private:
    LocalStore *m_store;
};

} // namespace Client
