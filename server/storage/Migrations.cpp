#include "Migrations.h"

namespace Server {

namespace Migrations {

namespace {

// One schema for both databases; the few words that differ are spelled as {{placeholders}}.
const char *const migration1[] = {
    R"(CREATE TABLE users (
        id {{pk}},
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen BIGINT NOT NULL DEFAULT 0,
        hide_last_seen BOOLEAN NOT NULL DEFAULT FALSE,
        send_read_receipts BOOLEAN NOT NULL DEFAULT TRUE))",
    R"(CREATE TABLE devices (
        id {{pk}},
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        token_hash {{blob}} NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        last_active BIGINT NOT NULL))",
    "CREATE INDEX devices_user ON devices(user_id)",
    R"(CREATE TABLE invites (
        id {{pk}},
        token_hash {{blob}} NOT NULL UNIQUE,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        uses_left INTEGER NOT NULL))",
    R"(CREATE TABLE conversations (
        id {{pk}},
        kind SMALLINT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        direct_key TEXT UNIQUE,
        last_seq BIGINT NOT NULL DEFAULT 0,
        created_at BIGINT NOT NULL,
        last_activity BIGINT NOT NULL))",
    R"(CREATE TABLE members (
        conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role SMALLINT NOT NULL,
        joined_seq BIGINT NOT NULL,
        joined_at BIGINT NOT NULL,
        delivered_seq BIGINT NOT NULL DEFAULT 0,
        read_seq BIGINT NOT NULL DEFAULT 0,
        muted BOOLEAN NOT NULL DEFAULT FALSE,
        pinned BOOLEAN NOT NULL DEFAULT FALSE,
        archived BOOLEAN NOT NULL DEFAULT FALSE,
        PRIMARY KEY (conversation_id, user_id)))",
    "CREATE INDEX members_user ON members(user_id)",
    R"(CREATE TABLE messages (
        conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        seq BIGINT NOT NULL,
        sender_id BIGINT NOT NULL,
        client_id TEXT,
        kind SMALLINT NOT NULL,
        content_type TEXT NOT NULL DEFAULT '',
        content {{blob}},
        created_at BIGINT NOT NULL,
        PRIMARY KEY (conversation_id, seq)))",
    "CREATE UNIQUE INDEX messages_client ON messages(sender_id, client_id)",
    R"(CREATE TABLE receipts (
        conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL,
        kind SMALLINT NOT NULL,
        seq BIGINT NOT NULL,
        at BIGINT NOT NULL))",
    "CREATE INDEX receipts_conversation ON receipts(conversation_id, seq)",
    // Where a former member's view of a conversation ends (their removal or leave event).
    R"(CREATE TABLE departures (
        conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        user_id BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        PRIMARY KEY (conversation_id, user_id)))",
};

// Issue 12, rich messages. Erasing keeps the row (its seq) and drops its bytes.
const char *const migration2[] = {
    // silent: a reaction or edit (not unread, not the list preview). ref_seq: the entry it acts
    // on. expires_at: when the sweeper erases it. erased: 0 no, 1 deleted, 2 expired.
    // deleted_seq: the `deleted` event entry that erased it (a repeated delete answers it).
    "ALTER TABLE messages ADD COLUMN silent BOOLEAN NOT NULL DEFAULT FALSE",
    "ALTER TABLE messages ADD COLUMN ref_seq BIGINT",
    "ALTER TABLE messages ADD COLUMN expires_at BIGINT",
    "ALTER TABLE messages ADD COLUMN erased SMALLINT NOT NULL DEFAULT 0",
    "ALTER TABLE messages ADD COLUMN deleted_seq BIGINT",
    // The sweeper's work list: only what still has content to lose.
    R"(CREATE INDEX messages_expiry ON messages(expires_at)
        WHERE expires_at IS NOT NULL AND erased = 0)",
    // A deleted entry's dependants (reactions, edits) are erased with it.
    "CREATE INDEX messages_ref ON messages(conversation_id, ref_seq) WHERE ref_seq IS NOT NULL",
    "ALTER TABLE conversations ADD COLUMN disappear_seconds BIGINT NOT NULL DEFAULT 0",
    // Delete for me: one row per hidden entry and user. The id only grows (one writer), so a
    // device's sync cursor over it ("hiddenAfter") never misses one.
    R"(CREATE TABLE hidden (
        id {{pk}},
        user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        seq BIGINT NOT NULL,
        UNIQUE (user_id, conversation_id, seq)))",
    "CREATE INDEX hidden_user ON hidden(user_id, id)",
};

// Issue 13, media. Blob bytes live in files (BlobStore), never here: a row says whose blob it is,
// its size and ciphertext digest, and whether the upload finished. state: 0 uploading,
// 1 complete. referenced: a message linked it once (the sweeper removes it when none does now).
const char *const migration3[] = {
    R"(CREATE TABLE blobs (
        id TEXT PRIMARY KEY,
        owner_user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        size BIGINT NOT NULL,
        sha256 {{blob}} NOT NULL,
        state SMALLINT NOT NULL,
        referenced BOOLEAN NOT NULL DEFAULT FALSE,
        client_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        completed_at BIGINT,
        UNIQUE (owner_user_id, client_id)))",
    "CREATE INDEX blobs_state ON blobs(state, created_at)",
    // Which messages reference which blobs: access control and the sweeper's reference count.
    R"(CREATE TABLE message_blobs (
        conversation_id BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        blob_id TEXT NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
        PRIMARY KEY (conversation_id, seq, blob_id),
        FOREIGN KEY (conversation_id, seq) REFERENCES messages(conversation_id, seq)
            ON DELETE CASCADE))",
    "CREATE INDEX message_blobs_blob ON message_blobs(blob_id)",
};

// Issue 13, avatars: a profile's or a group's picture is a blob (avatar_blob) and the client's
// opaque descriptor of it (avatar, at most 1 KiB; the server never reads it). NULL = none. The
// indexes serve the blob's access rule and the sweeper, which keeps every current avatar.
const char *const migration4[] = {
    "ALTER TABLE users ADD COLUMN avatar_blob TEXT",
    "ALTER TABLE users ADD COLUMN avatar {{blob}}",
    "ALTER TABLE conversations ADD COLUMN avatar_blob TEXT",
    "ALTER TABLE conversations ADD COLUMN avatar {{blob}}",
    "CREATE INDEX users_avatar ON users(avatar_blob) WHERE avatar_blob IS NOT NULL",
    R"(CREATE INDEX conversations_avatar ON conversations(avatar_blob)
        WHERE avatar_blob IS NOT NULL)",
};

QString dialect(const char *statement, bool postgres)
{
    QString sql = QString::fromUtf8(statement);
    sql.replace(QLatin1String("{{pk}}"),
                postgres ? QLatin1String("BIGSERIAL PRIMARY KEY")
                         : QLatin1String("INTEGER PRIMARY KEY AUTOINCREMENT"));
    sql.replace(QLatin1String("{{blob}}"),
                postgres ? QLatin1String("BYTEA") : QLatin1String("BLOB"));
    return sql;
}

template<std::size_t N>
QStringList build(const char *const (&statements)[N], bool postgres)
{
    QStringList list;
    for (const char *statement : statements)
        list.append(dialect(statement, postgres));
    return list;
}

} // namespace

QList<QStringList> all(bool postgres)
{
    return {build(migration1, postgres), build(migration2, postgres), build(migration3, postgres),
            build(migration4, postgres)};
}

} // namespace Migrations

} // namespace Server
