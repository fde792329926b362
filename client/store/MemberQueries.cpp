#include "MemberQueries.h"

#include "ClientLogging.h"
#include "store/UserQueries.h"

#include <QSqlError>
#include <QSqlQuery>

namespace Client {

using namespace Qt::StringLiterals;
using Protocol::MemberInfo;
using Protocol::ReceiptInfo;

namespace MemberQueries {

namespace {
bool run(QSqlQuery &q)
{
    if (q.exec())
        return true;
    qCWarning(lcClientStore).noquote()
        << "member query failed:" << q.lastError().text() << q.lastQuery();
    return false;
}

qint64 deliveredOf(const ReceiptInfo &receipt)
{
    return std::max(receipt.deliveredSeq, receipt.readSeq); // read implies delivered
}
} // namespace

bool replace(const QSqlDatabase &db, qint64 conversationId, const QList<MemberInfo> &members)
{
    QSqlQuery clear(db);
    clear.prepare(u"DELETE FROM members WHERE conversation_id = ?"_s);
    clear.addBindValue(conversationId);
    if (!run(clear))
        return false;
    QSqlQuery q(db);
    q.prepare(
        u"INSERT INTO members (conversation_id, user_id, role, delivered_seq, read_seq, position) "
        "VALUES (?, ?, ?, ?, ?, ?)"_s);
    int position = 0;
    bool ok = true;
    for (const MemberInfo &member : members) {
        q.addBindValue(conversationId);
        q.addBindValue(member.user.id);
        q.addBindValue(int(member.role));
        q.addBindValue(member.deliveredSeq);
        q.addBindValue(member.readSeq);
        q.addBindValue(position++);
        ok = run(q) && ok;
    }
    return ok;
}

QList<MemberInfo> list(const QSqlDatabase &db, qint64 conversationId)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT m.user_id, m.role, m.delivered_seq, m.read_seq, "_s
              + UserQueries::columns(u"u"_s)
              + u" FROM members m LEFT JOIN users u ON u.id = m.user_id "
                "WHERE m.conversation_id = ? ORDER BY m.position"_s);
    q.addBindValue(conversationId);
    QList<MemberInfo> members;
    if (!run(q))
        return members;
    while (q.next()) {
        MemberInfo member;
        member.user = UserQueries::fromQuery(q, 0, 4);
        member.role = Protocol::Role(q.value(1).toInt());
        member.deliveredSeq = q.value(2).toLongLong();
        member.readSeq = q.value(3).toLongLong();
        members.append(member);
    }
    return members;
}

bool advanceMember(const QSqlDatabase &db, const ReceiptInfo &receipt)
{
    QSqlQuery q(db);
    q.prepare(
        u"UPDATE members SET delivered_seq = max(delivered_seq, ?), read_seq = max(read_seq, ?) "
        "WHERE conversation_id = ? AND user_id = ?"_s);
    q.addBindValue(deliveredOf(receipt));
    q.addBindValue(receipt.readSeq);
    q.addBindValue(receipt.conversationId);
    q.addBindValue(receipt.userId);
    return run(q) && q.numRowsAffected() > 0;
}

bool advanceDirectSummary(const QSqlDatabase &db, const ReceiptInfo &receipt)
{
    // A group's minimum over everyone comes with its next record (conversation.get) instead.
    QSqlQuery q(db);
    q.prepare(u"UPDATE conversations SET delivered_seq = max(delivered_seq, ?), "
              "others_read_seq = max(others_read_seq, ?) WHERE id = ? AND kind = ?"_s);
    q.addBindValue(deliveredOf(receipt));
    q.addBindValue(receipt.readSeq);
    q.addBindValue(receipt.conversationId);
    q.addBindValue(int(Protocol::ConversationKind::Direct));
    return run(q) && q.numRowsAffected() > 0;
}

bool raiseUnsent(const QSqlDatabase &db, qint64 conversationId, qint64 readSeq, qint64 deliveredSeq)
{
    QSqlQuery q(db);
    q.prepare(
        u"INSERT INTO unsent_receipts (conversation_id, read_seq, delivered_seq) VALUES (?, ?, ?) "
        "ON CONFLICT (conversation_id) DO UPDATE SET read_seq = max(read_seq, excluded.read_seq), "
        "delivered_seq = max(delivered_seq, excluded.delivered_seq)"_s);
    q.addBindValue(conversationId);
    q.addBindValue(std::max<qint64>(readSeq, 0));
    q.addBindValue(std::max<qint64>(deliveredSeq, 0));
    return run(q);
}

QList<UnsentReceipt> unsent(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    q.prepare(
        u"SELECT conversation_id, read_seq, delivered_seq FROM unsent_receipts ORDER BY conversation_id"_s);
    QList<UnsentReceipt> list;
    if (!run(q))
        return list;
    while (q.next())
        list.append(UnsentReceipt {q.value(0).toLongLong(), q.value(1).toLongLong(),
                                   q.value(2).toLongLong()});
    return list;
}

UnsentReceipt unsent(const QSqlDatabase &db, qint64 conversationId)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT read_seq, delivered_seq FROM unsent_receipts WHERE conversation_id = ?"_s);
    q.addBindValue(conversationId);
    UnsentReceipt owed {conversationId, 0, 0};
    if (run(q) && q.next()) {
        owed.readSeq = q.value(0).toLongLong();
        owed.deliveredSeq = q.value(1).toLongLong();
    }
    return owed;
}

bool clearUnsent(const QSqlDatabase &db, qint64 conversationId, qint64 readSeq, qint64 deliveredSeq)
{
    QSqlQuery q(db);
    q.prepare(
        u"UPDATE unsent_receipts SET read_seq = CASE WHEN read_seq <= ? THEN 0 ELSE read_seq END, "
        "delivered_seq = CASE WHEN delivered_seq <= ? THEN 0 ELSE delivered_seq END "
        "WHERE conversation_id = ?"_s);
    q.addBindValue(readSeq);
    q.addBindValue(deliveredSeq);
    q.addBindValue(conversationId);
    if (!run(q))
        return false;
    QSqlQuery drop(db);
    drop.prepare(
        u"DELETE FROM unsent_receipts WHERE conversation_id = ? AND read_seq = 0 AND delivered_seq = 0"_s);
    drop.addBindValue(conversationId);
    return run(drop);
}

} // namespace MemberQueries

} // namespace Client
