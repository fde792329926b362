// LocalStore, rich messages (issue 12): the reads a conversation view needs, hides from other
// devices and local expiry.
#include "LocalStore.h"

#include "store/StoreDatabase.h"
#include "store/StoreThread.h"

#include <QDateTime>

#include <algorithm>

namespace Client {

namespace {
//! A timer cannot wait longer than an int of milliseconds: look again after an hour.
constexpr qint64 LongestWaitMs = 3'600'000;
} // namespace

QFuture<QList<StoredMessage>> LocalStore::storedMessages(qint64 conversationId, qint64 beforeSeq,
                                                         int limit)
{
    return enqueue<QList<StoredMessage>>([=](StoreDatabase &db, StoreChanges &) {
        return db.storedMessages(conversationId, beforeSeq, limit);
    });
}

QFuture<QList<StoredMessage>> LocalStore::storedMessagesFrom(qint64 conversationId, qint64 fromSeq,
                                                             qint64 beforeSeq)
{
    return enqueue<QList<StoredMessage>>([=](StoreDatabase &db, StoreChanges &) {
        return db.storedMessagesFrom(conversationId, fromSeq, beforeSeq);
    });
}

QFuture<QList<EditInfo>> LocalStore::editHistory(qint64 conversationId, qint64 seq)
{
    return enqueue<QList<EditInfo>>(
        [=](StoreDatabase &db, StoreChanges &) { return db.editHistory(conversationId, seq); });
}

QFuture<void> LocalStore::hide(qint64 conversationId, const QList<qint64> &seqs)
{
    QList<QPair<qint64, qint64>> hidden;
    for (qint64 seq : seqs)
        hidden.append({conversationId, seq});
    return enqueue<void>([hidden](StoreDatabase &db, StoreChanges &changes) {
        db.applyHidden(hidden, -1, changes);
    });
}

QFuture<void> LocalStore::expireNow()
{
    return enqueue<void>([](StoreDatabase &db, StoreChanges &changes) {
        db.expire(QDateTime::currentMSecsSinceEpoch(), changes);
    });
}

void LocalStore::scheduleExpiry(qint64 nextExpiry)
{
    if (nextExpiry <= 0) {
        m_expiryTimer.stop();
        return;
    }
    const qint64 wait = nextExpiry - QDateTime::currentMSecsSinceEpoch();
    m_expiryTimer.start(int(std::clamp<qint64>(wait, 0, LongestWaitMs)));
}

} // namespace Client
