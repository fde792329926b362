#include "StoreMigrations.h"

#include "ClientLogging.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace Client {

namespace {

// Never edit a step that has shipped: add a new one.
const QStringList &steps()
{
    static const QStringList list {
        // 1: the cache of what the server said, the outbox and the search index.
        QStringLiteral(R"(
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    presence INTEGER NOT NULL DEFAULT 0,
    last_seen INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE conversations (
    id INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    role INTEGER NOT NULL,
    last_seq INTEGER NOT NULL DEFAULT 0,
    last_activity INTEGER NOT NULL DEFAULT 0,
    member_count INTEGER NOT NULL DEFAULT 0,
    unread INTEGER NOT NULL DEFAULT 0,
    read_seq INTEGER NOT NULL DEFAULT 0,
    delivered_seq INTEGER NOT NULL DEFAULT 0,
    others_read_seq INTEGER NOT NULL DEFAULT 0,
    muted INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    peer_id INTEGER,
    synced_seq INTEGER,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE members (
    conversation_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    role INTEGER NOT NULL,
    delivered_seq INTEGER NOT NULL DEFAULT 0,
    read_seq INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    sender_id INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    client_id TEXT,
    content_type TEXT,
    content BLOB,
    body TEXT,
    event BLOB,
    UNIQUE (conversation_id, seq)
);
CREATE INDEX messages_client_id ON messages (client_id) WHERE client_id IS NOT NULL;
CREATE VIRTUAL TABLE message_search USING fts5(
    body, content = 'messages', content_rowid = 'id', tokenize = 'trigram');
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages WHEN new.body IS NOT NULL
BEGIN
    INSERT INTO message_search (rowid, body) VALUES (new.id, new.body);
END;
CREATE TABLE outbox (
    position INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    failed INTEGER NOT NULL DEFAULT 0,
    error TEXT
);
)"),
        // 2: receipt cursors moved locally and not yet acknowledged by the server, so that a
        // restart while offline still sends them.
        QStringLiteral(R"(
CREATE TABLE unsent_receipts (
    conversation_id INTEGER PRIMARY KEY,
    read_seq INTEGER NOT NULL DEFAULT 0,
    delivered_seq INTEGER NOT NULL DEFAULT 0
);
)"),
        // 3: what the user typed and did not send, per conversation (the composer's draft).
        QStringLiteral(R"(
CREATE TABLE drafts (
    conversation_id INTEGER PRIMARY KEY,
    text TEXT NOT NULL,
    updated INTEGER NOT NULL
);
)"),
        // 4: rich messages (issue 12). Silent entries (reactions, edits, `deleted` events) stay
        // rows of `messages` so that seqs remain dense for the sync cursor; what they did lives in
        // `reactions` and `edits`. An edit or erase rewrites `body`, which the triggers below
        // mirror into the search index (an external-content FTS5 table needs both halves).
        QStringLiteral(R"(
ALTER TABLE messages ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN ref_seq INTEGER;
ALTER TABLE messages ADD COLUMN expires_at INTEGER;
ALTER TABLE messages ADD COLUMN erased TEXT;
ALTER TABLE messages ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN reply_seq INTEGER;
ALTER TABLE messages ADD COLUMN reply_sender INTEGER;
ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN mentions_me INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_ref_seq ON messages (conversation_id, ref_seq) WHERE ref_seq IS NOT NULL;
CREATE INDEX messages_expires_at ON messages (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX messages_reply_seq ON messages (conversation_id, reply_seq)
    WHERE reply_seq IS NOT NULL;
CREATE TABLE reactions (
    conversation_id INTEGER NOT NULL,
    target_seq INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    emoji TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, target_seq, user_id)
) WITHOUT ROWID;
CREATE TABLE edits (
    conversation_id INTEGER NOT NULL,
    target_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
) WITHOUT ROWID;
CREATE INDEX edits_target ON edits (conversation_id, target_seq);
ALTER TABLE conversations ADD COLUMN disappear_seconds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN disappear_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN unread_mentions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN ref_seq INTEGER NOT NULL DEFAULT 0;
INSERT OR IGNORE INTO meta (key, value) VALUES ('hidden_cursor', 0);
CREATE TRIGGER messages_search_update AFTER UPDATE OF body ON messages
BEGIN
    INSERT INTO message_search (message_search, rowid, body)
        SELECT 'delete', old.id, old.body WHERE old.body IS NOT NULL;
    INSERT INTO message_search (rowid, body) SELECT new.id, new.body WHERE new.body IS NOT NULL;
END;
)"),
        // 5: attachments (issue 13). An outbox entry with attachments is `held` until every
        // blob is uploaded; `uploads` is its queue, one row per attachment, so that a restart
        // continues where it stopped. Only ciphertext lives on disk (cache_path); the key is
        // kept here as the message's content will carry it anyway.
        QStringLiteral(R"(
ALTER TABLE outbox ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
CREATE TABLE uploads (
    local_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    create_id TEXT NOT NULL,
    source_path TEXT,
    cache_path TEXT NOT NULL,
    key BLOB NOT NULL,
    sha256 BLOB,
    size INTEGER NOT NULL DEFAULT 0,
    csize INTEGER NOT NULL DEFAULT 0,
    blob_id TEXT,
    state INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    UNIQUE (client_id, idx)
) WITHOUT ROWID;
)"),
        // 6: profile and group pictures (issue 13): the blob and the opaque descriptor the
        // server returned with the user or group (NULL: none), kept so that the cached list shows
        // them before any network answer.
        QStringLiteral(R"(
ALTER TABLE users ADD COLUMN avatar_blob TEXT;
ALTER TABLE users ADD COLUMN avatar BLOB;
ALTER TABLE conversations ADD COLUMN avatar_blob TEXT;
ALTER TABLE conversations ADD COLUMN avatar BLOB;
)"),
        // 7: downloads asked for (by themselves or by the user) and not finished, so that a
        // restart goes on with them in the same order, each from its partial file in the media
        // cache. `descriptor` is the attachment's CBOR as in the message body, key included.
        // Not WITHOUT ROWID: the rowid keeps the order of rows queued in the same millisecond.
        QStringLiteral(R"(
CREATE TABLE downloads (
    blob_id TEXT PRIMARY KEY,
    descriptor BLOB NOT NULL,
    queued_at INTEGER NOT NULL,
    urgent INTEGER NOT NULL DEFAULT 0
);
)"),
        // 8: media retention (welcome.limits.mediaRetentionDays). A queued download keeps the
        // server timestamp of its message (0: none, as for avatars), so that a `not_found` after
        // a restart still tells an expired attachment from a failure; `expired_blobs` are those
        // found expired, never asked for again.
        QStringLiteral(R"(
ALTER TABLE downloads ADD COLUMN sent_at INTEGER NOT NULL DEFAULT 0;
CREATE TABLE expired_blobs (blob_id TEXT PRIMARY KEY) WITHOUT ROWID;
)"),
    };
    return list;
}

bool run(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery query(db);
    if (query.exec(sql))
        return true;
    *error = query.lastError().text() + QStringLiteral(" in: ") + sql.simplified().left(120);
    return false;
}

} // namespace

namespace StoreMigrations {

int latestVersion()
{
    return int(steps().size());
}

bool migrate(QSqlDatabase &db, QString *error)
{
    QSqlQuery version(db);
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next()) {
        *error = version.lastError().text();
        return false;
    }
    const int current = version.value(0).toInt();
    version.finish();
    if (current > latestVersion()) {
        *error = QStringLiteral("the local database is from a newer version of the app (schema %1, "
                                "this app knows %2)")
                     .arg(current)
                     .arg(latestVersion());
        return false;
    }
    for (int step = current; step < latestVersion(); ++step) {
        if (!db.transaction()) {
            *error = db.lastError().text();
            return false;
        }
        // QSqlQuery runs one statement at a time.
        const QStringList statements =
            steps().at(step).split(QStringLiteral(";\n"), Qt::SkipEmptyParts);
        QString pending;
        bool ok = true;
        for (const QString &statement : statements) {
            // A trigger body holds ";\n" itself: keep collecting until its END.
            pending += statement;
            if (pending.contains(QStringLiteral("CREATE TRIGGER"))
                && !pending.trimmed().endsWith(QStringLiteral("END"))) {
                pending += QStringLiteral(";\n");
                continue;
            }
            if (!pending.trimmed().isEmpty() && !run(db, pending, error)) {
                ok = false;
                break;
            }
            pending.clear();
        }
        if (ok)
            ok = run(db, QStringLiteral("PRAGMA user_version = %1").arg(step + 1), error);
        if (!ok) {
            db.rollback();
            return false;
        }
        if (!db.commit()) {
            *error = db.lastError().text();
            return false;
        }
        qCInfo(lcClientStore) << "local store migrated to schema" << step + 1;
    }
    return true;
}

} // namespace StoreMigrations

} // namespace Client
