// The store the phases measure: written with the client's own StoreDatabase (the SQL the app runs
// on its store thread), here on the bench's thread, in transactions of BatchSize messages.
#include "ClientBench.h"
#include "Corpus.h"

#include "store/StoreDatabase.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTextStream>

using namespace Client;

namespace ClientBench {

namespace {

constexpr int BatchSize = 20'000;
constexpr qint64 SelfId = 1;
constexpr quint64 Seed = 20240601;
const QString ShapeKey = QStringLiteral("bench-shape");

QString shapeOf(const Options &o)
{
    return QStringLiteral("v1-c%1-m%2-h%3")
        .arg(o.conversations)
        .arg(o.messages)
        .arg(o.historyMessages);
}

QString readShape(const QString &path)
{
    if (!QFileInfo::exists(path))
        return {};
    QString shape;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"),
                                                    QStringLiteral("bench-shape-check"));
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'bench-shape'"))
                && q.next())
                shape = q.value(0).toString();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-shape-check"));
    return shape;
}

//! Messages per conversation: the history conversation first, the rest shared evenly.
std::vector<int> distribution(const Options &o)
{
    std::vector<int> counts(size_t(o.conversations), 0);
    counts[0] = std::min(o.historyMessages, o.messages);
    const int rest = o.messages - counts[0];
    const int others = o.conversations - 1;
    for (int i = 1; i < o.conversations; ++i)
        counts[size_t(i)] = rest / others + (i - 1 < rest % others ? 1 : 0);
    return counts;
}

bool generate(const Options &o, const QString &path, QString *error)
{
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
    StoreDatabase db;
    if (!db.open(path, false, error))
        return false;
    StoreChanges ignored;
    Protocol::ProfileInfo profile;
    profile.user = {SelfId, QStringLiteral("alice"), QStringLiteral("Alice"),
                    Protocol::PresenceState::Online, 0};
    db.setProfile(profile, ignored);

    QList<Protocol::UserInfo> users;
    for (int i = 0; i < o.conversations; ++i) {
        const QString name = QStringLiteral("user%1").arg(i + 1, 4, 10, QLatin1Char('0'));
        users.append({SelfId + 1 + i, name, QStringLiteral("User %1").arg(i + 1),
                      Protocol::PresenceState::Offline, 0});
    }
    db.upsertUsers(users, ignored);

    const std::vector<int> counts = distribution(o);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 span = 365LL * 24 * 3600 * 1000;
    QList<Protocol::ConversationInfo> conversations;
    for (int i = 0; i < o.conversations; ++i) {
        Protocol::ConversationInfo c;
        c.id = i + 1;
        const int n = counts[size_t(i)];
        // One in ten is a group of five; the others are direct chats with their own peer.
        if (i % 10 == 9) {
            c.kind = Protocol::ConversationKind::Group;
            c.name = QStringLiteral("Group %1").arg(i + 1);
            c.memberCount = 5;
        } else {
            c.kind = Protocol::ConversationKind::Direct;
            c.peer = users.at(i);
            c.memberCount = 2;
        }
        c.role = Protocol::Role::Member;
        c.lastSeq = n;
        c.readSeq = n; // all read: the app opens a conversation at its newest page
        c.deliveredSeq = n;
        c.othersReadSeq = n;
        c.lastActivity = now - qint64(i) * 60'000;
        conversations.append(c);
    }
    db.upsertConversations(conversations, ignored);

    Corpus corpus(Seed);
    std::mt19937_64 random(Seed + 1);
    QList<Protocol::MessageRecord> batch;
    batch.reserve(BatchSize);
    QTextStream err(stderr);
    qint64 written = 0;
    for (int i = 0; i < o.conversations; ++i) {
        const Protocol::ConversationInfo &c = conversations.at(i);
        const int n = counts[size_t(i)];
        const qint64 first = c.lastActivity - span;
        for (int seq = 1; seq <= n; ++seq) {
            Protocol::MessageRecord m;
            m.conversationId = c.id;
            m.seq = seq;
            const bool own = random() % 5 < 2;
            if (own)
                m.senderId = SelfId;
            else if (c.peer)
                m.senderId = c.peer->id;
            else
                m.senderId = SelfId + 1 + qint64(random() % quint64(o.conversations));
            m.timestamp = first + span * seq / n;
            if (own)
                m.clientId = QStringLiteral("bench-%1-%2").arg(c.id).arg(seq);
            m.contentType = QStringLiteral("text/plain");
            m.content = corpus.message().toUtf8();
            batch.append(m);
            if (batch.size() == BatchSize) {
                StoreChanges changes;
                db.addMessages(batch, changes);
                written += batch.size();
                batch.clear();
                if (written % 200'000 == 0)
                    err << "  " << written << " messages" << Qt::endl;
            }
        }
    }
    if (!batch.isEmpty()) {
        StoreChanges changes;
        db.addMessages(batch, changes);
    }
    // A store that was online since: no delivery receipts owed.
    for (int i = 0; i < o.conversations; ++i)
        db.receiptAcknowledged(i + 1, counts[size_t(i)], counts[size_t(i)], ignored);

    QSqlQuery q(db.database());
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)"));
    q.addBindValue(ShapeKey);
    q.addBindValue(shapeOf(o));
    q.exec();
    q.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    q.finish();
    db.close();
    return true;
}

} // namespace

bool prepareStore(Context &context, QString *error)
{
    const Options &o = context.options;
    if (o.conversations < 2 || o.historyMessages < 1 || o.messages <= o.historyMessages) {
        *error = QStringLiteral("need 2+ conversations and more messages than the history holds");
        return false;
    }
    QDir().mkpath(o.storeCache);
    const QString shape = shapeOf(o);
    const QString path =
        QDir(o.storeCache).filePath(QStringLiteral("client-store-%1.sqlite").arg(shape));
    context.store.path = path;
    context.store.selfId = SelfId;
    context.store.selfUsername = QStringLiteral("alice");
    context.store.historyConversation = 1;
    if (readShape(path) == shape) {
        context.store.reused = true;
        return true;
    }
    QTextStream(stderr) << "generating the store (" << o.conversations << " conversations, "
                        << o.messages << " messages) in " << path << "..." << Qt::endl;
    QElapsedTimer clock;
    clock.start();
    const QString part = path + QStringLiteral(".part");
    if (!generate(o, part, error))
        return false;
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
    QFile::remove(part + QStringLiteral("-wal"));
    QFile::remove(part + QStringLiteral("-shm"));
    if (!QFile::rename(part, path)) {
        *error = QStringLiteral("cannot rename %1").arg(part);
        return false;
    }
    context.store.generationSeconds = double(clock.elapsed()) / 1000.0;
    return true;
}

} // namespace ClientBench
